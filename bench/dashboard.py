"""Server-time figures for the dashboard and a status change on a big roadmap.

    make bench-dashboard            # SQLite in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/mathpath_bench make bench-dashboard

Builds a 1,000-topic / 3,000-edge roadmap and learners with realistic
progress, then times requests through the whole Django stack in-process
(middleware, views, templates; no network) and counts their queries.
"""

import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

import bench.setup_django  # noqa: F401 - settings and django.setup(), before any model import
from accounts.models import Profile
from bench.dataset import (
    build_goals_and_reviews,
    build_learners,
    build_problems,
    build_resources,
    build_roadmap,
)
from bench.harness import forget_pages, prepare_database, status_changes
from roadmap.models import Topic

TOPICS, EDGES, LEARNERS = 1000, 3000, 50
ROUNDS = 40


def timed(fn, rounds: int) -> tuple[list[float], int]:
    fn()  # warm caches (templates, connections)
    samples = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = fn()
            samples.append((time.perf_counter() - start) * 1000)
        assert response.status_code in (200, 302), response.status_code
    return samples, len(queries.captured_queries)


def row(name: str, samples: list[float], queries: int) -> str:
    samples = sorted(samples)
    p95 = samples[int(len(samples) * 0.95) - 1]
    return f"| {name:<38} | {statistics.median(samples):8.1f} | {p95:8.1f} | {max(samples):8.1f} | {queries:7d} |"


def main() -> None:
    prepare_database()
    started = time.perf_counter()
    roadmap = build_roadmap(slug="bench-1000", topics=TOPICS, edges=EDGES)
    build_resources(roadmap)
    learners = build_learners(roadmap, count=LEARNERS)
    build_goals_and_reviews(roadmap, learners)
    build_problems(roadmap)
    print(
        f"dataset ready in {time.perf_counter() - started:.1f}s: {TOPICS} topics, {EDGES} edges, {LEARNERS} learners"
    )
    # One with a goal: most learners have one, and the plan is the dearest panel.
    with_goal = set(
        Profile.objects.filter(user__in=learners, goal__isnull=False).values_list("user_id", flat=True)
    )
    learner = next(learner for learner in reversed(learners) if learner.pk in with_goal)
    client = Client()
    client.force_login(learner)
    topics = list(Topic.objects.filter(roadmap=roadmap).order_by("order").values_list("slug", flat=True))
    change_status = status_changes(
        client,
        topics,
        ["learning", "practised", "mastered", "skipped", "not_started"],
        next_url="/dashboard/",
        HTTP_HX_REQUEST="true",
    )

    print(f"\nServer time in ms over {ROUNDS} requests ({connection.vendor}):\n")
    print("| request                                |      p50 |      p95 |      max | queries |")
    print("|----------------------------------------|----------|----------|----------|---------|")

    def rendered_dashboard():
        # What a visit right after a change costs: nothing to reuse from the page cache.
        forget_pages()
        return client.get("/dashboard/")

    print(row("GET /dashboard/ (rendered)", *timed(rendered_dashboard, ROUNDS)))
    print(row("GET /dashboard/ (from the page cache)", *timed(lambda: client.get("/dashboard/"), ROUNDS)))
    print(row("POST /progress/ (htmx, page not saying)", *timed(change_status, ROUNDS)))
    # As the dashboard sends it: the page's state, renewed by each answer (the plan patched in place).
    page = {"state": page_state(client.get("/dashboard/"))}

    def change_from_the_page():
        response = from_the_page()
        page["state"] = page_state(response)
        return response

    from_the_page = status_changes(
        client,
        topics[3:],  # not the same changes as the row above
        ["learning", "practised", "mastered", "skipped", "not_started"],
        next_url="/dashboard/",
        extra=lambda: {"page_state": page["state"]},
        HTTP_HX_REQUEST="true",
    )
    print(row("POST /progress/ (htmx, from the page)", *timed(change_from_the_page, ROUNDS)))
    print(
        row(
            "POST /progress/ (no JS, redirect)",
            *timed(lambda: client.post("/progress/", {"topic": topics[500], "status": "learning"}), ROUNDS),
        )
    )
    print(row("GET / (public roadmap)", *timed(lambda: client.get("/"), ROUNDS)))
    checking_rows(client, learner, roadmap, topics)


def page_state(response) -> str:
    """The state a dashboard page (or a status change's answer) says it shows."""
    return re.search(r'name="page_state" class="status-context" value="([^"]+)"', response.content.decode())[
        1
    ]


def right_answers(problems) -> dict:
    """What a learner who knows the topic posts: the key of every problem shown."""
    return {f"answer_{p.pk}": p.keyed_letters if p.kind == "multiple" else p.answer for p in problems}


def checking_rows(client: Client, learner, roadmap, topics: list[str]) -> None:
    """The check and diagnostic pages: drawing, grading, the placement rule, MathML."""
    from roadmap.checking import diagnostic, topic_check
    from roadmap.models import Attempt, Placement, TopicCheck

    topic = topics[700]
    url = f"/topics/{topic}/check/"
    print(row(f"GET {url[:30]}… (check page)", *timed(lambda: client.get(url), ROUNDS)))
    samples, queries = [], 0
    for _ in range(ROUNDS):
        check = topic_check.open_check(learner, Topic.objects.get(roadmap=roadmap, slug=topic))
        data = {"check": check.pk, **right_answers(topic_check.check_problems(check))}
        Attempt.objects.filter(learner=learner).delete()  # stay under the answer limit
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, data, HTTP_HX_REQUEST="true")
            samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
        queries = len(captured.captured_queries)
    print(row("POST check (graded, recorded)", samples, queries))
    TopicCheck.objects.filter(learner=learner).delete()

    run = diagnostic.start(learner, roadmap)
    for _ in range(15):  # a run half-way through: the rule weighs 15 answers on every step
        problem = diagnostic.current(learner, roadmap).current
        diagnostic.answer(
            run, roadmap, right_answers([problem])[f"answer_{problem.pk}"] if _ % 3 else "0.123"
        )
    Attempt.objects.filter(learner=learner, placement__isnull=True).delete()
    print(
        row(
            "GET /placement/question/ (15 answered)",
            *timed(lambda: client.get("/placement/question/"), ROUNDS),
        )
    )
    samples, queries = [], 0
    for _ in range(ROUNDS):
        run = diagnostic.current(learner, roadmap)
        if run.is_finished:
            break
        problem = run.current
        answer = right_answers([problem])[f"answer_{problem.pk}"]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            client.post("/placement/question/", {"problem": problem.pk, f"answer_{problem.pk}": answer})
            samples.append((time.perf_counter() - started) * 1000)
        queries = len(captured.captured_queries)
    print(row(f"POST /placement/question/ ({len(samples)} steps)", samples, queries))
    diagnostic.stop(diagnostic.current(learner, roadmap))
    print(
        row("GET /placement/result/ (1,000 topics)", *timed(lambda: client.get("/placement/result/"), ROUNDS))
    )
    Placement.objects.filter(learner=learner).delete()


if __name__ == "__main__":
    main()
