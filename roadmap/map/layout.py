"""The roadmap as a picture: a layered drawing of the prerequisite graph.

Pure and typed, like the gap analysis. `layout_graph` turns a RoadmapGraph into plain
dataclasses (node boxes, edge paths, overall size); `paint` (paint.py) lays one learner's
statuses, gaps and goal path over a layout. A layout never depends on the
learner, so the page caches it (see page.py) and only paints per request.

Sugiyama-style, top to bottom. Each step is O(V + E') per sweep, E' being the
edge segments once long edges are split at every layer they cross:

1. Layers. Topics are placed in study order (prerequisites first, otherwise
   roadmap order), each on the first layer below all its prerequisites that
   still has room. The room per layer caps the width, so the shipped roadmap
   fits a laptop's width and a bigger one grows downwards rather than sideways.
2. Order within layers. Long edges get a bend point on every layer they cross;
   a few barycenter sweeps (down, then up) reduce crossings, keeping the best.
   (Past a budget of bends, the longest edges skip this and are drawn direct.)
3. Coordinates. Each layer moves as close as it can to its neighbours' mean x
   while keeping its order and gaps exactly (weighted isotonic regression).
4. Edges. Curves between layers, straight down through the layers they cross,
   leaving and entering boxes at ports spread along their edges.
"""

import itertools
import math
from collections.abc import Mapping, Set
from dataclasses import dataclass, field

from roadmap.curriculum.graph import RoadmapGraph
from roadmap.map.titles import FONT_SIZE, LINE_HEIGHT, NODE_W, TEXT_X, wrap_title

NODE_H = 60
NODE_GAP = 20  # between two topics in a layer
BEND_GAP = 8  # between a topic and a long edge passing it, or two long edges
LAYER_GAP = 56  # vertical room for the curves between layers
MARGIN = 24
SECTION_COLOURS = 10  # map.css has sec-0 … sec-9
SWEEPS = 4
BEND_WEIGHT = 2.0  # long edges pull harder on their bends, so they stay straight
# Bends cost time in every sweep. Shorter edges get them first; edges past the
# budget are drawn as one direct curve, over the layers they skip. The shipped
# roadmap needs ~560 bends and gets all of them; a random 1,000-topic graph
# would need ~38,000.
BENDS_PER_ELEMENT = 2


@dataclass(frozen=True)
class NodeBox:
    id: int
    slug: str
    title: str
    lines: tuple[str, ...]  # the title wrapped to fit the box
    truncated: bool  # the lines drop part of the title (the full one goes in a tooltip)
    colour: int  # section colour, 0 … SECTION_COLOURS - 1
    layer: int
    x: int  # top-left corner
    y: int
    is_context: bool = False  # shown only as another section's prerequisite

    # Strings, not numbers: templates localize every number, and a big map has thousands.
    text_x = str(TEXT_X)
    line_height = str(LINE_HEIGHT)

    @property
    def transform(self) -> str:
        return f"translate({self.x} {self.y})"

    @property
    def text_y(self) -> str:
        """Baseline of the first line, so the block of lines sits centred."""
        return f"{NODE_H / 2 - (len(self.lines) - 1) * LINE_HEIGHT / 2 + FONT_SIZE * 0.35:.1f}"

    @property
    def more_lines(self) -> tuple[str, ...]:
        return self.lines[1:]


@dataclass(frozen=True)
class EdgePath:
    prerequisite_id: int
    topic_id: int
    d: str  # SVG path data, from the bottom of the prerequisite to the top of the topic
    direct: bool = False  # a long edge drawn straight over the layers it skips


@dataclass(frozen=True)
class Layout:
    nodes: tuple[NodeBox, ...]  # in roadmap order, which is also the tab order
    edges: tuple[EdgePath, ...]
    width: int
    height: int
    layer_count: int
    crossings: int

    node_width = str(NODE_W)
    node_height = str(NODE_H)


def layer_capacity(topic_count: int) -> int:
    """Topics per layer: 8 for the shipped 113, about 22 for 1,000."""
    return max(3, min(24, round(math.sqrt(topic_count / 2))))


