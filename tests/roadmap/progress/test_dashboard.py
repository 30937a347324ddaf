from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import Progress, Resource, Status
from roadmap.progress.dashboard import CHECKLIST_INLINE_ROWS
from tests import dom
from tests.factories import (
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.page_cache_queries import PAGE_CACHE_MISS

DASHBOARD = "/dashboard/"
GOAL = "/dashboard/goal/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def topics(db):
    """The current roadmap: exponents → functions → limits → derivatives → chain rule."""
    algebra = SectionFactory(slug="algebra", title="Algebra")
    calculus = SectionFactory(slug="calculus", title="Calculus")
    exponents = TopicFactory(section=algebra, slug="exponents", title="Exponents", estimated_hours=Decimal(2))
    functions = TopicFactory(section=algebra, slug="functions", title="Functions", estimated_hours=Decimal(6))
    limits = TopicFactory(section=calculus, slug="limits", title="Limits", estimated_hours=Decimal("4.5"))
    derivatives = TopicFactory(
        section=calculus, slug="derivatives", title="Derivatives", estimated_hours=Decimal(5)
    )
    chain_rule = TopicFactory(
        section=calculus, slug="chain-rule", title="Chain rule", estimated_hours=Decimal(3)
    )
    for topic, prerequisite in [
        (functions, exponents),
        (limits, functions),
        (derivatives, limits),
        (chain_rule, derivatives),
    ]:
        PrerequisiteFactory(topic=topic, prerequisite=prerequisite)
    TopicResourceFactory(topic=limits, resource=ResourceFactory(title="Khan limits"))
    TopicResourceFactory(
        topic=limits, resource=ResourceFactory(title="Stewart Calculus", access=Resource.Access.PAID)
    )
    return {t.slug: t for t in (exponents, functions, limits, derivatives, chain_rule)}


@pytest.fixture
def learner(topics):
    """Exponents mastered, derivatives being learned without limits or functions."""
    user = UserFactory()
    ProgressFactory(learner=user, topic=topics["exponents"], status=Status.MASTERED)
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING)
    return user


def ids_with_prefix(html: str, prefix: str) -> list[str]:
    """The ids of list items (section cards, panel rows, checklist rows) that start with prefix."""
    return dom.id_suffixes(html, prefix)


def plan_step_titles(html: str) -> list[str]:
    return [link.text for link in dom.select(html, '.plan-steps a.topic-title[href^="/topics/"]')]


def plan_summary(html: str) -> tuple[str, list[str]]:
    """The plan's summary line, and what it puts in bold."""
    summary = dom.select_one(html, "#plan-body p.plan-summary")
    return summary.text, [strong.text for strong in summary.select("strong")]


# -- the page -----------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, topics):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/dashboard/"


def test_dashboard_shows_sections_gaps_next_up_plan_and_checklist(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["chain-rule"])

    response = learner_client.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert ids_with_prefix(html, "section-card-") == ["algebra", "calculus"]
    assert dom.covered(html) == (1, 5)
    assert ids_with_prefix(html, "gap-") == ["functions", "limits"]
    assert "Needed for Derivatives" in html
    # Functions is ready, but derivatives (started) needs it: a gap, so not next up as well.
    assert ids_with_prefix(html, "next-") == []
    assert "everything left builds on a gap" in dom.text(dom.select_one(html, "#next-up"))
    # Functions, limits, derivatives, chain rule: 6 + 4.5 + 5 + 3 hours; exponents is covered.
    summary, bold = plan_summary(html)
    assert "about 18h 30m · 1 of 5 on the way covered (20%)" in summary
    assert "18h 30m" in bold
    assert plan_step_titles(html) == ["Functions", "Limits", "Derivatives", "Chain rule"]
    assert ids_with_prefix(html, "topic-") == [
        "exponents",
        "functions",
        "limits",
        "derivatives",
        "chain-rule",
    ]
    assert dom.id_suffixes(html, "check-count-", tag="*") == ["algebra", "calculus"]


def test_dashboard_without_a_goal_invites_the_learner_to_pick_one(learner_client):
    response = learner_client.get(DASHBOARD)

    assert "Pick a goal" in response.content.decode()
    assert dom.select(response, ".plan-steps") == []


