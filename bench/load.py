"""Load benchmark: gunicorn on PostgreSQL, driven by wrk on 127.0.0.1.

    make bench-load                      # defaults below
    BENCH_DURATION=20 BENCH_CONNECTIONS=16 make bench-load
    BENCH_PAGES=dashboard,badge make bench-load   # only some pages
    BENCH_MODES=redis make bench-load             # one mode only

Builds (once, then reuses) 1,000 topics, 3,000 edges and 10,000 learners with
progress and log entries in the database `mathpath_bench`, starts gunicorn,
and for each page prints req/s, p50/p99 latency, errors, queries per request,
and req/s as a share of its "floor": a response of the same size served
through the same Django stack by a view that does no work but the reads every
such page must make (bench/urls.py). A signed-in page's floor loads the session
and its user; a public page's floor (fetched without a cookie, as a visitor or
an image proxy would) looks up its learner by name. The anonymous floor does
neither.

It runs once per mode, each in a process of its own, and prints a table for
each: "database" keeps sessions and the cache in PostgreSQL (the default);
"redis" sets CACHE_URL to the Redis at BENCH_REDIS_URL, for sessions
(cached_db), the cache and the page cache.
Every run is bounded: wrk runs for BENCH_DURATION seconds per page.
"""

import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATABASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/mathpath_bench")
PORT = int(os.environ.get("BENCH_PORT", "8077"))
DURATION = int(os.environ.get("BENCH_DURATION", "10"))
# Each page is first driven for this long, unmeasured: every worker process
# connects to PostgreSQL and loads the graph, and the learners' pages reach the
# cache, as they would on a server that has been up for a while.
WARMUP = int(os.environ.get("BENCH_WARMUP", "5"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
WORKERS = int(os.environ.get("BENCH_WORKERS", str(2 * (os.cpu_count() or 1) + 1)))
LEARNERS = int(os.environ.get("BENCH_LEARNERS", "10000"))
PAGES = {name.strip() for name in os.environ.get("BENCH_PAGES", "").split(",") if name.strip()}
MODES = [m.strip() for m in os.environ.get("BENCH_MODES", "database,redis").split(",") if m.strip()]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
# Set by main() in the process it starts for each mode.
MODE = os.environ.get("BENCH_MODE", "")
SESSIONS = 16  # distinct logged-in learners the load cycles through

SERVER_ENV = {
    "DATABASE_URL": DATABASE_URL,
    "DEBUG": "false",
    "SECRET_KEY": "bench-only-secret-key-not-for-production-0123456789abcdefghijkl",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "false",
    "MATHPATH_DEFAULT_ROADMAP": "bench-1000",
    # The app's settings with bench/urls.py's "floor" views added.
    "DJANGO_SETTINGS_MODULE": "bench.settings",
    "LOG_LEVEL": "WARNING",
}
if MODE == "redis":
    SERVER_ENV["CACHE_URL"] = REDIS_URL
else:
    os.environ.pop("CACHE_URL", None)  # database mode means it, whatever the shell has
os.environ.update(SERVER_ENV)


def ensure_database() -> None:
    import psycopg

    name = DATABASE_URL.rsplit("/", 1)[1]
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


ensure_database()

import django  # noqa: E402

django.setup()

from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import _get_new_csrf_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import Profile, Visibility  # noqa: E402
from bench.dataset import (  # noqa: E402
    build_goals_and_reviews,
    build_learners,
    build_log_entries,
    build_resources,
    build_roadmap,
)
from roadmap.models import Progress, Topic  # noqa: E402


def prepare():
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    roadmap = build_roadmap(slug="bench-1000", topics=1000, edges=3000)
    build_resources(roadmap)
    learners = build_learners(roadmap, count=LEARNERS)
    build_log_entries(learners[:LEARNERS])
    Profile.objects.bulk_create(
        [
            Profile(user=user, visibility=Visibility.PUBLIC)
            for user in learners
            if not hasattr(user, "profile")
        ],
        ignore_conflicts=True,
    )
    build_goals_and_reviews(roadmap, learners)
    # Bulk loads bypass the signals that replace learners' state tokens, so pages
    # an earlier run cached could be stale; and each run's first request should
    # render afresh.
    caches["pages"].clear()
    # As autovacuum would on a live database: without statistics on freshly
    # loaded tables, PostgreSQL plans the progress query as a 1,000-row nested loop,
    # and without a visibility map it reads the table behind the covering index.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    print(
        f"dataset ready in {time.perf_counter() - started:.0f}s: 1000 topics, 3000 edges, {len(learners)} learners",
        flush=True,
    )
    return roadmap, learners


def signed_in_sample(learners) -> list:
    """The learners the load signs in as: as many with a goal as in the whole dataset.

    A learner with a goal has a plan on their dashboard, the dearest panel, so
    the sample must not happen to have more or fewer of them than learners do.
    """
    with_goal = set(
        Profile.objects.filter(user__in=learners, goal__isnull=False).values_list("user_id", flat=True)
    )
    share = len(with_goal) / len(learners)
    wanted = round(SESSIONS * share)
    have = [learner for learner in learners if learner.pk in with_goal][:wanted]
    have_not = [learner for learner in learners if learner.pk not in with_goal][: SESSIONS - wanted]
    return have + have_not


def sessions_for(learners) -> list[str]:
    ids = []
    for user in learners:
        client = Client()
        client.force_login(user)
        ids.append(client.cookies["sessionid"].value)
    return ids


def page_facts(path: str, session: str, mode: str, topic: str) -> tuple[int, str]:
    """(bytes, queries) of a request, measured in-process: "first/again" for a cached page.

    A status change is measured as two real changes of one topic (to learning,
    then practised, from not started): posting the same status twice would measure a change that changes
    nothing, which sends every panel.
    """
    client = Client()
    if mode != "public":
        client.cookies["sessionid"] = session
    if mode in ("htmx", "form"):  # from a known state, so both are real changes
        client.post(path, {"topic": topic, "status": "not_started", "next": "/dashboard/"})
    counts = []
    for status in ("learning", "practised"):
        with CaptureQueriesContext(connection) as queries:
            if mode in ("get", "public"):
                response = client.get(path)
            else:
                data = {"topic": topic, "status": status, "next": "/dashboard/"}
                response = client.post(path, data, **({"HTTP_HX_REQUEST": "true"} if mode == "htmx" else {}))
        assert response.status_code == (302 if mode == "form" else 200), (path, response.status_code)
        counts.append(len(queries))
    return len(response.content), str(counts[0]) if counts[0] == counts[1] else f"{counts[0]}/{counts[1]}"


LUA = """
local sessions = {%(sessions)s}
local topics = {%(topics)s}
local statuses = {"learning", "practised", "mastered", "skipped", "not_started"}
local csrf = "%(csrf)s"
-- Each session's status on each topic when the run starts, one digit per topic
-- (an index into statuses). Sessions alternate between the two threads (k's
-- parity below), so each thread is the only one changing its learners and can
-- keep their statuses here as the server does.
local state = {}
for i, digits in ipairs({%(states)s}) do
  local row = {}
  for j = 1, #digits do row[j] = tonumber(digits:sub(j, j)) end
  state[i] = row
end
-- Each wrk thread gets its own share of the sequence: with the same one, every
-- request would be sent twice, and the second would change nothing.
local threads = 0
function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end
-- Each run starts somewhere else in the sequence, so it changes other topics
-- than the warm-up did.
local start = %(start)d
local n = 0
request = function()
  n = n + 2
  local k = start + n + offset
  local session = (k %% #sessions) + 1
  local cookie = "sessionid=" .. sessions[session] .. "; csrftoken=" .. csrf
  if "%(mode)s" == "htmx" or "%(mode)s" == "form" then
    -- Every request changes something: the topic's status moves on to the next
    -- one. A request that posts the status a topic already has measures a second
    -- click, which an up-to-date page answers with no panel at all.
    local topic = (k * 7919 %% #topics) + 1
    local moved = (state[session][topic] %% #statuses) + 1
    state[session][topic] = moved
    local body = "topic=" .. topics[topic] .. "&status=" .. statuses[moved] .. "&next=/dashboard/"
    local headers = {["Cookie"] = cookie, ["X-CSRFToken"] = csrf, ["Content-Type"] = "application/x-www-form-urlencoded"}
    if "%(mode)s" == "htmx" then headers["HX-Request"] = "true" end
    return wrk.format("POST", "%(path)s", headers, body)
  end
  if "%(mode)s" == "public" then
    return wrk.format("GET", "%(path)s")
  end
  return wrk.format("GET", "%(path)s", {["Cookie"] = cookie})
end
"""


STATUSES = [
    "learning",
    "practised",
    "mastered",
    "skipped",
    None,
]  # as the Lua's statuses, None for not started


def statuses_now(learners: list, topics: list[str]) -> list[str]:
    """Each learner's status on each topic, as digits for the Lua's `state` (1-based, as Lua counts)."""
    rows = Progress.objects.filter(learner__in=learners).values_list("learner_id", "topic__slug", "status")
    status = {(learner_id, slug): value for learner_id, slug, value in rows}
    return [
        "".join(str(STATUSES.index(status.get((learner.pk, slug))) + 1) for slug in topics)
        for learner in learners
    ]


def run_wrk(
    path: str,
    sessions: list[str],
    topics: list[str],
    csrf: str,
    *,
    mode: str = "get",
    duration: int = DURATION,
    learners: list | None = None,
) -> dict:
    """wrk on `path` for `duration`; a status change needs the `learners` the sessions sign in."""
    states = statuses_now(learners, topics) if mode in ("htmx", "form") else []
    script = LUA % {
        "sessions": ",".join(f'"{s}"' for s in sessions),
        "topics": ",".join(f'"{t}"' for t in topics),
        "states": ",".join(f'"{digits}"' for digits in states),
        "csrf": csrf,
        "start": random.randrange(10**6),
        "mode": mode,
        "path": path,
    }
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    out = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{CONNECTIONS}",
            f"-d{duration}s",
            "--latency",
            "-s",
            handle.name,
            f"http://127.0.0.1:{PORT}{path}",
        ],
        capture_output=True,
        text=True,
        timeout=duration + 60,
        check=True,
    ).stdout
    os.unlink(handle.name)
    return parse_wrk(out)


