"""The placement diagnostic ("Find my level"): which topic to ask next, and what the answers say.

Knowledge-space theory (Doignon & Falmagne; ALEKS) models what a learner knows as a set of
topics closed under prerequisites: whoever knows a topic knows everything it needs. So one
answer speaks for many topics. A right answer on T is evidence that T and all its ancestors
are known; a wrong one, that T and all its descendants are not. Answers are noisy both ways:
a learner who knows T still slips (SLIP), and one who does not may guess a choice question.

Each answer adds a log-likelihood ratio to every topic it speaks for:

    right on T:  log((1 − slip) / guess)      to T and its ancestors
    wrong on T:  log(slip / (1 − guess))      to T and its descendants

A topic is settled once its summed evidence reaches ±THRESHOLD. The next topic asked is the
open one whose answer settles the most whichever way it goes: the largest min(what a right
answer settles at and above it, what a wrong one settles at and below it), ALEKS's "as
informative as possible" question read as a split of the graph. Right after a wrong answer
the question stays at or below that topic, among its open prerequisites, the way a tutor
probes what a stumble rests on. It stops once every topic is settled, or after MAX_QUESTIONS.

Plain data in and out, deterministic (ties go to the topic earlier in the mapping), no
Django. docs/placement.md has the reasons and bench/diagnostic.py the simulated figures.
"""

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from roadmap.curriculum.graph import closure

TopicId = Hashable

SLIP = 0.1  # a learner who knows a topic still gets one problem in ten wrong
MAX_QUESTIONS = 30
# Settled at 12:1 odds, just above what one wrong answer on an open question weighs
# (log 10): one slip never settles a gap on its own, since a slip on a deep topic would
# otherwise mark everything after it a gap, unasked. One right open answer (see the guess
# floor) settles a topic and all it needs; a guessable 4- or 5-choice one needs two.
THRESHOLD = math.log(12)
# Even a numeric or expression answer is right without the skill now and then (a wrong
# method that lands on the number, a copied result); with a guess of 0 one answer would be
# infinitely sure and nothing could outweigh it.
GUESS_FLOOR = 0.02


def guess_chance(kind: str, choices: int = 0) -> float:
    """The chance of answering a problem right by guessing alone.

    kind is a problem kind of the problems file: numeric | expression | choice | multiple.
    """
    if kind == "choice" and choices > 0:
        return 1 / choices
    if kind == "multiple" and choices > 0:
        return 1 / (2**choices - 1)  # one of the non-empty subsets of the choices
    return 0.0


@dataclass(frozen=True)
class Answer:
    topic: TopicId
    correct: bool
    guess: float  # the chance that this problem is answered right by guessing


@dataclass(frozen=True)
class Verdict:
    known: bool  # False: a gap to study
    confidence: float  # the modelled chance that `known` is right, from 0.5 to 1
    settled: bool  # the evidence reached the threshold (else: the best reading when it stopped)
    support: tuple[int, ...]  # positions in `answers` of those pointing the way of the verdict
    against: tuple[int, ...] = ()  # and of those pointing the other way


@dataclass(frozen=True)
class Prerequisites:
    """The prerequisite graph as the rule reads it, built once per roadmap.

    Topics are numbered in the mapping's order, which also breaks every tie; each topic's
    ancestors and descendants are kept as sorted index tuples, walked for every candidate.
    """

    order: tuple[TopicId, ...]
    position: dict[TopicId, int]
    needs: tuple[tuple[int, ...], ...]  # direct prerequisites
    ancestors: tuple[tuple[int, ...], ...]  # what each topic needs, directly or not
    descendants: tuple[tuple[int, ...], ...]  # what needs each topic, directly or not
    neighbours: tuple[tuple[int, ...], ...]  # direct links either way

    @classmethod
    def of(cls, needs: Mapping[TopicId, Iterable[TopicId]]) -> "Prerequisites":
        """From {topic: [prerequisite, …]}; prerequisites that are not keys are dropped."""
        order = tuple(needs)
        position = {topic: i for i, topic in enumerate(order)}
        adjacency = {t: [p for p in needs[t] if p in position] for t in order}
        unlocks: dict[TopicId, list[TopicId]] = {t: [] for t in order}
        for topic, prerequisites in adjacency.items():
            for prerequisite in prerequisites:
                unlocks[prerequisite].append(topic)

        def indices(topics: Iterable[TopicId]) -> tuple[int, ...]:
            return tuple(sorted(position[t] for t in topics))

        return cls(
            order=order,
            position=position,
            needs=tuple(indices(adjacency[t]) for t in order),
            ancestors=tuple(indices(closure(adjacency, t)) for t in order),
            descendants=tuple(indices(closure(unlocks, t)) for t in order),
            neighbours=tuple(indices({*adjacency[t], *unlocks[t]}) for t in order),
        )


