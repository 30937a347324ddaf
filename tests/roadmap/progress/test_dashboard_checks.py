"""The dashboard tells checked mastery from self-reported, and offers the checks and "Find my level"."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from roadmap.checking import diagnostic
from roadmap.checking.topic_check import Marked, check_problems, open_check, record_check
from roadmap.models import Status
from tests import dom
from tests.factories import (
    CheckedProgressFactory,
    PlacementFactory,
    ProblemFactory,
    ProgressFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.roadmap.progress.test_dashboard import DASHBOARD_QUERIES, learner_with_progress_on

DASHBOARD = "/dashboard/"
PROGRESS = "/progress/"
HTMX = {"HTTP_HX_REQUEST": "true"}
CHECKED_ON = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)


@pytest.fixture
def topics(db):
    algebra = SectionFactory(slug="algebra", title="Algebra")
    calculus = SectionFactory(slug="calculus", title="Calculus")
    return {
        topic.slug: topic
        for topic in (
            TopicFactory(section=algebra, slug="exponents", title="Exponents"),
            TopicFactory(section=algebra, slug="functions", title="Functions"),
            TopicFactory(section=algebra, slug="logarithms", title="Logarithms"),
            TopicFactory(section=calculus, slug="limits", title="Limits"),
        )
    }


@pytest.fixture
def learner(topics):
    """Exponents passed a check, functions known on their own word, limits being learned.

    Logarithms is not started, so the algebra section is unfinished and its rows render inline.
    """
    user = UserFactory()
    CheckedProgressFactory(learner=user, topic=topics["exponents"], mastered_at=CHECKED_ON)
    ProgressFactory(learner=user, topic=topics["functions"], status=Status.SKIPPED)
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.LEARNING)
    return user


def evidence(markup, slug: str) -> str:
    """The evidence mark on a checklist row ("" when it has none)."""
    marks = dom.by_id(markup, f"topic-{slug}").select(".evidence")
    return marks[0].text if marks else ""


# -- what stands behind each status --------------------------------------------------------------


def test_each_covered_row_says_checked_with_date_and_score_or_self_reported(learner_client):
    html = learner_client.get(DASHBOARD).content.decode()

    assert evidence(html, "exponents") == "✓ checked 1 Dec 2026, 3/3"
    assert dom.by_id(html, "topic-exponents").select_one(".evidence").classes == ["evidence", "is-checked"]
    assert evidence(html, "functions") == "self-reported"
    assert evidence(html, "limits") == ""  # learning is not covered: nothing to prove yet


def test_the_ring_section_cards_and_checklist_count_checked_topics(learner_client):
    html = learner_client.get(DASHBOARD).content.decode()

    assert dom.covered(html) == (2, 4)
    assert "2 of 4 topics covered · 1 checked" in dom.by_id(html, "overall").text
    assert "67% covered · 2/3 · 1 checked" in dom.by_id(html, "section-card-algebra").text
    assert "0% covered · 0/1 · 0 checked" in dom.by_id(html, "section-card-calculus").text
    assert dom.by_id(html, "check-count-algebra").text == "2/3 covered · 1 checked"


def test_every_row_offers_check_yourself(learner_client, topics):
    html = learner_client.get(DASHBOARD).content.decode()

    for slug in topics:
        [link] = dom.by_id(html, f"topic-{slug}").select("a.check-link")
        assert link["href"] == reverse("topic_check", args=[slug])
        assert link.text == "Check yourself"
        assert link["aria-label"] == f"Check yourself on {topics[slug].title}"


def test_a_gap_offers_check_yourself_beside_marking_it(client, topics):
    user = UserFactory()
    # Limits needs functions; learning limits makes functions a gap.
    topics["limits"].prerequisite_links.create(prerequisite=topics["functions"])
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.LEARNING)
    client.force_login(user)

    html = client.get(DASHBOARD).content.decode()

    gap = dom.by_id(html, "gap-functions")
    assert [link["href"] for link in gap.select("a.check-link")] == ["/topics/functions/check/"]
    assert [b["value"] for b in gap.select("button[name=status]")] == ["mastered", "skipped"]


def test_marking_a_checked_topic_known_keeps_its_check(learner_client, learner):
    response = learner_client.post(
        PROGRESS,
        {"topic": "exponents", "status": "skipped", "next": DASHBOARD, "loaded_section": ["algebra"]},
        **HTMX,
    )

    assert response.status_code == 200
    assert evidence(response.content.decode(), "exponents") == "✓ checked 1 Dec 2026, 3/3"
    assert learner.progress.get(topic__slug="exponents").is_checked


def test_self_reporting_mastery_still_works_and_says_so(learner_client, learner):
    response = learner_client.post(
        PROGRESS,
        {"topic": "limits", "status": "mastered", "next": DASHBOARD, "loaded_section": ["calculus"]},
        **HTMX,
    )

    html = response.content.decode()
    assert dom.pressed(dom.by_id(html, "topic-limits").markup()) == ["mastered"]
    assert evidence(html, "limits") == "self-reported"
    # The ring and the section's card and count come along, with the checked count unchanged.
    assert "3 of 4 topics covered · 1 checked" in dom.by_id(html, "overall").text
    assert dom.by_id(html, "check-count-calculus").text == "1/1 covered · 0 checked"


def test_dropping_a_checked_topic_below_covered_drops_its_check(learner_client, learner):
    learner_client.post(PROGRESS, {"topic": "exponents", "status": "practised", "next": DASHBOARD}, **HTMX)
    learner_client.post(PROGRESS, {"topic": "exponents", "status": "mastered", "next": DASHBOARD}, **HTMX)

    html = learner_client.get(DASHBOARD).content.decode()
    assert evidence(html, "exponents") == "self-reported"


def test_passing_a_check_shows_on_the_cached_dashboard_at_once(learner_client, learner, topics):
    page = {"section": "calculus"}  # calculus will be finished, so its rows show once it is opened
    assert evidence(learner_client.get(DASHBOARD, page), "limits") == ""  # cached now
    limits = topics["limits"]
    ProblemFactory.create_batch(3, topic=limits)
    check = open_check(learner, limits)

    record_check(check, [Marked(p, p.answer, True) for p in check_problems(check)])

    html = learner_client.get(DASHBOARD, page).content.decode()
    assert evidence(html, "limits").startswith("✓ checked ")
    assert evidence(html, "limits").endswith(", 3/3")
    assert "3 of 4 topics covered · 2 checked" in dom.by_id(html, "overall").text


def test_a_title_is_escaped_in_the_new_marks_and_links(client, db):
    user = UserFactory()
    topic = TopicFactory(slug="xss", title='<script>alert(1)</script>"')
    TopicFactory(section=topic.section)  # not started: the section's rows render inline
    CheckedProgressFactory(learner=user, topic=topic, check_score="<b>3/3</b>")
    client.force_login(user)

    html = client.get(DASHBOARD).content.decode()

    row = dom.by_id(html, "topic-xss")
    assert row.select("script, b") == []
    assert row.select_one("a.check-link")["aria-label"] == 'Check yourself on <script>alert(1)</script>"'
    assert row.select_one(".evidence").text.endswith(", <b>3/3</b>")
    assert "<script>alert" not in html


# -- Find my level -------------------------------------------------------------------------------


def test_a_new_learner_is_invited_to_find_their_level(client, topics):
    client.force_login(UserFactory())

    html = client.get(DASHBOARD).content.decode()

    invite = dom.by_id(html, "placement-invite")
    assert [(a.text, a["href"]) for a in invite.select("a.btn")] == [("Find my level", "/placement/")]
    assert dom.select(html, ".placement-link") == []


def test_a_learner_with_progress_gets_a_quiet_link(learner_client):
    html = learner_client.get(DASHBOARD).content.decode()

    assert dom.select(html, "#placement-invite") == []
    [link] = dom.select(html, ".placement-link a")
    assert (link.text, link["href"]) == ("Find my level", "/placement/")


@pytest.mark.parametrize("has_progress", [False, True], ids=["new", "with-progress"])
def test_an_unfinished_run_is_offered_to_resume(client, topics, has_progress):
    user = UserFactory()
    if has_progress:
        ProgressFactory(learner=user, topic=topics["limits"])
    PlacementFactory(learner=user, roadmap=topics["limits"].roadmap)
    client.force_login(user)

    html = client.get(DASHBOARD).content.decode()

    links = [(a.text, a["href"]) for a in dom.select(html, "#placement-invite a, .placement-link a")]
    assert links == [("Resume finding my level", "/placement/question/")]


def test_starting_and_finishing_a_run_changes_what_the_cached_dashboard_offers(client, topics):
    user = UserFactory()
    limits = topics["limits"]
    for topic in topics.values():
        ProblemFactory(topic=topic)
    client.force_login(user)
    client.get(DASHBOARD)  # cached: "Find my level"

    run = diagnostic.start(user, limits.roadmap)
    resume = dom.select(client.get(DASHBOARD), "#placement-invite a.btn")
    assert [a["href"] for a in resume] == ["/placement/question/"]

    diagnostic.stop(run)
    again = dom.select(client.get(DASHBOARD), "#placement-invite a.btn")
    assert [a["href"] for a in again] == ["/placement/"]


def test_a_fragment_carries_no_placement_link(learner_client):
    html = learner_client.get(DASHBOARD, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="gaps").content.decode()

    assert "/placement/" not in html


# -- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize(("size", "edges"), [(60, 180), (1000, 3000)])
def test_checked_rows_and_an_open_run_cost_no_more_queries(
    client, db, django_assert_max_num_queries, size, edges
):
    roadmap_topics = bulk_roadmap(topics=size, edges=edges)
    user = learner_with_progress_on(roadmap_topics)
    user.progress.filter(status__in=[Status.MASTERED, Status.SKIPPED]).update(
        checked_at=CHECKED_ON, check_score="3/3"
    )
    PlacementFactory(learner=user, roadmap=roadmap_topics[0].roadmap)
    client.force_login(user)

    # As the dashboard's pin (test_dashboard.DASHBOARD_QUERIES): the dates and scores come
    # with the progress rows, and the run is the one placement query.
    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    html = response.content.decode()
    assert dom.select(html, ".checklist-row .evidence.is-checked")
    assert dom.select(html, '.placement-link a[href="/placement/question/"]')
