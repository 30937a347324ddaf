"""Gap analysis on hand-built graphs: no database, just RoadmapGraph.build()."""

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.models import Status
from roadmap.progress.analysis import (
    find_gaps,
    next_up,
    plan_to,
    stale_learning,
)

LEARNING, PRACTISED, MASTERED, SKIPPED = Status.LEARNING, Status.PRACTISED, Status.MASTERED, Status.SKIPPED
NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)


def node(pk: int, *, position: int | None = None, section: int = 1, hours: str = "1") -> TopicNode:
    return TopicNode(
        id=pk,
        slug=f"t{pk}",
        title=f"Topic {pk}",
        section_id=section,
        hours=Decimal(hours),
        position=pk if position is None else position,
    )


def graph_of(pks, edges, **node_kwargs) -> RoadmapGraph:
    """edges are (topic, prerequisite): (2, 1) means 2 needs 1."""
    return RoadmapGraph.build([node(pk, **node_kwargs) for pk in pks], edges)


def chain() -> RoadmapGraph:
    """1 → 2 → 3 → 4: each topic needs the one before it."""
    return graph_of([1, 2, 3, 4], [(2, 1), (3, 2), (4, 3)])


def diamond() -> RoadmapGraph:
    """1 → 2, 1 → 3, 2 → 4, 3 → 4."""
    return graph_of([1, 2, 3, 4], [(2, 1), (3, 1), (4, 2), (4, 3)])


def two_islands() -> RoadmapGraph:
    """Two components: 1 → 2 → 3 and 10 → 11."""
    return graph_of([1, 2, 3, 10, 11], [(2, 1), (3, 2), (11, 10)])


def ids(nodes) -> list[int]:
    return [n.id for n in nodes]


def gap_ids(gaps) -> list[int]:
    return [g.topic.id for g in gaps]


def assert_valid_order(graph: RoadmapGraph, order: list[int]) -> None:
    index = {pk: i for i, pk in enumerate(order)}
    assert len(index) == len(order), "a topic appears twice"
    for pk in order:
        for prerequisite in graph.needs[pk]:
            if prerequisite in index:
                assert index[prerequisite] < index[pk], f"{pk} comes before its prerequisite {prerequisite}"


# -- find_gaps ----------------------------------------------------------------


def test_no_statuses_means_no_gaps():
    assert find_gaps(diamond(), {}) == []


def test_gaps_are_every_uncovered_prerequisite_of_a_started_topic_in_study_order():
    gaps = find_gaps(chain(), {4: LEARNING})

    assert gap_ids(gaps) == [1, 2, 3]
    assert all(ids(g.blocks) == [4] and g.blocks_count == 1 for g in gaps)


@pytest.mark.parametrize("status", [LEARNING, PRACTISED, MASTERED])
def test_learning_practised_and_mastered_all_count_as_started(status):
    assert gap_ids(find_gaps(chain(), {3: status})) == [1, 2]


def test_skipping_a_topic_does_not_start_it():
    assert find_gaps(chain(), {4: SKIPPED}) == []


def test_a_covered_prerequisite_is_not_a_gap_but_what_it_needs_still_is():
    # 2 is mastered, so it is covered, and it is started: 1 blocks both 2 and 4.
    gaps = find_gaps(chain(), {4: LEARNING, 2: MASTERED})

    assert gap_ids(gaps) == [1, 3]
    assert ids(gaps[0].blocks) == [2, 4]
    assert gaps[0].blocks_count == 2
    assert ids(gaps[1].blocks) == [4]


def test_a_practised_prerequisite_is_still_a_gap():
    gaps = find_gaps(chain(), {4: LEARNING, 3: PRACTISED})

    assert gap_ids(gaps) == [1, 2, 3]
    assert ids(gaps[0].blocks) == [3, 4]
    assert ids(gaps[2].blocks) == [4]


def test_skipped_prerequisites_cover_the_whole_route():
    assert find_gaps(chain(), {4: LEARNING, 3: SKIPPED, 2: SKIPPED, 1: SKIPPED}) == []


def test_a_diamond_counts_a_started_topic_once_however_many_paths_lead_to_it():
    gaps = find_gaps(diamond(), {4: LEARNING})

    assert gap_ids(gaps) == [1, 2, 3]
    assert [g.blocks_count for g in gaps] == [1, 1, 1]


def test_a_started_topic_that_is_not_covered_is_itself_a_gap_for_what_builds_on_it():
    gaps = {g.topic.id: g for g in find_gaps(diamond(), {2: LEARNING, 3: PRACTISED, 4: LEARNING})}

    assert list(gaps) == [1, 2, 3]
    assert ids(gaps[1].blocks) == [2, 3, 4]
    assert ids(gaps[2].blocks) == [4]
    assert ids(gaps[3].blocks) == [4]


