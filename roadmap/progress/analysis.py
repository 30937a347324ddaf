"""Gap analysis: pure functions over a roadmap's prerequisite graph.

Everything here is O(V + E) per call (plus a heap for ordering) and works on
plain data, so the dashboard computes it from a handful of queries and the
tests build graphs by hand.
"""

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import overload

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.progress import statuses as vocabulary

Statuses = Mapping[int, str]

# Plain strings: a status read from the database is a str, and hashing a str is
# far cheaper than going through the enum on each of thousands of lookups.
_COVERED = vocabulary.COVERED
_STARTED = vocabulary.STARTED
_STATUS_VALUES = tuple(info.value for info in vocabulary.STATUSES)


def covered_ids(statuses: Statuses) -> set[int]:
    return {pk for pk, status in statuses.items() if status in _COVERED}


def is_covered(status: str | None) -> bool:
    return status in _COVERED


def is_started(status: str | None) -> bool:
    return status in _STARTED


def has_started_dependent(graph: RoadmapGraph, statuses: Statuses, topic_id: int) -> bool:
    """Whether something the learner has started builds on the topic, directly or not.

    That is what makes an uncovered topic a gap (see find_gaps).
    """
    seen: set[int] = set()
    stack = list(graph.unlocks.get(topic_id, ()))
    while stack:
        pk = stack.pop()
        if statuses.get(pk) in _STARTED:
            return True
        if pk not in seen:
            seen.add(pk)
            stack.extend(graph.unlocks[pk])
    return False


@dataclass(frozen=True)
class Gap:
    topic: TopicNode
    # Bit i set: the i-th started topic needs this one. Decoded only on demand,
    # since a panel shows a handful of the hundreds of gaps a big roadmap has.
    mask: int = field(repr=False)
    decode: Callable[[int, int], list[TopicNode]] = field(repr=False, compare=False)
    blocks_shown: int = 3

    @property
    def blocks(self) -> list[TopicNode]:
        """Started topics that need this one, directly or not, earliest first (a few)."""
        return self.decode(self.mask, self.blocks_shown)

    @property
    def blocks_count(self) -> int:
        return self.mask.bit_count()


def find_gaps(graph: RoadmapGraph, statuses: Statuses, *, blocks_shown: int = 3) -> "Gaps":
    """Uncovered topics that something the learner has started builds on.

    Each topic gets a bitmask of the started topics that depend on it, pushed
    from dependents to prerequisites in reverse study order: one pass over the
    edges, with Python's big ints doing the set unions.
    """
    started = [pk for pk in graph.topics if statuses.get(pk) in _STARTED]
    if not started:
        return Gaps(graph, [], [], started, blocks_shown)
    order = graph.full_study_order
    masks = dependents_masks(graph, started)
    covered = covered_ids(statuses)
    positions = [at for at, mask in enumerate(masks) if mask and order[at] not in covered]
    return Gaps(graph, positions, masks, started, blocks_shown)


class Gaps(Sequence[Gap]):
    """find_gaps' answer, in study order: each Gap made only when asked for.

    A big roadmap has hundreds of gaps and a panel shows eight; making them all
    was a third of the analysis.
    """

    def __init__(
        self,
        graph: RoadmapGraph,
        positions: list[int],
        masks: list[int],
        started: list[int],
        blocks_shown: int,
    ):
        self._graph, self._positions, self._masks = graph, positions, masks
        self._started, self._blocks_shown = started, blocks_shown

    def __len__(self) -> int:
        return len(self._positions)

    @overload
    def __getitem__(self, index: int) -> Gap: ...
    @overload
    def __getitem__(self, index: slice) -> list[Gap]: ...
    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._gap(at) for at in self._positions[index]]
        return self._gap(self._positions[index])

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    def __repr__(self) -> str:
        return f"Gaps({list(self)!r})"

    def _gap(self, position: int) -> Gap:
        graph, started = self._graph, self._started
        return Gap(
            graph.topics[graph.full_study_order[position]],
            self._masks[position],
            lambda mask, limit: _first_bits(mask, started, graph, limit),
            self._blocks_shown,
        )


