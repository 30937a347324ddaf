"""Server-time figures for the roadmap map on a big roadmap.

    make bench-map            # SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mathpath_bench make bench-map

Builds (or reuses) the 1,000-topic / 3,000-edge roadmap of bench/dataset.py and
times, in-process: the layout alone, painting + rendering the SVG alone, and
whole requests through the Django stack with the layout cache cold and warm.
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

import bench.setup_django  # noqa: F401 - settings and django.setup(), before any model import
from bench.dataset import build_learners, build_roadmap
from bench.harness import forget_pages, prepare_database, status_changes
from roadmap.curriculum.loading import load_graph
from roadmap.map.layout import layout_graph
from roadmap.map.paint import paint
from roadmap.models import Progress, Topic
from roadmap.progress import analysis as gaps

TOPICS, EDGES, LEARNERS = 1000, 3000, 5
ROUNDS = 20
COLD_ROUNDS = 5
HTMX = {"HTTP_HX_REQUEST": "true"}


def sample(fn, rounds: int, *, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds per call (CPU time ignores other load on the machine)."""
    wall, cpu = [], []
    for _ in range(rounds):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def request(fn, rounds: int, *, before=None) -> tuple[list[float], list[float], int, int]:
    fn()  # warm templates and connections
    wall, cpu, queries, size = [], [], 0, 0
    for _ in range(rounds):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start, start_cpu = time.perf_counter(), time.process_time()
            response = fn()
            wall.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, response.status_code
        queries, size = len(captured.captured_queries), len(response.content)
    return wall, cpu, queries, size


def row(name: str, wall: list[float], cpu: list[float], queries: int | str = "", size: int | str = "") -> str:
    wall = sorted(wall)
    p95 = wall[max(0, int(len(wall) * 0.95) - 1)]
    size_kb = f"{size / 1024:.0f} kB" if isinstance(size, int) else size
    return (
        f"| {name:<44} | {statistics.median(wall):7.1f} | {p95:7.1f} | {max(wall):7.1f} "
        f"| {statistics.median(cpu):7.1f} | {queries!s:>7} | {size_kb:>7} |"
    )


def main() -> None:
    prepare_database()
    started = time.perf_counter()
    roadmap = build_roadmap(slug="bench-1000", topics=TOPICS, edges=EDGES)
    learner = build_learners(roadmap, count=LEARNERS, prefix="bench-map")[-1]
    print(f"dataset ready in {time.perf_counter() - started:.1f}s: {TOPICS} topics, {EDGES} edges")

    graph = load_graph(roadmap)
    layout = layout_graph(graph)
    print(
        f"layout: {layout.width}×{layout.height} px, {layout.layer_count} layers, "
        f"{layout.crossings} crossings, {sum(e.direct for e in layout.edges)} long edges drawn direct"
    )
    render_svg = svg_renderer(graph, layout, learner, roadmap)

    print(f"\nms per call ({connection.vendor}; cold = layout and page caches cleared before each request;")
    print("CPU = this process's CPU time, which other load on the machine does not inflate)\n")
    print(
        "| what                                         |     p50 |     p95 |     max | CPU p50 | queries |    size |"
    )
    print(
        "|----------------------------------------------|---------|---------|---------|---------|---------|---------|"
    )
    print(row("layout_graph() alone, 1,000 / 3,000", *sample(lambda: layout_graph(graph), COLD_ROUNDS)))
    print(row("paint() + render the SVG alone", *sample(render_svg, ROUNDS), "", len(render_svg())))
    print_requests(roadmap, learner)


def svg_renderer(graph, layout, learner, roadmap) -> Callable[[], str]:
    """Paint the learner's statuses, gaps and the path to a far goal over `layout`, and render the SVG."""
    statuses = dict(Progress.objects.for_learner(learner, roadmap).values_list("topic_id", "status"))
    gap_ids = {g.topic.id for g in gaps.find_gaps(graph, statuses, blocks_shown=0)}
    goal = next(reversed(graph.topics))
    path_ids = {topic.id for topic in gaps.plan_to(graph, statuses, goal).steps}  # as page.py draws it

    def render_svg() -> str:
        view = paint(layout, statuses, gap_ids=gap_ids, path_ids=path_ids, goal_id=goal)
        return render_to_string("roadmap/includes/map_svg.html", {"map": view, "opens_panel": True})

    return render_svg


def print_requests(roadmap, learner) -> None:
    """A table row for each request through the Django stack, with the caches cold and warm."""
    client = Client()
    client.force_login(learner)
    anonymous = Client()
    topics = list(Topic.objects.filter(roadmap=roadmap).order_by("order").values_list("slug", flat=True))
    change_status = status_changes(
        client,
        topics,
        ["learning", "mastered"],
        next_url="/map/",
        url=lambda slug: f"/map/topic/{slug}/status/",
        **HTMX,
    )
    get_map = lambda: client.get("/map/")  # noqa: E731

    def forget_everything():
        forget_pages()
        cache.clear()

    print(row("GET /map/ learner, cold", *request(get_map, COLD_ROUNDS, before=forget_everything)))
    print(row("GET /map/ learner, layout cached", *request(get_map, ROUNDS, before=forget_pages)))
    print(row("GET /map/ learner, page cached", *request(get_map, ROUNDS)))
    print(row("GET /map/ anonymous, page cached", *request(lambda: anonymous.get("/map/"), ROUNDS)))
    print(
        row(
            "GET /map/?section=s5 learner, layout cached",
            *request(lambda: client.get("/map/?section=s5"), ROUNDS, before=forget_pages),
        )
    )
    panel = f"/map/topic/{topics[500]}/"
    print(row("GET /map/topic/<slug>/ (htmx panel)", *request(lambda: client.get(panel, **HTMX), ROUNDS)))
    print(row("POST /map/topic/<slug>/status/ (htmx, OOB)", *request(change_status, ROUNDS)))


if __name__ == "__main__":
    main()
