"""The shared progress page, its log entries and badge: who sees them, and what they never show."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest

from accounts.models import Profile, Visibility
from roadmap.models import LogEntry, Progress, Satisfaction, Status, Topic
from tests.factories import (
    LogEntryFactory,
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.page_cache_queries import PAGE_CACHE_MISS

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # a Monday
EMAIL = "ada@example.com"
LOG_NOTE = "Private log thoughts about the exam"
EVIDENCE = "Evidence: Larson 2.4 exercises 1-40"
DAY = "2025-03-10"

# Every way in, by username and by secret token.
BY_USERNAME = ["/u/{username}/", "/u/{username}/log/{day}/", "/u/{username}/badge.svg"]
BY_TOKEN = ["/s/{token}/", "/s/{token}/log/{day}/", "/s/{token}/badge.svg"]


def address(template: str, *, username="ada", token="", day=DAY) -> str:
    return template.format(username=username, token=token, day=day)


def unknown(template: str) -> str:
    """The same kind of address for nobody at all."""
    return address(template, username="nobody-here", token="no-such-token")


@pytest.fixture(autouse=True)
def frozen_now():
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def topics(db) -> dict[str, Topic]:
    """Algebra: functions, exponents. Calculus: limits → derivatives → chain rule."""
    roadmap = RoadmapFactory()
    algebra = SectionFactory(roadmap=roadmap, slug="algebra", title="Algebra", order=0)
    calculus = SectionFactory(roadmap=roadmap, slug="calculus", title="Calculus", order=1)
    found = {
        "functions": TopicFactory(section=algebra, slug="functions", title="Functions", order=0),
        "exponents": TopicFactory(section=algebra, slug="exponents", title="Exponents", order=1),
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits", order=0),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives", order=1),
        "chain-rule": TopicFactory(section=calculus, slug="chain-rule", title="Chain rule", order=2),
    }
    PrerequisiteFactory(topic=found["limits"], prerequisite=found["functions"])
    PrerequisiteFactory(topic=found["derivatives"], prerequisite=found["limits"])
    PrerequisiteFactory(topic=found["chain-rule"], prerequisite=found["derivatives"])
    return found


def make_sharer(topics, *, visibility=Visibility.PRIVATE, share_log_notes=False) -> Profile:
    """Ada: a topic in every status (one with an evidence note), a goal, and three days logged."""
    user = UserFactory(username="ada", email=EMAIL)
    profile = ProfileFactory(
        user=user, visibility=visibility, share_log_notes=share_log_notes, goal=topics["derivatives"]
    )
    ProgressFactory(learner=user, topic=topics["functions"], status=Status.MASTERED, note=EVIDENCE)
    ProgressFactory(learner=user, topic=topics["exponents"], status=Status.SKIPPED)
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.PRACTISED)
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING)
    for day in (8, 9, 10):
        LogEntryFactory(
            learner=user,
            date=date(2025, 3, day),
            minutes=90,
            stage="noob-level math grind",
            satisfied=Satisfaction.YES,
            note=f"{LOG_NOTE} **day {day}**",
            topics=[topics["limits"]],
        )
    return profile


@pytest.fixture
def sharer(topics) -> Profile:
    return make_sharer(topics, visibility=Visibility.PUBLIC)


def set_visibility(profile: Profile, visibility: str, **changes) -> None:
    # save_changes(), as the settings page does: it replaces the learner's state
    # token, so their cached pages are not served again.
    profile.visibility = visibility
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.save_changes()


def meta_tags(html: str) -> dict[str, str]:
    return {
        name: html_lib.unescape(content)
        for name, content in re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', html)
    }


def visible_text(html: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


# -- Who sees what -------------------------------------------------------------------------------

VISIBLE_TO_OTHERS = {
    Visibility.PRIVATE: [],
    Visibility.UNLISTED: BY_TOKEN,
    Visibility.PUBLIC: BY_USERNAME + BY_TOKEN,
}


@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("viewer", ["anonymous", "another learner"])
@pytest.mark.parametrize("template", BY_USERNAME + BY_TOKEN)
def test_each_way_in_follows_the_visibility(client, topics, visibility, viewer, template):
    profile = make_sharer(topics, visibility=visibility)
    if viewer == "another learner":
        client.force_login(UserFactory(username="grace"))

    response = client.get(address(template, token=profile.share_token))

    if template in VISIBLE_TO_OTHERS[visibility]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        # The same answer as for an account that does not exist, so nobody can probe usernames.
        nobody = client.get(unknown(template))
        assert nobody.status_code == 404
        assert response.content == nobody.content
        assert "ada" not in response.content.decode()


@pytest.mark.parametrize("day", ["2025-03-01", "2025-02-30", "not-a-date"])
@pytest.mark.parametrize("template", ["/u/{username}/log/{day}/", "/s/{token}/log/{day}/"])
def test_a_shared_page_has_no_report_for_a_day_without_an_entry_nor_a_bad_date(client, sharer, template, day):
    response = client.get(address(template, token=sharer.share_token, day=day))

    assert response.status_code == 404
    assert response.content == client.get(unknown(template)).content


def test_the_owner_previews_their_private_page_with_a_banner(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    response = client.get("/u/ada/")

    assert response.status_code == 200
    html = response.content.decode()
    banner = re.search(r'<div class="owner-banner" role="note">(.*?)</div>', html, re.S).group(1)
    assert "<strong>Preview:</strong> this is exactly what others see." in banner
    assert "Your page is private, so right now nobody else can." in banner
    assert client.get(f"/u/ada/log/{DAY}/").status_code == 200


def test_the_owner_gets_no_badge_or_token_page_while_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    assert client.get("/u/ada/badge.svg").status_code == 404
    for template in BY_TOKEN:
        assert client.get(address(template, token=profile.share_token)).status_code == 404


@pytest.mark.parametrize(
    ("visibility", "says"),
    [
        (Visibility.UNLISTED, "Your page is unlisted: only people with your secret link can."),
        (Visibility.PUBLIC, "Your page is public."),
    ],
)
def test_the_owner_banner_says_who_else_can_see(client, topics, visibility, says):
    profile = make_sharer(topics, visibility=visibility)
    client.force_login(profile.user)

    assert says in client.get("/u/ada/").content.decode()


def test_visitors_see_no_preview_banner(client, sharer):
    html = client.get("/u/ada/").content.decode()

    assert "owner-banner" not in html
    assert "Preview:" not in html


def test_rotating_the_secret_link_kills_the_old_one(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    old = profile.share_token
    client.force_login(profile.user)

    response = client.post("/settings/share-link/rotate/", follow=True)

    assert response.redirect_chain == [("/settings/#sharing", 302)]
    assert "Made a new secret link. The old one no longer works." in response.content.decode()
    profile.refresh_from_db()
    assert profile.share_token != old
    assert len(profile.share_token) >= 32
    client.logout()
    for template in BY_TOKEN:
        assert client.get(address(template, token=old)).status_code == 404
        assert client.get(address(template, token=profile.share_token)).status_code == 200


def test_rotating_needs_a_post_and_a_login(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    token = profile.share_token

    anonymous = client.post("/settings/share-link/rotate/")
    client.force_login(profile.user)
    get = client.get("/settings/share-link/rotate/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert get.status_code == 405
    profile.refresh_from_db()
    assert profile.share_token == token


def settings_form(**overrides) -> dict:
    return {
        "display_name": "",
        "visibility": Visibility.PRIVATE,
        "timezone": "UTC",
        "journey_start": "",
        **overrides,
    }


def test_switching_back_to_private_kills_the_secret_link(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    token_pages = [address(template, token=profile.share_token) for template in BY_TOKEN]
    assert [client.get(page).status_code for page in token_pages] == [200, 200, 200]
    client.force_login(profile.user)

    response = client.post("/settings/", settings_form(visibility=Visibility.PRIVATE))

    assert response.status_code == 302
    client.logout()
    assert [client.get(page).status_code for page in token_pages] == [404, 404, 404]


def test_making_the_page_public_in_settings_lists_it_by_username(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    client.post("/settings/", settings_form(visibility=Visibility.PUBLIC))

    client.logout()
    assert client.get("/u/ada/").status_code == 200


def test_a_bad_visibility_is_refused_and_the_page_stays_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    response = client.post("/settings/", settings_form(visibility="everyone", display_name="Ada L."))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. everyone is not one of the available choices." in html
    assert 'value="Ada L."' in html
    profile.refresh_from_db()
    assert (profile.visibility, profile.display_name) == (Visibility.PRIVATE, "")


@pytest.mark.parametrize(
    ("visibility", "link"),
    [
        (Visibility.PUBLIC, "http://testserver/u/ada/"),
        (Visibility.UNLISTED, "http://testserver/s/{token}/"),
    ],
)
def test_settings_show_the_link_to_share(client, topics, visibility, link):
    profile = make_sharer(topics, visibility=visibility)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    assert f'<input id="share-url" value="{link.format(token=profile.share_token)}" readonly>' in html
    if visibility == Visibility.UNLISTED:
        assert "Make a new secret link" in html


def test_settings_show_no_link_while_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    assert 'id="share-url"' not in html
    assert profile.share_token not in html
    assert "Your page is <strong>private</strong>" in html


# -- What a shared page never shows --------------------------------------------------------------


@pytest.mark.parametrize("template", BY_USERNAME + BY_TOKEN)
def test_email_and_evidence_notes_never_appear(client, topics, template):
    profile = make_sharer(topics, visibility=Visibility.PUBLIC, share_log_notes=True)

    body = client.get(address(template, token=profile.share_token)).content.decode()

    assert EMAIL not in body
    assert "Evidence:" not in body
    assert "Larson 2.4" not in body


@pytest.mark.parametrize("template", ["/u/{username}/", "/u/{username}/log/{day}/", "/s/{token}/"])
def test_log_notes_are_hidden_unless_shared(client, topics, template):
    profile = make_sharer(topics, visibility=Visibility.PUBLIC, share_log_notes=False)

    hidden = client.get(address(template, token=profile.share_token)).content.decode()
    set_visibility(profile, Visibility.PUBLIC, share_log_notes=True)
    shown = client.get(address(template, token=profile.share_token)).content.decode()

    assert LOG_NOTE not in hidden
    assert f"<p>{LOG_NOTE} <strong>day 10</strong></p>" in shown


def test_shared_log_notes_are_sanitised(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PUBLIC, share_log_notes=True)
    LogEntry.objects.filter(learner=profile.user, date=date(2025, 3, 10)).update(
        note="Hi <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )

    for page in ("/u/ada/", f"/u/ada/log/{DAY}/"):
        prose = re.search(r'<div class="prose">(.*?)</div>', client.get(page).content.decode(), re.S).group(1)
        assert "<script" not in prose
        assert "onerror" not in prose
        assert "javascript:" not in prose


def test_the_progress_page_has_og_and_twitter_tags_with_shared_figures_only(client, sharer):
    html = client.get("/u/ada/").content.decode()

    tags = meta_tags(html)
    assert tags["og:title"] == "ada · 40% of Mathematics for Machine Learning"
    assert tags["og:description"] == (
        "2 of 5 topics covered · 3-day streak · 4h 30m studied · working towards Derivatives"
    )
    assert tags["og:url"] == "http://testserver/u/ada/"
    assert tags["og:type"] == "profile"
    assert tags["twitter:card"] == "summary"
    assert tags["twitter:title"] == tags["og:title"]
    assert tags["description"] == "ada has covered 40% of Mathematics for Machine Learning."
    assert "robots" not in tags
    for content in tags.values():
        assert EMAIL not in content
        assert LOG_NOTE not in content
        assert "Evidence" not in content


def test_the_unlisted_page_asks_search_engines_not_to_index_it(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)

    for template in ("/s/{token}/", "/s/{token}/log/{day}/"):
        tags = meta_tags(client.get(address(template, token=profile.share_token)).content.decode())
        assert tags["robots"] == "noindex"


def test_the_secret_token_is_not_sent_on_to_other_sites(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)

    for template in BY_TOKEN:
        response = client.get(address(template, token=profile.share_token))
        # Links out (topic resources, a learner's Markdown links) must not carry the
        # /s/<token>/ address in their Referer header.
        assert response["Referrer-Policy"] == "same-origin"


def test_the_log_entry_page_is_the_day_n_report_with_og_tags(client, sharer):
    response = client.get(f"/u/ada/log/{DAY}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>ML progress report (day 3)</h1>" in html
    report = re.sub(r"\s+", " ", visible_text(re.search(r'<dl class="report">.*?</dl>', html, re.S).group(0)))
    assert report.strip() == (
        "Current stage noob-level math grind Learned for 1h 30m Satisfied? Yes Studied Limits"
    )
    tags = meta_tags(html)
    assert tags["og:title"] == "ada: ML progress report (day 3)"
    assert tags["og:description"] == "Learned for 1h 30m · noob-level math grind · Satisfied? Yes"
    assert tags["twitter:card"] == "summary"
    assert LOG_NOTE not in tags["description"]


def test_the_page_says_when_it_was_last_updated(client, sharer):
    assert "Last updated" in client.get("/u/ada/").content.decode()


def test_a_page_without_progress_says_so(client, topics):
    ProfileFactory(user=UserFactory(username="ada"), visibility=Visibility.PUBLIC)

    html = client.get("/u/ada/").content.decode()

    assert "No progress yet" in html
    assert "Last updated" not in html
    assert "Start your log" not in html  # the owner's log prompt is not for visitors


# -- What a shared page shows --------------------------------------------------------------------


def section_card(html: str, title: str) -> str:
    cards = re.findall(r'<li class="section-card.*?</li>', html, re.S)
    [card] = [card for card in cards if f"<h3>{title}" in card]
    return re.sub(r"\s+", " ", visible_text(card)).strip()


def test_the_page_shows_section_progress(client, sharer):
    html = client.get("/u/ada/").content.decode()

    assert "100% covered · 2/2" in section_card(html, "Algebra")
    assert "0% covered · 0/3" in section_card(html, "Calculus")
    assert "finished" in section_card(html, "Algebra")
    assert "<strong>2</strong> of 5 topics covered" in html
    assert "1 mastered · 1 known · 1 practised · 1 learning" in html


def test_the_page_shows_covered_topics_by_status(client, sharer):
    html = client.get("/u/ada/").content.decode()

    by_status = re.search(r'<div class="by-status">(.*?)</section>', html, re.S).group(1)
    groups = {
        re.sub(r"<[^>]+>", "", heading).strip(): re.findall(r'class="chip status-\w+"[^>]*>([^<]+)</a>', body)
        for heading, body in re.findall(r"<h3[^>]*>(.*?)</h3>(.*?)</div>", by_status, re.S)
    }
    assert groups == {
        "Mastered (1)": ["Functions"],
        "Already known (1)": ["Exponents"],
        "Practised (1)": ["Limits"],
        "Learning (1)": ["Derivatives"],
    }


def test_the_page_shows_the_goal_and_how_far_along(client, sharer):
    html = client.get("/u/ada/").content.decode()

    goal = re.search(r'<section class="card goal-card".*?</section>', html, re.S).group(0)
    assert "Working towards Derivatives" in goal
    # The way to derivatives: functions (mastered), limits (practised), derivatives.
    assert "1 of 3 topics on the way covered (33%) · about 4 h to go" in goal


def test_the_page_shows_streak_total_hours_and_heatmap(client, sharer):
    html = client.get("/u/ada/").content.decode()

    stats = re.search(r'<ul class="log-stats".*?</ul>', html, re.S).group(0)
    assert "<strong>Day 3</strong>" in stats
    assert "<strong>3</strong><span>day streak</span>" in stats
    assert "<strong>4h 30m</strong><span>studied in all</span>" in stats
    heatmap = re.search(r'<svg class="heatmap".*?</svg>', html, re.S).group(0)
    # 52 full weeks and today, a Monday.
    assert heatmap.count('class="heat heat-') == 52 * 7 + 1
    assert heatmap.count('class="heat heat-2"') == 3  # 1h 30m on each of three days
    assert "Mon 10 Mar 2025: 90 min" in heatmap


def test_the_page_shows_recent_entries_linked_to_their_reports(client, sharer):
    html = client.get("/u/ada/").content.decode()

    recent = re.search(r'<section aria-labelledby="recent-heading".*?</section>', html, re.S).group(0)
    links = re.findall(r'<a href="([^"]+)">Day (\d+) · ([^<]+)</a>', recent)
    assert links == [
        ("/u/ada/log/2025-03-10/", "3", "10 March 2025"),
        ("/u/ada/log/2025-03-09/", "2", "9 March 2025"),
        ("/u/ada/log/2025-03-08/", "1", "8 March 2025"),
    ]
    assert "Studied: Limits" in recent
    assert "Satisfied? Yes" in recent


def test_the_token_page_links_entries_by_token_not_username(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)

    html = client.get(f"/s/{profile.share_token}/").content.decode()

    assert f'href="/s/{profile.share_token}/log/2025-03-10/"' in html
    assert "/u/ada/" not in html


def test_the_page_overlays_statuses_on_the_roadmap(client, sharer):
    html = client.get("/u/ada/").content.decode()

    overlay = re.search(r'<section aria-labelledby="overlay-heading"[^>]*>.*?</section>', html, re.S).group(0)
    # The map draws every topic as a link named with its status.
    assert re.search(r'<a id="map-node-limits"[^>]*aria-label="Limits — practised', overlay)
    chips = re.findall(r'class="chip status-(\w+)" href="/topics/([\w-]+)/" aria-label="([^"]+)"', overlay)
    assert chips == [
        ("mastered", "functions", "Functions: mastered"),
        ("skipped", "exponents", "Exponents: known"),
        ("practised", "limits", "Limits: practised"),
        ("learning", "derivatives", "Derivatives: learning"),
        ("not_started", "chain-rule", "Chain rule: not started"),
    ]


def test_a_display_name_replaces_the_username(client, sharer):
    set_visibility(sharer, Visibility.PUBLIC, display_name="Ada <L>")

    html = client.get("/u/ada/").content.decode()

    assert "<h1>Ada &lt;L&gt;</h1>" in html
    assert meta_tags(html)["og:title"].startswith("Ada <L> · ")


# -- Query count ----------------------------------------------------------------------------------


@pytest.mark.parametrize("entry_count", [3, 200])
def test_the_public_page_query_count_does_not_grow(db, client, entry_count, django_assert_max_num_queries):
    topic_rows = bulk_roadmap(topics=120, edges=200)
    user = UserFactory(username="ada")
    ProfileFactory(user=user, visibility=Visibility.PUBLIC, goal=topic_rows[-1])
    statuses = list(Status)
    Progress.objects.bulk_create(
        Progress(learner=user, topic=topic, status=statuses[i % 4], note=EVIDENCE, status_changed_at=NOW)
        for i, topic in enumerate(topic_rows[:100])
    )
    entries = LogEntry.objects.bulk_create(
        LogEntry(learner=user, date=NOW.date() - timedelta(days=i), minutes=45, satisfied=Satisfaction.YES)
        for i in range(entry_count)
    )
    LogEntry.topics.through.objects.bulk_create(
        LogEntry.topics.through(logentry_id=entry.pk, topic_id=topic.pk)
        for entry in entries
        for topic in topic_rows[:3]
    )

    # Profile (+ user, goal); roadmap; its graph token, topics, prerequisite edges and
    # sections (only when the graph changed); progress rows; the plan's resources; their
    # ratings; the map: sections, the cached layout (a miss here: get, cull count, and a
    # savepoint-wrapped set — four more), progress with review dates, the goal; every entry's
    # (date, minutes); the recent entries; their topics (prefetch); the latest progress change;
    # the latest log change; and the page cache's lookup and store.
    with django_assert_max_num_queries(23 + PAGE_CACHE_MISS):
        response = client.get("/u/ada/")

    assert response.status_code == 200
    assert response.content.decode().count('<li class="card entry">') == min(entry_count, 7)