def layout_graph(
    graph: RoadmapGraph,
    *,
    context: Set[int] = frozenset(),
    capacity: int | None = None,
    section_rank: Mapping[int, int] | None = None,
) -> Layout:
    """Lay the whole graph out, prerequisites above what they unlock.

    `context` marks topics shown only for another section's sake (drawn faded);
    `section_rank` gives each section its colour (default: order of appearance).
    """
    order = graph.study_order()
    if not order:
        return Layout((), (), 2 * MARGIN, 2 * MARGIN, 0, 0)
    if section_rank is None:
        section_rank = {}
        for topic in graph.topics.values():
            section_rank.setdefault(topic.section_id, len(section_rank))
    layer_of = assign_layers(graph, order, capacity or layer_capacity(len(order)))
    grid = _Grid.build(graph, order, layer_of)
    crossings = grid.reduce_crossings()
    xs = grid.coordinates()
    left = min(xs[v] - grid.half_width(v) for v in range(len(xs)))
    xs = [x - left + MARGIN for x in xs]
    right = max(xs[v] + grid.half_width(v) for v in range(len(xs)))

    boxes = {}
    for v, pk in enumerate(order):
        topic = graph.topics[pk]
        lines, truncated = wrap_title(topic.title)
        boxes[pk] = NodeBox(
            id=pk,
            slug=topic.slug,
            title=topic.title,
            lines=lines,
            truncated=truncated,
            colour=section_rank.get(topic.section_id, 0) % SECTION_COLOURS,
            layer=layer_of[pk],
            x=round(xs[v] - NODE_W / 2),
            y=_layer_top(layer_of[pk]),
            is_context=pk in context,
        )
    layer_count = len(grid.layers)
    return Layout(
        nodes=tuple(boxes[pk] for pk in graph.topics if pk in boxes),
        edges=tuple(grid.edge_paths(xs)),
        width=math.ceil(right + MARGIN),
        height=_layer_top(layer_count) - LAYER_GAP + MARGIN,
        layer_count=layer_count,
        crossings=crossings,
    )


def assign_layers(graph: RoadmapGraph, order: list[int], capacity: int) -> dict[int, int]:
    """Each topic on the first layer below its prerequisites with fewer than `capacity` topics.

    `order` must put prerequisites first. Full layers point past themselves
    (with path compression), so finding room stays near O(1) per topic.
    """
    layer: dict[int, int] = {}
    filled: list[int] = []
    skip: dict[int, int] = {}

    def first_with_room(index: int) -> int:
        seen = []
        while index in skip:
            seen.append(index)
            index = skip[index]
        for full in seen:
            skip[full] = index
        return index

    for pk in order:
        index = first_with_room(1 + max((layer[p] for p in graph.needs[pk]), default=-1))
        filled.extend([0] * (index + 1 - len(filled)))
        layer[pk] = index
        filled[index] += 1
        if filled[index] >= capacity:
            skip[index] = index + 1
    return layer


