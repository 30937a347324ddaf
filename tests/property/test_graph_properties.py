"""Random graphs against the pure graph code: gaps, next up, plans, study order, cycles, the map layout.

Each property is checked against a brute-force definition written from the
README's wording, not from the implementation: "a gap is an uncovered topic
that something you've started builds on, directly or not", "the plan is every
uncovered prerequisite of the goal, and the goal, in a valid study order".
tests/roadmap/progress/test_gaps.py pins hand-built cases; these look for the cases
nobody thought to build.
"""

import re
from collections import deque
from decimal import Decimal
from itertools import combinations, pairwise

from hypothesis import assume, given
from hypothesis import strategies as st

from roadmap.curriculum.graph import find_cycle, path_between
from roadmap.map.layout import (
    BEND_GAP,
    LAYER_GAP,
    NODE_GAP,
    NODE_H,
    layer_capacity,
    layout_graph,
    section_subgraph,
)
from roadmap.map.page import nodes_changed_by
from roadmap.map.paint import paint
from roadmap.map.titles import MAX_LINES, NODE_W, TEXT_WIDTH, text_width, wrap_title
from roadmap.models import COVERED, STARTED, Status
from roadmap.progress import analysis as gaps

STATUS_OR_NONE = [None, *(status.value for status in Status)]


@st.composite
def roadmaps(draw, max_topics: int = 20) -> gaps.RoadmapGraph:
    """A random acyclic roadmap: ids, sections, hours and roadmap order all independent of the edges.

    Edges follow a hidden topological order that differs from roadmap order,
    so prerequisites often come later in the roadmap than what needs them.
    """
    n = draw(st.integers(0, max_topics))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=n, max_size=n, unique=True))
    roadmap_order = draw(st.permutations(ids))
    hidden_order = draw(st.permutations(ids))
    pairs = draw(
        st.lists(st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))), max_size=3 * n)
    )
    edges = {(hidden_order[max(a, b)], hidden_order[min(a, b)]) for a, b in pairs if a != b}
    # A few edges to topics outside the roadmap (archived ones) that build() must drop.
    edges |= {(ids[0], 99_999)} if ids and draw(st.booleans()) else set()
    topics = [
        gaps.TopicNode(
            id=pk,
            slug=f"t{pk}",
            title=draw(st.sampled_from(["Limits", "Gradient descent", "Principal component analysis", "x"])),
            section_id=draw(st.integers(1, 4)),
            hours=draw(st.decimals(min_value=Decimal("0.1"), max_value=Decimal("99.9"), places=1)),
            position=roadmap_order.index(pk),
        )
        for pk in ids
    ]
    return gaps.RoadmapGraph.build(topics, sorted(edges))


# Covered much more often than not: deep prerequisite chains are then often
# covered all the way down, which uniform statuses (a third covered) rarely give.
MOSTLY_COVERED = [*STATUS_OR_NONE, *[Status.MASTERED.value, Status.SKIPPED.value] * 4]


@st.composite
def roadmaps_with_statuses(draw, max_topics: int = 20, choices: list = STATUS_OR_NONE):
    graph = draw(roadmaps(max_topics))
    statuses = {}
    for pk in graph.topics:
        status = draw(st.sampled_from(choices))
        if status:
            statuses[pk] = status
    return graph, statuses


def ancestors(graph: gaps.RoadmapGraph, topic: int) -> set[int]:
    """Brute force: breadth-first over "needs"."""
    seen, queue = set(), deque(graph.needs[topic])
    while queue:
        pk = queue.popleft()
        if pk not in seen:
            seen.add(pk)
            queue.extend(graph.needs[pk])
    return seen


def covered(statuses, pk) -> bool:
    return statuses.get(pk) in COVERED


def descendants(graph: gaps.RoadmapGraph, topic: int) -> set[int]:
    """Brute force: every topic whose ancestors include this one."""
    return {pk for pk in graph.topics if topic in ancestors(graph, pk)}


def is_study_order(graph: gaps.RoadmapGraph, order: list[int], members: set[int]) -> bool:
    index = {pk: i for i, pk in enumerate(order)}
    return sorted(order) == sorted(members) and all(
        index[p] < index[pk] for pk in members for p in graph.needs[pk] if p in members
    )


# -- study order ---------------------------------------------------------------------


@given(roadmaps())
def test_study_order_puts_every_prerequisite_first_and_otherwise_follows_the_roadmap(graph):
    order = graph.study_order()

    assert is_study_order(graph, order, set(graph.topics))
    # Among the topics free to go next, the earliest in the roadmap always goes first.
    done: set[int] = set()
    for pk in order:
        free = [t for t in graph.topics if t not in done and all(p in done for p in graph.needs[t])]
        assert graph.topics[pk].position == min(graph.topics[t].position for t in free)
        done.add(pk)