def next_topic(
    graph: Prerequisites,
    guesses: Mapping[TopicId, float],
    answers: Sequence[Answer],
    *,
    slip: float = SLIP,
    max_questions: int = MAX_QUESTIONS,
) -> TopicId | None:
    """The topic to ask next, or None to stop: every topic settled, or max_questions asked.

    guesses: each topic's guess chance on the problem that would be asked (its easiest);
    a topic missing from it counts as an open (numeric) question.
    """
    if len(answers) >= max_questions:
        return None
    evidence = _evidence(graph, answers, slip)
    open_ = [abs(e) < THRESHOLD for e in evidence]
    candidates = _probe(graph, answers, open_) or [i for i, o in enumerate(open_) if o]
    best, best_score = None, (-1.0, -1.0)
    for i in candidates:
        right, wrong = _weights(guesses.get(graph.order[i], 0.0), slip)
        up = _progress(evidence, open_, _reach(graph, i, True), right)
        down = _progress(evidence, open_, _reach(graph, i, False), wrong)
        score = (min(up, down), max(up, down))
        if score > best_score:
            best, best_score = i, score
    return None if best is None else graph.order[best]


def classify(
    graph: Prerequisites, answers: Sequence[Answer], *, slip: float = SLIP
) -> dict[TopicId, Verdict]:
    """Every topic's verdict: known or a gap, how sure, and which answers it rests on.

    A topic no answer speaks for takes the reading of the nearest topics that have one (by
    prerequisite links, either way); a tie, or no evidence at all, makes it a gap: a topic
    proposed as known is skipped, so doubt errs towards study.
    """
    evidence = _evidence(graph, answers, slip)
    speaks: list[list[int]] = [[] for _ in graph.order]
    for n, answer in enumerate(answers):
        if answer.topic in graph.position:
            for i in _reach(graph, graph.position[answer.topic], answer.correct):
                speaks[i].append(n)
    verdicts: dict[TopicId, Verdict] = {}
    for i, topic in enumerate(graph.order):
        if not speaks[i]:
            verdicts[topic] = _nearest(graph, i, evidence, speaks)
            continue
        known = evidence[i] > 0
        verdicts[topic] = Verdict(
            known=known,
            confidence=1 / (1 + math.exp(-abs(evidence[i]))),
            settled=abs(evidence[i]) >= THRESHOLD,
            support=tuple(n for n in speaks[i] if answers[n].correct == known),
            against=tuple(n for n in speaks[i] if answers[n].correct != known),
        )
    return verdicts


def _weights(guess: float, slip: float) -> tuple[float, float]:
    """(log-likelihood ratio of a right answer, of a wrong one) on a problem with this guess chance."""
    guess = min(max(guess, GUESS_FLOOR), 1 - GUESS_FLOOR)
    return math.log((1 - slip) / guess), math.log(slip / (1 - guess))


def _reach(graph: Prerequisites, at: int, correct: bool) -> tuple[int, ...]:
    """The topics an answer on `at` speaks for: itself and those above it (right) or below (wrong)."""
    return (at, *(graph.ancestors[at] if correct else graph.descendants[at]))


def _evidence(graph: Prerequisites, answers: Sequence[Answer], slip: float) -> list[float]:
    evidence = [0.0] * len(graph.order)
    for answer in answers:
        at = graph.position.get(answer.topic)
        if at is None:
            continue  # a topic archived since: its answer places nothing now
        right, wrong = _weights(answer.guess, slip)
        for i in _reach(graph, at, answer.correct):
            evidence[i] += right if answer.correct else wrong
    return evidence


def _probe(graph: Prerequisites, answers: Sequence[Answer], open_: list[bool]) -> list[int]:
    """Right after a wrong answer, where its cause may lie: that topic's open ancestors, or itself.

    Only the latest answer steers. Keeping to the branch until it was settled measured worse
    (bench/diagnostic.py): once a prerequisite has answered, the whole roadmap competes again.
    """
    if not answers or answers[-1].correct or answers[-1].topic not in graph.position:
        return []
    at = graph.position[answers[-1].topic]
    return [i for i in sorted(_reach(graph, at, True)) if open_[i]]


def _progress(evidence: list[float], open_: list[bool], reach: Iterable[int], weight: float) -> float:
    """How far towards settled an answer of `weight` takes the open topics it reaches.

    Each open topic counts for the share of its remaining way to ±THRESHOLD that the answer
    covers, at most 1; so a guessable question that cannot settle anything alone still counts.
    """
    total = 0.0
    for i in reach:
        if open_[i]:
            remaining = THRESHOLD - evidence[i] if weight > 0 else THRESHOLD + evidence[i]
            total += min(1.0, abs(weight) / remaining)
    return total


def _nearest(graph: Prerequisites, at: int, evidence: list[float], speaks: list[list[int]]) -> Verdict:
    """The reading of the closest topics that have evidence, widening one link at a time."""
    seen, ring = {at}, [at]
    while ring:
        wider: list[int] = []
        for i in ring:
            for n in graph.neighbours[i]:
                if n not in seen:
                    seen.add(n)
                    wider.append(n)
        ring = wider
        voices = [i for i in ring if speaks[i]]
        if voices:
            known = sum(1 if evidence[i] > 0 else -1 for i in voices) > 0
            support = sorted({n for i in voices if (evidence[i] > 0) == known for n in speaks[i]})
            return Verdict(known=known, confidence=0.5, settled=False, support=tuple(support))
    return Verdict(known=False, confidence=0.5, settled=False, support=())
