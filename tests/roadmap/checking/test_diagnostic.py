"""The placement diagnostic on the database: a run, its answers, its proposal, accepting it."""

import pytest
from django.utils import timezone

from roadmap.checking import diagnostic
from roadmap.checking.placement import MAX_QUESTIONS
from roadmap.checking.topic_check import ANSWER_LIMIT, TooManyAnswers
from roadmap.curriculum.answers import AnswerError
from roadmap.models import Attempt, Placement, Progress, Purpose, Status
from tests.factories import (
    AttemptFactory,
    ChoiceProblemFactory,
    MasteredProgressFactory,
    ProgressFactory,
    UserFactory,
)
from tests.roadmap.checking.answering import drive, right, roadmap, wrong


def progress_rows(learner) -> list[tuple]:
    return sorted(Progress.objects.filter(learner=learner).values_list("topic__slug", "status", "note"))


def test_starting_puts_a_problem_on_screen(bank, learner):
    run = diagnostic.start(learner, roadmap())

    assert run.current is not None and not run.is_finished
    assert diagnostic.current(learner, roadmap()).pk == run.pk
    assert diagnostic.current(UserFactory(), roadmap()) is None


def test_the_problem_on_screen_stays_until_answered(bank, learner):
    run = diagnostic.start(learner, roadmap())
    shown = run.current

    assert diagnostic.current(learner, roadmap()).current == shown


def test_an_answer_is_stored_and_the_next_problem_shown(bank, learner):
    run = diagnostic.start(learner, roadmap())
    shown = run.current

    attempt, following = diagnostic.answer(run, roadmap(), wrong(shown))

    assert (attempt.learner, attempt.problem, attempt.answer) == (learner, shown, wrong(shown))
    assert (attempt.correct, attempt.purpose, attempt.placement) == (False, Purpose.PLACEMENT, run)
    assert attempt.topic_check is None and attempt.created_at is not None
    assert following is not None and following != shown
    assert Placement.objects.get(pk=run.pk).current == following


def test_an_unreadable_answer_stores_nothing(bank, learner):
    run = diagnostic.start(learner, roadmap())
    shown = run.current

    with pytest.raises(AnswerError):
        diagnostic.answer(run, roadmap(), "2+")

    assert not Attempt.objects.exists()
    assert Placement.objects.get(pk=run.pk).current == shown


def test_the_answer_limit_stores_nothing(bank, learner):
    run = diagnostic.start(learner, roadmap())
    AttemptFactory.create_batch(ANSWER_LIMIT, learner=learner, problem=bank.problems["sums"][0])

    with pytest.raises(TooManyAnswers):
        diagnostic.answer(run, roadmap(), right(run.current))

    assert not run.attempts.exists()


def test_a_second_submission_of_the_same_problem_stores_nothing(bank, learner):
    # Both read the run with the problem on screen before either answered (a double click).
    diagnostic.start(learner, roadmap())
    first, second = diagnostic.current(learner, roadmap()), diagnostic.current(learner, roadmap())

    _, following = diagnostic.answer(first, roadmap(), right(first.current))
    with pytest.raises(diagnostic.AlreadyAnswered):
        diagnostic.answer(second, roadmap(), wrong(second.current))

    assert Attempt.objects.filter(learner=learner).count() == 1
    assert diagnostic.current(learner, roadmap()).current == following


def test_stopping_finishes_the_run_and_keeps_its_answers(bank, learner):
    run = diagnostic.start(learner, roadmap())
    diagnostic.answer(run, roadmap(), right(run.current))

    diagnostic.stop(run)
    finished_at = Placement.objects.get(pk=run.pk).finished_at
    diagnostic.stop(Placement.objects.get(pk=run.pk))

    run.refresh_from_db()
    assert run.is_finished and run.current is None and run.finished_at == finished_at
    assert run.attempts.count() == 1


def test_the_run_stops_by_itself_once_everything_is_placed(bank, learner):
    run = diagnostic.start(learner, roadmap())

    attempts = drive(run, right)

    run.refresh_from_db()
    assert run.is_finished and run.current is None
    assert 0 < len(attempts) <= 4
    assert all(item.known for item in diagnostic.proposal(run, roadmap()))


def test_the_proposal_lists_every_topic_with_its_verdict_and_evidence(bank, learner):
    run = diagnostic.start(learner, roadmap())
    attempts = drive(run, wrong)

    proposed = diagnostic.proposal(run, roadmap())

    assert [item.topic.slug for item in proposed] == ["counting", "signs", "sums", "products"]
    assert not any(item.known for item in proposed)
    for item in proposed:
        assert item.evidence and set(item.evidence) <= set(attempts), item.topic.slug
        assert all(not attempt.correct for attempt in item.evidence)


def test_nothing_changes_before_the_proposal_is_accepted(bank, learner):
    ProgressFactory(learner=learner, topic=bank["sums"], status=Status.MASTERED, note="mine")
    before = progress_rows(learner)
    run = diagnostic.start(learner, roadmap())
    drive(run, right)
    diagnostic.proposal(run, roadmap())

    assert progress_rows(learner) == before
    assert Placement.objects.get(pk=run.pk).applied_at is None


