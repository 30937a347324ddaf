"""What each cache layer buys: the same request with the layer and without it.

    make bench-caches            # SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mathpath_bench make bench-caches

On the 1,000-topic / 3,000-edge roadmap of bench/dataset.py, in-process. Each
pair of rows is taken back to back, so compare within a pair: the ratio is
what the layer earns. CPU is this process's CPU time, which other load on the
machine does not inflate; the database's own work shows in the wall time.

The layers: rendered pages in the shared cache (database or Redis) and, in
front of it, in each process's memory; parsed graphs in process memory, per
graph token; map layouts in the shared cache; and the release fingerprint
that keys every page, hashed once when a process starts. (A copy of layouts
in process memory as well was measured at 1.0–1.1× and removed.)
"""

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.core.cache import cache, caches
from django.core.management import call_command
from django.db import connection
from django.test import Client

import bench.setup_django  # noqa: F401 - settings and django.setup(), before any model import
from accounts.models import Profile
from bench.dataset import build_goals_and_reviews, build_learners, build_resources, build_roadmap
from bench.map import request
from roadmap.curriculum import loading
from roadmap.web import page_cache

TOPICS, EDGES, LEARNERS = 1000, 3000, 20
ROUNDS = 30


def measure(fn, *, before=None, rounds: int = ROUNDS) -> tuple[float, float, int]:
    """(wall p50 ms, CPU p50 ms, queries) of `fn`, with `before` run untimed ahead of each call."""
    if before:
        before()  # so the warm-up request bench.map.request makes starts from the same state
    wall, cpu, queries, _ = request(fn, rounds, before=before)
    return statistics.median(wall), statistics.median(cpu), queries


def pair(name: str, without: tuple, with_layer: tuple) -> None:
    print(f"| {name:<58} | {'without':>7} | {without[0]:8.1f} | {without[1]:8.1f} | {without[2]:7d} |")
    print(f"| {'':<58} | {'with':>7} | {with_layer[0]:8.1f} | {with_layer[1]:8.1f} | {with_layer[2]:7d} |")
    print(
        f"| {'':<58} | {'ratio':>7} | {without[0] / with_layer[0]:7.1f}× | {without[1] / with_layer[1]:7.1f}× |         |"
    )


def forget_pages() -> None:
    page_cache.clear_memory()
    caches["pages"].clear()


def main() -> None:
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    roadmap = build_roadmap(slug="bench-1000", topics=TOPICS, edges=EDGES)
    build_resources(roadmap)
    learners = build_learners(roadmap, count=LEARNERS, prefix="bench-caches")
    build_goals_and_reviews(roadmap, learners)
    with_goal = set(
        Profile.objects.filter(user__in=learners, goal__isnull=False).values_list("user_id", flat=True)
    )
    learner = next(learner for learner in reversed(learners) if learner.pk in with_goal)
    client = Client()
    client.force_login(learner)
    dashboard = lambda: client.get("/dashboard/")  # noqa: E731
    the_map = lambda: client.get("/map/")  # noqa: E731

    print(f"\nms per request, p50 of {ROUNDS} ({connection.vendor}, {TOPICS} topics / {EDGES} edges)\n")
    print(f"| {'layer, and the request it serves':<58} |         |  wall ms |   CPU ms | queries |")
    print(f"|{'-' * 60}|---------|----------|----------|---------|")

    memory_limit = page_cache.MEMORY.limit
    page_cache.MEMORY.limit = 0
    pair(
        "shared page cache: GET /dashboard/ again",
        measure(dashboard, before=forget_pages),
        measure(dashboard),
    )
    pair("shared page cache: GET /map/ again", measure(the_map, before=forget_pages), measure(the_map))
    page_cache.MEMORY.limit = memory_limit
    pair(
        "page memory, in front of the shared cache: GET /dashboard/",
        measure(dashboard, before=page_cache.clear_memory),
        measure(dashboard),
    )
    pair(
        "page memory, in front of the shared cache: GET /map/",
        measure(the_map, before=page_cache.clear_memory),
        measure(the_map),
    )
    pair(
        "graph memory: GET /dashboard/ rendered afresh",
        measure(dashboard, before=lambda: (forget_pages(), loading.forget_graphs())),
        measure(dashboard, before=forget_pages),
    )

    def no_layout() -> None:
        forget_pages()
        cache.clear()

    pair(
        "layout in the shared cache: GET /map/ rendered afresh",
        measure(the_map, before=no_layout, rounds=5),
        measure(the_map, before=forget_pages),
    )
    started = time.perf_counter()
    page_cache.release_fingerprint()
    hashed = (time.perf_counter() - started) * 1000
    print(f"\nThe release fingerprint: {hashed:.1f} ms to hash the source tree, once per process start.")


if __name__ == "__main__":
    main()
