"""The map's drawing: layout invariants (hand-built, random and the shipped graphs), titles, the overlay."""

import itertools
import random
import re
from decimal import Decimal

import pytest

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.curriculum.loading import load_graph
from roadmap.map import layout as roadmap_map
from roadmap.map.layout import BENDS_PER_ELEMENT, NODE_H, layer_capacity, layout_graph, section_subgraph
from roadmap.map.paint import paint
from roadmap.map.titles import NODE_W, TEXT_WIDTH, text_width, wrap_title
from roadmap.models import Status

# -- hand-built graphs ---------------------------------------------------------


def node(pk: int, *, section: int = 1, title: str = "") -> TopicNode:
    return TopicNode(
        id=pk, slug=f"t{pk}", title=title or f"Topic {pk}", section_id=section, hours=Decimal(1), position=pk
    )


def graph_of(pks, edges, *, sections: dict[int, int] | None = None) -> RoadmapGraph:
    """edges are (topic, prerequisite): (2, 1) means 2 needs 1."""
    sections = sections or {}
    return RoadmapGraph.build([node(pk, section=sections.get(pk, 1)) for pk in pks], edges)


def random_dag(topics: int, edges: int, seed: int = 0) -> RoadmapGraph:
    """Like bench/dataset.py: mostly local prerequisites, some long-range ones."""
    rng = random.Random(seed)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        later = rng.randrange(1, topics)
        earlier = max(0, later - rng.randint(1, 30)) if rng.random() < 0.8 else rng.randrange(0, later)
        pairs.add((later + 1, earlier + 1))
    return graph_of(
        range(1, topics + 1), pairs, sections={pk: 1 + pk * 10 // topics for pk in range(topics + 1)}
    )


def endpoints(d: str) -> tuple[tuple[float, float], tuple[float, float]]:
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]
    return (numbers[0], numbers[1]), (numbers[-2], numbers[-1])


def assert_layout_invariants(graph: RoadmapGraph, layout) -> None:
    boxes = {box.id: box for box in layout.nodes}
    assert set(boxes) == set(graph.topics)
    # Every edge points forward: the prerequisite's layer is above the topic's.
    for pk, needs in graph.needs.items():
        for prerequisite in needs:
            assert boxes[prerequisite].layer < boxes[pk].layer
            assert boxes[prerequisite].y + NODE_H < boxes[pk].y
    # No two boxes overlap: same layer means same row, so check neighbours in x.
    rows: dict[int, list] = {}
    for box in layout.nodes:
        assert box.y == roadmap_map.MARGIN + box.layer * (NODE_H + roadmap_map.LAYER_GAP)
        rows.setdefault(box.layer, []).append(box)
    for row in rows.values():
        row.sort(key=lambda box: box.x)
        for left, right in itertools.pairwise(row):
            assert left.x + NODE_W < right.x, (left.title, right.title)
    # Everything is inside the drawing.
    for box in layout.nodes:
        assert box.x >= 0 and box.x + NODE_W <= layout.width
        assert box.y >= 0 and box.y + NODE_H <= layout.height


# -- layout ----------------------------------------------------------------------


def test_a_chain_is_one_column_of_layers_without_crossings():
    graph = graph_of([1, 2, 3, 4], [(2, 1), (3, 2), (4, 3)])

    layout = layout_graph(graph)

    assert [box.layer for box in layout.nodes] == [0, 1, 2, 3]
    assert len({box.x for box in layout.nodes}) == 1
    assert layout.crossings == 0
    assert_layout_invariants(graph, layout)


def test_edges_run_from_the_bottom_of_the_prerequisite_to_the_top_of_the_topic():
    graph = graph_of([1, 2, 3, 4], [(2, 1), (3, 1), (4, 2), (4, 3), (4, 1)])

    layout = layout_graph(graph)

    boxes = {box.id: box for box in layout.nodes}
    assert len(layout.edges) == 5
    for edge in layout.edges:
        (x0, y0), (x1, y1) = endpoints(edge.d)
        above, below = boxes[edge.prerequisite_id], boxes[edge.topic_id]
        assert y0 == above.y + NODE_H and above.x <= x0 <= above.x + NODE_W
        assert y1 == below.y and below.x <= x1 <= below.x + NODE_W
    # 4 → 1 skips a layer, so it bends around the middle layer instead of crossing a box.
    long_edge = next(e for e in layout.edges if (e.topic_id, e.prerequisite_id) == (4, 1))
    assert "L" in long_edge.d and not long_edge.direct