@given(roadmaps(), st.data())
def test_study_order_of_a_subset_orders_exactly_that_subset(graph, data):
    subset = data.draw(st.sets(st.sampled_from(sorted(graph.topics)))) if graph.topics else set()

    assert is_study_order(graph, graph.study_order(subset), subset)


@given(roadmaps())
def test_edges_to_topics_outside_the_roadmap_are_dropped(graph):
    assert all(p in graph.topics for needs in graph.needs.values() for p in needs)
    assert {(t, p) for t, needs in graph.needs.items() for p in needs} == {
        (t, p) for p, unlocks in graph.unlocks.items() for t in unlocks
    }


@given(roadmaps())
def test_ancestors_are_the_transitive_prerequisites(graph):
    for pk in graph.topics:
        assert graph.ancestors(pk) == ancestors(graph, pk)
        assert pk not in graph.ancestors(pk)  # acyclic


# -- gaps, next up, plan ----------------------------------------------------------------


@given(roadmaps_with_statuses())
def test_gaps_are_exactly_the_uncovered_ancestors_of_started_topics(case):
    graph, statuses = case
    started = [pk for pk in graph.topics if statuses.get(pk) in STARTED]
    blockers = {pk: {s for s in started if pk in ancestors(graph, s)} for pk in graph.topics}

    found = gaps.find_gaps(graph, statuses, blocks_shown=3)

    expected = {pk for pk, blocked in blockers.items() if blocked and not covered(statuses, pk)}
    assert {gap.topic.id for gap in found} == expected
    for gap in found:
        assert gap.blocks_count == len(blockers[gap.topic.id])
        assert {t.id for t in gap.blocks} <= blockers[gap.topic.id]
        assert len(gap.blocks) == min(3, gap.blocks_count)
    order = graph.study_order()
    assert [gap.topic.id for gap in found] == [pk for pk in order if pk in expected]


@given(st.one_of(roadmaps_with_statuses(), roadmaps_with_statuses(choices=MOSTLY_COVERED)))
def test_next_up_is_every_uncovered_topic_on_covered_ground_that_is_no_gap_in_roadmap_order(case):
    graph, statuses = case

    found = gaps.next_up(graph, statuses)

    # README: "uncovered topics whose prerequisites, direct or not, are all covered, and
    # that nothing you've started builds on (those are gaps)".
    expected = [
        pk
        for pk in sorted(graph.topics, key=lambda pk: graph.topics[pk].position)
        if not covered(statuses, pk)
        and all(covered(statuses, p) for p in ancestors(graph, pk))
        and not any(statuses.get(d) in STARTED for d in descendants(graph, pk))
    ]
    assert [t.id for t in found] == expected
    assert all(gaps.is_next_up(graph, statuses, pk) == (pk in expected) for pk in graph.topics)


@given(st.one_of(roadmaps_with_statuses(), roadmaps_with_statuses(max_topics=40, choices=MOSTLY_COVERED)))
def test_next_up_never_contradicts_gaps(case):
    graph, statuses = case

    found = {t.id for t in gaps.next_up(graph, statuses)}
    gap_ids = {gap.topic.id for gap in gaps.find_gaps(graph, statuses, blocks_shown=0)}

    assert not found & gap_ids
    for pk in found:
        assert not covered(statuses, pk)
        assert all(covered(statuses, p) for p in ancestors(graph, pk)), "its closure is covered"
    # Nothing is stuck: with anything left to do, one panel or the other says where to go.
    assert bool(found | gap_ids) == any(not covered(statuses, pk) for pk in graph.topics)


@given(roadmaps_with_statuses(), st.data())
def test_the_plan_is_every_uncovered_prerequisite_and_the_goal_in_a_valid_order(case, data):
    graph, statuses = case
    assume(graph.topics)
    goal = data.draw(st.sampled_from(sorted(graph.topics)))

    plan = gaps.plan_to(graph, statuses, goal)

    route = ancestors(graph, goal) | {goal}
    todo = {pk for pk in route if not covered(statuses, pk)}
    steps = [t.id for t in plan.steps]
    assert plan.goal.id == goal
    assert is_study_order(graph, steps, todo)
    assert plan.hours == sum((graph.topics[pk].hours for pk in todo), Decimal(0))
    assert (plan.covered, plan.total) == (len(route) - len(todo), len(route))
    assert plan.is_reached == (not todo)
    assert 0 <= plan.percent <= 100
    assert (plan.percent == 100) == plan.is_reached


