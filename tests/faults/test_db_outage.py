"""The database goes away mid-run: errors while it is down, recovery after, nothing corrupted.

The shared PostgreSQL server is never restarted. Instead a gunicorn instance
talks to it through a TCP relay in this test (tests/faults/servers.py), which
can reset every connection and refuse new ones (a restart), cut one
connection as a given statement goes through (a crash mid-request), or
accept connections and never answer (a host gone from the network). Data is
then checked through the test's own, direct connection.
"""

import time

import pytest
from django.conf import global_settings
from django.core.cache import cache
from django.db import connection

from roadmap.models import LogEntry, Progress, Status, Topic
from tests.factories import PASSWORD, RoadmapFactory, SectionFactory, TopicFactory, UserFactory
from tests.faults.servers import AppServer, Browser, DatabaseProxy, database_url

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: an app server reaches it through a relay the test can break")


@pytest.fixture
def learner(transactional_db, settings):
    cache.clear()  # allauth's counters survive transactional flushes
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the app server's own hashers
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus")
    for slug in ("limits", "derivatives", "integrals"):
        TopicFactory(section=calculus, slug=slug, title=slug.title())
    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def proxy():
    relay = DatabaseProxy(
        (connection.settings_dict["HOST"] or "127.0.0.1", int(connection.settings_dict["PORT"] or 5432))
    )
    yield relay
    relay.close()


@pytest.fixture
def app(proxy, learner):
    server = AppServer(
        database_url(connection.settings_dict, host="127.0.0.1", port=proxy.port), name="app", timeout=30
    )
    try:
        server.wait_until_up()
        yield server
    finally:
        server.stop()


@pytest.fixture
def ada(app) -> Browser:
    browser = Browser(app.url)
    browser.log_in("ada@example.com", PASSWORD)
    return browser


def set_status(browser: Browser, slug: str, status: str) -> int:
    return browser.post("/progress/", {"topic": slug, "status": status, "next": "/dashboard/"}).status


def timed(call):
    start = time.monotonic()
    result = call()
    return result, time.monotonic() - start


def wait_for(predicate, timeout: float = 15) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if predicate():
            return time.monotonic() - start
        time.sleep(0.2)
    raise AssertionError("did not recover")


def rows(learner) -> dict:
    return dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "status"))


def test_a_database_restart_gives_errors_then_recovery_and_no_corruption(app, proxy, ada, learner):
    assert set_status(ada, "limits", "mastered") == 302
    assert set_status(ada, "derivatives", "learning") == 302
    assert Browser(app.url).get("/healthz").status == 200

    # The database restarts: every connection is reset, new ones are turned away.
    proxy.mode = "refuse"
    proxy.cut_all()

    health, seconds = timed(lambda: Browser(app.url).get("/healthz"))
    assert (health.status, health.body) == (503, "unavailable\n")
    assert seconds < 5
    for _ in range(3):  # every request fails cleanly while it is down, none hangs
        response, seconds = timed(lambda: ada.post("/progress/", {"topic": "integrals", "status": "skipped"}))
        assert response.status == 500 and seconds < 5
        assert "Traceback" not in response.body and "psycopg" not in response.body
        assert ada.get("/dashboard/").status == 500

    # It is back: the app recovers by itself, with the learner still signed in.
    proxy.mode = "forward"
    wait_for(lambda: Browser(app.url).get("/healthz").status == 200)
    assert ada.get("/dashboard/").status == 200
    assert set_status(ada, "derivatives", "practised") == 302

    # What committed before is there, what was refused during is not, nothing is doubled.
    assert rows(learner) == {"limits": "mastered", "derivatives": "practised"}
    mastered = Progress.objects.get(learner=learner, topic__slug="limits")
    assert mastered.review_due is not None and mastered.review_card is not None


def test_repeated_restarts_under_a_stream_of_writes_leave_one_whole_record_per_topic(
    app, proxy, ada, learner
):
    sent: dict[str, list[str]] = {"limits": [], "derivatives": [], "integrals": []}
    codes = []
    for step in range(30):
        if step in {8, 19}:
            proxy.mode = "refuse"
            proxy.cut_all()
        if step in {12, 23}:
            proxy.mode = "forward"
        slug = list(sent)[step % 3]
        status = [Status.LEARNING, Status.PRACTISED, Status.MASTERED, Status.SKIPPED][step % 4]
        code = set_status(ada, slug, status)
        codes.append(code)
        if code == 302:
            sent[slug].append(status)

    assert 500 in codes and codes[-1] == 302
    # Each topic ends at the last status that was accepted for it, with its review schedule to match.
    assert rows(learner) == {slug: statuses[-1] for slug, statuses in sent.items() if statuses}
    for row in Progress.objects.filter(learner=learner):
        assert (row.review_due is not None) == (row.status == Status.MASTERED)


def test_a_connection_cut_mid_request_leaves_no_half_written_log_entry(app, proxy, ada, learner):
    topic_ids = [str(pk) for pk in Topic.objects.values_list("pk", flat=True)]
    entry = {
        "date": "2025-03-01",
        "hours": "2",
        "extra_minutes": "0",
        "stage": "grind",
        "satisfied": "yes",
        "note": "",
        "topics": topic_ids,
    }
    # The server crashes just as the entry's topics are written, after the entry itself.
    proxy.drop_on = b'INSERT INTO "roadmap_logentry_topics"'

    response = ada.post("/log/", entry)

    assert proxy.dropped_on_pattern.is_set()
    assert response.status == 500
    saved = LogEntry.objects.filter(learner=learner, date="2025-03-01").first()
    assert saved is None or saved.topics.count() == len(topic_ids), "an entry was saved without its topics"

    proxy.drop_on = None  # the learner simply tries again
    assert ada.post("/log/", entry).status == 302
    saved = LogEntry.objects.get(learner=learner, date="2025-03-01")
    assert saved.topics.count() == len(topic_ids)


def test_a_status_change_cut_mid_transaction_is_all_or_nothing(app, proxy, ada, learner):
    assert set_status(ada, "limits", "learning") == 302
    # Cut as the change's UPDATE goes out, inside set_status()'s transaction.
    proxy.drop_on = b'UPDATE "roadmap_progress"'

    assert set_status(ada, "limits", "mastered") == 500

    row = Progress.objects.get(learner=learner, topic__slug="limits")
    assert row.status == Status.LEARNING and row.review_due is None  # the old record, whole
    proxy.drop_on = None
    assert set_status(ada, "limits", "mastered") == 302
    row.refresh_from_db()
    assert row.status == Status.MASTERED and row.review_due is not None


def test_healthz_answers_fast_when_the_database_host_stops_answering(app, proxy):
    proxy.mode = "hold"  # connections are accepted and never answered
    proxy.cut_all()

    health, seconds = timed(lambda: Browser(app.url).get("/healthz", timeout=30))

    assert health.status == 503
    assert seconds < 10, f"/healthz took {seconds:.1f}s with the database unreachable"
    proxy.mode = "forward"
    proxy.cut_all()
    wait_for(lambda: Browser(app.url).get("/healthz").status == 200)