def test_blocks_shows_the_first_few_started_dependents_and_counts_them_all():
    # One root that five started topics need; they sit in the roadmap in reverse id order.
    graph = RoadmapGraph.build(
        [node(0, position=0), *(node(pk, position=10 - pk) for pk in range(1, 6))],
        [(pk, 0) for pk in range(1, 6)],
    )

    statuses = dict.fromkeys(range(1, 6), LEARNING)

    [gap] = find_gaps(graph, statuses)
    [everything] = find_gaps(graph, statuses, blocks_shown=10)

    assert gap.topic.id == 0
    assert ids(gap.blocks) == [5, 4, 3]  # earliest in the roadmap first
    assert gap.blocks_count == 5
    assert ids(everything.blocks) == [5, 4, 3, 2, 1]


def test_gaps_stay_inside_the_component_the_learner_started():
    assert gap_ids(find_gaps(two_islands(), {3: LEARNING})) == [1, 2]
    assert gap_ids(find_gaps(two_islands(), {11: LEARNING})) == [10]


def test_gaps_come_in_study_order_not_roadmap_order():
    # 1 sits first in the roadmap but needs 2, which sits later; 3 needs 1.
    graph = RoadmapGraph.build(
        [node(1, position=0), node(2, position=1), node(3, position=2)], [(1, 2), (3, 1)]
    )

    assert gap_ids(find_gaps(graph, {3: LEARNING})) == [2, 1]


def test_progress_on_topics_outside_the_graph_is_ignored():
    # An archived topic is absent from the graph, and so are its edges.
    graph = RoadmapGraph.build([node(1), node(2)], [(2, 1), (3, 2), (2, 99)])

    assert graph.needs[2] == [1]
    assert gap_ids(find_gaps(graph, {3: LEARNING, 99: LEARNING, 2: LEARNING})) == [1]


# -- next_up ------------------------------------------------------------------


def test_next_up_on_a_fresh_roadmap_is_every_topic_without_prerequisites():
    assert ids(next_up(two_islands(), {})) == [1, 10]


def test_next_up_moves_along_the_chain_as_topics_are_covered():
    graph = chain()

    assert ids(next_up(graph, {1: MASTERED})) == [2]
    assert ids(next_up(graph, {1: SKIPPED, 2: MASTERED})) == [3]


def test_a_practised_topic_stays_next_up_and_keeps_its_dependents_locked():
    assert ids(next_up(chain(), {1: PRACTISED})) == [1]


def test_next_up_includes_topics_already_being_learned():
    assert ids(next_up(chain(), {1: MASTERED, 2: LEARNING})) == [2]


def test_next_up_in_a_diamond_waits_for_both_branches():
    graph = diamond()

    assert ids(next_up(graph, {1: SKIPPED, 2: MASTERED})) == [3]
    assert ids(next_up(graph, {1: SKIPPED, 2: MASTERED, 3: MASTERED})) == [4]
    assert next_up(graph, dict.fromkeys([1, 2, 3, 4], MASTERED)) == []


def test_next_up_waits_until_everything_below_is_covered_not_just_the_prerequisites():
    graph = chain()

    # 2 is known but 1, under it, is not: 3 is not next up, whatever 2 says.
    assert ids(next_up(graph, {2: SKIPPED})) == [1]
    assert ids(next_up(graph, {1: SKIPPED, 2: SKIPPED})) == [3]


def test_a_gap_is_never_next_up_too():
    # Mastering 2 makes 1, under it, a gap: Gaps lists it, and 3 waits for it.
    statuses = {2: MASTERED}

    assert gap_ids(find_gaps(chain(), statuses)) == [1]
    assert next_up(chain(), statuses) == []
    # What the gap holds back stays back; the rest of the roadmap does not.
    assert ids(next_up(two_islands(), statuses)) == [10]
    assert ids(next_up(diamond(), {1: SKIPPED, 2: LEARNING})) == [2, 3]


def test_next_up_follows_roadmap_order():
    graph = RoadmapGraph.build([node(1, position=2), node(2, position=0), node(3, position=1)], [])

    assert ids(next_up(graph, {})) == [2, 3, 1]


# -- plan_to ------------------------------------------------------------------