@given(roadmaps_with_statuses())
def test_a_plan_to_a_topic_outside_the_roadmap_is_none(case):
    graph, statuses = case

    assert gaps.plan_to(graph, statuses, 99_999) is None


@given(roadmaps_with_statuses())
def test_section_and_overall_counts_add_up(case):
    graph, statuses = case

    sections = gaps.section_progress(graph, statuses)
    overall = gaps.overall_progress(sections.values())

    assert overall.total == len(graph.topics)
    assert overall.covered == sum(1 for pk in graph.topics if covered(statuses, pk))
    assert overall.not_started == sum(1 for pk in graph.topics if pk not in statuses)
    assert (overall.percent == 100) == (overall.total > 0 and overall.covered == overall.total)
    for section in sections.values():
        assert section.is_finished == (section.covered == section.total)
        assert (
            abs(
                sum(width for _, _, width in section.segments)
                - 100 * sum(section.counts.values()) / section.total
            )
            < 1e-6
        )


@given(st.integers(1, 5000), st.data())
def test_a_percentage_says_100_only_when_everything_is_covered(total, data):
    # 999 of 1,000 topics rounds to 100%; a learner (or their badge) must not see "done" a topic early.
    # Near the ends is where rounding lies: a few topics done, or a few left.
    done = data.draw(
        st.one_of(st.integers(0, total), st.integers(0, min(total, 3)), st.integers(max(total - 3, 0), total))
    )
    section = gaps.SectionProgress(section_id=1, total=total)
    section.counts[Status.MASTERED] = done
    goal = gaps.TopicNode(1, "goal", "Goal", 1, Decimal(1), 0)
    plan = gaps.Plan(goal=goal, steps=[goal] * (total - done), hours=Decimal(0), covered=done, total=total)

    for percent in (section.percent, plan.percent):
        assert 0 <= percent <= 100
        assert (percent == 100) == (done == total)
    assert (section.percent == 0) == (done == 0)


# -- cycles and paths on any directed graph ------------------------------------------------

digraphs = st.dictionaries(
    st.integers(0, 12), st.lists(st.integers(0, 14), max_size=4), max_size=12
)  # neighbours may be missing as keys, as in the importer's `needs`


def acyclic(adjacency) -> bool:
    """Kahn's algorithm over every node mentioned."""
    nodes = set(adjacency) | {n for targets in adjacency.values() for n in targets}
    indegree = dict.fromkeys(nodes, 0)
    for targets in adjacency.values():
        for n in targets:
            indegree[n] += 1
    queue = [n for n, d in indegree.items() if d == 0]
    removed = 0
    while queue:
        node = queue.pop()
        removed += 1
        for n in adjacency.get(node, ()):
            indegree[n] -= 1
            if indegree[n] == 0:
                queue.append(n)
    return removed == len(nodes)


@given(digraphs)
def test_find_cycle_finds_a_real_cycle_exactly_when_there_is_one(adjacency):
    cycle = find_cycle(adjacency)

    assert (cycle == []) == acyclic(adjacency)
    if cycle:
        assert cycle[0] == cycle[-1]
        assert len(set(cycle[:-1])) == len(cycle) - 1  # a simple cycle
        assert all(b in adjacency.get(a, ()) for a, b in pairwise(cycle))


@given(digraphs, st.integers(0, 14), st.integers(0, 14))
def test_path_between_is_a_shortest_path_or_none_when_unreachable(adjacency, start, goal):
    path = path_between(adjacency, start, goal)

    distance = {start: 0}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for n in adjacency.get(node, ()):
            if n not in distance:
                distance[n] = distance[node] + 1
                queue.append(n)
    if goal not in distance:
        assert path == []
    else:
        assert path[0] == start and path[-1] == goal
        assert len(path) - 1 == distance[goal]
        assert all(b in adjacency.get(a, ()) for a, b in pairwise(path))


# -- the map layout ------------------------------------------------------------------------

NUMBERS = re.compile(r"-?\d+(?:\.\d+)?")