def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def parse_wrk(out: str) -> dict:
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    errors = 0
    if match := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(match.group(1))
    if match := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out):
        errors += sum(int(x) for x in match.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        # Anchored to the start of the line: the thread stats above also end in
        # percentages ("69.99%"), which an unanchored "99%" would match.
        "p50": _ms(re.search(r"^\s*50%\s+(\S+)", out, re.MULTILINE).group(1)),
        "p99": _ms(re.search(r"^\s*99%\s+(\S+)", out, re.MULTILINE).group(1)),
        "errors": errors,
        "requests": requests,
    }


def start_server() -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(ROOT / ".venv" / "bin")) or "gunicorn"
    server = subprocess.Popen(
        [gunicorn, "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{PORT}", "--log-level", "warning"],
        cwd=ROOT,
        env={**os.environ, **SERVER_ENV},
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("gunicorn did not start")


def main() -> None:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")
    if not MODE:
        # One process per mode: settings, sessions and caches are chosen at start-up.
        for mode in MODES:
            if mode not in ("database", "redis"):
                raise SystemExit(f"unknown BENCH_MODES entry {mode!r}: database or redis")
            print(f"\n== {mode} mode", flush=True)
            subprocess.run([sys.executable, __file__], env={**os.environ, "BENCH_MODE": mode}, check=True)
        return
    if MODE == "redis":
        # A run never measures what an earlier one left in Redis.
        caches["default"].clear()
    roadmap, learners = prepare()
    public = learners[0]
    sample = signed_in_sample(learners[1:])
    # The Lua gives each wrk thread every other session, its own to keep statuses of.
    assert len(sample) % 2 == 0, "an even number of signed-in learners"
    sessions = sessions_for(sample)
    topics = list(Topic.objects.filter(roadmap=roadmap).values_list("slug", flat=True))
    csrf = _get_new_csrf_string()
    signed_in_floor = "/__floor__/{size}/signed-in/"
    public_floor = f"/__floor__/{{size}}/public/{public.username}/"
    # (name, path, mode, its floor): "get", signed in; "public", without a cookie,
    # as a visitor or an image proxy fetches it; "htmx", the dashboard's status
    # change with its out-of-band panels; "form", the same change without
    # JavaScript (a redirect), which shows what the write itself costs.
    pages = [
        ("dashboard", "/dashboard/", "get", signed_in_floor),
        ("status change (htmx)", "/progress/", "htmx", signed_in_floor),
        ("status change (no JS)", "/progress/", "form", signed_in_floor),
        ("public page", f"/u/{public.username}/", "public", public_floor),
        ("badge", f"/u/{public.username}/badge.svg", "public", public_floor),
        ("map", "/map/", "get", signed_in_floor),
    ]
    if PAGES:
        pages = [page for page in pages if page[0] in PAGES]
    facts = {name: page_facts(path, sessions[0], mode, topics[500]) for name, path, mode, _ in pages}

    server = start_server()
    try:
        rows = []
        for name, path, mode, own_floor in pages:
            size, queries = facts[name]
            if WARMUP:
                run_wrk(path, sessions, topics, csrf, mode=mode, duration=WARMUP, learners=sample)
            result = run_wrk(path, sessions, topics, csrf, mode=mode, learners=sample)
            anonymous = run_wrk(f"/__floor__/{size}/", sessions, topics, csrf, mode="public")
            floor_mode = "public" if own_floor is public_floor else "get"
            own = run_wrk(own_floor.format(size=size), sessions, topics, csrf, mode=floor_mode)
            kind = "public" if own_floor is public_floor else "signed-in"
            rows.append((name, result, anonymous, own, kind, queries, size))
            print(f"  measured {name}: {result['rps']:.0f} req/s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print_table(rows)


def print_table(rows: list[tuple]) -> None:
    """The results as a Markdown table, after a line saying how they were measured."""
    print(
        f"\n{MODE} mode: wrk -c{CONNECTIONS} for {DURATION}s per page after {WARMUP}s of warm-up, "
        f"gunicorn {WORKERS} sync workers, PostgreSQL, {os.cpu_count()} cores; "
        "anonymous floor = same-size response through the same Django stack; "
        "signed-in floor = the same after loading the session and its user; "
        "public floor = the same, without a cookie, after looking up the learner by name; "
        "queries = first request / again (served from the page cache)\n"
    )
    print(
        "| page | req/s | p50 ms | p99 ms | errors | queries | bytes | anonymous floor req/s "
        "| its floor req/s | share of its floor |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, result, anonymous, own, kind, queries, size in rows:
        print(
            f"| {name} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} "
            f"| {queries} | {size:,} | {anonymous['rps']:.0f} | {own['rps']:.0f} | {_share(result, own)} ({kind}) |"
        )
    signed_in = [(own, anonymous) for _, _, anonymous, own, kind, *_ in rows if kind == "signed-in"]
    if signed_in:
        shares = ", ".join(_share(own, anonymous) for own, anonymous in signed_in)
        print(f"\nsigned-in floor as a share of the anonymous floor, page by page: {shares}")


def _share(result: dict, floor: dict) -> str:
    return f"{result['rps'] / floor['rps']:.0%}" if floor["rps"] else "n/a"


if __name__ == "__main__":
    main()
