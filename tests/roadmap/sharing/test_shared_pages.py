"""What a shared progress page and its log reports show, and what they never show."""

import re
from datetime import date, timedelta

import pytest

from accounts.models import Visibility
from roadmap.models import LogEntry, Progress, Satisfaction, Status
from tests import dom
from tests.factories import ProfileFactory, UserFactory, bulk_roadmap
from tests.page_cache_queries import PAGE_CACHE_MISS
from tests.roadmap.sharing.sharers import (
    BY_TOKEN,
    BY_USERNAME,
    DAY,
    EMAIL,
    EVIDENCE,
    LOG_NOTE,
    NOW,
    address,
    make_sharer,
    set_visibility,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


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
    notes = [
        (paragraph.text, [strong.text for strong in paragraph.select("strong")])
        for paragraph in dom.select(shown, ".prose > p")
    ]
    assert (f"{LOG_NOTE} day 10", ["day 10"]) in notes


def test_shared_log_notes_are_sanitised(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PUBLIC, share_log_notes=True)
    LogEntry.objects.filter(learner=profile.user, date=date(2025, 3, 10)).update(
        note="Hi <script>alert(1)</script><img src=x onerror=alert(1)> [x](javascript:alert(1))"
    )

    for page in ("/u/ada/", f"/u/ada/log/{DAY}/"):
        notes = dom.select(client.get(page), "div.prose")
        assert notes, page
        for prose in notes:
            assert prose.select("script, img") == []
            rebuilt = prose.markup()  # text re-escaped: a "<script" here would be a real tag
            assert "<script" not in rebuilt
            assert "onerror" not in rebuilt
            assert "javascript:" not in rebuilt


def test_the_progress_page_has_og_and_twitter_tags_with_shared_figures_only(client, sharer):
    html = client.get("/u/ada/").content.decode()

    tags = dom.meta_tags(html)
    assert tags["og:title"] == "ada · 40% of Mathematics for Machine Learning"
    assert tags["og:description"] == (
        "2 of 5 topics covered (0 checked) · 3-day streak · 4h 30m studied · working towards Derivatives"
    )
    assert tags["og:url"] == "http://testserver/u/ada/"
    assert tags["og:type"] == "profile"
    assert tags["twitter:card"] == "summary_large_image"
    assert re.fullmatch(r"http://testserver/u/ada/card\.png\?v=[0-9a-f]{12}", tags["og:image"])
    assert tags["twitter:image"] == tags["og:image"]
    assert (tags["og:image:width"], tags["og:image:height"]) == ("1200", "630")
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
        tags = dom.meta_tags(client.get(address(template, token=profile.share_token)))
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
    assert dom.select_one(html, "h1").text == "ML progress report (day 3)"
    assert dom.select_one(html, "dl.report").text == (
        "Current stage noob-level math grind Learned for 1h 30m Satisfied? Yes Studied Limits"
    )
    tags = dom.meta_tags(html)
    assert tags["og:title"] == "ada: ML progress report (day 3)"
    assert tags["og:description"] == "Learned for 1h 30m · noob-level math grind · Satisfied? Yes"
    assert tags["twitter:card"] == "summary_large_image"
    assert re.fullmatch(r"http://testserver/u/ada/log/2025-03-10/card\.png\?v=[0-9a-f]{12}", tags["og:image"])
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
    """What the section's card on the page reads."""
    [card] = [
        card for card in dom.select(html, "li.section-card") if card.select_one("h3").text.startswith(title)
    ]
    return card.text


def test_the_page_shows_section_progress(client, sharer):
    html = client.get("/u/ada/").content.decode()

    assert "100% covered · 2/2" in section_card(html, "Algebra")
    assert "0% covered · 0/3" in section_card(html, "Calculus")
    assert "finished" in section_card(html, "Algebra")
    assert dom.covered(html) == (2, 5)
    assert "1 mastered · 1 known · 1 practised · 1 learning" in html


def test_the_page_shows_covered_topics_by_status(client, sharer):
    html = client.get("/u/ada/").content.decode()

    groups = {
        group.select_one("h3").text: [chip.text for chip in group.select('a.chip[class*="status-"]')]
        for group in dom.select(html, "div.by-status > div")
    }
    assert groups == {
        "Mastered (1 · 0 checked)": ["Functions"],
        "Known (1 · 0 checked)": ["Exponents"],
        "Practised (1)": ["Limits"],
        "Learning (1)": ["Derivatives"],
    }


def test_the_page_shows_the_goal_and_how_far_along(client, sharer):
    html = client.get("/u/ada/").content.decode()

    goal = dom.select_one(html, "section.card.goal-card").text
    assert "Working towards Derivatives" in goal
    # The way to derivatives: functions (mastered), limits (practised), derivatives.
    assert "1 of 3 topics on the way covered (33%) · about 4h to go" in goal


def test_the_page_shows_streak_total_hours_and_heatmap(client, sharer):
    html = client.get("/u/ada/").content.decode()

    stats = dom.log_stats(html)
    assert stats["of the journey"] == "Day 3"
    assert stats["day streak"] == "3"
    assert stats["studied in all"] == "4h 30m"
    heatmap = dom.select_one(html, "svg.heatmap")
    days = heatmap.select(".heat")
    # 52 full weeks and today, a Monday.
    assert len(days) == 52 * 7 + 1
    assert all(len([name for name in day.classes if name.startswith("heat-")]) == 1 for day in days)
    assert len(heatmap.select(".heat.heat-2")) == 3  # 1h 30m on each of three days
    assert "Mon 10 Mar 2025: 1h 30m" in [title.text for title in heatmap.select(".heat > title")]


def test_the_page_shows_recent_entries_linked_to_their_reports(client, sharer):
    html = client.get("/u/ada/").content.decode()

    recent = dom.select_one(html, "section[aria-labelledby=recent-heading]")
    links = [(link["href"], link.text) for link in recent.select("a") if link.text.startswith("Day ")]
    assert links == [
        ("/u/ada/log/2025-03-10/", "Day 3 · 10 March 2025"),
        ("/u/ada/log/2025-03-09/", "Day 2 · 9 March 2025"),
        ("/u/ada/log/2025-03-08/", "Day 1 · 8 March 2025"),
    ]
    assert "Studied: Limits" in recent.text
    assert "Satisfied? Yes" in recent.text


def test_the_token_page_links_entries_by_token_not_username(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)

    html = client.get(f"/s/{profile.share_token}/").content.decode()

    assert dom.select(html, f'a[href="/s/{profile.share_token}/log/2025-03-10/"]')
    assert "/u/ada/" not in html


def status_of(chip: dom.Element) -> str:
    """The status a chip is coloured with (its status-… class)."""
    [status] = [name.removeprefix("status-") for name in chip.classes if name.startswith("status-")]
    return status


def test_the_page_overlays_statuses_on_the_roadmap(client, sharer):
    html = client.get("/u/ada/").content.decode()

    overlay = dom.select_one(html, "section[aria-labelledby=overlay-heading]")
    # The map draws every topic as a link named with its status.
    assert overlay.select_one("a#map-node-limits")["aria-label"].startswith("Limits — practised")
    chips = [
        (status_of(chip), chip["href"].removeprefix("/topics/").strip("/"), chip["aria-label"])
        for chip in overlay.select('a.chip[href^="/topics/"]')
    ]
    assert chips == [
        ("mastered", "functions", "Functions: mastered, self-reported"),
        ("skipped", "exponents", "Exponents: known, self-reported"),
        ("practised", "limits", "Limits: practised"),
        ("learning", "derivatives", "Derivatives: learning"),
        ("not_started", "chain-rule", "Chain rule: not started"),
    ]


def test_a_display_name_replaces_the_username(client, sharer):
    set_visibility(sharer, Visibility.PUBLIC, display_name="Ada <L>")

    html = client.get("/u/ada/").content.decode()

    assert dom.select_one(html, "h1").text == "Ada <L>"  # escaped: no <l> element
    assert dom.meta_tags(html)["og:title"].startswith("Ada <L> · ")


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
    assert len(dom.select(response, "li.card.entry")) == min(entry_count, 7)