@dataclass
class _Grid:
    """Vertices by layer: topics (0 … n-1, in study order) and long-edge bends (n …)."""

    topic_count: int
    vertex_layer: list[int]
    layers: list[list[int]]
    up: list[list[int]]  # neighbours one layer up
    down: list[list[int]]
    # (prerequisite, topic, vertices): every layer's vertex, or just both ends when drawn direct
    chains: list[tuple[int, int, list[int]]] = field(default_factory=list)

    @classmethod
    def build(cls, graph: RoadmapGraph, order: list[int], layer_of: Mapping[int, int]) -> "_Grid":
        index = {pk: v for v, pk in enumerate(order)}
        grid = cls(
            topic_count=len(order),
            vertex_layer=[layer_of[pk] for pk in order],
            layers=[[] for _ in range(max(layer_of.values()) + 1)],
            up=[[] for _ in order],
            down=[[] for _ in order],
        )
        for v, pk in enumerate(order):
            grid.layers[layer_of[pk]].append(v)
        edges = [(layer_of[pk] - layer_of[p], p, pk) for pk in order for p in graph.needs[pk]]
        budget = BENDS_PER_ELEMENT * (len(order) + len(edges))
        for span, prerequisite, pk in sorted(edges):
            bends = span - 1
            chain = [index[prerequisite]]
            if bends <= budget:
                budget -= bends
                chain += [grid._add_bend(layer) for layer in range(layer_of[prerequisite] + 1, layer_of[pk])]
                chain.append(index[pk])
                for above, below in itertools.pairwise(chain):
                    grid.down[above].append(below)
                    grid.up[below].append(above)
            else:
                chain.append(index[pk])
            grid.chains.append((prerequisite, pk, chain))
        return grid

    def _add_bend(self, layer: int) -> int:
        v = len(self.vertex_layer)
        self.vertex_layer.append(layer)
        self.up.append([])
        self.down.append([])
        self.layers[layer].append(v)
        return v

    def half_width(self, v: int) -> float:
        return NODE_W / 2 if v < self.topic_count else 0.0

    def separation(self, a: int, b: int) -> float:
        """Centre-to-centre distance of neighbours a, b in a layer."""
        gap = NODE_GAP if a < self.topic_count and b < self.topic_count else BEND_GAP
        return self.half_width(a) + gap + self.half_width(b)

    # -- 2. order within layers --------------------------------------------

    def reduce_crossings(self) -> int:
        """Barycenter sweeps, keeping the order with the fewest crossings; returns that count."""
        pos = self._positions()
        best, best_count = [list(layer) for layer in self.layers], self.crossings(pos)
        for _ in range(SWEEPS):
            if best_count == 0:
                break
            for i in range(1, len(self.layers)):
                self._sort_layer(i, pos, self.up)
            for i in range(len(self.layers) - 2, -1, -1):
                self._sort_layer(i, pos, self.down)
            count = self.crossings(pos)
            if count < best_count:
                best, best_count = [list(layer) for layer in self.layers], count
        self.layers = best
        return best_count

    def _positions(self) -> list[int]:
        pos = [0] * len(self.vertex_layer)
        for layer in self.layers:
            for slot, v in enumerate(layer):
                pos[v] = slot
        return pos

    def _sort_layer(self, i: int, pos: list[int], neighbours: list[list[int]]) -> None:
        """Sort by the mean position of neighbours; vertices without any keep their slot."""
        layer = self.layers[i]
        slots, moving = [], []
        for slot, v in enumerate(layer):
            adjacent = neighbours[v]
            if adjacent:
                slots.append(slot)
                moving.append((sum(pos[u] for u in adjacent) / len(adjacent), slot, v))
        moving.sort()
        for slot, (_, _, v) in zip(slots, moving, strict=True):
            layer[slot] = v
            pos[v] = slot

    def crossings(self, pos: list[int] | None = None) -> int:
        """Edge crossings between consecutive layers: inversions, counted with a Fenwick tree."""
        pos = pos or self._positions()
        total = 0
        for i in range(len(self.layers) - 1):
            targets = []
            for v in self.layers[i]:
                targets.extend(sorted(pos[w] for w in self.down[v]))
            total += _inversions(targets, len(self.layers[i + 1]))
        return total

    # -- 3. coordinates ------------------------------------------------------

    def coordinates(self, rounds: int = 4) -> list[float]:
        """Centre x of every vertex: packed first, then pulled towards neighbours.

        Each pass moves one layer as close as it can to its neighbours' mean x
        with its order and gaps kept. With o_i the summed separations before
        slot i, x_i = y_i + o_i turns "x_{i+1} - x_i >= gap" into "y is
        non-decreasing": an isotonic regression, solved in O(n).
        """
        offsets = []
        for layer in self.layers:
            offset, layer_offsets = 0.0, []
            for slot, v in enumerate(layer):
                if slot:
                    offset += self.separation(layer[slot - 1], v)
                layer_offsets.append(offset)
            offsets.append(layer_offsets)
        weights = [[1.0 if v < self.topic_count else BEND_WEIGHT for v in layer] for layer in self.layers]
        xs = [0.0] * len(self.vertex_layer)
        for layer, layer_offsets in zip(self.layers, offsets, strict=True):
            for v, offset in zip(layer, layer_offsets, strict=True):
                xs[v] = offset - layer_offsets[-1] / 2

        def align(i: int, neighbours: list[list[int]]) -> None:
            targets = []
            for v, offset in zip(self.layers[i], offsets[i], strict=True):
                adjacent = neighbours[v]
                if adjacent:
                    total = 0.0
                    for u in adjacent:
                        total += xs[u]
                    targets.append(total / len(adjacent) - offset)
                else:
                    targets.append(xs[v] - offset)
            for v, y, offset in zip(self.layers[i], _isotonic(targets, weights[i]), offsets[i], strict=True):
                xs[v] = y + offset

        for _ in range(rounds):
            for i in range(1, len(self.layers)):
                align(i, self.up)
            for i in range(len(self.layers) - 2, -1, -1):
                align(i, self.down)
        both = [self.up[v] + self.down[v] for v in range(len(xs))]
        for i in range(len(self.layers)):
            align(i, both)
        return xs

    # -- 4. edges --------------------------------------------------------------

    def edge_paths(self, xs: list[float]) -> list[EdgePath]:
        out_ports = self._ports(xs, lambda chain: (chain[0], chain[1]))
        in_ports = self._ports(xs, lambda chain: (chain[-1], chain[-2]))
        paths = []
        for index, (prerequisite, topic, chain) in enumerate(self.chains):
            top = _layer_top(self.vertex_layer[chain[0]])
            points = [(xs[chain[0]] + out_ports[index], top + NODE_H)]
            for bend in chain[1:-1]:
                top = _layer_top(self.vertex_layer[bend])
                points += [(xs[bend], top), (xs[bend], top + NODE_H)]
            points.append((xs[chain[-1]] + in_ports[index], _layer_top(self.vertex_layer[chain[-1]])))
            direct = self.vertex_layer[chain[-1]] - self.vertex_layer[chain[0]] > len(chain) - 1
            paths.append(EdgePath(prerequisite, topic, _path_data(points), direct))
        return paths

    def _ports(self, xs: list[float], ends) -> list[float]:
        """Per chain, the x offset where it leaves (or enters) its topic's box.

        A box's edges are spread along its side in the order of where they
        go, so they fan out without crossing at the box.
        """
        by_vertex: dict[int, list[tuple[float, int]]] = {}
        for index, (_, _, chain) in enumerate(self.chains):
            vertex, towards = ends(chain)
            by_vertex.setdefault(vertex, []).append((xs[towards], index))
        offsets = [0.0] * len(self.chains)
        for items in by_vertex.values():
            items.sort()
            step = min(14.0, NODE_W * 0.7 / max(1, len(items) - 1))
            for rank, (_, index) in enumerate(items):
                offsets[index] = (rank - (len(items) - 1) / 2) * step
        return offsets


