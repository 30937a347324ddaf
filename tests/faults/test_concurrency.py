"""Many writers on one learner, and several app servers on one database (PostgreSQL only).

tests/roadmap/progress/test_concurrency.py covers set_status() under 50 threads and 24
parallel requests through the test client. Here:

- exactly 50 parallel HTTP status changes across a learner's topics, htmx and
  plain, each from its own session, end in one consistent record per topic;
- two separate gunicorn instances on the same database serve one learner
  whose session cookie goes to either (no sticky sessions): every write made
  through one is read back through the other, parallel writes through both
  leave one row per topic, a logout or a curation change is seen by both,
  and the failed-login counter is shared.
"""

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client

from roadmap.models import COVERED, Progress, Status, Topic
from tests import dom
from tests.factories import PASSWORD, RoadmapFactory, SectionFactory, TopicFactory, UserFactory
from tests.faults.servers import (
    AppServer,
    Browser,
    assert_logins_refused,
    database_url,
    fail_logins,
    running,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STATUSES = [Status.LEARNING, Status.PRACTISED, Status.MASTERED, Status.SKIPPED, None]


@pytest.fixture(autouse=True)
def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL for real parallel transactions and several app servers on one database "
            "(SQLite serialises writers); set DATABASE_URL=postgres://…"
        )


def in_parallel(calls: int, work) -> list:
    start = threading.Barrier(calls)

    def run(i):
        try:
            start.wait(timeout=30)
            return work(i)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=calls) as pool:
        return list(pool.map(run, range(calls)))


def assert_each_record_is_consistent(learner) -> None:
    """A record is whole: mastered ones are scheduled for review, the others are not."""
    for row in Progress.objects.filter(learner=learner):
        assert (row.review_due is not None) == (row.status == Status.MASTERED), row
        assert (row.review_card is not None) == (row.status == Status.MASTERED), row
        assert row.created_at <= row.updated_at


