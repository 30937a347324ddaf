"""Spaced review on the pages: the dashboard's Review due panel and Fading list, the review
view, the retention box on the topic page."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import Progress, Status
from roadmap.progress.dashboard import REVIEWS_SHOWN
from tests import dom
from tests.factories import (
    MasteredProgressFactory,
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.roadmap.progress.test_dashboard import DASHBOARD_QUERIES

DASHBOARD = "/dashboard/"
REVIEW = "/review/"
HTMX = {"HTTP_HX_REQUEST": "true"}
DAY = timedelta(days=1)


def ago(days: float):
    return timezone.now() - days * DAY


def ids_with_prefix(html: str, prefix: str) -> list[str]:
    return dom.id_suffixes(html, prefix)


def review_count(html: str) -> int:
    heading = dom.select_one(html, "#reviews-heading")
    assert heading.text.startswith("Review due "), heading.text
    return int(heading.select_one("span.count").text)


def snapshot() -> list[tuple]:
    return list(Progress.objects.order_by("pk").values_list("pk", "status", "review_card", "review_due"))


@pytest.fixture
def topics(db):
    """The current roadmap: functions ← limits ← derivatives ← chain rule (each needs the one before)."""
    section = SectionFactory(slug="calculus", title="Calculus")
    names = [("functions", "Functions"), ("limits", "Limits"), ("derivatives", "Derivatives")]
    names += [("chain-rule", "Chain rule")]
    topics = {slug: TopicFactory(section=section, slug=slug, title=title) for slug, title in names}
    for topic, prerequisite in [
        ("limits", "functions"),
        ("derivatives", "limits"),
        ("chain-rule", "derivatives"),
    ]:
        PrerequisiteFactory(topic=topics[topic], prerequisite=topics[prerequisite])
    return topics


@pytest.fixture
def due(learner, topics):
    """Limits mastered 4 days ago and derivatives 10 days ago: both due, derivatives fading."""
    return {
        "limits": MasteredProgressFactory(learner=learner, topic=topics["limits"], mastered_at=ago(4)),
        "derivatives": MasteredProgressFactory(
            learner=learner, topic=topics["derivatives"], mastered_at=ago(10)
        ),
    }


# -- The Review due panel and the Fading list ---------------------------------------------------------


def test_nothing_is_due_for_a_learner_with_no_mastered_topics(learner_client, learner, topics):
    ProgressFactory(
        learner=learner, topic=topics["functions"], status=Status.SKIPPED, status_changed_at=ago(60)
    )
    ProgressFactory(
        learner=learner, topic=topics["limits"], status=Status.PRACTISED, status_changed_at=ago(60)
    )
    ProgressFactory(learner=learner, topic=topics["derivatives"], status=Status.LEARNING)

    html = learner_client.get(DASHBOARD).content.decode()

    assert review_count(html) == 0
    assert ids_with_prefix(html, "review-") == []
    assert "Nothing to review right now." in html
    assert ids_with_prefix(html, "fading-") == []
    assert dom.select_one(html, "head > title").text == "Your dashboard · mathpath"


def test_nothing_is_due_right_after_mastering(learner_client, learner, topics):
    learner_client.post("/progress/", {"topic": "limits", "status": "mastered"})

    html = learner_client.get(DASHBOARD).content.decode()

    assert Progress.objects.get(learner=learner, topic=topics["limits"]).review_due > timezone.now()
    assert review_count(html) == 0
    assert "Nothing to review right now." in html


def test_the_review_panel_lists_due_mastered_topics_most_overdue_first(learner_client, learner, topics, due):
    MasteredProgressFactory(learner=learner, topic=topics["functions"], mastered_at=ago(1))  # due tomorrow

    html = learner_client.get(DASHBOARD).content.decode()

    assert review_count(html) == 2
    assert ids_with_prefix(html, "review-") == ["derivatives", "limits"]
    assert dom.select(html, '[aria-label="Rate your review of Derivatives"]')


def test_fading_lists_topics_whose_review_is_three_days_overdue(learner_client, due):
    html = learner_client.get(DASHBOARD).content.decode()

    # Derivatives was due 8 days ago; limits only 2 days ago.
    assert ids_with_prefix(html, "fading-") == ["derivatives"]
    [fading] = [heading for heading in dom.select(html, "#gaps h3") if heading.text.startswith("Fading ")]
    assert fading.select("span")


def test_another_learners_due_reviews_stay_off_the_dashboard(learner_client, topics):
    MasteredProgressFactory(learner=UserFactory(), topic=topics["limits"], mastered_at=ago(10))

    html = learner_client.get(DASHBOARD).content.decode()

    assert review_count(html) == 0
    assert ids_with_prefix(html, "fading-") == []


def test_an_archived_topic_leaves_the_review_panel(learner_client, topics, due):
    topics["derivatives"].is_archived = True
    topics["derivatives"].save()

    html = learner_client.get(DASHBOARD).content.decode()

    assert ids_with_prefix(html, "review-") == ["limits"]


def test_a_long_review_list_is_capped_and_show_all_swaps_in_only_the_panel(client, db):
    rows = bulk_roadmap(topics=REVIEWS_SHOWN + 3, edges=0, sections=1)
    learner = UserFactory()
    for topic in rows:
        MasteredProgressFactory(learner=learner, topic=topic, mastered_at=ago(5))
    client.force_login(learner)

    html = client.get(DASHBOARD).content.decode()
    assert len(ids_with_prefix(html, "review-")) == REVIEWS_SHOWN
    assert "Show 3 more reviews" in html

    response = client.get(DASHBOARD, {"all": "1"}, HTTP_HX_TARGET="reviews", **HTMX)

    panel = response.content.decode()
    assert dom.root_element(panel).matches("section.card.panel#reviews")
    assert len(ids_with_prefix(panel, "review-")) == REVIEWS_SHOWN + 3
    assert "Show 3 more" not in panel


def test_the_dashboard_query_count_holds_with_reviews_due(client, db, django_assert_max_num_queries):
    rows = bulk_roadmap(topics=200, edges=600)
    learner = UserFactory()
    for index, topic in enumerate(rows[:100]):
        MasteredProgressFactory(learner=learner, topic=topic, mastered_at=ago(2 + index % 9))
    ProfileFactory(user=learner, goal=rows[-1])
    client.force_login(learner)

    # Due dates (and failed reviews) come with the progress rows; one query more asks which of
    # the shown due topics have problems to review with.
    with django_assert_max_num_queries(DASHBOARD_QUERIES + 1):
        response = client.get(DASHBOARD)

    html = response.content.decode()
    assert review_count(html) == 100
    assert len(ids_with_prefix(html, "review-")) == REVIEWS_SHOWN
    assert ids_with_prefix(html, "fading-")


# -- The review view ----------------------------------------------------------------------------------


def test_rating_a_review_with_htmx_swaps_the_review_and_gaps_panels(learner_client, learner, topics, due):
    MasteredProgressFactory(learner=learner, topic=topics["chain-rule"], mastered_at=ago(3))

    response = learner_client.post(REVIEW, {"topic": "derivatives", "rating": "3", "next": DASHBOARD}, **HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert dom.by_id(html, "reviews").matches(
        'section.card.panel[aria-labelledby="reviews-heading"][hx-swap-oob="true"]'
    )
    assert dom.by_id(html, "gaps").matches('[aria-labelledby="gaps-heading"][hx-swap-oob="true"]')
    # Limits leaves too: reviewing derivatives gave it, a prerequisite, credit. Chain rule builds on
    # derivatives, so it gets none.
    assert ids_with_prefix(html, "review-") == ["chain-rule"]
    assert ids_with_prefix(html, "fading-") == []
    progress = Progress.objects.get(pk=due["derivatives"].pk)
    assert progress.review_due > timezone.now() + 2 * DAY
    assert f"Reviewed Derivatives: next review {progress.review_due:%-d %b}." in html
    assert "<html" not in html


def test_rating_a_review_without_htmx_redirects_back_to_the_dashboard(learner_client, due):
    response = learner_client.post(REVIEW, {"topic": "derivatives", "rating": "4", "next": DASHBOARD})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#reviews"
    assert Progress.objects.get(pk=due["derivatives"].pk).review_due > timezone.now()


def test_a_review_through_the_view_credits_the_prerequisites(learner_client, learner, topics, due):
    limits_due = due["limits"].review_due

    learner_client.post(REVIEW, {"topic": "derivatives", "rating": "3", "next": DASHBOARD})

    assert Progress.objects.get(pk=due["limits"].pk).review_due > limits_due


def test_a_review_from_the_topic_page_answers_with_its_progress_panel(learner_client, due):
    response = learner_client.post(
        "/topics/derivatives/review/", {"rating": "3", "next": "/topics/derivatives/"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert dom.root_element(html).matches("section.card.learner-status#learner-status")
    assert "Estimated retention: 100%" in html
    assert "Saved." in html


def test_the_review_view_refuses_get(learner_client, due):
    response = learner_client.get(REVIEW, {"topic": "derivatives", "rating": "3"})

    assert response.status_code == 405


def test_an_anonymous_review_is_sent_to_login_and_changes_nothing(client, due):
    before = snapshot()

    response = client.post(REVIEW, {"topic": "derivatives", "rating": "3"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rating", "message"),
    [
        ("5", "Rate the review Again, Hard, Good or Easy."),
        ("0", "Rate the review Again, Hard, Good or Easy."),
        ("good", "Rate the review Again, Hard, Good or Easy."),
        ("", "This field is required."),
    ],
)
def test_an_unknown_rating_is_refused_and_changes_nothing(learner_client, due, rating, message):
    before = snapshot()

    response = learner_client.post(REVIEW, {"topic": "derivatives", "rating": rating, "next": DASHBOARD})

    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing was changed for Derivatives." in html
    assert message in html
    assert snapshot() == before


def test_a_refused_htmx_review_shows_its_error_in_the_flash(learner_client, due):
    response = learner_client.post(REVIEW, {"topic": "derivatives", "rating": "9"}, **HTMX)

    assert response.status_code == 400
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    assert "Rate the review Again, Hard, Good or Easy." in response.content.decode()


def test_a_topic_that_is_not_mastered_cannot_be_reviewed(learner_client, learner, topics, due):
    ProgressFactory(learner=learner, topic=topics["chain-rule"], status=Status.PRACTISED)
    before = snapshot()

    response = learner_client.post(REVIEW, {"topic": "chain-rule", "rating": "3", "next": DASHBOARD})

    assert response.status_code == 400
    assert "“Chain rule” is not mastered, so there is nothing to review." in response.content.decode()
    assert snapshot() == before


def test_another_learners_mastered_topic_is_not_reviewed_for_them(client, learner, topics, due):
    client.force_login(UserFactory())
    before = snapshot()

    response = client.post(REVIEW, {"topic": "derivatives", "rating": "3"})

    assert response.status_code == 400
    assert "is not mastered" in response.content.decode()
    assert snapshot() == before


def test_a_topic_of_another_roadmap_is_refused(learner_client, learner, due):
    elsewhere = TopicFactory(section=SectionFactory(roadmap=RoadmapFactory(slug="other")), slug="other-topic")
    MasteredProgressFactory(learner=learner, topic=elsewhere, mastered_at=ago(10))
    before = snapshot()

    response = learner_client.post(REVIEW, {"topic": "other-topic", "rating": "3"})

    assert response.status_code == 400
    assert "That topic is no longer on the roadmap — reload the page." in response.content.decode()
    assert snapshot() == before


# -- The retention box on the topic page ---------------------------------------------------------------


def test_the_topic_page_shows_the_retention_estimate_of_a_mastered_topic(learner_client, due):
    html = learner_client.get("/topics/derivatives/").content.decode()

    retention = int(re.search(r"Estimated retention: (\d+)%", html).group(1))
    assert 40 < retention < 90  # due 8 days ago, so below FSRS's 90% target
    assert "next review due now" in html
    assert dom.select(html, '[aria-label="Rate your review of Derivatives"]')


def test_a_topic_not_yet_due_shows_its_next_review_date(learner_client, learner, topics):
    progress = MasteredProgressFactory(learner=learner, topic=topics["functions"], mastered_at=ago(0))

    html = learner_client.get("/topics/functions/").content.decode()

    assert "Estimated retention: 100%" in html
    assert f"next review {progress.review_due:%-d %b %Y}" in html


def test_a_topic_that_is_not_mastered_shows_no_retention(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["functions"], status=Status.PRACTISED)

    html = learner_client.get("/topics/functions/").content.decode()

    assert "Estimated retention" not in html
    assert "Rate your review" not in html


def test_visitors_see_no_retention(client, due):
    html = client.get("/topics/derivatives/").content.decode()

    assert "Estimated retention" not in html


# -- The map shows fading topics ------------------------------------------------------------------------


def map_node(html: str, slug: str) -> tuple[list[str], str]:
    """A node's classes and accessible name on the map."""
    node = dom.map_node(html, slug)
    assert node.tag == "a"
    return node.classes, node["aria-label"]


def test_the_map_marks_fading_topics(learner_client, due):
    html = learner_client.get("/map/").content.decode()

    classes, label = map_node(html, "derivatives")
    assert "is-fading" in classes
    assert label == "Derivatives — mastered, fading: review overdue"
    classes, label = map_node(html, "limits")  # due two days ago: not fading yet
    assert "is-fading" not in classes
    assert label == "Limits — mastered"
    assert "Fading: mastered, but failed its last 2 reviews or its review is overdue" in html


def test_the_map_shows_no_fading_to_visitors_or_other_learners(client, due):
    assert "is-fading" not in client.get("/map/").content.decode()

    client.force_login(UserFactory())
    assert "is-fading" not in client.get("/map/").content.decode()