def _layer_top(layer: int) -> int:
    return MARGIN + layer * (NODE_H + LAYER_GAP)


def _inversions(values: list[int], size: int) -> int:
    tree = [0] * (size + 1)
    inversions = 0
    for seen, value in enumerate(values):
        # Earlier values <= value, then mark this one.
        i, not_greater = value + 1, 0
        while i > 0:
            not_greater += tree[i]
            i -= i & -i
        inversions += seen - not_greater
        i = value + 1
        while i <= size:
            tree[i] += 1
            i += i & -i
    return inversions


def _isotonic(targets: list[float], weights: list[float]) -> list[float]:
    """Weighted least-squares non-decreasing fit (pool adjacent violators), O(n)."""
    means: list[float] = []
    totals: list[float] = []
    counts: list[int] = []
    for target, weight in zip(targets, weights, strict=True):
        means.append(target)
        totals.append(weight)
        counts.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            mean, total, count = means.pop(), totals.pop(), counts.pop()
            merged = totals[-1] + total
            means[-1] = (means[-1] * totals[-1] + mean * total) / merged
            totals[-1] = merged
            counts[-1] += count
    fitted = []
    for mean, count in zip(means, counts, strict=True):
        fitted.extend([mean] * count)
    return fitted


def _path_data(points: list[tuple[float, float]]) -> str:
    """Curves across the gaps between layers, straight lines through the layers crossed.

    Points come in pairs per layer crossed, so odd steps cross a gap and even
    steps run down inside a layer.
    """
    x, y = points[0]
    parts = [f"M{x:.0f} {y:.0f}"]
    for step, (nx, ny) in enumerate(points[1:]):
        if step % 2 == 0:
            middle = (y + ny) / 2
            parts.append(f"C{x:.0f} {middle:.0f} {nx:.0f} {middle:.0f} {nx:.0f} {ny:.0f}")
        else:
            parts.append(f"L{nx:.0f} {ny:.0f}")
        x, y = nx, ny
    return "".join(parts)


def section_subgraph(graph: RoadmapGraph, section_id: int) -> tuple[RoadmapGraph, frozenset[int]]:
    """One section's topics plus, as context, their direct prerequisites from other sections."""
    members = {pk for pk, topic in graph.topics.items() if topic.section_id == section_id}
    context = {p for pk in members for p in graph.needs[pk] if p not in members}
    keep = members | context
    edges = [(pk, p) for pk in keep for p in graph.needs[pk] if p in keep]
    return RoadmapGraph.build((graph.topics[pk] for pk in keep), edges), frozenset(context)