@given(roadmaps(max_topics=30))
def test_layout_places_every_topic_once_with_prerequisites_on_earlier_layers(graph):
    layout = layout_graph(graph)

    boxes = {box.id: box for box in layout.nodes}
    assert [box.id for box in layout.nodes] == list(graph.topics)  # roadmap order: the tab order
    for pk, needs in graph.needs.items():
        for p in needs:
            assert boxes[p].layer < boxes[pk].layer, (p, pk)
    per_layer: dict[int, int] = {}
    for box in layout.nodes:
        per_layer[box.layer] = per_layer.get(box.layer, 0) + 1
        assert box.y == 24 + box.layer * (NODE_H + LAYER_GAP)
    assert all(count <= layer_capacity(len(graph.topics)) for count in per_layer.values())
    assert layout.layer_count == (max(per_layer) + 1 if per_layer else 0)


@given(roadmaps(max_topics=30))
def test_layout_boxes_never_overlap_and_fit_the_drawing(graph):
    layout = layout_graph(graph)

    for a, b in combinations(layout.nodes, 2):
        if a.layer == b.layer:
            left, right = sorted((a, b), key=lambda box: box.x)
            # NODE_GAP apart, or 2 × BEND_GAP with a long edge passing between; -1 for rounding to pixels.
            assert right.x - (left.x + NODE_W) >= min(NODE_GAP, 2 * BEND_GAP) - 1, (a.id, b.id)
        else:
            assert abs(a.y - b.y) >= NODE_H + LAYER_GAP
    for box in layout.nodes:
        assert box.x >= 0 and box.x + NODE_W <= layout.width
        assert box.y >= 0 and box.y + NODE_H <= layout.height


@given(roadmaps(max_topics=30))
def test_layout_edges_run_from_the_bottom_of_the_prerequisite_to_the_top_of_the_topic(graph):
    layout = layout_graph(graph)

    boxes = {box.id: box for box in layout.nodes}
    expected = {(p, t) for t, needs in graph.needs.items() for p in needs}
    assert sorted((e.prerequisite_id, e.topic_id) for e in layout.edges) == sorted(expected)
    for edge in layout.edges:
        numbers = [float(n) for n in NUMBERS.findall(edge.d)]
        (x0, y0), (x1, y1) = numbers[:2], numbers[-2:]
        start, end = boxes[edge.prerequisite_id], boxes[edge.topic_id]
        assert y0 == start.y + NODE_H and start.x - 1 <= x0 <= start.x + NODE_W + 1, edge
        assert y1 == end.y and end.x - 1 <= x1 <= end.x + NODE_W + 1, edge
    assert layout.crossings >= 0
    if not expected:
        assert layout.crossings == 0


@given(roadmaps(max_topics=20))
def test_layout_is_deterministic(graph):
    assert layout_graph(graph) == layout_graph(graph)


@given(roadmaps(max_topics=20), st.integers(1, 4))
def test_a_section_map_is_that_section_plus_its_outside_prerequisites_as_context(graph, section_id):
    subgraph, context = section_subgraph(graph, section_id)

    members = {pk for pk, t in graph.topics.items() if t.section_id == section_id}
    assert set(subgraph.topics) == members | context
    assert context == {p for pk in members for p in graph.needs[pk]} - members
    layout = layout_graph(subgraph, context=context)
    assert {box.id for box in layout.nodes if box.is_context} == context


@given(st.text(max_size=300), st.integers(40, 300))
def test_titles_wrap_within_the_box_in_at_most_three_lines(title, width):
    lines, truncated = wrap_title(title, width=width)

    assert len(lines) <= MAX_LINES
    assert all(text_width(line) <= width for line in lines)
    if not truncated:
        assert " ".join(lines) == " ".join(title.split())


@given(st.text(max_size=300))
def test_titles_fit_the_real_box(title):
    lines, _ = wrap_title(title)

    assert all(text_width(line) <= TEXT_WIDTH for line in lines)


@given(roadmaps_with_statuses(), st.data())
def test_a_status_change_redraws_every_box_whose_look_it_changes(case, data):
    # The map swaps only nodes_changed_by(…) after a change; a box left out would show stale.
    graph, before = case
    assume(graph.topics)
    topic = data.draw(st.sampled_from(sorted(graph.topics)))
    new_status = data.draw(st.sampled_from(STATUS_OR_NONE))
    after = {pk: s for pk, s in before.items() if pk != topic} | ({topic: new_status} if new_status else {})
    layout = layout_graph(graph)

    def look(statuses):
        gap_ids = {gap.topic.id for gap in gaps.find_gaps(graph, statuses, blocks_shown=0)}
        return {
            node.box.id: (node.classes, node.label) for node in paint(layout, statuses, gap_ids=gap_ids).nodes
        }

    old, new = look(before), look(after)
    changed = {pk for pk in graph.topics if old[pk] != new[pk]}
    assert changed <= nodes_changed_by(graph, after, topic)
