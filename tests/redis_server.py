"""The real Redis at 127.0.0.1:6379 for the tests that need one (.ci/run starts it).

Tests that need it skip, saying why, when nothing answers there; under CI=true
they fail instead, so a CI without Redis can never pass by skipping them.
"""

import os
import socket
import uuid

import pytest

HOST, PORT = "127.0.0.1", 6379


def answers() -> bool:
    try:
        with socket.create_connection((HOST, PORT), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


def require() -> None:
    """Skip (fail, under CI=true) unless the real Redis answers."""
    if answers():
        return
    reason = f"needs Redis at {HOST}:{PORT} (`redis-server --daemonize yes`; .ci/run starts it)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + ", and CI must not skip it")
    pytest.skip(reason)


def url(port: int = PORT, db: int = 0) -> str:
    return f"redis://{HOST}:{port}/{db}"


def unique_prefix() -> str:
    """Key prefix for one test's caches: never another test's, worker's or run's keys."""
    return f"mathpath-test-{uuid.uuid4().hex[:12]}"


def nothing_listening() -> int:
    """A local port with nothing listening on it: Redis that has gone away."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def caches_at(location: str, prefix: str) -> dict:
    """Settings' CACHES for both aliases on FailSoftRedisCache at `location`, as CACHE_URL gives."""
    options = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {
        alias: {
            "BACKEND": "config.redis_cache.FailSoftRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"{prefix}:{alias}",
            "OPTIONS": options,
        }
        for alias in ("default", "pages")
    }