@pytest.mark.parametrize(("topics", "edges"), [(30, 60), (200, 600), (1000, 3000)])
def test_random_graphs_keep_the_layout_invariants(topics, edges):
    graph = random_dag(topics, edges)

    layout = layout_graph(graph)

    assert_layout_invariants(graph, layout)
    per_layer: dict[int, int] = {}
    for box in layout.nodes:
        per_layer[box.layer] = per_layer.get(box.layer, 0) + 1
    assert max(per_layer.values()) <= layer_capacity(topics)


def test_the_shipped_roadmap_keeps_the_layout_invariants_and_fits_a_laptop_width(seeded_roadmap):
    graph = load_graph(seeded_roadmap)

    layout = layout_graph(graph)

    assert_layout_invariants(graph, layout)
    assert len(layout.nodes) == 113
    assert layer_capacity(113) == 8
    assert max(sum(1 for b in layout.nodes if b.layer == layer) for layer in range(layout.layer_count)) <= 8
    # "Fit" shows it whole at about 55% on a 1366 px laptop (at 97 topics and 164 edges it was
    # under 2000 px, about 70%; the 274 edges of the audited roadmap need more room for bends).
    assert layout.width < 2500
    assert not any(edge.direct for edge in layout.edges)  # every long edge is routed round the boxes
    assert layout.nodes[0].title == "Arithmetic, fractions and order of operations"
    assert layout.nodes[0].layer == 0


def test_barycenter_sweeps_reduce_crossings(monkeypatch):
    graph = random_dag(120, 300, seed=3)
    unswept = layout_graph(graph)
    monkeypatch.setattr(roadmap_map, "SWEEPS", 0)
    before = layout_graph(graph)

    assert unswept.crossings < before.crossings


def test_past_the_bend_budget_the_longest_edges_are_drawn_direct():
    graph = random_dag(1000, 3000)

    layout = layout_graph(graph)

    direct = [edge for edge in layout.edges if edge.direct]
    boxes = {box.id: box for box in layout.nodes}
    span = {edge: boxes[edge.topic_id].layer - boxes[edge.prerequisite_id].layer for edge in layout.edges}
    bends = sum(span[edge] - 1 for edge in layout.edges if not edge.direct)
    assert direct
    assert bends <= BENDS_PER_ELEMENT * (1000 + 3000)
    assert min(span[edge] for edge in direct) >= max(span[edge] for edge in layout.edges if not edge.direct)
    assert all("L" not in edge.d for edge in direct)


def test_the_layout_is_deterministic():
    graph = random_dag(200, 500, seed=7)

    assert layout_graph(graph) == layout_graph(graph)


def test_an_empty_graph_has_an_empty_layout():
    layout = layout_graph(graph_of([], []))

    assert layout.nodes == () and layout.edges == ()
    assert layout.width > 0 and layout.height > 0


def test_long_titles_wrap_into_at_most_three_lines_that_fit_the_box():
    lines, truncated = wrap_title("Derivatives of exponential, logarithmic and trigonometric functions")

    assert 1 < len(lines) <= 3
    assert all(text_width(line) <= TEXT_WIDTH for line in lines)
    assert not truncated or lines[-1].endswith("…")
    assert wrap_title("Functions") == (("Functions",), False)


def test_a_title_too_long_for_three_lines_is_cut_and_flagged():
    lines, truncated = wrap_title("word " * 40)

    assert len(lines) == 3 and truncated and lines[-1].endswith("…")


def test_sections_get_their_colour_by_rank():
    graph = graph_of([1, 2, 3], [(2, 1), (3, 2)], sections={1: 10, 2: 20, 3: 30})

    layout = layout_graph(graph, section_rank={10: 0, 20: 1, 30: 12})

    assert [box.colour for box in layout.nodes] == [0, 1, 2]


