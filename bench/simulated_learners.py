"""Simulated learners taking the placement diagnostic on the shipped roadmap.

Shared by bench/diagnostic.py (the report) and tests/roadmap/checking (a pinned lower
bound). Reads fixtures/math-for-ml.yaml with the project's own parser, so it needs Django
set up (the parser's checks use the models' choices), but never touches a database.

A learner's knowledge is a random state of the knowledge space: a set of topics closed
under prerequisites. It is drawn as a random cut of a random topological order: walk the
roadmap taking, at each step, a topic picked uniformly among those whose prerequisites are
all taken, and stop after c topics, c uniform in 0..n. So the number of known topics is
uniform from none to all (beginners to experts), and which topics those are varies from
one learner to the next wherever the graph leaves a choice.

On a known topic the learner answers right except for a slip (10%); on any other, right
only by guessing: 1/k on a k-choice question, 1/(2^k − 1) on select-all, never on a
numeric or expression answer.
"""

import random
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from roadmap.checking import placement
from roadmap.curriculum import roadmap_file

ROOT = Path(__file__).resolve().parent.parent
ROADMAP = ROOT / "fixtures" / "math-for-ml.yaml"
PROBLEMS = ROOT / "fixtures" / "math-for-ml.problems.yaml"
DRAFTS = Path("/work/problems-drafts")  # the content writers' drafts, outside the repository, until merged
LEVELS = ("beginner", "novice", "intermediate", "advanced", "expert")  # fifths of the roadmap known


def load_needs(path: Path = ROADMAP) -> dict[str, list[str]]:
    """{topic slug: [prerequisite slug, …]} in roadmap order, as the importer reads the file."""
    data = roadmap_file.parse(path.read_text(encoding="utf-8"))
    return {topic.slug: [r.topic for r in topic.requires] for topic in data.topics()}


def problem_files() -> list[Path]:
    """The merged problems file if it exists, else the drafts, else none (all numeric)."""
    if PROBLEMS.exists():
        return [PROBLEMS]
    return sorted(DRAFTS.glob("*.yaml")) if DRAFTS.is_dir() else []


def load_guesses(slugs: Sequence[str], files: Sequence[Path]) -> dict[str, float]:
    """Each topic's guess chance on its easiest problem (lowest difficulty, then least guessable).

    A topic no file covers gets an open (numeric) question: guess chance 0.
    """
    guesses = dict.fromkeys(slugs, 0.0)
    for path in files:
        banks = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("topics") or {}
        for slug, bank in banks.items():
            problems = (bank or {}).get("problems") or []
            if slug in guesses and problems:
                easiest = min(problems, key=lambda p: (p.get("difficulty", 1), _guess(p)))
                guesses[slug] = _guess(easiest)
    return guesses


def _guess(problem: Mapping) -> float:
    return placement.guess_chance(str(problem.get("kind", "numeric")), len(problem.get("choices") or []))


def draw_known(graph: placement.Prerequisites, rng: random.Random) -> set[int]:
    """A random cut of a random topological order: a prerequisite-closed set, of uniform size."""
    n = len(graph.order)
    size = rng.randint(0, n)
    waiting = [len(needs) for needs in graph.needs]
    unlocks: list[list[int]] = [[] for _ in range(n)]
    for topic, needs in enumerate(graph.needs):
        for prerequisite in needs:
            unlocks[prerequisite].append(topic)
    free = [i for i in range(n) if waiting[i] == 0]
    known: set[int] = set()
    while len(known) < size:
        topic = free.pop(rng.randrange(len(free)))
        known.add(topic)
        for dependent in unlocks[topic]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                free.append(dependent)
    return known


@dataclass(frozen=True)
class Run:
    known: int  # topics the learner knows
    asked: int  # problems the diagnostic took
    right: int  # topics it classified correctly
    false_known: int  # unknown topics it proposed as known (the costly mistake: they'd be skipped)
    topics: int

    @property
    def share(self) -> float:
        return self.right / self.topics

    @property
    def level(self) -> str:
        return LEVELS[min(len(LEVELS) - 1, len(LEVELS) * self.known // self.topics)]


def take_diagnostic(
    graph: placement.Prerequisites, guesses: Mapping[str, float], known: set[int], rng: random.Random
) -> Run:
    answers: list[placement.Answer] = []
    while (slug := placement.next_topic(graph, guesses, answers)) is not None:
        guess = guesses.get(slug, 0.0)
        chance = 1 - placement.SLIP if graph.position[slug] in known else guess
        answers.append(placement.Answer(slug, rng.random() < chance, guess))
    verdicts = placement.classify(graph, answers)
    truth = [i in known for i in range(len(graph.order))]
    said = [verdicts[slug].known for slug in graph.order]
    return Run(
        known=len(known),
        asked=len(answers),
        right=sum(s == t for s, t in zip(said, truth, strict=True)),
        false_known=sum(s and not t for s, t in zip(said, truth, strict=True)),
        topics=len(graph.order),
    )


def simulate(
    needs: Mapping[str, Sequence[str]], guesses: Mapping[str, float], *, learners: int, seed: int
) -> list[Run]:
    """`learners` diagnostics, reproducible from `seed`.

    States and answers draw from generators of their own, so one seed gives the same learners
    whatever the questions are (open or guessable): the scenarios compare like with like.
    """
    graph = placement.Prerequisites.of(needs)
    states, answers = random.Random(seed), random.Random(f"{seed}:answers")
    return [take_diagnostic(graph, guesses, draw_known(graph, states), answers) for _ in range(learners)]


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """min, p10, p25, median, p75, p90 (nearest-rank on the sorted values)."""
    ranked = sorted(values)

    def at(q: float) -> float:
        return ranked[min(len(ranked) - 1, int(q * len(ranked)))]

    return {
        "min": ranked[0],
        "p10": at(0.10),
        "p25": at(0.25),
        "median": statistics.median(ranked),
        "p75": at(0.75),
        "p90": at(0.90),
    }
