"""Reviews that make you recall (roadmap/checking/recall.py): the problem drawn, the rating from the
answer, the answer kept, and fading after failed reviews. On fixed dates, as tests/roadmap/progress/test_review.py."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from roadmap.checking import recall
from roadmap.checking.topic_check import Marked
from roadmap.models import Attempt, Progress, Purpose, Status
from roadmap.progress import review
from roadmap.progress.review import ReviewRating
from roadmap.progress.status import set_status
from tests.factories import (
    MasteredProgressFactory,
    PrerequisiteFactory,
    ProblemFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

JAN_1 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
JAN_3 = datetime(2026, 1, 3, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)


@pytest.fixture
def chain(db):
    """Chain rule → derivatives → limits → functions: each needs the next, credit 0.5; problems on chain rule."""
    section = SectionFactory(title="Calculus")
    slugs = ["chain-rule", "derivatives", "limits", "functions"]
    topics = {slug: TopicFactory(section=section, slug=slug, title=slug.title()) for slug in slugs}
    for topic, prerequisite in pairwise(slugs):
        PrerequisiteFactory(topic=topics[topic], prerequisite=topics[prerequisite])
    return topics


@pytest.fixture
def bank(chain):
    return [ProblemFactory(topic=chain["chain-rule"], key=f"p{n}") for n in range(3)]


def master_all(learner, topics) -> dict[str, Progress]:
    return {
        slug: MasteredProgressFactory(learner=learner, topic=topic, mastered_at=JAN_1)
        for slug, topic in topics.items()
    }


def answer(learner, topic, *, correct: bool, feel=ReviewRating.GOOD, now=JAN_3) -> recall.RecallResult:
    current = recall.open_recall(learner, topic)
    marked = Marked(current.problem, "5" if correct else "6", correct)
    return recall.record_recall(learner=learner, recall=current, marked=marked, feel=feel, now=now)


def due_dates(learner) -> dict[str, datetime]:
    return dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "review_due"))


# -- The rating follows from the answer --------------------------------------------------------------


@pytest.mark.parametrize("feel", [ReviewRating.HARD, ReviewRating.GOOD, ReviewRating.EASY])
def test_a_right_answer_is_rated_as_it_felt(feel):
    assert recall.rating_for(True, feel) == feel


def test_a_right_answer_is_good_unless_the_learner_says_otherwise():
    assert recall.rating_for(True) == ReviewRating.GOOD


@pytest.mark.parametrize("feel", [ReviewRating.HARD, ReviewRating.GOOD, ReviewRating.EASY])
def test_a_wrong_answer_is_again_however_it_felt(feel):
    assert recall.rating_for(False, feel) == ReviewRating.AGAIN


def test_again_is_not_a_feeling():
    with pytest.raises(ValueError, match="Hard, Good or Easy"):
        recall.rating_for(True, ReviewRating.AGAIN)


@pytest.mark.parametrize(
    ("correct", "feel", "rating"),
    [
        (True, ReviewRating.GOOD, ReviewRating.GOOD),
        (True, ReviewRating.HARD, ReviewRating.HARD),
        (True, ReviewRating.EASY, ReviewRating.EASY),
        (False, ReviewRating.EASY, ReviewRating.AGAIN),
    ],
)
def test_a_recalled_review_schedules_and_credits_exactly_as_a_rated_one(chain, bank, correct, feel, rating):
    # Two learners in the same state: one answers the problem, the other rates the review directly.
    answering, rating_it = UserFactory(), UserFactory()
    master_all(answering, chain)
    master_all(rating_it, chain)

    result = answer(answering, chain["chain-rule"], correct=correct, feel=feel)
    review.review_topic(learner=rating_it, topic=chain["chain-rule"], rating=rating, now=JAN_3)

    assert result.rating == rating
    # The topic and every prerequisite (their credit included) land where the rated review put them.
    assert due_dates(answering) == due_dates(rating_it)
    if correct:
        assert due_dates(answering)["derivatives"] > JAN_3  # credit reached the prerequisite
    else:
        assert due_dates(answering)["derivatives"] == JAN_3  # Again gives none


def test_a_right_answer_on_the_due_date_schedules_the_next_review_eleven_days_out(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)

    result = answer(learner, chain["chain-rule"], correct=True)

    assert result.progress.review_due == JAN_3 + 11 * DAY
    assert Progress.objects.get(learner=learner, topic=chain["chain-rule"]).review_due == JAN_3 + 11 * DAY


def test_a_wrong_answer_brings_the_review_back_the_next_day(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)

    result = answer(learner, chain["chain-rule"], correct=False)

    assert result.progress.review_due == JAN_3 + DAY
    assert result.progress.review_failures == 1


# -- The answer is kept --------------------------------------------------------------------------------


def test_the_answer_is_stored_as_a_review_attempt(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    current = recall.open_recall(learner, chain["chain-rule"])

    recall.record_recall(
        learner=learner, recall=current, marked=Marked(current.problem, "2+3", True), now=JAN_3
    )

    [attempt] = Attempt.objects.all()
    assert (attempt.learner, attempt.problem, attempt.answer, attempt.correct) == (
        learner,
        current.problem,
        "2+3",
        True,
    )
    assert attempt.purpose == Purpose.REVIEW
    assert attempt.created_at == JAN_3
    assert attempt.topic_check is None and attempt.placement is None


def test_a_topic_no_longer_mastered_records_neither_the_review_nor_the_answer(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    current = recall.open_recall(learner, chain["chain-rule"])
    set_status(learner=learner, topic=chain["chain-rule"], status=Status.PRACTISED)  # in another tab

    with pytest.raises(review.NotMastered):
        recall.record_recall(learner=learner, recall=current, marked=Marked(current.problem, "5", True))

    assert not Attempt.objects.exists()


# -- Fading after failed reviews -----------------------------------------------------------------------


def test_two_failed_reviews_in_a_row_make_the_topic_fading(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)

    first = answer(learner, chain["chain-rule"], correct=False)
    assert not first.progress.is_failing_reviews
    second = answer(learner, chain["chain-rule"], correct=False, now=JAN_3 + DAY)

    assert second.progress.review_failures == 2
    assert second.progress.is_failing_reviews
    assert review.fading_reason(second.progress.review_due, 2, now=JAN_3 + DAY) == "failed its last 2 reviews"


def test_a_right_answer_ends_the_run_of_failures(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    answer(learner, chain["chain-rule"], correct=False)
    answer(learner, chain["chain-rule"], correct=False, now=JAN_3 + DAY)

    result = answer(learner, chain["chain-rule"], correct=True, feel=ReviewRating.HARD, now=JAN_3 + 2 * DAY)

    assert result.progress.review_failures == 0
    assert not result.progress.is_failing_reviews
    assert review.fading_reason(result.progress.review_due, 0, now=JAN_3 + 2 * DAY) is None


def test_a_review_overdue_three_days_is_fading_for_that_reason():
    assert review.fading_reason(JAN_1, 0, now=JAN_1 + 3 * DAY) == "review overdue"
    assert review.fading_reason(JAN_1, 1, now=JAN_1 + 3 * DAY) == "review overdue"
    assert review.fading_reason(JAN_1, 1, now=JAN_1 + DAY) is None
    # Failed reviews say more than a late one.
    assert review.fading_reason(JAN_1, 3, now=JAN_1 + 3 * DAY) == "failed its last 3 reviews"


# -- Which problem ---------------------------------------------------------------------------------------


def test_a_review_shows_one_problem_of_the_topic_and_the_same_one_on_every_reload(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)

    shown = {recall.open_recall(learner, chain["chain-rule"]).problem for _ in range(5)}

    assert len(shown) == 1
    assert shown <= set(bank)


def test_the_next_review_avoids_the_problem_answered_last(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    for day in range(8):
        last = answer(learner, chain["chain-rule"], correct=True, now=JAN_3 + day * 20 * DAY).problem

        assert recall.open_recall(learner, chain["chain-rule"]).problem != last


def test_a_bank_of_one_problem_asks_it_again(chain):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    only = ProblemFactory(topic=chain["chain-rule"])
    answer(learner, chain["chain-rule"], correct=True)

    assert recall.open_recall(learner, chain["chain-rule"]).problem == only


def test_archived_problems_are_not_asked_and_an_empty_bank_asks_none(chain):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    ProblemFactory(topic=chain["chain-rule"], is_archived=True)

    assert recall.open_recall(learner, chain["chain-rule"]).problem is None


def test_another_learners_review_answers_are_not_what_is_avoided(chain, bank):
    learner, other = UserFactory(), UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    MasteredProgressFactory(learner=other, topic=chain["chain-rule"], mastered_at=JAN_1)
    answer(other, chain["chain-rule"], correct=True)

    assert recall.open_recall(learner, chain["chain-rule"]).last is None


@pytest.mark.parametrize("status", [None, Status.LEARNING, Status.PRACTISED, Status.SKIPPED])
def test_only_a_mastered_topic_has_a_review(chain, bank, status):
    learner = UserFactory()
    if status:
        set_status(learner=learner, topic=chain["chain-rule"], status=status)

    with pytest.raises(review.NotMastered, match="“Chain-Rule” is not mastered"):
        recall.open_recall(learner, chain["chain-rule"])


def test_a_result_sent_again_is_recognised_for_a_while(chain, bank):
    learner = UserFactory()
    MasteredProgressFactory(learner=learner, topic=chain["chain-rule"], mastered_at=JAN_1)
    result = answer(learner, chain["chain-rule"], correct=True, now=timezone.now())
    current = recall.open_recall(learner, chain["chain-rule"])

    assert current.is_answered(result.problem.pk)
    assert not current.is_answered(result.problem.pk + 1000)
    again = recall.result_again(current)
    assert (again.problem, again.answer, again.correct, again.rating) == (result.problem, "5", True, None)

    Attempt.objects.update(created_at=timezone.now() - recall.RESENT_WITHIN - timedelta(seconds=1))
    assert not recall.open_recall(learner, chain["chain-rule"]).is_answered(result.problem.pk)
