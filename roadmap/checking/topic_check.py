""" "Check yourself": three problems on one topic, graded on the server, with evidence kept.

Passing (all three right) records the topic as mastered with the date and the
score. Failing raises the topic to practised (never lowers it: a self-reported
Mastered or Known stays, and the result says the check disagrees), shows what
was missed, and names the prerequisites not yet proven as the likely cause.
Every answer is stored as an Attempt.
"""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.checking import drawing
from roadmap.curriculum import loading
from roadmap.curriculum.graph import TopicNode
from roadmap.models import COVERED, Attempt, Problem, Progress, Purpose, Status, Topic, TopicCheck
from roadmap.progress.status import Evidence, set_status

# An open check is shown again (the same three problems) for this long; after
# that, "Check yourself" draws a new one.
OPEN_FOR = timedelta(hours=12)
# Answers per learner per window, across checks, reviews and the diagnostic: far
# above honest work (a problem takes a minute), far below guessing a number.
ANSWER_LIMIT = 45
ANSWER_WINDOW = timedelta(minutes=10)
RAISED_ON_FAIL = {None, Status.LEARNING}


class TooManyAnswers(Exception):
    """The learner has answered ANSWER_LIMIT problems within ANSWER_WINDOW."""

    def __init__(self, retry_after: timedelta):
        self.retry_after = retry_after
        minutes = max(1, round(retry_after.total_seconds() / 60))
        super().__init__(
            f"You have answered {ANSWER_LIMIT} problems in the last {ANSWER_WINDOW.seconds // 60} minutes. "
            f"Take a breath and try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )


def check_rate(learner, *, adding: int = 1) -> None:
    """Refuse an answer that would go over the limit (TooManyAnswers); stored answers are the count."""
    since = timezone.now() - ANSWER_WINDOW
    recent = list(
        Attempt.objects.filter(learner=learner, created_at__gte=since)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:ANSWER_LIMIT]
    )
    if len(recent) + adding > ANSWER_LIMIT:
        oldest = recent[-1] if recent else timezone.now()
        raise TooManyAnswers(oldest + ANSWER_WINDOW - timezone.now())


def open_check(learner, topic: Topic, *, rng: random.Random | None = None) -> TopicCheck | None:
    """The learner's unanswered check of the topic, or a new one; None when the topic has no problems."""
    now = timezone.now()
    latest = TopicCheck.objects.filter(learner=learner, topic=topic).first()
    if latest is not None and latest.finished_at is None and latest.created_at > now - OPEN_FOR:
        return latest
    bank = list(Problem.objects.active().filter(topic=topic))
    if not bank:
        return None
    last = set(latest.problem_ids) if latest is not None else set()
    chosen = drawing.draw_check(bank, last, rng or random.Random())
    return TopicCheck.objects.create(learner=learner, topic=topic, problem_ids=[p.id for p in chosen])


def check_problems(check: TopicCheck) -> list[Problem]:
    """The check's problems in the order shown (archived ones too: the check was drawn with them)."""
    by_id = Problem.objects.in_bulk(check.problem_ids)
    return [by_id[pk] for pk in check.problem_ids if pk in by_id]


@dataclass
class Marked:
    problem: Problem
    answer: str
    correct: bool


@dataclass
class CheckResult:
    check: TopicCheck
    marked: list[Marked]
    status_before: str | None
    status_after: str | None
    likely_causes: list[TopicNode] = field(default_factory=list)
    was_checked: bool = False  # covered by an earlier passed check

    @property
    def passed(self) -> bool:
        return bool(self.check.passed)

    @property
    def missed(self) -> list[Marked]:
        return [m for m in self.marked if not m.correct]

    @property
    def kept_self_report(self) -> bool:
        """Failed, but the learner's own Mastered/Known stands: the page says the check disagrees."""
        return not self.passed and self.status_after in COVERED


def record_check(check: TopicCheck, marked: list[Marked]) -> CheckResult:
    """Store the answers, score the check and update the learner's status, under their lock.

    A check answered already is not graded again: its stored result comes back.
    """
    now = timezone.now()
    score = sum(m.correct for m in marked)
    passed = score == len(marked) == check.total
    with transaction.atomic():
        Profile.objects.lock_learner(check.learner_id)
        # A second submission of the same check (a double click, another tab) read it
        # open too; under the lock it finds the first one's answers and stores nothing.
        if TopicCheck.objects.filter(pk=check.pk, finished_at__isnull=False).exists():
            return result_of(TopicCheck.objects.select_related("learner", "topic").get(pk=check.pk))
        progress = Progress.objects.filter(learner_id=check.learner_id, topic=check.topic).first()
        before = progress.status if progress else None
        was_checked = progress is not None and progress.is_checked
        after = before
        if passed:
            change = set_status(
                learner=check.learner,
                topic=check.topic,
                status=Status.MASTERED,
                evidence=Evidence(at=now, score=f"{score}/{check.total}"),
            )
            after = change.status
        elif before in RAISED_ON_FAIL:
            after = set_status(learner=check.learner, topic=check.topic, status=Status.PRACTISED).status
        Attempt.objects.bulk_create(
            Attempt(
                learner_id=check.learner_id,
                problem=m.problem,
                answer=m.answer,
                correct=m.correct,
                purpose=Purpose.CHECK,
                topic_check=check,
                created_at=now,
            )
            for m in marked
        )
        check.finished_at, check.score, check.passed = now, score, passed
        check.save(update_fields=["finished_at", "score", "passed"])
    causes = [] if passed else unproven_prerequisites(check.learner, check.topic)
    return CheckResult(check, marked, before, after, causes, was_checked=was_checked)


def result_of(check: TopicCheck) -> CheckResult:
    """The result of a check answered earlier, from its stored answers."""
    attempts = {a.problem_id: a for a in check.attempts.all()}
    marked = [
        Marked(problem, attempts[problem.pk].answer, attempts[problem.pk].correct)
        for problem in check_problems(check)
        if problem.pk in attempts
    ]
    progress = Progress.objects.filter(learner_id=check.learner_id, topic=check.topic).first()
    status = progress.status if progress else None
    causes = [] if check.passed else unproven_prerequisites(check.learner, check.topic)
    return CheckResult(check, marked, status, status, causes)


def unproven_prerequisites(learner, topic: Topic) -> list[TopicNode]:
    """The topic's prerequisites (all the way down) that are not covered, or covered but never checked.

    Its direct prerequisites first, then the rest, each part in study order: the
    likeliest reasons a check fails.
    """
    graph = loading.load_graph(topic.roadmap)
    below = graph.ancestors(topic.pk)
    if not below:
        return []
    proven = set(
        Progress.objects.filter(
            learner=learner, topic_id__in=below, status__in=COVERED, checked_at__isnull=False
        ).values_list("topic_id", flat=True)
    )
    unproven = [pk for pk in graph.study_order(below) if pk not in proven]
    direct = set(graph.needs.get(topic.pk, ()))
    unproven.sort(key=lambda pk: pk not in direct)  # stable: direct prerequisites first
    return [graph.topics[pk] for pk in unproven]