def dependents_masks(graph: RoadmapGraph, started: list[int]) -> list[int]:
    """For each topic in study order, the started topics that need it, directly or not.

    Bit i stands for started[i]. Lists indexed by study position, not dicts by
    topic: this pass over every edge is the dearest part of a status change.
    A status change asks twice (before and after), mostly for the same started
    topics, so the last answer is kept (with its graph, never another's). Read only.
    """
    global _last_masks
    key = tuple(started)
    last = _last_masks
    if last is not None and last[0] is graph and last[1] == key:
        return last[2]
    masks = _masks(graph, started)
    _last_masks = (graph, key, masks)
    return masks


_last_masks: tuple[RoadmapGraph, tuple[int, ...], list[int]] | None = None


def _masks(graph: RoadmapGraph, started: list[int]) -> list[int]:
    at = graph.study_positions
    # with_self[p]: the mask of position p, plus p's own bit once p is passed.
    with_self = [0] * len(at)
    for index, pk in enumerate(started):
        with_self[at[pk]] = 1 << index
    masks = [0] * len(at)
    dependents = graph.dependents_by_position
    for position in range(len(at) - 1, -1, -1):
        mask = 0
        for dependent in dependents[position]:
            mask |= with_self[dependent]
        masks[position] = mask
        with_self[position] |= mask
    return masks


def _first_bits(mask: int, started: list[int], graph: RoadmapGraph, limit: int) -> list[TopicNode]:
    nodes = []
    while mask and len(nodes) < limit:
        lowest = mask & -mask
        nodes.append(graph.topics[started[lowest.bit_length() - 1]])
        mask ^= lowest
    return nodes


def next_up(graph: RoadmapGraph, statuses: Statuses) -> list[TopicNode]:
    """What to study next, in roadmap order: see next_up_ids."""
    ready = next_up_ids(graph, statuses)
    return [topic for pk, topic in graph.topics.items() if pk in ready]


def is_next_up(graph: RoadmapGraph, statuses: Statuses, topic_id: int) -> bool:
    """Whether next_up() lists the topic."""
    return topic_id in next_up_ids(graph, statuses)


def next_up_ids(graph: RoadmapGraph, statuses: Statuses) -> set[int]:
    """The rule for "next up", written once: every panel and page that shows it asks here.

    A topic is next up when it is uncovered, everything it needs is covered
    *directly or not* (a covered prerequisite that rests on uncovered ones is no
    ground to build on), and nothing the learner has started builds on it.
    That last one is a gap (find_gaps), and Gaps lists it: "fill this first" and
    "ready when you are" would be two answers for one topic.

    Two passes over the edges: study order puts each topic after what it needs,
    so "covered all the way down" is known for its prerequisites when a topic
    is reached; the reverse order does the same for "something started builds on it".
    """
    covered = covered_ids(statuses)
    order = graph.full_study_order
    needs = graph.needs
    grounded: set[int] = set()  # covered, and so is everything it needs, directly or not
    ready: set[int] = set()
    for pk in order:
        if grounded.issuperset(needs[pk]):
            (grounded if pk in covered else ready).add(pk)
    if ready:
        ready -= _built_on(graph, statuses)
    return ready


def _built_on(graph: RoadmapGraph, statuses: Statuses) -> set[int]:
    """Topics that something the learner has started builds on, directly or not (has_started_dependent)."""
    unlocks = graph.unlocks
    built_on: set[int] = set()
    for pk in reversed(graph.full_study_order):
        for dependent in unlocks[pk]:
            if dependent in built_on or statuses.get(dependent) in _STARTED:
                built_on.add(pk)
                break
    return built_on


@dataclass(frozen=True)
class Plan:
    goal: TopicNode
    steps: list[TopicNode]  # uncovered prerequisites and the goal, in study order
    hours: Decimal
    covered: int  # topics on the way to the goal already covered
    total: int  # all topics on the way, goal included

    @property
    def percent(self) -> int:
        return _percent(self.covered, self.total) if self.total else 100

    @property
    def is_reached(self) -> bool:
        return not self.steps


