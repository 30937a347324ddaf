"""find_gaps' answer makes each Gap only when asked, and reads as the list it stands for."""

import random

from roadmap.curriculum.graph import RoadmapGraph
from roadmap.progress.analysis import Gap, dependents_masks, find_gaps
from tests.roadmap.progress.test_gaps import chain, gap_ids, node

LEARNING = "learning"


def random_graph(seed: int) -> tuple[RoadmapGraph, dict[int, str]]:
    rng = random.Random(seed)
    nodes = [node(pk, position=rng.randrange(1000)) for pk in range(1, 80)]
    edges = [(a, b) for a in range(1, 80) for b in range(1, a) if rng.random() < 0.05]
    statuses = {
        pk: rng.choice(["learning", "practised", "mastered", "skipped"])
        for pk in range(1, 80)
        if rng.random() < 0.4
    }
    return RoadmapGraph.build(nodes, edges), statuses


def test_it_reads_as_a_list_of_gaps():
    gaps = find_gaps(chain(), {4: LEARNING})

    assert len(gaps) == 3
    as_list = list(gaps)
    assert all(isinstance(gap, Gap) for gap in as_list)
    assert gaps == as_list
    assert gaps[:2] == as_list[:2]
    assert gaps[-1] == as_list[-1]
    assert [gap.topic.id for gap in gaps] == [1, 2, 3]
    assert gaps[0].blocks_count == 1
    assert find_gaps(chain(), {}) == []


def test_the_masks_are_each_topics_started_dependents():
    for seed in range(20):
        graph, statuses = random_graph(seed)
        started = [pk for pk in graph.topics if statuses.get(pk) in ("learning", "practised", "mastered")]
        masks = dependents_masks(graph, started)
        # Each topic's mask, from first principles: the started topics that reach it.
        for position, pk in enumerate(graph.full_study_order):
            needing = {s for s in started if pk in graph.ancestors(s)}
            assert {started[i] for i in range(len(started)) if masks[position] >> i & 1} == needing


def test_the_last_masks_kept_are_never_another_graphs():
    # Same topic ids and the same started topics, other edges: 1 → 2 → 3, then 3 → 2 → 1.
    forward = RoadmapGraph.build([node(1), node(2), node(3)], [(2, 1), (3, 2)])
    backward = RoadmapGraph.build([node(1), node(2), node(3)], [(2, 3), (1, 2)])

    assert gap_ids(find_gaps(forward, {3: LEARNING})) == [1, 2]
    assert gap_ids(find_gaps(backward, {3: LEARNING})) == []
    assert gap_ids(find_gaps(backward, {1: LEARNING})) == [3, 2]
    assert gap_ids(find_gaps(forward, {1: LEARNING})) == []
