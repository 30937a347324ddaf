"""Spaced review: FSRS scheduling on fixed dates, and the credit a review gives to prerequisites."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from textwrap import dedent

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from fsrs import Card, Rating

from roadmap.curriculum import roadmap_file
from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.models import Prerequisite, Progress, Roadmap, Status
from roadmap.progress import review
from roadmap.progress.review import ReviewRating
from roadmap.progress.status import set_status
from tests import dom
from tests.factories import (
    MasteredProgressFactory,
    PrerequisiteFactory,
    ProgressFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

JAN_1 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
JAN_3 = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def refreshed(progress: Progress) -> Progress:
    progress.refresh_from_db()
    return progress


def full_review_due(progress: Progress, rating: Rating, at: datetime) -> datetime:
    """Where a real review of `progress` at `at` would put its due date."""
    card, _ = review.SCHEDULER.review_card(Card.from_dict(progress.review_card), rating, review_datetime=at)
    return card.due


@pytest.fixture
def chain(db):
    """Chain rule → derivatives → limits → functions → exponents: each needs the next, credit 0.5."""
    section = SectionFactory(title="Calculus")
    slugs = ["chain-rule", "derivatives", "limits", "functions", "exponents"]
    topics = {slug: TopicFactory(section=section, slug=slug, title=slug.title()) for slug in slugs}
    for topic, prerequisite in pairwise(slugs):
        PrerequisiteFactory(topic=topics[topic], prerequisite=topics[prerequisite])
    return topics


def master_all(learner, topics, *, at=JAN_1) -> dict[str, Progress]:
    return {
        slug: MasteredProgressFactory(learner=learner, topic=topic, mastered_at=at)
        for slug, topic in topics.items()
    }


# -- Scheduling on fixed dates ---------------------------------------------------------------------


def test_mastering_schedules_the_first_review_two_days_later(learner, chain):
    progress = ProgressFactory(learner=learner, topic=chain["limits"], status=Status.MASTERED)

    review.start_reviews(progress, now=JAN_1)

    assert progress.review_due == datetime(2026, 1, 3, 9, 0, tzinfo=UTC)


def test_the_card_is_kept_as_json_and_review_due_is_its_due_date(learner, chain):
    progress = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)

    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=JAN_3)

    progress = refreshed(progress)
    assert isinstance(progress.review_card, dict)
    assert {"due", "stability", "difficulty", "last_review", "state"} <= set(progress.review_card)
    assert Card.from_dict(progress.review_card).due == progress.review_due
    assert Card.from_dict(progress.review_card).last_review == JAN_3


def test_a_good_review_on_the_due_date_schedules_the_next_eleven_days_out(learner, chain):
    progress = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)

    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=JAN_3)

    assert refreshed(progress).review_due == JAN_3 + 11 * DAY


def interval_after(learner, topic, rating: ReviewRating) -> timedelta:
    """The next interval when a topic mastered on 1 January is reviewed on its due date."""
    Progress.objects.filter(learner=learner, topic=topic).delete()
    MasteredProgressFactory(learner=learner, topic=topic, mastered_at=JAN_1)
    progress = review.review_topic(learner=learner, topic=topic, rating=rating, now=JAN_3)
    return progress.review_due - JAN_3


def test_again_shortens_the_interval_and_easy_lengthens_it_more_than_good(learner, chain):
    intervals = {rating: interval_after(learner, chain["exponents"], rating) for rating in ReviewRating}

    # Again: one day, shorter than the two days it followed.
    assert intervals[ReviewRating.AGAIN] == DAY
    assert intervals[ReviewRating.AGAIN] < intervals[ReviewRating.HARD] < intervals[ReviewRating.GOOD]
    assert intervals[ReviewRating.GOOD] == 11 * DAY
    assert intervals[ReviewRating.EASY] > intervals[ReviewRating.GOOD]


def test_an_early_review_still_schedules_from_the_day_it_happened(learner, chain):
    progress = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)
    next_day = JAN_1 + DAY

    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=next_day)

    assert refreshed(progress).review_due > next_day + 2 * DAY


def test_set_status_mastered_starts_the_card(learner, chain):
    before = timezone.now()

    progress = set_status(learner=learner, topic=chain["limits"], status=Status.MASTERED).progress

    progress = refreshed(progress)
    assert progress.review_card is not None
    assert before + 2 * DAY <= progress.review_due <= timezone.now() + 2 * DAY
    assert Card.from_dict(progress.review_card).due == progress.review_due


def test_leaving_mastered_clears_the_card(learner, chain):
    MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)

    progress = refreshed(set_status(learner=learner, topic=chain["limits"], status=Status.PRACTISED).progress)

    assert progress.review_card is None
    assert progress.review_due is None


def test_mastering_again_restarts_the_schedule(learner, chain):
    MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)
    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.EASY, now=JAN_3)
    set_status(learner=learner, topic=chain["limits"], status=Status.PRACTISED)
    before = timezone.now()

    progress = refreshed(set_status(learner=learner, topic=chain["limits"], status=Status.MASTERED).progress)

    assert before + 2 * DAY <= progress.review_due <= timezone.now() + 2 * DAY
    assert Card.from_dict(progress.review_card).last_review >= before


def test_marking_a_mastered_topic_mastered_again_keeps_its_schedule(learner, chain):
    progress = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)
    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=JAN_3)
    card = refreshed(progress).review_card

    set_status(learner=learner, topic=chain["limits"], status=Status.MASTERED, note="Did 40 more")

    progress = refreshed(progress)
    assert progress.review_card == card
    assert progress.review_due == JAN_3 + 11 * DAY


@pytest.mark.parametrize("status", [None, Status.LEARNING, Status.PRACTISED, Status.SKIPPED])
def test_reviewing_a_topic_that_is_not_mastered_is_refused_and_changes_nothing(learner, chain, status):
    if status:
        set_status(learner=learner, topic=chain["limits"], status=status)
    before = list(Progress.objects.values_list("status", "review_card", "review_due", "updated_at"))

    with pytest.raises(review.NotMastered, match="“Limits” is not mastered"):
        review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=JAN_3)

    assert list(Progress.objects.values_list("status", "review_card", "review_due", "updated_at")) == before


def test_a_mastered_topic_without_a_card_gets_one_on_its_first_review(learner, chain):
    # Topics mastered before spaced review existed have no card yet.
    progress = ProgressFactory(learner=learner, topic=chain["limits"], status=Status.MASTERED)

    review.review_topic(learner=learner, topic=chain["limits"], rating=ReviewRating.GOOD, now=JAN_3)

    assert refreshed(progress).review_due == JAN_3 + 2 * DAY


def test_retention_is_certain_right_after_mastering_and_about_ninety_percent_when_due(learner, chain):
    progress = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)

    assert review.retention(progress, now=JAN_1) == pytest.approx(1.0)
    assert review.retention(progress, now=JAN_3) == pytest.approx(0.9, abs=0.02)
    assert review.retention(progress, now=JAN_3 + 30 * DAY) < review.retention(progress, now=JAN_3)
    assert review.retention(ProgressFactory(learner=learner, topic=chain["functions"]), now=JAN_3) is None


def test_a_review_is_fading_once_it_is_three_days_overdue():
    assert not review.is_fading(None, now=JAN_3)
    assert not review.is_fading(JAN_3, now=JAN_3)
    assert not review.is_fading(JAN_3, now=JAN_3 + 3 * DAY - timedelta(seconds=1))
    assert review.is_fading(JAN_3, now=JAN_3 + 3 * DAY)


# -- Graph credit: implicit repetition ---------------------------------------------------------------


def test_a_review_moves_prerequisites_by_their_share_of_a_full_review(learner, chain):
    progress = master_all(learner, chain)
    full_derivatives = full_review_due(progress["derivatives"], Rating.Good, JAN_3)
    full_limits = full_review_due(progress["limits"], Rating.Good, JAN_3)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    # A full review on 3 January would move them 11 days; derivatives gets half, limits a quarter.
    assert full_derivatives == full_limits == JAN_3 + 11 * DAY
    assert refreshed(progress["derivatives"]).review_due == JAN_3 + (full_derivatives - JAN_3) / 2
    assert refreshed(progress["derivatives"]).review_due == datetime(2026, 1, 8, 21, 0, tzinfo=UTC)
    assert refreshed(progress["limits"]).review_due == JAN_3 + (full_limits - JAN_3) / 4
    assert refreshed(progress["limits"]).review_due == datetime(2026, 1, 6, 3, 0, tzinfo=UTC)


def test_credited_cards_keep_their_json_in_step_with_review_due(learner, chain):
    progress = master_all(learner, chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    derivatives = refreshed(progress["derivatives"])
    assert Card.from_dict(derivatives.review_card).due == derivatives.review_due
    # Credit is not a review: the card's history still ends at mastering.
    assert Card.from_dict(derivatives.review_card).last_review == JAN_1


def test_credit_below_a_tenth_is_dropped(learner, chain):
    progress = master_all(learner, chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    # 0.5³ = 0.125 still counts; 0.5⁴ = 0.0625 is below the 0.1 floor.
    assert refreshed(progress["functions"]).review_due == JAN_3 + 11 * DAY * 0.125
    assert refreshed(progress["exponents"]).review_due == JAN_3


def test_again_gives_prerequisites_no_credit(learner, chain):
    progress = master_all(learner, chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.AGAIN, now=JAN_3)

    assert refreshed(progress["chain-rule"]).review_due == JAN_3 + DAY
    assert refreshed(progress["derivatives"]).review_due == JAN_3
    assert refreshed(progress["limits"]).review_due == JAN_3


def test_hard_credits_prerequisites_with_a_share_of_a_hard_review(learner, chain):
    progress = master_all(learner, chain)
    full_hard = full_review_due(progress["derivatives"], Rating.Hard, JAN_3)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.HARD, now=JAN_3)

    assert refreshed(progress["derivatives"]).review_due == JAN_3 + (full_hard - JAN_3) / 2


def test_easy_credits_prerequisites_no_more_than_good(learner, chain):
    progress = master_all(learner, chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.EASY, now=JAN_3)

    assert refreshed(progress["derivatives"]).review_due == JAN_3 + 11 * DAY / 2


def test_only_mastered_prerequisites_with_cards_are_credited(learner, chain):
    chain_rule = MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    derivatives = ProgressFactory(learner=learner, topic=chain["derivatives"], status=Status.PRACTISED)
    limits = MasteredProgressFactory(learner=learner, topic=chain["limits"], mastered_at=JAN_1)
    functions = ProgressFactory(learner=learner, topic=chain["functions"], status=Status.MASTERED)

    review.review_topic(learner=learner, topic=chain_rule.topic, rating=ReviewRating.GOOD, now=JAN_3)

    assert refreshed(derivatives).review_card is None
    assert derivatives.status == Status.PRACTISED
    # The credit still flows through the practised topic to what it builds on.
    assert refreshed(limits).review_due == JAN_3 + 11 * DAY / 4
    assert refreshed(functions).review_card is None
    assert not Progress.objects.filter(learner=learner, topic=chain["exponents"]).exists()


def test_another_learners_cards_are_untouched(learner, chain):
    master_all(learner, chain)
    other = master_all(UserFactory(), chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    for progress in other.values():
        assert refreshed(progress).review_due == JAN_3


def test_a_prerequisite_reviewed_the_same_day_gets_no_more_credit(learner, chain):
    progress = master_all(learner, chain)
    review.review_topic(learner=learner, topic=chain["derivatives"], rating=ReviewRating.EASY, now=JAN_3)
    derivatives = refreshed(progress["derivatives"])
    due, card = derivatives.review_due, derivatives.review_card

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    # Another review today would not move it, so neither does a share of one.
    assert refreshed(derivatives).review_due == due == JAN_3 + 19 * DAY
    assert derivatives.review_card == card


def test_edge_credit_is_curated_per_edge(learner, chain):
    Prerequisite.objects.filter(topic=chain["chain-rule"]).update(review_credit=Decimal("1.00"))
    Prerequisite.objects.filter(topic=chain["derivatives"]).update(review_credit=Decimal("0.00"))
    progress = master_all(learner, chain)

    review.review_topic(learner=learner, topic=chain["chain-rule"], rating=ReviewRating.GOOD, now=JAN_3)

    assert refreshed(progress["derivatives"]).review_due == JAN_3 + 11 * DAY
    assert refreshed(progress["limits"]).review_due == JAN_3


def test_prerequisite_credit_multiplies_along_the_best_path():
    # 1 needs 2 (0.5) and 3 (0.9); both need 4; 4 needs 5 (0.2).
    edges = [
        (1, 2, Decimal("0.5")),
        (1, 3, Decimal("0.9")),
        (2, 4, Decimal("0.5")),
        (3, 4, Decimal("0.5")),
        (4, 5, Decimal("0.2")),
    ]
    nodes = [TopicNode(pk, f"t{pk}", f"T{pk}", 1, Decimal(1), pk) for pk in range(1, 6)]
    graph = RoadmapGraph.build(nodes, edges)

    assert review.prerequisite_credit(graph, 1) == {
        2: Decimal("0.5"),
        3: Decimal("0.9"),
        4: Decimal("0.45"),  # through 3, not the 0.25 through 2
    }
    assert review.prerequisite_credit(graph, 5) == {}


def test_a_new_edge_gets_the_default_credit_of_one_half(chain):
    edge = PrerequisiteFactory(topic=chain["chain-rule"], prerequisite=chain["limits"])

    assert edge.review_credit == Decimal("0.50")


@pytest.mark.parametrize("credit", [Decimal("-0.01"), Decimal("1.01")])
def test_the_database_refuses_a_credit_outside_0_to_1(chain, credit):
    edge = Prerequisite.objects.get(topic=chain["chain-rule"])

    with pytest.raises(IntegrityError, match="prerequisite_review_credit_0_to_1"), transaction.atomic():
        Prerequisite.objects.filter(pk=edge.pk).update(review_credit=credit)

    assert Prerequisite.objects.get(pk=edge.pk).review_credit == Decimal("0.50")


# -- Credit in the roadmap file ------------------------------------------------------------------------

WITH_CREDIT = dedent("""\
    roadmap:
      slug: demo
      title: Demo roadmap
    resources: []
    sections:
    - slug: basics
      title: Basics
      topics:
      - slug: counting
        title: Counting
        hours: 2
        summary: Counts things.
      - slug: adding
        title: Adding
        hours: 1.5
        summary: Adds things.
        requires:
        - topic: counting
          credit: 0.5
      - slug: multiplying
        title: Multiplying
        hours: 3
        summary: Adds many times.
        requires:
        - topic: adding
          credit: 0.8
        - topic: counting
          reason: you count the groups
          credit: 0