def test_first_visit_creates_the_profile(learner_client, learner):
    assert not Profile.objects.filter(user=learner).exists()

    learner_client.get(DASHBOARD)

    assert Profile.objects.filter(user=learner).exists()


def test_dashboard_shows_only_the_learners_own_progress(client, learner, topics):
    other = UserFactory()
    ProgressFactory(learner=other, topic=topics["functions"], status=Status.MASTERED)
    ProgressFactory(learner=other, topic=topics["limits"], status=Status.MASTERED)
    client.force_login(learner)

    html = client.get(DASHBOARD).content.decode()

    assert ids_with_prefix(html, "gap-") == ["functions", "limits"]
    assert dom.covered(html) == (1, 5)


def test_archived_topics_leave_the_dashboard_and_its_counts(learner_client, learner, topics):
    archived = TopicFactory(section=topics["limits"].section, slug="old-limits", is_archived=True)
    PrerequisiteFactory(topic=topics["derivatives"], prerequisite=archived)
    ProgressFactory(learner=learner, topic=archived, status=Status.MASTERED)

    html = learner_client.get(DASHBOARD).content.decode()

    assert "old-limits" not in ids_with_prefix(html, "topic-")
    assert dom.covered(html) == (1, 5)
    assert ids_with_prefix(html, "gap-") == ["functions", "limits"]


def test_topics_left_at_learning_are_flagged_as_not_practised(learner_client, learner, topics):
    Progress.objects.filter(learner=learner, topic=topics["derivatives"]).update(
        status_changed_at=timezone.now() - timedelta(days=30)
    )

    html = learner_client.get(DASHBOARD).content.decode()

    assert "Watched but not practised" in html
    assert ids_with_prefix(html, "stale-") == ["derivatives"]