def plan_to(graph: RoadmapGraph, statuses: Statuses, goal_id: int) -> Plan | None:
    """Everything left to study before (and including) the goal, in a valid order."""
    goal = graph.topics.get(goal_id)
    if goal is None:
        return None
    route = graph.ancestors(goal_id) | {goal_id}
    todo = route - covered_ids(statuses)
    steps = [graph.topics[pk] for pk in graph.study_order(todo)]
    return Plan(
        goal=goal,
        steps=steps,
        hours=sum((t.hours for t in steps), Decimal(0)),
        covered=len(route) - len(todo),
        total=len(route),
    )


def stale_learning(
    graph: RoadmapGraph, since: Mapping[int, tuple[str, datetime]], *, now: datetime, days: int
) -> list[TopicNode]:
    """Topics left at "learning" (watching/reading) for `days` or more without practice.

    `since` maps a topic to (status, when that status was set).
    """
    cutoff = now - timedelta(days=days)
    return [
        graph.topics[pk]
        for pk in graph.topics
        if pk in since and since[pk][0] == vocabulary.LEARNING.value and since[pk][1] <= cutoff
    ]


@dataclass
class SectionProgress:
    section_id: int
    total: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(_STATUS_VALUES, 0))
    hours_total: Decimal = Decimal(0)
    # Covered topics proven by a passed check; the rest of `covered` is self-reported.
    checked: int = 0

    @property
    def covered(self) -> int:
        return sum(self.counts[value] for value in vocabulary.COVERED)

    @property
    def self_reported(self) -> int:
        return self.covered - self.checked

    @property
    def not_started(self) -> int:
        return self.total - sum(self.counts.values())

    @property
    def is_finished(self) -> bool:
        return self.total > 0 and self.covered == self.total

    @property
    def percent(self) -> int:
        return _percent(self.covered, self.total) if self.total else 0

    @property
    def by_status(self) -> list[tuple[vocabulary.StatusInfo, int]]:
        """(status, count) for each status, covered first, as bars and count lists show them."""
        return [(vocabulary.info(value), self.counts[value]) for value in vocabulary.BAR_ORDER]

    @property
    def segments(self) -> list[tuple[str, float, float]]:
        """(status, start, width) stripes of a 0–100 progress bar, covered first."""
        stripes, start = [], 0.0
        for status in vocabulary.BAR_ORDER:
            width = 100 * self.counts[status] / self.total if self.total else 0
            if width:
                stripes.append((status, start, width))
                start += width
        return stripes


def _percent(part: int, whole: int) -> int:
    """Rounded, but 100% only when all is done and 0% only when none is: 999 of 1,000 is 99%."""
    return min(max(round(100 * part / whole), 1 if part else 0), 100 if part == whole else 99)


def section_progress(
    graph: RoadmapGraph, statuses: Statuses, checked: Collection[int] = ()
) -> dict[int, SectionProgress]:
    """Counts per status for each section; skipped and mastered stay separate.

    `checked`: the topics with a passed check on record; only covered ones count as checked.
    """
    result = {
        section_id: SectionProgress(section_id, total=count, hours_total=hours)
        for section_id, (count, hours) in graph.section_totals.items()
    }
    topics = graph.topics
    for pk, status in statuses.items():
        # Progress on archived topics (absent from the graph) does not count.
        if status and pk in topics:
            result[topics[pk].section_id].counts[status] += 1
    for pk in checked:
        if pk in topics and statuses.get(pk) in _COVERED:
            result[topics[pk].section_id].checked += 1
    return result


def overall_progress(sections: Iterable[SectionProgress]) -> SectionProgress:
    total = SectionProgress(section_id=0)
    for section in sections:
        total.total += section.total
        total.hours_total += section.hours_total
        total.checked += section.checked
        for status, count in section.counts.items():
            total.counts[status] += count
    return total
