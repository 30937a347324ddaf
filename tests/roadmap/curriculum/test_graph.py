"""find_cycle and path_between on hand-built adjacency dicts (no database)."""

import sys
from itertools import pairwise

import pytest

from roadmap.curriculum.graph import find_cycle, path_between


def assert_is_cycle_of(cycle, graph):
    """A real cycle: closed, at least one edge, and every step is an edge of graph."""
    assert len(cycle) >= 2
    assert cycle[0] == cycle[-1]
    for a, b in pairwise(cycle):
        assert b in graph.get(a, ()), f"{a} → {b} is not an edge"
    # Each node of the loop appears once (the closing repeat aside).
    assert len(set(cycle[:-1])) == len(cycle) - 1


def test_find_cycle_returns_empty_for_an_acyclic_graph():
    # A diamond: two paths to the same node are not a cycle.
    graph = {"a": ["b", "c"], "b": ["d"], "c": ["d"], "d": []}

    assert find_cycle(graph) == []


def test_find_cycle_returns_empty_for_an_empty_graph():
    assert find_cycle({}) == []


def test_find_cycle_finds_a_self_loop():
    graph = {"a": ["b"], "b": ["b"]}

    cycle = find_cycle(graph)

    assert cycle == ["b", "b"]
    assert_is_cycle_of(cycle, graph)


def test_find_cycle_finds_a_two_cycle():
    graph = {"a": ["b"], "b": ["a"]}

    cycle = find_cycle(graph)

    assert set(cycle) == {"a", "b"}
    assert len(cycle) == 3
    assert_is_cycle_of(cycle, graph)


def test_find_cycle_finds_a_long_cycle_and_leaves_out_the_tail_leading_to_it():
    # start → tail → 0 → 1 → … → 9 → 0: the returned cycle is the loop only.
    graph = {"start": ["tail"], "tail": [0]}
    graph.update({n: [(n + 1) % 10] for n in range(10)})

    cycle = find_cycle(graph)

    assert_is_cycle_of(cycle, graph)
    assert set(cycle) == set(range(10))
    assert len(cycle) == 11


def test_find_cycle_finds_a_cycle_in_a_later_disconnected_component():
    graph = {
        "a": ["b"],
        "b": [],
        "x": ["y"],
        "y": ["z"],
        "z": ["x"],
    }

    cycle = find_cycle(graph)

    assert set(cycle) == {"x", "y", "z"}
    assert_is_cycle_of(cycle, graph)


def test_find_cycle_follows_nodes_that_only_appear_as_neighbours():
    # "c" has no key of its own; it must still be walked as a leaf.
    graph = {"a": ["b"], "b": ["c"]}

    assert find_cycle(graph) == []


def test_find_cycle_handles_a_deep_chain_without_recursion():
    depth = 5000
    assert depth > sys.getrecursionlimit() // 2
    chain = {n: [n + 1] for n in range(depth)}

    assert find_cycle(chain) == []

    chain[depth] = [0]
    cycle = find_cycle(chain)

    assert_is_cycle_of(cycle, chain)
    assert len(cycle) == depth + 2


def test_path_between_returns_the_shortest_path():
    graph = {"a": ["b", "x"], "b": ["c"], "c": ["d"], "x": ["d"]}

    assert path_between(graph, "a", "d") == ["a", "x", "d"]


def test_path_between_a_node_and_itself_is_that_node():
    assert path_between({}, "a", "a") == ["a"]


def test_path_between_follows_edge_direction():
    graph = {"a": ["b"], "b": []}

    assert path_between(graph, "b", "a") == []


def test_path_between_disconnected_components_is_empty():
    graph = {"a": ["b"], "b": [], "x": ["y"], "y": []}

    assert path_between(graph, "a", "y") == []


def test_path_between_terminates_on_a_cyclic_graph():
    graph = {"a": ["b"], "b": ["a", "c"], "c": ["b"]}

    assert path_between(graph, "a", "c") == ["a", "b", "c"]
    assert path_between(graph, "a", "missing") == []


def test_path_between_handles_a_deep_chain():
    depth = 5000
    chain = {n: [n + 1] for n in range(depth)}

    path = path_between(chain, 0, depth)

    assert path == list(range(depth + 1))


@pytest.mark.parametrize(
    ("graph", "start", "goal", "expected"),
    [
        ({1: [2], 2: [3]}, 1, 3, [1, 2, 3]),
        ({1: [2, 3], 3: [4], 2: [4]}, 1, 4, [1, 2, 4]),
        ({1: [], 2: [1]}, 1, 2, []),
    ],
)
def test_path_between_integer_nodes(graph, start, goal, expected):
    assert path_between(graph, start, goal) == expected
