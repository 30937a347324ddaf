"""Two app servers on one PostgreSQL and one Redis serve one learner as one site.

As deployed with CACHE_URL (README "Redis"): each gunicorn instance keeps
sessions (cached_db), rendered pages and rate-limit counters in the shared
Redis, and the truth in the shared database. The learner's cookie goes to
either server, as behind a round-robin load balancer without sticky sessions.
tests/faults/test_concurrency.py does the same with the database cache.
"""

import pytest
import redis
from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.db import connection

from roadmap.models import Progress
from tests import redis_server
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


@pytest.fixture(autouse=True)
def needs_postgresql_and_redis():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (several app servers on one database); set DATABASE_URL=postgres://…")
    redis_server.require()


@pytest.fixture
def prefix() -> str:
    return redis_server.unique_prefix()


@pytest.fixture
def keys(prefix):
    """The keys the servers wrote to Redis, read directly; deleted afterwards."""
    client = redis.Redis.from_url(redis_server.url())
    yield lambda pattern: [key.decode() for key in client.scan_iter(match=f"{prefix}:{pattern}")]
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)
    client.close()


@pytest.fixture
def two_servers(transactional_db, prefix, keys):
    env = {"CACHE_URL": redis_server.url(), "CACHE_KEY_PREFIX": prefix}
    url = database_url(connection.settings_dict)
    with running(
        AppServer(url, name="app-a", extra_env=env), AppServer(url, name="app-b", extra_env=env)
    ) as servers:
        yield servers


@pytest.fixture
def learner(transactional_db, settings):
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS  # the servers' own hashers
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus")
    for slug in ("limits", "derivatives", "integrals"):
        TopicFactory(section=calculus, slug=slug, title=slug.title())
    return UserFactory(username="ada", email="ada@example.com")


def test_a_learner_moves_between_servers_with_one_session_one_state_and_one_sign_out(
    two_servers, learner, keys
):
    a, b = two_servers
    on_a = Browser(a.url)
    on_a.log_in("ada@example.com", PASSWORD)
    on_b = Browser(b.url, cookies=on_a.cookies)  # the same browser, sent to the other server
    session_key = on_a.cookies["sessionid"]

    assert on_b.pressed_status(on_b.get("/dashboard/"), "limits") == "not_started"
    assert (
        on_a.post("/progress/", {"topic": "limits", "status": "mastered", "next": "/dashboard/"}).status
        == 302
    )
    assert on_b.pressed_status(on_b.get("/dashboard/"), "limits") == "mastered"
    assert on_b.post("/progress/", {"topic": "derivatives", "status": "learning"}).status == 302
    assert on_a.pressed_status(on_a.get("/dashboard/"), "derivatives") == "learning"

    # Both served from what they share: the session is cached in Redis (and kept in the
    # database), and so are the pages they rendered.
    assert keys(f"cache:1:django.contrib.sessions.cached_db{session_key}")
    assert keys("pages:1:page:*")
    assert dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "status")) == {
        "limits": "mastered",
        "derivatives": "learning",
    }

    assert on_b.post("/accounts/logout/", {}).status == 302
    replay = Browser(a.url, cookies={"sessionid": session_key})  # the old cookie, on the other server
    response = replay.get("/dashboard/")
    assert response.status == 302 and "/accounts/login/" in response.headers["Location"]
    assert not keys(f"cache:1:django.contrib.sessions.cached_db{session_key}")


def test_failed_logins_are_counted_in_redis_across_both_servers(two_servers, learner, keys):
    a, b = two_servers
    # login_failed allows 5 failures per account in 5 minutes; spread them over both servers.
    fail_logins([b, a], "ada@example.com", 5)

    assert keys("cache:1:allauth:rl:*")
    assert_logins_refused([a, b], "ada@example.com", PASSWORD)
    assert get_user_model().objects.get(username="ada").last_login is None
