"""The placement diagnostic on the database: a run's answers, the next problem, the proposal.

placement.py holds the rule (which topic to ask, what the answers say); this
module feeds it a roadmap's graph and bank and the run's stored answers, keeps
the problem on screen in `Placement.current` (so a reload or a return days
later shows the same one), and turns the verdicts into a proposal the learner
accepts all at once or topic by topic. Nothing changes a status until then.
"""

import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.checking import drawing, placement
from roadmap.checking.topic_check import check_rate
from roadmap.curriculum import loading
from roadmap.curriculum.graph import TopicNode
from roadmap.models import (
    COVERED,
    Attempt,
    Placement,
    Problem,
    ProblemKind,
    Progress,
    Purpose,
    Roadmap,
    Status,
    Topic,
)
from roadmap.progress.status import set_status
from roadmap.web.memory import ProcessMemory


@dataclass(frozen=True)
class Bank:
    """What the rule reads of a roadmap, built once per graph token."""

    rule: placement.Prerequisites
    problems: dict[int, list[Problem]]  # topic → the problems the diagnostic asks, easiest first
    guesses: dict[int, float]  # topic → the guess chance of the problem it would ask


BANKS: ProcessMemory[Bank] = ProcessMemory(8)
# The diagnostic asks typed answers first: a choice question can be guessed, so it
# says less. Within a kind, the easiest: it places the topic, it does not grade it.
KIND_ORDER = {
    ProblemKind.NUMERIC: 0,
    ProblemKind.EXPRESSION: 0,
    ProblemKind.CHOICE: 1,
    ProblemKind.MULTIPLE: 2,
}


def bank_for(roadmap: Roadmap) -> Bank:
    key = (roadmap.pk, roadmap.graph_token)
    kept = BANKS.get(key)
    if kept is not None:
        return kept
    graph = loading.load_graph(roadmap)
    by_topic: dict[int, list[Problem]] = {}
    # With their topics: the question page names the topic of the problem on screen.
    for problem in (
        Problem.objects.active()
        .filter(topic_id__in=graph.topics)
        .select_related("topic")
        .order_by("topic_id", "order", "id")
    ):
        by_topic.setdefault(problem.topic_id, []).append(problem)
    for problems in by_topic.values():
        problems.sort(key=lambda p: (KIND_ORDER[p.kind], p.difficulty, p.order))
    # Only topics with problems can be asked; the rule still reasons about the rest through the graph.
    needs = {pk: graph.needs[pk] for pk in graph.full_study_order}
    bank = Bank(
        rule=placement.Prerequisites.of(needs),
        problems=by_topic,
        guesses={pk: problems[0].guess_chance for pk, problems in by_topic.items()},
    )
    BANKS.set(key, bank)
    return bank


def current(learner, roadmap: Roadmap) -> Placement | None:
    """The learner's latest run on this roadmap, finished or not."""
    return Placement.objects.filter(learner=learner, roadmap=roadmap).select_related("current__topic").first()


def start(learner, roadmap: Roadmap) -> Placement:
    run = Placement.objects.create(learner=learner, roadmap=roadmap)
    # The dashboard offers "Resume" from now on: its cached pages are out of date.
    Profile.objects.learner_changed(learner.pk)
    advance(run, roadmap)
    return run


def answers_of(run: Placement) -> list[tuple[Attempt, placement.Answer]]:
    attempts = run.attempts.select_related("problem__topic").order_by("created_at", "id")
    return [(a, placement.Answer(a.problem.topic_id, a.correct, a.problem.guess_chance)) for a in attempts]


def advance(run: Placement, roadmap: Roadmap) -> Problem | None:
    """Put the next problem on screen, or finish the run when the rule stops."""
    bank = bank_for(roadmap)
    answered = answers_of(run)
    asked = [answer for _, answer in answered]
    topic = placement.next_topic(bank.rule, bank.guesses, asked)
    if topic is None or topic not in bank.problems:
        _finish(run)
        return None
    seen = {attempt.problem_id for attempt, _ in answered}
    # One of the two easiest problems not asked yet in this run (a topic can be asked
    # three times or more): the same problem again would repeat an answer, not add one.
    unseen = [p for p in bank.problems[topic] if p.id not in seen]
    # Seeded by the run, so the problem drawn does not change between two requests.
    problem = drawing.draw_one(
        unseen[:2] or bank.problems[topic][:2], seen, random.Random(f"{run.pk}:{len(asked)}")
    )
    run.current = problem
    run.save(update_fields=["current", "updated_at"])
    return problem


