"""A topic check on the database: drawing it, grading it, the status it leaves, the answers it keeps."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.checking import topic_check
from roadmap.checking.topic_check import (
    ANSWER_LIMIT,
    ANSWER_WINDOW,
    OPEN_FOR,
    Marked,
    TooManyAnswers,
    check_problems,
    check_rate,
    open_check,
    record_check,
    result_of,
    unproven_prerequisites,
)
from roadmap.models import Attempt, Progress, Purpose, Status, TopicCheck
from tests.factories import AttemptFactory, MasteredProgressFactory, ProgressFactory, UserFactory


def marked(check: TopicCheck, *, wrong: set[int] = frozenset()) -> list[Marked]:
    return [
        Marked(p, "999" if i in wrong else p.answer, i not in wrong)
        for i, p in enumerate(check_problems(check))
    ]


def test_a_check_is_three_distinct_problems_of_the_topic(bank, learner):
    check = open_check(learner, bank["products"])

    problems = check_problems(check)
    assert len(problems) == 3 == len({p.pk for p in problems})
    assert {p.topic_id for p in problems} == {bank["products"].pk}
    assert check.problem_ids == [p.pk for p in problems]


def test_an_open_check_is_shown_again_until_answered(bank, learner):
    first = open_check(learner, bank["products"], rng=random.Random(1))

    again = open_check(learner, bank["products"], rng=random.Random(2))

    assert again.pk == first.pk and again.problem_ids == first.problem_ids
    assert TopicCheck.objects.count() == 1


def test_an_open_check_left_for_too_long_is_drawn_again(bank, learner):
    stale = open_check(learner, bank["products"])
    TopicCheck.objects.filter(pk=stale.pk).update(created_at=timezone.now() - OPEN_FOR - timedelta(minutes=1))

    assert open_check(learner, bank["products"]).pk != stale.pk


def test_the_next_check_avoids_the_last_ones_problems(bank, learner):
    for seed in range(10):
        last = open_check(learner, bank["products"], rng=random.Random(seed))
        record_check(last, marked(last))

        following = open_check(learner, bank["products"], rng=random.Random(seed + 100))

        assert not set(following.problem_ids) & set(last.problem_ids), seed
        record_check(following, marked(following))


def test_checks_are_per_learner(bank, learner):
    mine = open_check(learner, bank["products"])

    assert open_check(UserFactory(), bank["products"]).pk != mine.pk


def test_archived_problems_are_never_drawn(bank, learner):
    archived = bank.problems["products"][:3]
    for problem in archived:
        problem.is_archived = True
        problem.save()

    for seed in range(20):
        check = open_check(learner, bank["products"], rng=random.Random(seed))
        assert not set(check.problem_ids) & {p.pk for p in archived}
        check.delete()


def test_a_topic_without_active_problems_has_no_check(bank, learner):
    for problem in bank.problems["signs"]:
        problem.is_archived = True
        problem.save()

    assert open_check(learner, bank["signs"]) is None
    assert not TopicCheck.objects.exists()


def test_all_right_passes_and_masters_the_topic_with_the_evidence(bank, learner):
    check = open_check(learner, bank["products"])

    result = record_check(check, marked(check))

    assert result.passed and not result.missed and result.likely_causes == []
    check.refresh_from_db()
    assert (check.score, check.passed, check.score_text) == (3, True, "3/3")
    assert check.finished_at is not None
    progress = Progress.objects.get(learner=learner, topic=bank["products"])
    assert progress.status == Status.MASTERED
    assert progress.checked_at == check.finished_at and progress.check_score == "3/3"
    assert progress.is_checked
    assert progress.review_card is not None and progress.review_due > timezone.now()


def test_passing_proves_a_topic_marked_known(bank, learner):
    ProgressFactory(learner=learner, topic=bank["products"], status=Status.SKIPPED)
    check = open_check(learner, bank["products"])

    result = record_check(check, marked(check))

    assert (result.status_before, result.status_after) == (Status.SKIPPED, Status.MASTERED)
    assert Progress.objects.get(learner=learner, topic=bank["products"]).is_checked


def test_every_answer_is_stored_with_who_what_and_when(bank, learner):
    check = open_check(learner, bank["products"])
    before = timezone.now()

    record_check(check, marked(check, wrong={1}))

    attempts = list(Attempt.objects.filter(topic_check=check).order_by("problem_id"))
    problems = sorted(check_problems(check), key=lambda p: p.pk)
    assert [(a.learner, a.problem, a.purpose) for a in attempts] == [
        (learner, p, Purpose.CHECK) for p in problems
    ]
    shown = check_problems(check)
    assert {a.problem_id: (a.answer, a.correct) for a in attempts} == {
        shown[0].pk: (shown[0].answer, True),
        shown[1].pk: ("999", False),
        shown[2].pk: (shown[2].answer, True),
    }
    assert all(before <= a.created_at <= timezone.now() for a in attempts)


@pytest.mark.parametrize(
    ("before", "after"),
    [
        (None, Status.PRACTISED),
        (Status.LEARNING, Status.PRACTISED),
        (Status.PRACTISED, Status.PRACTISED),
        (Status.MASTERED, Status.MASTERED),
        (Status.SKIPPED, Status.SKIPPED),
    ],
)
def test_failing_raises_to_practised_and_never_lowers(bank, learner, before, after):
    if before == Status.MASTERED:
        MasteredProgressFactory(learner=learner, topic=bank["products"])
    elif before is not None:
        ProgressFactory(learner=learner, topic=bank["products"], status=before)
    check = open_check(learner, bank["products"])

    result = record_check(check, marked(check, wrong={2}))

    assert not result.passed
    assert (result.status_before, result.status_after) == (before, after)
    assert Progress.objects.get(learner=learner, topic=bank["products"]).status == after
    assert result.kept_self_report == (before in (Status.MASTERED, Status.SKIPPED))
    check.refresh_from_db()
    assert (check.score_text, check.passed) == ("2/3", False)


def test_failing_lists_the_missed_problems(bank, learner):
    check = open_check(learner, bank["products"])

    result = record_check(check, marked(check, wrong={0, 2}))

    shown = check_problems(check)
    assert [m.problem for m in result.missed] == [shown[0], shown[2]]


def test_likely_causes_are_the_unproven_prerequisites_direct_ones_first(bank, learner):
    check = open_check(learner, bank["products"])

    result = record_check(check, marked(check, wrong={0}))

    # Products needs sums and signs (direct) and, through sums, counting.
    assert [node.slug for node in result.likely_causes[:2]] in (["sums", "signs"], ["signs", "sums"])
    assert [node.slug for node in result.likely_causes][2:] == ["counting"]


def test_a_prerequisite_counts_as_proven_only_when_covered_and_checked(bank, learner):
    MasteredProgressFactory(
        learner=learner, topic=bank["sums"], checked_at=timezone.now(), check_score="3/3"
    )  # proven
    ProgressFactory(learner=learner, topic=bank["signs"], status=Status.SKIPPED)  # claimed, not proven
    ProgressFactory(learner=learner, topic=bank["counting"], status=Status.PRACTISED, checked_at=None)

    assert [node.slug for node in unproven_prerequisites(learner, bank["products"])] == [
        "signs",
        "counting",
    ]
    assert unproven_prerequisites(learner, bank["counting"]) == []


def test_the_result_of_an_answered_check_is_read_back_from_its_answers(bank, learner):
    check = open_check(learner, bank["products"])
    recorded = record_check(check, marked(check, wrong={1}))

    again = result_of(TopicCheck.objects.get(pk=check.pk))

    assert [(m.problem, m.answer, m.correct) for m in again.marked] == [
        (m.problem, m.answer, m.correct) for m in recorded.marked
    ]
    assert again.status_after == Status.PRACTISED
    assert [n.slug for n in again.likely_causes] == [n.slug for n in recorded.likely_causes]


def test_recording_a_check_twice_stores_its_answers_once(bank, learner):
    # Two submissions that both read the check before either finished it (a double click
    # without JavaScript, two tabs): the second finds it finished under the lock.
    check = open_check(learner, bank["products"])
    first_read, second_read = TopicCheck.objects.get(pk=check.pk), TopicCheck.objects.get(pk=check.pk)

    record_check(first_read, marked(first_read))
    result = record_check(second_read, marked(second_read, wrong={0}))

    assert Attempt.objects.filter(topic_check=check).count() == 3
    assert result.passed and TopicCheck.objects.get(pk=check.pk).score == 3


def test_the_answer_limit_counts_recent_answers(bank, learner):
    problem = bank.problems["sums"][0]
    AttemptFactory.create_batch(ANSWER_LIMIT - 3, learner=learner, problem=problem)
    AttemptFactory.create_batch(
        10, learner=learner, problem=problem, created_at=timezone.now() - ANSWER_WINDOW
    )

    check_rate(learner, adding=3)  # exactly at the limit
    with pytest.raises(TooManyAnswers) as refused:
        check_rate(learner, adding=4)

    assert "answered 45 problems in the last 10 minutes" in str(refused.value)
    assert "try again in 10 minutes" in str(refused.value)
    assert timedelta(minutes=9) < refused.value.retry_after <= ANSWER_WINDOW


def test_the_answer_limit_is_per_learner(bank, learner):
    AttemptFactory.create_batch(ANSWER_LIMIT, problem=bank.problems["sums"][0], learner=UserFactory())

    check_rate(learner, adding=3)


def test_the_retry_time_follows_the_oldest_answer_in_the_window(bank, learner):
    now = timezone.now()
    AttemptFactory(learner=learner, problem=bank.problems["sums"][0], created_at=now - timedelta(minutes=9))
    AttemptFactory.create_batch(ANSWER_LIMIT - 1, learner=learner, problem=bank.problems["sums"][0])

    with pytest.raises(TooManyAnswers) as refused:
        check_rate(learner)

    assert "try again in 1 minute." in str(refused.value)


def test_a_check_with_an_archived_problem_still_shows_it(bank, learner):
    check = open_check(learner, bank["products"])
    shown = check_problems(check)
    shown[0].is_archived = True
    shown[0].save()

    assert check_problems(topic_check.open_check(learner, bank["products"])) == shown


def test_failing_after_an_earlier_pass_says_the_earlier_check_stands(bank, learner, client):
    first = open_check(learner, bank["products"])
    record_check(first, marked(first))
    client.force_login(learner)
    url = f"/topics/{bank['products'].slug}/check/"
    client.get(url)  # draws the second check
    again = TopicCheck.objects.filter(learner=learner, finished_at__isnull=True).get()
    answers = {f"answer_{p.pk}": ("999" if i == 0 else p.answer) for i, p in enumerate(check_problems(again))}

    page = client.post(url, {"check": again.pk, **answers}).content.decode()

    assert "Your earlier passed check still stands" in page
    assert "marked this topic" not in page  # it was not self-reported
    assert Progress.objects.get(learner=learner, topic=bank["products"]).is_checked