def test_plan_from_scratch_is_the_whole_route_in_order_with_summed_hours():
    graph = RoadmapGraph.build(
        [node(1, hours="1.5"), node(2, hours="2.5"), node(3, hours="4"), node(4, hours="0.5")],
        [(2, 1), (3, 2), (4, 3)],
    )

    plan = plan_to(graph, {}, 4)

    assert ids(plan.steps) == [1, 2, 3, 4]
    assert plan.hours == Decimal("8.5")
    assert isinstance(plan.hours, Decimal)
    assert (plan.covered, plan.total, plan.percent) == (0, 4, 0)
    assert plan.goal.id == 4
    assert not plan.is_reached


def test_plan_skips_covered_topics_but_still_needs_what_they_need():
    plan = plan_to(chain(), {2: MASTERED, 3: PRACTISED}, 4)

    assert ids(plan.steps) == [1, 3, 4]
    assert plan.hours == Decimal(3)
    assert (plan.covered, plan.total, plan.percent) == (1, 4, 25)


def test_plan_through_a_diamond_puts_every_prerequisite_before_its_dependents():
    graph = diamond()

    plan = plan_to(graph, {}, 4)

    assert sorted(ids(plan.steps)) == [1, 2, 3, 4]
    assert_valid_order(graph, ids(plan.steps))
    assert plan.hours == Decimal(4)


def test_plan_prefers_roadmap_position_among_free_choices():
    # Same diamond, but 3 sits before 2 in the roadmap.
    graph = RoadmapGraph.build(
        [node(1, position=0), node(2, position=2), node(3, position=1), node(4, position=3)],
        [(2, 1), (3, 1), (4, 2), (4, 3)],
    )

    assert ids(plan_to(graph, {}, 4).steps) == [1, 3, 2, 4]


def test_plan_leaves_out_other_components_and_unrelated_branches():
    assert ids(plan_to(two_islands(), {}, 11).steps) == [10, 11]
    assert ids(plan_to(diamond(), {}, 2).steps) == [1, 2]


def test_plan_to_a_reached_goal_has_no_steps():
    plan = plan_to(diamond(), {1: MASTERED, 2: SKIPPED, 3: MASTERED, 4: SKIPPED}, 4)

    assert plan.is_reached
    assert plan.steps == []
    assert plan.hours == Decimal(0)
    assert (plan.covered, plan.total, plan.percent) == (4, 4, 100)


def test_plan_to_a_covered_goal_still_lists_uncovered_prerequisites():
    # Marking the goal known does not make what it needs known.
    plan = plan_to(chain(), {4: SKIPPED}, 4)

    assert ids(plan.steps) == [1, 2, 3]
    assert (plan.covered, plan.total) == (1, 4)


def test_plan_to_a_topic_without_prerequisites_is_just_that_topic():
    plan = plan_to(chain(), {}, 1)

    assert ids(plan.steps) == [1]
    assert (plan.covered, plan.total, plan.percent) == (0, 1, 0)


def test_plan_to_an_unknown_goal_is_none():
    assert plan_to(chain(), {}, 404) is None


# -- study_order --------------------------------------------------------------


def test_study_order_follows_the_roadmap_when_the_graph_allows():
    assert diamond().study_order() == [1, 2, 3, 4]
    assert two_islands().study_order() == [1, 2, 3, 10, 11]


def test_study_order_moves_a_prerequisite_ahead_of_what_needs_it():
    # Roadmap: 1, 2, 3, 4 — but 1 needs 4, so 4 moves up just far enough.
    graph = RoadmapGraph.build([node(pk) for pk in (1, 2, 3, 4)], [(1, 4)])

    order = graph.study_order()

    assert order == [2, 3, 4, 1]
    assert_valid_order(graph, order)


def test_study_order_of_a_subset_ignores_edges_leaving_it():
    assert chain().study_order([4, 2]) == [2, 4]
    assert diamond().study_order([3, 2]) == [2, 3]


# -- stale_learning -----------------------------------------------------------


def test_stale_learning_flags_topics_left_at_learning_for_the_whole_window():
    graph = graph_of([1, 2, 3, 4, 5], [])
    since = {
        4: (LEARNING, NOW - timedelta(days=30)),
        1: (LEARNING, NOW - timedelta(days=7)),  # exactly on the cutoff
        2: (LEARNING, NOW - timedelta(days=7) + timedelta(seconds=1)),
        3: (PRACTISED, NOW - timedelta(days=30)),
        5: (MASTERED, NOW - timedelta(days=30)),
        99: (LEARNING, NOW - timedelta(days=30)),  # not in the roadmap any more
    }

    assert ids(stale_learning(graph, since, now=NOW, days=7)) == [1, 4]


def test_stale_learning_is_empty_without_progress():
    assert stale_learning(chain(), {}, now=NOW, days=7) == []


