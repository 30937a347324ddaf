"""Plain graph algorithms on adjacency dicts: {node: [neighbour, …]}.

They know nothing about Django, so the admin, the importer and the gap
analysis can share them, and they are tested on hand-built graphs.
"""

from collections import deque
from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

Node = TypeVar("Node", bound=Hashable)


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


def find_cycle(adjacency: Mapping[Node, Iterable[Node]]) -> list[Node]:
    """One cycle as [a, b, …, a], or [] when the graph is acyclic. O(V+E).

    Iterative depth-first search, so deep chains cannot hit the recursion limit.
    """
    white, grey, black = 0, 1, 2
    colour: dict[Node, int] = {}
    nodes = list(adjacency)
    for root in nodes:
        if colour.get(root, white) != white:
            continue
        stack: list[tuple[Node, Iterable]] = [(root, iter(adjacency.get(root, ())))]
        path = [root]
        colour[root] = grey
        while stack:
            node, neighbours = stack[-1]
            for neighbour in neighbours:
                state = colour.get(neighbour, white)
                if state == grey:
                    return [*path[path.index(neighbour) :], neighbour]
                if state == white:
                    colour[neighbour] = grey
                    path.append(neighbour)
                    stack.append((neighbour, iter(adjacency.get(neighbour, ()))))
                    break
            else:
                colour[node] = black
                path.pop()
                stack.pop()
    return []