class AlreadyAnswered(Exception):
    """The problem was answered meanwhile (a double click, another tab): nothing was stored."""


def answer(run: Placement, roadmap: Roadmap, response: str) -> tuple[Attempt, Problem | None]:
    """Grade the answer to the problem on screen, store it, and move on.

    Raises answers.AnswerError (nothing stored) when the response cannot be read,
    TooManyAnswers past the answer limit, and AlreadyAnswered when another
    submission of the same problem got there first.
    """
    problem = run.current
    correct = problem.grade(response)
    check_rate(run.learner_id)
    with transaction.atomic():
        # Claim the problem on screen: of two submissions that both read it there, the
        # second's UPDATE waits for the first's row lock, then matches nothing.
        if not Placement.objects.filter(pk=run.pk, current=problem).update(current=None):
            raise AlreadyAnswered
        attempt = Attempt.objects.create(
            learner_id=run.learner_id,
            problem=problem,
            answer=response,
            correct=correct,
            purpose=Purpose.PLACEMENT,
            placement=run,
        )
        return attempt, advance(run, roadmap)


def stop(run: Placement) -> None:
    """End the run now: the proposal is what the answers so far say."""
    if run.finished_at is None:
        _finish(run)


def _finish(run: Placement) -> None:
    run.current, run.finished_at = None, timezone.now()
    run.save(update_fields=["current", "finished_at", "updated_at"])
    # The dashboard stops offering "Resume": its cached pages are out of date.
    Profile.objects.learner_changed(run.learner_id)


@dataclass
class Proposed:
    topic: TopicNode
    known: bool
    confidence: float
    settled: bool
    status: str | None  # the learner's status now
    evidence: list[Attempt] = field(default_factory=list)  # the answers that say so
    checked: bool = False  # covered with a passed check behind it

    @property
    def changes(self) -> bool:
        """Accepting it would change the status: known but not covered, or a gap marked covered.

        A passed check of the topic itself outweighs what the diagnostic inferred
        from other topics' answers, so a checked topic is never proposed as a gap.
        """
        if self.known:
            return self.status not in COVERED
        return self.status in COVERED and not self.checked

    @property
    def new_status(self) -> str | None:
        return Status.SKIPPED.value if self.known else None


def proposal(
    run: Placement, roadmap: Roadmap, answered: list[tuple[Attempt, placement.Answer]] | None = None
) -> list[Proposed]:
    """Every active topic in roadmap order, with the verdict and the answers behind it.

    `answered` is answers_of(run), for a caller that has read it already.
    """
    graph = loading.load_graph(roadmap)
    bank = bank_for(roadmap)
    answered = answers_of(run) if answered is None else answered
    verdicts = placement.classify(bank.rule, [a for _, a in answered])
    rows = Progress.objects.for_learner(run.learner_id, roadmap).values_list(
        "topic_id", "status", "checked_at"
    )
    statuses = {pk: status for pk, status, _ in rows}
    checked = {pk for pk, status, at in rows if at is not None and status in COVERED}
    proposed = []
    for pk in graph.topics:
        verdict = verdicts[pk]
        proposed.append(
            Proposed(
                topic=graph.topics[pk],
                known=verdict.known,
                confidence=verdict.confidence,
                settled=verdict.settled,
                status=statuses.get(pk),
                evidence=[answered[i][0] for i in verdict.support],
                checked=pk in checked,
            )
        )
    return proposed


def accept(run: Placement, roadmap: Roadmap, topic_ids: set[int]) -> int:
    """Take the proposal for the chosen topics: known ones become Known, gaps are cleared.

    Only topics whose status would change are touched; returns how many changed.
    """
    changed = 0
    with transaction.atomic():
        Profile.objects.lock_learner(run.learner_id)
        chosen = [item for item in proposal(run, roadmap) if item.topic.id in topic_ids and item.changes]
        topics = Topic.objects.in_bulk([item.topic.id for item in chosen])
        for item in chosen:
            set_status(
                learner=run.learner,
                topic=topics[item.topic.id],
                status=Status.SKIPPED if item.known else None,
                note=f"Placement diagnostic, {run.created_at:%d %b %Y}" if item.known else None,
            )
            changed += 1
        run.applied_at = timezone.now()
        run.save(update_fields=["applied_at", "updated_at"])
    return changed
