"""Redis goes away: learners are still served from the database, signed in, with nothing lost.

The app runs with CACHE_URL's settings (both caches on config/redis_cache.py's
backend, cached_db sessions) against either a port where nothing listens,
which needs no Redis and runs in every suite, or the real Redis through a TCP
relay that the test cuts mid-run, as a Redis restart or a network fault would.
"""

import logging
import time

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.test import Client

from config import redis_cache
from roadmap.models import Progress, Status
from tests import dom, redis_server
from tests.factories import PASSWORD, RoadmapFactory, SectionFactory, TopicFactory, UserFactory
from tests.faults.servers import DatabaseProxy

pytestmark = pytest.mark.cache


@pytest.fixture
def learner(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus")
    for slug in ("limits", "derivatives"):
        TopicFactory(section=calculus, slug=slug, title=slug.title())
    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def on_redis_at(settings, caplog, monkeypatch):
    """Run the app as CACHE_URL=<location> would (tests/config/test_cache_settings.py pins those)."""
    caplog.set_level(logging.WARNING, logger="config.redis_cache")
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)  # the next request tries Redis again
    prefix = redis_server.unique_prefix()

    def configure(location: str) -> None:
        settings.CACHES = redis_server.caches_at(location, prefix)
        settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
        settings.SESSION_CACHE_ALIAS = "default"

    yield configure
    if redis_server.answers():
        settings.CACHES = redis_server.caches_at(redis_server.url(), prefix)
        for alias in ("default", "pages"):
            caches[alias].clear()


@pytest.fixture
def relay():
    redis_server.require()
    proxy = DatabaseProxy((redis_server.HOST, redis_server.PORT))
    yield proxy
    proxy.close()


def sign_in() -> Client:
    browser = Client()
    response = browser.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 302, response.content[:300]
    return browser


def status_on_dashboard(browser: Client, slug: str) -> str | None:
    page = browser.get("/dashboard/")
    assert page.status_code == 200
    assert dom.select_one(page, "h1").text == "Hi ada", "signed out"
    pressed = dom.select(page, f'[id^="status-{slug}-"][aria-pressed="true"]')
    return pressed[0]["id"].removeprefix(f"status-{slug}-") if pressed else None


def set_status(browser: Client, slug: str, status: str) -> int:
    return browser.post("/progress/", {"topic": slug, "status": status, "next": "/dashboard/"}).status_code


def redis_errors(caplog) -> list[str]:
    return [
        r.getMessage() for r in caplog.records if r.name == "config.redis_cache" and r.levelname == "ERROR"
    ]


def test_with_redis_gone_a_learner_signs_in_is_served_and_saves_their_progress(on_redis_at, learner, caplog):
    on_redis_at(redis_server.url(redis_server.nothing_listening()))

    ada = sign_in()  # allauth's rate limit lets the attempt through uncounted (fails open)

    assert status_on_dashboard(ada, "limits") == "not_started"
    assert set_status(ada, "limits", Status.MASTERED) == 302
    assert status_on_dashboard(ada, "limits") == "mastered"
    assert Progress.objects.get(learner=learner, topic__slug="limits").status == Status.MASTERED
    assert Session.objects.count() == 1  # the session is in the database, where cached_db reads it
    assert redis_errors(caplog), "the outage went unlogged"
    assert all("ConnectionError" in message for message in redis_errors(caplog))

    ada.post("/accounts/logout/")
    assert Session.objects.count() == 0


def test_redis_going_away_mid_run_signs_nobody_out_and_loses_nothing(on_redis_at, relay, learner, caplog):
    on_redis_at(redis_server.url(relay.port))
    ada = sign_in()
    assert set_status(ada, "limits", Status.LEARNING) == 302
    assert status_on_dashboard(ada, "limits") == "learning"
    session_key = ada.cookies["sessionid"].value
    assert caches["default"].get(f"django.contrib.sessions.cached_db{session_key}"), "not cached in Redis"
    assert not redis_errors(caplog)

    relay.mode = "refuse"  # Redis restarts: open connections reset, new ones turned away
    relay.cut_all()

    assert status_on_dashboard(ada, "limits") == "learning"  # still signed in, from the database
    assert set_status(ada, "limits", Status.MASTERED) == 302
    assert set_status(ada, "derivatives", Status.PRACTISED) == 302
    assert status_on_dashboard(ada, "limits") == "mastered"
    assert redis_errors(caplog)

    relay.mode = "forward"  # back: the same session carries on, nothing written meanwhile is lost
    time.sleep(0.25)  # past RETRY_SECONDS
    assert status_on_dashboard(ada, "derivatives") == "practised"
    assert caches["default"].get(f"django.contrib.sessions.cached_db{session_key}"), "not cached again"
    assert status_on_dashboard(ada, "limits") == "mastered"
    assert dict(Progress.objects.filter(learner=learner).values_list("topic__slug", "status")) == {
        "limits": Status.MASTERED,
        "derivatives": Status.PRACTISED,
    }


def test_signing_out_while_redis_is_cut_off_stays_signed_out_when_it_is_back(
    on_redis_at, relay, learner, caplog
):
    """Redis kept its copy of the session: it must not let the cookie back in."""
    on_redis_at(redis_server.url(relay.port))
    ada = sign_in()
    assert status_on_dashboard(ada, "limits") == "not_started"  # the session is now cached in Redis
    stolen = ada.cookies["sessionid"].value

    relay.mode = "refuse"
    relay.cut_all()
    ada.post("/accounts/logout/")  # deletes the database row; Redis cannot be told
    relay.mode = "forward"
    time.sleep(0.25)  # past RETRY_SECONDS: the next request reaches Redis, and its stale copy

    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get("/settings/export.json").status_code == 302  # to the login page
    assert "deleted" in caplog.text and "keys it missed changes to" in caplog.text
