"""Django's RedisCache, made to ride out a Redis outage instead of failing requests.

With CACHE_URL=redis://…, both caches use this backend (config/settings.py).
Nothing kept in them is the only copy: sessions are `cached_db` (the database
row is the truth), pages and map layouts are rebuilt from the database, and
rate-limit counters start again. So while Redis cannot be reached, each
operation logs an error and answers as an empty cache that keeps nothing,
where Django's own backend would raise and fail the request:

- get, get_many, has_key: a miss; incr and decr: ValueError, their "no such key";
- set, set_many, delete, delete_many, touch: nothing;
- add: True, as if stored. allauth takes a lock with add() before it counts an
  attempt, so True lets the attempt through uncounted: **rate limits fail open**
  while Redis is down (each failure logged). False would make every sign-in,
  sign-up and reset spin on the lock for a second and then answer 429.

After a connection error or timeout, Redis is left alone for RETRY_SECONDS:
operations answer at once as above, with no network round trip and no log line
of their own (the next error's line counts them), so a host that stopped
answering costs a request one socket timeout at most once per RETRY_SECONDS in
each process, not one per operation.

A key whose set or delete failed may still hold an older value in Redis (Redis
restarted from its snapshot, or this process was cut off from a Redis that kept
running): a session signed out meanwhile would come back from its cached copy.
Such keys are remembered (up to MAX_STALE_KEYS) and deleted before anything
else once Redis answers again.

clear() deletes this cache's own keys (those under its KEY_PREFIX, as Django's
default key function makes them), where Django's flushes the whole Redis
database: both caches, and each test worker, share one database.
"""

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from redis.retry import Retry

logger = logging.getLogger(__name__)

RETRY_SECONDS = 2.0
MAX_STALE_KEYS = 10_000
_UNSET = object()


class _ServerHealth:
    """What every cache on one Redis server (in this process) knows about it."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down_until = 0.0  # time.monotonic()
        self.skipped = 0  # operations answered without trying, since the last log line
        self.stale: set[str] = set()
        self.overflowed = False  # more changed keys than MAX_STALE_KEYS: some were not remembered

    def remember(self, keys: Iterable[str]) -> None:
        with self.lock:
            for key in keys:
                if len(self.stale) >= MAX_STALE_KEYS:
                    self.overflowed = True
                    return
                self.stale.add(key)


_servers: dict[str, _ServerHealth] = {}
_servers_lock = threading.Lock()


def _health_of(location: str) -> _ServerHealth:
    with _servers_lock:
        return _servers.setdefault(location, _ServerHealth())


def _glob_escape(text: str) -> str:
    return "".join(f"\\{char}" if char in "*?[]\\" else char for char in text)


class ClientPerPool(RedisCacheClient):
    """Django's Redis client, keeping one redis.Redis per connection pool.

    Django makes a new redis.Redis for every operation, and redis-py builds its
    table of some 170 response callbacks for each: measured, that cost as much
    CPU as the round trip itself, on every session read. A redis.Redis holds
    nothing but its pool and is safe to share between threads, so one per pool
    is the same client, made once.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class FailSoftRedisCache(RedisCache):
    """RedisCache that logs and degrades to an empty cache while Redis is unreachable."""

    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        # One quiet retry on a fresh connection: after a Redis restart every pooled
        # connection is dead, and each would otherwise fail one operation. Timeouts
        # are not retried, so a host that stopped answering costs one socket_timeout.
        options.setdefault("retry", Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)))
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ClientPerPool
        self._health = _health_of(",".join(self._servers))

    def _call(self, operation: str, run: Callable[[], Any], fallback: Any, written: Iterable[str] = ()):
        health = self._health
        if time.monotonic() < health.down_until:
            with health.lock:
                health.skipped += 1
            health.remember(written)
            return fallback
        try:
            if health.stale:
                self._delete_stale()
            return run()
        except RedisError as error:
            health.remember(written)
            unreachable = isinstance(error, RedisConnectionError | RedisTimeoutError)
            with health.lock:
                skipped, health.skipped = health.skipped, 0
                if unreachable:
                    health.down_until = time.monotonic() + RETRY_SECONDS
            logger.error(
                "Redis cache '%s': %s failed, carrying on without it%s%s: %s: %s",
                self.key_prefix,
                operation,
                f" (trying again in {RETRY_SECONDS:g}s)" if unreachable else "",
                f" ({skipped} operations skipped before this)" if skipped else "",
                type(error).__name__,
                error,
            )
            return fallback

    def _delete_stale(self) -> None:
        with self._health.lock:
            keys = list(self._health.stale)
        client = self._cache.get_client(None, write=True)
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        with self._health.lock:
            self._health.stale.difference_update(keys)
            overflowed, self._health.overflowed = self._health.overflowed, False
        logger.warning(
            "Redis cache reachable again: deleted %d keys it missed changes to%s.",
            len(keys),
            f" (more were changed than the {MAX_STALE_KEYS} remembered: their copies may be stale until they expire)"
            if overflowed
            else "",
        )

    def _keys(self, keys: Iterable[str], version: int | None) -> list[str]:
        return [self.make_and_validate_key(key, version=version) for key in keys]

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        run = functools.partial(super().add, key, value, timeout, version)
        return self._call("add", run, True, self._keys([key], version))

    def get(self, key, default=None, version=None):
        return self._call("get", functools.partial(super().get, key, default, version), default)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        run = functools.partial(super().set, key, value, timeout, version)
        self._call("set", run, None, self._keys([key], version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._call("touch", functools.partial(super().touch, key, timeout, version), False)

    def delete(self, key, version=None):
        run = functools.partial(super().delete, key, version)
        return self._call("delete", run, False, self._keys([key], version))

    def get_many(self, keys, version=None):
        return self._call("get_many", functools.partial(super().get_many, keys, version), {})

    def has_key(self, key, version=None):
        return self._call("has_key", functools.partial(super().has_key, key, version), False)

    def incr(self, key, delta=1, version=None):
        value = self._call("incr", functools.partial(super().incr, key, delta, version), _UNSET)
        if value is _UNSET:
            raise ValueError(f"Key '{key}' not found (the cache is unavailable).")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        run = functools.partial(super().set_many, data, timeout, version)
        return self._call("set_many", run, list(data), self._keys(data, version))

    def delete_many(self, keys, version=None):
        keys = list(keys)
        run = functools.partial(super().delete_many, keys, version)
        self._call("delete_many", run, None, self._keys(keys, version))

    def clear(self):
        return self._call("clear", self._delete_own_keys, False)

    def _delete_own_keys(self) -> bool:
        client = self._cache.get_client(None, write=True)
        batch: list[bytes] = []
        for key in client.scan_iter(match=_glob_escape(self.key_prefix) + ":*", count=1000):
            batch.append(key)
            if len(batch) == 500:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)
        return True