def test_a_section_subgraph_adds_its_direct_prerequisites_from_other_sections_as_context():
    # Section 1: 1, 2; section 2: 3 needs 2, 4 needs 3 and 1; 5 (section 2) needs nothing.
    graph = graph_of([1, 2, 3, 4, 5], [(2, 1), (3, 2), (4, 3), (4, 1)], sections={3: 2, 4: 2, 5: 2})

    subgraph, context = section_subgraph(graph, 2)

    assert set(subgraph.topics) == {1, 2, 3, 4, 5}
    assert context == {1, 2}
    assert subgraph.needs[2] == [1]  # an edge between two context topics is kept
    layout = layout_graph(subgraph, context=context)
    assert {box.id for box in layout.nodes if box.is_context} == {1, 2}


# -- the overlay -------------------------------------------------------------------


def test_paint_shows_statuses_gaps_and_the_way_to_the_goal():
    graph = graph_of([1, 2, 3, 4], [(2, 1), (3, 2), (4, 3)])
    layout = layout_graph(graph)

    # 1 is mastered, so the way still to go is 2, 3 and the goal, 4.
    view = paint(layout, {1: "mastered", 3: "learning"}, gap_ids={2}, path_ids={2, 3, 4}, goal_id=4)

    nodes = {n.box.id: n for n in view.nodes}
    assert nodes[1].label == "Topic 1 — mastered"
    assert nodes[2].label == "Topic 2 — not started, gap, on the way to your goal"
    assert nodes[4].label == "Topic 4 — not started, your goal"
    assert "status-learning" in nodes[3].classes and nodes[3].status == "learning"
    assert "is-gap" in nodes[2].classes and nodes[2].is_gap
    assert "is-goal" in nodes[4].classes and "on-path" not in nodes[4].classes
    assert "on-path" not in nodes[1].classes
    assert view.has_statuses and view.has_path
    assert not any("on-path" in edge.classes for edge in view.edges)
    assert [(edge.on_path, edge.classes) for edge in view.path_edges] == [(True, "map-edge on-path")] * 2


def test_paint_without_a_learner_names_topics_only():
    layout = layout_graph(graph_of([1, 2], [(2, 1)]))

    view = paint(layout)

    assert [n.label for n in view.nodes] == ["Topic 1", "Topic 2"]
    assert not any("status-" in n.classes for n in view.nodes)
    assert not view.has_statuses and not view.has_path


def test_known_topics_are_labelled_known():
    view = paint(layout_graph(graph_of([1], [])), {1: Status.SKIPPED})

    assert view.nodes[0].label == "Topic 1 — known"


def test_the_way_to_the_goal_is_only_the_edges_between_topics_on_it():
    # 3 needs 1 and 2, 4 needs 3; 1 is covered, so the way is 2 → 3 → 4.
    graph = graph_of([1, 2, 3, 4], [(3, 1), (3, 2), (4, 3)])
    layout = layout_graph(graph)
    ends = {edge.d: (edge.prerequisite_id, edge.topic_id) for edge in layout.edges}

    view = paint(layout, {1: "mastered"}, path_ids={2, 3, 4}, goal_id=4)

    assert sorted(ends[edge.d] for edge in view.path_edges) == [(2, 3), (3, 4)]
    assert len(view.edges) == 3  # every edge is still drawn, under the path


def test_the_path_edges_keep_the_look_of_what_they_draw():
    # Section 1 is topic 2, which needs 3 and 1 from section 2; 3 needs 1: an edge between context.
    graph = graph_of([1, 2, 3], [(3, 1), (2, 3), (2, 1)], sections={1: 2, 3: 2})
    subgraph, context = section_subgraph(graph, 1)

    view = paint(layout_graph(subgraph, context=context), {}, path_ids={1, 2, 3}, goal_id=2)

    assert sorted(edge.classes for edge in view.path_edges) == [
        "map-edge is-context on-path",
        "map-edge on-path",
        "map-edge on-path",
    ]