""")


def test_credit_in_the_roadmap_file_round_trips(db):
    roadmap_file.apply(roadmap_file.parse(WITH_CREDIT))
    roadmap = Roadmap.objects.get(slug="demo")

    edges = Prerequisite.objects.filter(topic__roadmap=roadmap, topic__slug="multiplying")
    credits = dict(edges.values_list("prerequisite__slug", "review_credit"))
    assert credits == {"adding": Decimal("0.80"), "counting": Decimal("0.00")}
    assert Prerequisite.objects.get(topic__slug="adding").review_credit == Decimal("0.50")
    assert roadmap_file.export(roadmap) == WITH_CREDIT
    assert not roadmap_file.apply(roadmap_file.parse(roadmap_file.export(roadmap))).changed


def test_a_credit_changed_in_the_file_updates_the_edge(db):
    roadmap_file.apply(roadmap_file.parse(WITH_CREDIT))

    report = roadmap_file.apply(roadmap_file.parse(WITH_CREDIT.replace("credit: 0.8", "credit: 0.25")))

    assert report.updated == 1
    assert Prerequisite.objects.get(topic__slug="multiplying", prerequisite__slug="adding").review_credit == (
        Decimal("0.25")
    )


@pytest.mark.parametrize(
    ("credit", "message"),
    [
        ("1.5", "'credit' must be from 0 to 1, not 1.5."),
        ("-0.1", "'credit' must be from 0 to 1, not -0.1."),
        ("lots", "'credit' 'lots' is not a number from 0 to 1."),
        ("true", "'credit' True is not a number from 0 to 1."),
        ("[0.5]", "'credit' [0.5] is not a number from 0 to 1."),
        (".nan", "'credit' nan is not a number from 0 to 1."),
        (".inf", "'credit' inf is not a number from 0 to 1."),
    ],
)
def test_a_bad_credit_is_refused_with_its_line(db, credit, message):
    text = WITH_CREDIT.replace("credit: 0.8", f"credit: {credit}")
    line = text.splitlines().index(f"      credit: {credit}") + 1

    with pytest.raises(roadmap_file.RoadmapFileError) as refused:
        roadmap_file.parse(text)

    assert refused.value.errors == [f"line {line}: {message}"]
    assert not Roadmap.objects.exists()


# -- Curating credit in the admin ---------------------------------------------------------------------


def changelist_post(edge: Prerequisite, credit: str) -> dict:
    return {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(edge.pk),
        "form-0-review_credit": credit,
        "_save": "Save",
    }


def test_admins_edit_review_credit_in_the_prerequisite_list(admin_client, chain):
    edge = Prerequisite.objects.get(topic=chain["chain-rule"])
    url = reverse("admin:roadmap_prerequisite_changelist")
    assert dom.select(admin_client.get(url), 'form [name="form-0-review_credit"]')

    response = admin_client.post(url, changelist_post(edge, "0.8"))

    assert response.status_code == 302
    edge.refresh_from_db()
    assert edge.review_credit == Decimal("0.80")


def test_the_admin_refuses_a_credit_above_one_in_plain_words(admin_client, chain):
    edge = Prerequisite.objects.get(topic=chain["chain-rule"])

    response = admin_client.post(
        reverse("admin:roadmap_prerequisite_changelist"), changelist_post(edge, "1.5")
    )

    assert response.status_code == 200
    assert "Review credit is a share of a review, from 0 to 1." in response.content.decode()
    edge.refresh_from_db()
    assert edge.review_credit == Decimal("0.50")
