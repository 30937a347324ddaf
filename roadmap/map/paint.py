"""One learner's view of a layout: statuses, gaps, fading topics and the way to the goal."""

from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass
from types import MappingProxyType

from roadmap.map.layout import Layout, NodeBox
from roadmap.progress import statuses


@dataclass(frozen=True)
class PaintedNode:
    box: NodeBox
    status: str  # "" when not started, or when nobody is logged in
    label: str  # accessible name: title, status and what stands out
    classes: str
    is_gap: bool = False
    on_path: bool = False
    is_goal: bool = False


@dataclass(frozen=True)
class PaintedEdge:
    d: str
    classes: str
    on_path: bool = False


@dataclass(frozen=True)
class MapView:
    layout: Layout
    nodes: tuple[PaintedNode, ...]
    edges: tuple[PaintedEdge, ...]  # every edge, the same for every learner but for is-context
    # The edges between two topics on the way to the goal, drawn again over the rest
    # in a group of their own, so a status change swaps only them (not every edge).
    path_edges: tuple[PaintedEdge, ...]
    has_statuses: bool
    has_path: bool

    def only(self, topic_ids: Iterable[int]) -> list[PaintedNode]:
        wanted = set(topic_ids)
        return [node for node in self.nodes if node.box.id in wanted]


def paint(
    layout: Layout,
    learner_statuses: Mapping[int, str] | None = None,
    *,
    gap_ids: Set[int] = frozenset(),
    path_ids: Set[int] = frozenset(),
    goal_id: int | None = None,
    fading: Mapping[int, str] = MappingProxyType({}),
) -> MapView:
    """A layout with one learner's statuses (None: nobody logged in), gaps, fading topics and goal path.

    `fading` maps a fading topic to the reason ("review overdue"), which its label reads out.
    `path_ids`: the topics still to study on the way to the goal, the goal among them
    (see page.py); an edge is on the path when both its ends are.
    """
    nodes = []
    for box in layout.nodes:
        status = learner_statuses.get(box.id, "") if learner_statuses is not None else ""
        classes = ["map-node", f"sec-{box.colour}"]
        words = []
        if learner_statuses is not None:
            classes.append(f"status-{status or 'not_started'}")
            words.append(statuses.info(status).verb)
        is_gap, on_path, is_goal = box.id in gap_ids, box.id in path_ids, box.id == goal_id
        for flag, css, word in [
            (is_gap, "is-gap", "gap"),
            (box.id in fading, "is-fading", f"fading: {fading.get(box.id)}"),
            (is_goal, "is-goal", "your goal"),
            (on_path and not is_goal, "on-path", "on the way to your goal"),
            (box.is_context, "is-context", "from another section"),
        ]:
            if flag:
                classes.append(css)
                words.append(word)
        label = f"{box.title} — {', '.join(words)}" if words else box.title
        nodes.append(PaintedNode(box, status, label, " ".join(classes), is_gap, on_path, is_goal))
    edges, path_edges = [], []
    context = {box.id for box in layout.nodes if box.is_context}
    for path in layout.edges:
        classes = ["map-edge"]
        for flag, css in [(path.direct, "is-direct"), (path.topic_id in context, "is-context")]:
            if flag:
                classes.append(css)
        edges.append(PaintedEdge(path.d, " ".join(classes)))
        if path.prerequisite_id in path_ids and path.topic_id in path_ids:
            path_edges.append(PaintedEdge(path.d, " ".join([*classes, "on-path"]), on_path=True))
    return MapView(
        layout, tuple(nodes), tuple(edges), tuple(path_edges), learner_statuses is not None, bool(path_ids)
    )