# -- a large random graph against brute force --------------------------------


def random_roadmap(rng: random.Random, size: int, edge_count: int):
    """A random DAG whose roadmap positions do not follow the graph.

    Edges go from a lower to a higher rank in a hidden random ranking, so the
    graph is acyclic, but positions are shuffled separately from ranks.
    """
    rank = list(range(size))
    rng.shuffle(rank)
    positions = list(range(size))
    rng.shuffle(positions)
    edges = set()
    while len(edges) < edge_count:
        low, high = sorted(rng.sample(range(size), 2))
        edges.add((rank[high], rank[low]))
    nodes = [node(pk, position=positions[pk], section=pk % 7) for pk in range(size)]
    statuses = {}
    for pk in range(size):
        status = rng.choice([None, None, LEARNING, PRACTISED, MASTERED, SKIPPED])
        if status:
            statuses[pk] = status
    return RoadmapGraph.build(nodes, edges), edges, statuses


def brute_force_ancestors(edges, size: int) -> dict[int, set[int]]:
    needs = {pk: {prerequisite for topic, prerequisite in edges if topic == pk} for pk in range(size)}
    result = {}
    for pk in range(size):
        seen, frontier = set(), set(needs[pk])
        while frontier:
            seen |= frontier
            frontier = set().union(*(needs[p] for p in frontier)) - seen
        result[pk] = seen
    return result


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_gaps_on_a_300_topic_random_roadmap_match_brute_force(seed):
    rng = random.Random(seed)
    graph, edges, statuses = random_roadmap(rng, 300, 900)
    ancestors = brute_force_ancestors(edges, 300)
    covered = {pk for pk, s in statuses.items() if s in (MASTERED, SKIPPED)}
    started = [pk for pk in graph.topics if statuses.get(pk) in (LEARNING, PRACTISED, MASTERED)]
    blocked_by = {
        pk: [s for s in started if pk in ancestors[s]] for pk in range(300) if pk not in covered
    }  # started is in roadmap order, so so is each list
    expected = {pk: blocked for pk, blocked in blocked_by.items() if blocked}

    gaps = find_gaps(graph, statuses)

    assert expected, "the seed should give some gaps to compare"
    assert {g.topic.id: (ids(g.blocks), g.blocks_count) for g in gaps} == {
        pk: (blocked[:3], len(blocked)) for pk, blocked in expected.items()
    }
    assert_valid_order(graph, gap_ids(gaps))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_order_next_up_and_plan_on_a_300_topic_random_roadmap_match_brute_force(seed):
    rng = random.Random(seed)
    graph, edges, statuses = random_roadmap(rng, 300, 900)
    ancestors = brute_force_ancestors(edges, 300)
    covered = {pk for pk, s in statuses.items() if s in (MASTERED, SKIPPED)}

    order = graph.study_order()
    assert sorted(order) == list(range(300))
    assert_valid_order(graph, order)

    by_position = sorted(range(300), key=lambda pk: graph.topics[pk].position)
    # As drawn, and with only the known topics (nothing started, so no gaps): with
    # a third of 300 topics started, most of what is ready is a gap.
    for case in (statuses, {pk: s for pk, s in statuses.items() if s == SKIPPED}):
        known = {pk for pk, s in case.items() if s in (MASTERED, SKIPPED)}
        started = {pk for pk, s in case.items() if s in (LEARNING, PRACTISED, MASTERED)}
        built_on = {pk for pk in range(300) if any(pk in ancestors[s] for s in started)}
        expected = [pk for pk in by_position if pk not in known | built_on and ancestors[pk] <= known]
        assert ids(next_up(graph, case)) == expected
    assert expected, "with nothing started, something is next up"

    goal = max(range(300), key=lambda pk: len(ancestors[pk]))
    plan = plan_to(graph, statuses, goal)
    route = ancestors[goal] | {goal}
    assert set(ids(plan.steps)) == route - covered
    assert_valid_order(graph, ids(plan.steps))
    assert plan.hours == Decimal(len(route - covered))
    assert (plan.covered, plan.total) == (len(route & covered), len(route))


def test_the_stylesheet_colours_each_status_as_the_vocabulary_says():
    # app.css cannot read Python, so its --s-<status> colours are held to statuses.py here.
    from pathlib import Path

    from roadmap.progress import statuses

    css = (Path(__file__).resolve().parents[3] / "static" / "css" / "app.css").read_text()
    for status in (statuses.NOT_STARTED, *statuses.STATUSES):
        assert f"--s-{status.value}: {status.colour};" in css
