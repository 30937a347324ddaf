"""config/redis_cache.py: Django's RedisCache, degraded to an empty cache while Redis is down.

The outage tests need no Redis at all (a port with nothing listening, or a
socket that never answers), so they run in every suite. The rest talk to the
real Redis (tests/redis_server.py), some through a TCP relay the test cuts.
"""

import logging
import socket
import time

import pytest

from config import redis_cache
from config.redis_cache import FailSoftRedisCache
from tests import redis_server
from tests.faults.servers import DatabaseProxy

pytestmark = pytest.mark.cache


def backend(location: str, prefix: str | None = None) -> FailSoftRedisCache:
    return FailSoftRedisCache(
        location,
        {
            "KEY_PREFIX": prefix or redis_server.unique_prefix(),
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    )


@pytest.fixture
def gone(caplog) -> FailSoftRedisCache:
    caplog.set_level(logging.ERROR, logger="config.redis_cache")
    return backend(redis_server.url(redis_server.nothing_listening()))


@pytest.fixture
def real() -> FailSoftRedisCache:
    redis_server.require()
    cache = backend(redis_server.url())
    yield cache
    cache.clear()


def test_with_redis_gone_every_operation_answers_as_an_empty_cache_that_keeps_nothing(gone):
    gone.set("a", 1)
    assert gone.get("a") is None
    assert gone.get("a", "default") == "default"
    assert gone.get_or_set("a", 5) == 5
    assert gone.add("lock", True) is True  # allauth's rate-limit lock: the attempt goes through
    assert gone.delete("a") is False
    assert gone.touch("a") is False
    assert "a" not in gone
    assert gone.get_many(["a", "b"]) == {}
    assert gone.set_many({"a": 1, "b": 2}) == ["a", "b"]  # the keys it failed to store
    gone.delete_many(["a", "b"])
    assert gone.clear() is False
    with pytest.raises(ValueError, match="not found"):
        gone.incr("counter")
    with pytest.raises(ValueError, match="not found"):
        gone.decr("counter")


def test_the_first_failure_is_logged_and_the_next_ones_skip_redis_until_it_is_tried_again(
    gone, caplog, monkeypatch
):
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.3)
    gone.get("a")
    (first,) = caplog.records
    assert first.levelno == logging.ERROR
    assert "get failed, carrying on without it (trying again in 0.3s)" in first.getMessage()
    assert "ConnectionError" in first.getMessage()

    for _ in range(5):
        gone.get("a")
    assert len(caplog.records) == 1  # skipped, not tried: no log line each

    time.sleep(0.35)
    gone.set("a", 1)
    assert len(caplog.records) == 2
    assert "set failed" in caplog.records[1].getMessage()
    assert "(5 operations skipped before this)" in caplog.records[1].getMessage()


def test_a_redis_that_stops_answering_costs_one_socket_timeout_not_one_per_operation(caplog):
    caplog.set_level(logging.ERROR, logger="config.redis_cache")
    silent = socket.create_server(("127.0.0.1", 0))  # connections queue, and nothing ever answers
    try:
        cache = backend(redis_server.url(silent.getsockname()[1]))
        start = time.monotonic()
        assert cache.get("a") is None
        first = time.monotonic() - start
        start = time.monotonic()
        for _ in range(20):
            cache.set("a", 1)
            cache.get("a")
        rest = time.monotonic() - start
    finally:
        silent.close()

    assert 0.4 < first < 2, first  # socket_timeout is 0.5s
    assert rest < 0.1, rest
    assert "TimeoutError" in caplog.text


def test_on_redis_it_is_djangos_redis_cache(real):
    real.set("a", {"x": 1}, 30)
    assert real.get("a") == {"x": 1}
    assert real.add("a", "other") is False
    assert real.add("b", 1) is True
    assert real.incr("b", 2) == 3
    assert real.get_many(["a", "b", "c"]) == {"a": {"x": 1}, "b": 3}
    assert real.delete("a") is True
    assert real.get("a") is None
    with pytest.raises(ValueError):
        real.incr("missing")


def test_clear_deletes_this_caches_keys_and_nobody_elses(real):
    neighbour = backend(redis_server.url(), prefix=real.key_prefix + "x")  # a prefix that extends ours
    try:
        real.set("mine", 1)
        neighbour.set("theirs", 2)
        client = real._cache.get_client(None, write=True)
        client.set(f"outsider-{real.key_prefix}", 3, ex=60)  # not written through Django at all

        assert real.clear() is True

        assert real.get("mine") is None
        assert neighbour.get("theirs") == 2
        assert client.get(f"outsider-{real.key_prefix}") == b"3"
    finally:
        neighbour.clear()
        client.delete(f"outsider-{real.key_prefix}")


def test_keys_written_while_redis_was_cut_off_are_deleted_once_it_answers_again(caplog, monkeypatch):
    """Redis kept running while this process could not reach it: its copies are stale."""
    redis_server.require()
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    relay = DatabaseProxy((redis_server.HOST, redis_server.PORT))
    cache = backend(redis_server.url(relay.port))
    direct = backend(redis_server.url(), prefix=cache.key_prefix)  # the same keys, not through the relay
    try:
        cache.set("session", "signed in")
        cache.set("page", "old page")
        relay.mode = "refuse"
        relay.cut_all()

        cache.delete("session")  # signed out: fails, and Redis still has the old copy
        cache.set("page", "new page")
        assert direct.get("session") == "signed in"

        relay.mode = "forward"
        time.sleep(0.25)
        assert cache.get("page") is None  # deleted before anything else, not the old page

        assert direct.get("session") is None
        assert "deleted 2 keys it missed changes to" in caplog.text
    finally:
        relay.close()
        direct.clear()


def test_more_changed_keys_than_it_can_remember_is_said_when_redis_is_back(caplog, monkeypatch):
    redis_server.require()
    monkeypatch.setattr(redis_cache, "RETRY_SECONDS", 0.2)
    monkeypatch.setattr(redis_cache, "MAX_STALE_KEYS", 2)
    relay = DatabaseProxy((redis_server.HOST, redis_server.PORT))
    cache = backend(redis_server.url(relay.port))
    try:
        relay.mode = "refuse"
        cache.set_many({"a": 1, "b": 2, "c": 3})
        relay.mode = "forward"
        time.sleep(0.25)

        assert cache.get("a") is None

        assert "deleted 2 keys it missed changes to (more were changed than the 2 remembered" in caplog.text
    finally:
        relay.close()
        cache.clear()


def test_one_redis_client_serves_every_operation_of_a_cache(real):
    # Django makes a client per operation, each building redis-py's callback table.
    first = real._cache.get_client(None, write=True)
    real.set("a", 1)
    assert real.get("a") == 1
    assert real._cache.get_client(None, write=False) is first
    assert real._cache.get_client("a", write=True) is first
