"""The prerequisite graph and its algorithms, on plain data.

Closure (what a topic needs, directly or not), study order, the route to a
goal, and cycle finding. Nothing here imports Django or the models, so the
models, the admin, the roadmap file, the gap analysis and the map share one
implementation, and the tests build graphs by hand.

Adjacency dicts map a node to the nodes it needs: {topic: [prerequisite, …]}.
"""

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from graphlib import CycleError, TopologicalSorter
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


def needs_from_edges(edges: Iterable[tuple[Node, Node]]) -> dict[Node, list[Node]]:
    """{topic: [prerequisite, …]} from (topic, prerequisite) pairs."""
    needs: dict[Node, list[Node]] = {}
    for topic, prerequisite in edges:
        needs.setdefault(topic, []).append(prerequisite)
    return needs


def find_cycle(adjacency: Mapping[Node, Iterable[Node]]) -> list[Node]:
    """One cycle as [a, b, …, a] following the edges, or [] when the graph is acyclic. O(V+E)."""
    try:
        # graphlib reads the dict as {node: its predecessors} and reports the
        # cycle against that direction, so it comes back reversed.
        TopologicalSorter(adjacency).prepare()
    except CycleError as error:
        return list(reversed(error.args[1]))
    return []


def cycle_through(adjacency: Mapping[Node, Iterable[Node]], start: Node) -> list[Node]:
    """A cycle of an otherwise acyclic graph, rotated to begin (and end) at `start`; [] if none."""
    cycle = find_cycle(adjacency)
    if not cycle or start not in cycle:
        return cycle
    ring = cycle[:-1]
    at = ring.index(start)
    ring = ring[at:] + ring[:at]
    return [*ring, start]


def path_between(adjacency: Mapping[Node, Iterable[Node]], start: Node, goal: Node) -> list[Node]:
    """The shortest path start → … → goal following edges, or [] if none."""
    if start == goal:
        return [start]
    parent: dict[Node, Node] = {}
    seen = {start}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for neighbour in adjacency.get(node, ()):
            if neighbour in seen:
                continue
            parent[neighbour] = node
            if neighbour == goal:
                path = [goal]
                while path[-1] != start:
                    path.append(parent[path[-1]])
                return path[::-1]
            seen.add(neighbour)
            queue.append(neighbour)
    return []


def closure(adjacency: Mapping[Node, Iterable[Node]], node: Node) -> set[Node]:
    """Every node `node` reaches by following edges (not itself, unless on a cycle)."""
    seen: set[Node] = set()
    stack = list(adjacency.get(node, ()))
    while stack:
        current = stack.pop()
        if current not in seen:
            seen.add(current)
            stack.extend(adjacency.get(current, ()))
    return seen


@dataclass(frozen=True)
class TopicNode:
    id: int
    slug: str
    title: str
    section_id: int
    hours: Decimal
    position: int  # index in roadmap order (sections, then topics)


@dataclass
class RoadmapGraph:
    """A roadmap's active topics and the prerequisite edges between them."""

    topics: dict[int, TopicNode]  # in roadmap order
    needs: dict[int, list[int]]  # topic → its prerequisites
    unlocks: dict[int, list[int]]  # prerequisite → topics that need it
    # (topic, prerequisite) → the share of a review of topic its prerequisite earns
    credit: dict[tuple[int, int], Decimal]

    @classmethod
    def build(
        cls, topics: Iterable[TopicNode], edges: Iterable[tuple[int, int] | tuple[int, int, Decimal]]
    ) -> "RoadmapGraph":
        """edges are (topic, prerequisite[, review credit]); edges to unknown topics are dropped."""
        nodes = {t.id: t for t in sorted(topics, key=lambda t: t.position)}
        needs: dict[int, list[int]] = {pk: [] for pk in nodes}
        unlocks: dict[int, list[int]] = {pk: [] for pk in nodes}
        credit: dict[tuple[int, int], Decimal] = {}
        for topic_id, prerequisite_id, *rest in edges:
            # Archived topics are absent from `topics`; their edges no longer count.
            if topic_id in nodes and prerequisite_id in nodes:
                needs[topic_id].append(prerequisite_id)
                unlocks[prerequisite_id].append(topic_id)
                if rest:
                    credit[topic_id, prerequisite_id] = rest[0]
        return cls(nodes, needs, unlocks, credit)

    def study_order(self, subset: Iterable[int] | None = None) -> list[int]:
        """Topics (all, or a subset) with every prerequisite before what needs it.

        Among topics that are free to go next, the earlier one in the roadmap
        wins, so the order stays as close to the curated plan as the graph allows.
        (graphlib's TopologicalSorter has no priorities, hence the heap.)
        """
        members = set(self.topics if subset is None else subset)
        indegree = dict.fromkeys(members, 0)
        for pk in members:
            indegree[pk] = sum(1 for p in self.needs[pk] if p in members)
        heap = [(self.topics[pk].position, pk) for pk, degree in indegree.items() if degree == 0]
        heapq.heapify(heap)
        order = []
        while heap:
            _, pk = heapq.heappop(heap)
            order.append(pk)
            for dependent in self.unlocks[pk]:
                if dependent in indegree:
                    indegree[dependent] -= 1
                    if indegree[dependent] == 0:
                        heapq.heappush(heap, (self.topics[dependent].position, dependent))
        return order

    @cached_property
    def full_study_order(self) -> list[int]:
        """study_order() of every topic, computed once per (cached) graph."""
        return self.study_order()

    @cached_property
    def study_positions(self) -> dict[int, int]:
        """{topic: its index in full_study_order}."""
        return {pk: at for at, pk in enumerate(self.full_study_order)}

    @cached_property
    def dependents_by_position(self) -> list[tuple[int, ...]]:
        """For each position in full_study_order, the positions of the topics that need it.

        Passes over every edge (the gap analysis makes several per request) run
        faster over lists indexed by position than over dicts keyed by topic.
        """
        at = self.study_positions
        return [tuple(at[d] for d in self.unlocks[pk]) for pk in self.full_study_order]

    @cached_property
    def section_totals(self) -> dict[int, tuple[int, Decimal]]:
        """{section id: (topics, hours)}, in roadmap order, computed once per (cached) graph."""
        totals: dict[int, tuple[int, Decimal]] = {}
        for topic in self.topics.values():
            count, hours = totals.get(topic.section_id, (0, Decimal(0)))
            totals[topic.section_id] = (count + 1, hours + topic.hours)
        return totals

    def ancestors(self, topic_id: int) -> set[int]:
        """Every topic that topic_id needs, directly or transitively."""
        return closure(self.needs, topic_id)

    def route_to(self, goal_id: int) -> set[int]:
        """The goal and everything it needs: the topics on the way to it."""
        return self.ancestors(goal_id) | {goal_id}