def test_htmx_request_for_the_plan_gets_only_the_plan(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["chain-rule"])

    response = learner_client.get(DASHBOARD, HTTP_HX_TARGET="plan-body", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert dom.root_element(html).matches("div#plan-body")
    assert plan_step_titles(html) == ["Functions", "Limits", "Derivatives", "Chain rule"]
    assert dom.select(html, "#gaps") == []


def test_htmx_request_for_the_gaps_gets_only_the_gaps(learner_client):
    html = learner_client.get(DASHBOARD, HTTP_HX_TARGET="gaps", **HTMX).content.decode()

    assert "<html" not in html
    assert ids_with_prefix(html, "gap-") == ["functions", "limits"]
    assert dom.select(html, "#plan") == []


def test_htmx_request_for_another_target_gets_the_whole_page(learner_client):
    html = learner_client.get(DASHBOARD, HTTP_HX_TARGET="main", **HTMX).content.decode()

    assert "<html" in html


def test_dashboard_refuses_post(learner_client):
    assert learner_client.post(DASHBOARD).status_code == 405


# -- setting a goal -----------------------------------------------------------


def test_setting_a_goal_returns_the_plan_fragment_with_steps_and_hours(learner_client, learner, topics):
    response = learner_client.post(GOAL, {"goal": topics["chain-rule"].pk}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert dom.root_element(html).matches("div#plan-body")
    summary, bold = plan_summary(html)
    assert summary.startswith("4 topics to go · about 18h 30m ·")
    assert bold[:2] == ["4", "18h 30m"]
    assert plan_step_titles(html) == ["Functions", "Limits", "Derivatives", "Chain rule"]
    assert "Khan limits" in html
    assert "Stewart Calculus" in html
    profile = Profile.objects.get(user=learner)
    assert profile.goal == topics["chain-rule"]
    assert profile.plan_free_only is False


def test_free_only_hides_paid_resources_from_the_plan(learner_client, learner, topics):
    html = learner_client.post(
        GOAL, {"goal": topics["chain-rule"].pk, "free_only": "on"}, **HTMX
    ).content.decode()

    assert "Khan limits" in html
    assert "Stewart Calculus" not in html
    assert "No free resource linked for this topic yet." in html
    assert Profile.objects.get(user=learner).plan_free_only is True


def test_setting_a_goal_without_htmx_redirects_to_the_plan(learner_client, learner, topics):
    response = learner_client.post(GOAL, {"goal": topics["limits"].pk})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#plan"
    assert Profile.objects.get(user=learner).goal == topics["limits"]
    html = learner_client.get(DASHBOARD).content.decode()
    assert plan_step_titles(html) == ["Functions", "Limits"]


def test_a_reached_goal_says_so(learner_client, learner, topics):
    html = learner_client.post(GOAL, {"goal": topics["exponents"].pk}, **HTMX).content.decode()

    reached = dom.select_one(html, "#plan-body p.empty")
    assert reached.text.startswith("You've covered Exponents and everything it needs.")
    assert reached.select_one("strong").text == "Exponents"
    assert dom.select(html, ".plan-steps") == []


def test_clearing_the_goal(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["limits"])

    response = learner_client.post(GOAL, {"goal": ""}, **HTMX)

    assert response.status_code == 200
    assert "Pick a goal" in response.content.decode()
    assert Profile.objects.get(user=learner).goal is None


@pytest.mark.parametrize("bad_goal", ["other-roadmap", "archived", "garbage", "999999"])
def test_a_goal_outside_the_roadmap_is_refused_and_the_old_goal_kept(
    learner_client, learner, topics, bad_goal
):
    ProfileFactory(user=learner, goal=topics["limits"])
    other = TopicFactory(section=SectionFactory(roadmap=RoadmapFactory(slug="other", title="Other")))
    archived = TopicFactory(section=topics["limits"].section, is_archived=True)
    value = {"other-roadmap": other.pk, "archived": archived.pk}.get(bad_goal, bad_goal)

    response = learner_client.post(GOAL, {"goal": value, "free_only": "on"})

    assert response.status_code == 400
    assert (
        "That topic is no longer on the roadmap — reload the page and pick another goal."
        in response.content.decode()
    )
    assert "Nothing was changed." in response.content.decode()
    profile = Profile.objects.get(user=learner)
    assert profile.goal == topics["limits"]
    assert profile.plan_free_only is False


def test_a_bad_goal_over_htmx_is_shown_in_the_flash_region(learner_client, learner, topics):
    response = learner_client.post(GOAL, {"goal": "garbage"}, **HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.content.decode()
    assert (
        "That topic is no longer on the roadmap — reload the page and pick another goal."
        in response.content.decode()
    )


def test_goal_refuses_get(learner_client):
    assert learner_client.get(GOAL).status_code == 405


def test_anonymous_goal_post_is_sent_to_login(client, topics):
    response = client.post(GOAL, {"goal": topics["limits"].pk})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Profile.objects.exists()


# -- query counts -------------------------------------------------------------

# session, user (+ profile), current roadmap, (when this process has not read the
# roadmap's graph yet: graph token, topics, prerequisite edges, sections), the learner's
# progress (with each check's date and score), their goal, the plan's resources (+ the resources
# they pair with), those resources' ratings, the log's totals for the plan's pace (one aggregate,
# only while the plan has steps left), the practice tasks, the learner's latest placement
# run (full page only: "Find my level" or "Resume"); and the page cache's lookup and store.
DASHBOARD_QUERIES = 13 + PAGE_CACHE_MISS
# A fragment (a lazily loaded section, a panel) skips the practice tasks' and placement's queries.
DASHBOARD_FRAGMENT_QUERIES = DASHBOARD_QUERIES - 2


def learner_with_progress_on(roadmap_topics, *, with_goal=True):
    """Progress on every other topic, every status, some of it stale; goal: the last topic.

    With random edges the last topic needs a good share of the roadmap, so its
    plan is long and renders many resources and pairings.
    """
    user = UserFactory()
    statuses = list(Status)
    long_ago = timezone.now() - timedelta(days=30)
    Progress.objects.bulk_create(
        Progress(
            learner=user,
            topic=topic,
            status=statuses[i % len(statuses)],
            status_changed_at=long_ago if i % 4 == 0 else timezone.now(),
        )
        for i, topic in enumerate(roadmap_topics[::2])
    )
    ProfileFactory(user=user, goal=roadmap_topics[-1] if with_goal else None)
    return user


@pytest.mark.parametrize("query", ["", "?all=1"], ids=["capped", "show-all"])
@pytest.mark.parametrize(("size", "edges"), [(60, 180), (1000, 3000)])
def test_dashboard_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges, query
):
    roadmap_topics = bulk_roadmap(topics=size, edges=edges)
    client.force_login(learner_with_progress_on(roadmap_topics))

    # "Show all" lifts the panels' caps, so every plan step renders its resources.
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD + query)

    html = response.content.decode()
    assert response.status_code == 200
    rows = ids_with_prefix(html, "topic-")
    if size <= CHECKLIST_INLINE_ROWS:
        assert len(rows) == size
    else:
        # A big roadmap renders a bounded checklist; other sections load on demand.
        assert 0 < len(rows) <= CHECKLIST_INLINE_ROWS
        assert dom.select(html, '[hx-trigger="toggle from:closest details once"]')
    assert len(dom.select(html, '[id^="check-rows-"]')) == 10  # every section has its rows' container
    assert len(ids_with_prefix(html, "gap-")) > 0
    assert "Pairs with" in html  # the plan renders resources and their pairings


def test_a_lazy_checklist_section_loads_its_rows_with_the_same_query_count(
    client, db, django_assert_max_num_queries
):
    roadmap_topics = bulk_roadmap(topics=1000, edges=3000)
    client.force_login(learner_with_progress_on(roadmap_topics))
    last = roadmap_topics[-1].section.slug

    with django_assert_max_num_queries(DASHBOARD_FRAGMENT_QUERIES):
        response = client.get(
            DASHBOARD, {"section": last}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET=f"check-rows-{last}"
        )

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert len(dom.select(html, ".checklist-row")) == 100  # bulk_roadmap puts 100 topics in each section
    assert dom.select(html, f'[name=loaded_section][value="{last}"]')


def test_a_lazy_section_without_javascript_opens_through_its_link(client, db):
    roadmap_topics = bulk_roadmap(topics=1000, edges=3000)
    client.force_login(learner_with_progress_on(roadmap_topics))
    last = roadmap_topics[-1]

    response = client.get(DASHBOARD, {"section": last.section.slug})

    assert dom.by_id(response, f"topic-{last.slug}")


def test_unknown_lazy_section_is_404(client, db):
    bulk_roadmap(topics=60, edges=100)
    client.force_login(UserFactory())

    response = client.get(
        DASHBOARD, {"section": "nope"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="check-rows-nope"
    )

    assert response.status_code == 404


@pytest.mark.parametrize(("size", "edges"), [(60, 180), (1000, 3000)])
def test_setting_a_goal_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    roadmap_topics = bulk_roadmap(topics=size, edges=edges)
    client.force_login(learner_with_progress_on(roadmap_topics, with_goal=False))

    # session, user, current roadmap, the goal (form validation), profile (+ goal),
    # the profile update, then what the plan needs: topics, edges, progress,
    # profile (+ goal) again, sections, plan resources (+ pairings), their ratings,
    # and the log's totals for its pace.
    with django_assert_max_num_queries(14):
        response = client.post(GOAL, {"goal": roadmap_topics[-1].pk}, **HTMX)

    assert response.status_code == 200
    assert "Pairs with" in response.content.decode()


def test_the_curated_roadmap_dashboard_keeps_the_same_query_count(
    client, seeded_roadmap, django_assert_max_num_queries
):
    roadmap_topics = list(seeded_roadmap.topics.filter(is_archived=False).order_by("section__order", "order"))
    client.force_login(learner_with_progress_on(roadmap_topics))

    # The shipped roadmap has practice tasks: at most two more (the topics they exercise, the
    # learner's done marks), however many there are (tests/roadmap/progress/test_practice.py).
    with django_assert_max_num_queries(DASHBOARD_QUERIES + 2):
        response = client.get(DASHBOARD)

    assert response.status_code == 200
    assert len(ids_with_prefix(response.content.decode(), "topic-")) == len(roadmap_topics)