def test_50_parallel_status_changes_across_topics_end_in_one_consistent_record_each(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    learner = UserFactory()
    roadmap = RoadmapFactory()
    section = SectionFactory(roadmap=roadmap)
    topics = [TopicFactory(section=section) for _ in range(10)]
    # Five requests per topic, each with a different desired status (None clears it).
    sent = [(topics[i % 10], STATUSES[i // 10]) for i in range(50)]
    clients = []
    for _ in range(50):
        client = Client()
        client.force_login(learner)  # each its own session: tabs, phones, laptops
        clients.append(client)

    def post(i):
        topic, status = sent[i]
        extra = {"HTTP_HX_REQUEST": "true"} if i % 2 else {}
        data = {"topic": topic.slug, "status": status or "not_started", "next": "/dashboard/"}
        return clients[i].post("/progress/", data, **extra).status_code

    codes = in_parallel(50, post)

    assert Counter(codes) == Counter({302: 25, 200: 25})
    rows = list(Progress.objects.filter(learner=learner).values_list("topic_id", "status"))
    assert len(rows) == len({topic_id for topic_id, _ in rows})  # never two records for a topic
    for topic_id, status in rows:
        assert status in {s for t, s in sent if t.pk == topic_id}
    assert_each_record_is_consistent(learner)
    # What the dashboard then shows matches the rows exactly.
    page = clients[0].get("/dashboard/").content.decode()
    covered = sum(1 for _, status in rows if status in COVERED)
    assert dom.covered(page) == (covered, 10)


# -- two app servers, one database ----------------------------------------------------------


@pytest.fixture
def two_servers(transactional_db):
    """Two gunicorn instances on the test database, as behind a round-robin load balancer."""
    url = database_url(connection.settings_dict)
    with running(AppServer(url, name="app-a"), AppServer(url, name="app-b")) as servers:
        yield servers


@pytest.fixture
def learner_world(transactional_db, settings):
    # The cache table outlives transactional tests' flushes, and allauth counts failed logins there.
    cache.clear()
    # The app servers check passwords with the real hashers, not the suite's fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    roadmap = RoadmapFactory()
    calculus = SectionFactory(roadmap=roadmap, slug="calculus")
    slugs = ["limits", "derivatives", "integrals", "series", "gradient", "vectors"]
    topics = {slug: TopicFactory(section=calculus, slug=slug, title=slug.title()) for slug in slugs}
    learner = UserFactory(username="ada", email="ada@example.com")
    return learner, topics


def test_two_app_servers_serve_one_learner_consistently(two_servers, learner_world):
    learner, _ = learner_world
    a, b = two_servers
    on_a = Browser(a.url)
    on_a.log_in("ada@example.com", PASSWORD)
    on_b = Browser(b.url, cookies=on_a.cookies)  # the same browser, sent to the other server

    assert dom.select_one(on_b.get("/dashboard/").body, "h1").text == "Hi ada", "the session is not shared"

    # Interleave: write through one server, read it back through the other.
    writes = [
        ("limits", "mastered"),
        ("derivatives", "learning"),
        ("limits", "skipped"),
        ("integrals", "practised"),
    ]
    for index, (slug, status) in enumerate(writes):
        writer, reader = (on_a, on_b) if index % 2 == 0 else (on_b, on_a)
        response = writer.post("/progress/", {"topic": slug, "status": status, "next": "/dashboard/"})
        assert response.status == 302
        assert reader.pressed_status(reader.get(f"/topics/{slug}/"), slug) == status

    rows = dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "status"))
    assert rows == {"limits": "skipped", "derivatives": "learning", "integrals": "practised"}
    assert_each_record_is_consistent(learner)


def test_parallel_writes_through_both_servers_leave_one_record_per_topic(two_servers, learner_world):
    learner, topics = learner_world
    a, b = two_servers
    on_a = Browser(a.url)
    on_a.log_in("ada@example.com", PASSWORD)
    browsers = [on_a, Browser(b.url, cookies=dict(on_a.cookies))]
    slugs = list(topics)
    sent = [(slugs[i % len(slugs)], STATUSES[i % len(STATUSES)]) for i in range(24)]

    def post(i):
        slug, status = sent[i]
        headers = {"HX-Request": "true"} if i % 3 == 0 else {}
        data = {"topic": slug, "status": status or "not_started", "next": "/dashboard/"}
        return browsers[i % 2].post("/progress/", data, headers=headers).status

    codes = in_parallel(24, post)

    assert set(codes) <= {200, 302}, codes
    rows = list(Progress.objects.filter(learner=learner).values_list("topic__slug", "status"))
    assert len(rows) == len({slug for slug, _ in rows})
    for slug, status in rows:
        assert status in {s for t, s in sent if t == slug}
    assert_each_record_is_consistent(learner)
    # Both servers now show the same numbers, whichever wrote last.
    counts = [dom.covered(br.get("/dashboard/").body) for br in browsers]
    assert counts[0] == counts[1]


def test_a_curation_change_and_a_logout_are_seen_by_both_servers(two_servers, learner_world):
    a, b = two_servers
    on_a = Browser(a.url)
    on_a.log_in("ada@example.com", PASSWORD)
    on_b = Browser(b.url, cookies=on_a.cookies)
    for browser in (on_a, on_b):  # each server has now cached the roadmap's graph in memory
        assert dom.covered(browser.get("/dashboard/").body) == (0, 6)

    topic = Topic.objects.get(slug="series")
    topic.is_archived = True
    topic.save(update_fields=["is_archived"])  # as the admin's archive action does, in another process

    for browser in (on_a, on_b):
        assert dom.covered(browser.get("/dashboard/").body) == (0, 5)

    assert on_a.post("/accounts/logout/", {}).status == 302
    on_b.cookies.clear()
    on_b.cookies.update(on_a.cookies)
    assert on_b.get("/dashboard/").status == 302  # logged out everywhere: the session row is gone


def test_failed_logins_count_across_both_servers(two_servers, learner_world):
    a, b = two_servers
    # login_failed allows 5 failures per account in 5 minutes; spread them over both servers.
    fail_logins([b, a], "ada@example.com", 5)

    assert_logins_refused([a, b], "ada@example.com", PASSWORD)
    assert get_user_model().objects.get(username="ada").last_login is None