def test_accepting_changes_only_the_ticked_topics(bank, learner):
    # All wrong: every topic a gap. Sums and products were marked covered; only sums is ticked.
    MasteredProgressFactory(learner=learner, topic=bank["sums"])
    ProgressFactory(learner=learner, topic=bank["products"], status=Status.SKIPPED)
    ProgressFactory(learner=learner, topic=bank["signs"], status=Status.LEARNING)
    run = diagnostic.start(learner, roadmap())
    drive(run, wrong)
    diagnostic.stop(run)

    changed = diagnostic.accept(run, roadmap(), {bank["sums"].pk, bank["signs"].pk, 999_999})

    assert changed == 1  # signs is a gap already (learning is not covered): nothing to change
    assert progress_rows(learner) == [("products", Status.SKIPPED, ""), ("signs", Status.LEARNING, "")]
    assert Placement.objects.get(pk=run.pk).applied_at is not None


def test_accepting_marks_known_topics_known_with_a_note(bank, learner):
    ProgressFactory(learner=learner, topic=bank["sums"], status=Status.LEARNING)
    MasteredProgressFactory(learner=learner, topic=bank["counting"])
    run = diagnostic.start(learner, roadmap())
    drive(run, right)
    ticked = {bank[slug].pk for slug in ("counting", "sums", "products")}

    changed = diagnostic.accept(run, roadmap(), ticked)

    assert changed == 2  # counting is mastered already: covered, so no change
    rows = {slug: (status, note) for slug, status, note in progress_rows(learner)}
    assert rows["counting"][0] == Status.MASTERED
    assert rows["sums"][0] == rows["products"][0] == Status.SKIPPED
    assert rows["sums"][1].startswith("Placement diagnostic, ")
    assert "signs" not in rows


def test_accepting_nothing_changes_nothing(bank, learner):
    run = diagnostic.start(learner, roadmap())
    drive(run, right)

    assert diagnostic.accept(run, roadmap(), set()) == 0
    assert progress_rows(learner) == []


def test_typed_answers_are_asked_before_choices(bank, learner):
    for topic in bank.topics.values():
        ChoiceProblemFactory(topic=topic, difficulty=1, order=0)  # first in the file

    run = diagnostic.start(learner, roadmap())
    attempts = drive(run, wrong)

    assert attempts and not any(attempt.problem.is_choice for attempt in attempts)


def test_an_archived_problem_is_never_asked(bank, learner):
    archived = set()
    for problems in bank.problems.values():
        for problem in problems[:2]:
            problem.is_archived = True
            problem.save()
            archived.add(problem.pk)

    attempts = drive(diagnostic.start(learner, roadmap()), wrong)

    assert attempts and not {attempt.problem_id for attempt in attempts} & archived


def test_a_run_never_shows_the_same_problem_twice_when_the_bank_allows(bank, learner):
    # Alternating answers ask topics again and again; each has three problems or more.
    answers = iter([right, wrong] * 50)

    attempts = drive(diagnostic.start(learner, roadmap()), lambda p: next(answers)(p))

    problems = [attempt.problem_id for attempt in attempts]
    by_topic = {}
    for attempt in attempts:
        by_topic.setdefault(attempt.problem.topic.slug, []).append(attempt.problem_id)
    for slug, asked in by_topic.items():
        available = len(bank.problems[slug])
        assert len(set(asked)) == min(len(asked), available), (slug, asked)
    assert problems


@pytest.mark.parametrize("answer", [right, wrong], ids=["always right", "always wrong"])
def test_the_seeded_roadmap_never_asks_more_than_thirty(seeded_roadmap, answer):
    learner = UserFactory()

    attempts = drive(diagnostic.start(learner, roadmap()), answer)

    assert 0 < len(attempts) <= MAX_QUESTIONS
    run = diagnostic.current(learner, roadmap())
    assert run.is_finished and run.current is None
    # Every problem on its own topic's bank, none asked twice.
    assert len({a.problem_id for a in attempts}) == len(attempts)
    verdicts = diagnostic.proposal(run, roadmap())
    assert len(verdicts) == seeded_roadmap.topics.filter(is_archived=False).count()
    assert all(item.known for item in verdicts) if answer is right else not any(i.known for i in verdicts)


def test_a_checked_topic_is_never_proposed_as_a_gap(bank, learner):
    """Its own passed check outweighs what the diagnostic inferred from other answers."""
    MasteredProgressFactory(learner=learner, topic=bank["sums"], checked_at=timezone.now(), check_score="3/3")
    MasteredProgressFactory(learner=learner, topic=bank["products"])  # self-reported
    run = diagnostic.start(learner, roadmap())
    drive(run, wrong)
    diagnostic.stop(run)

    items = {item.topic.slug: item for item in diagnostic.proposal(run, roadmap())}

    assert not items["sums"].known and not items["sums"].changes
    assert not items["products"].known and items["products"].changes
    assert diagnostic.accept(run, roadmap(), {bank["sums"].pk, bank["products"].pk}) == 1
    assert Progress.objects.get(learner=learner, topic=bank["sums"]).is_checked
