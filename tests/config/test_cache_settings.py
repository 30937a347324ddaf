"""What CACHE_URL does to the settings, read from a fresh process as a server would start.

config.settings reads the environment once, at import, so each case runs
`manage.py shell -c` with its own environment. Nothing here needs Redis:
settings never connect.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.cache

ROOT = Path(__file__).resolve().parents[2]
SHOW = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'caches': s.CACHES, 'engine': s.SESSION_ENGINE, "
    "'alias': getattr(s, 'SESSION_CACHE_ALIAS', None)}))"
)


def settings_with(module: str = "config.settings", **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "PAGE_CACHE_"))}
    environ |= {"DJANGO_SETTINGS_MODULE": module, "DEBUG": "true", **env}
    return subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", SHOW],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=60,
    )


def shown(**env: str) -> dict:
    result = settings_with(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_without_cache_url_everything_stays_in_the_database():
    settings = shown()

    assert {alias: c["BACKEND"] for alias, c in settings["caches"].items()} == {
        "default": "django.core.cache.backends.db.DatabaseCache",
        "pages": "django.core.cache.backends.db.DatabaseCache",
    }
    assert settings["engine"] == "django.contrib.sessions.backends.db"


def test_cache_url_puts_both_caches_and_the_session_cache_on_redis():
    settings = shown(CACHE_URL="redis://cache.internal:6379/2")

    for alias in ("default", "pages"):
        cache = settings["caches"][alias]
        assert cache["BACKEND"] == "config.redis_cache.FailSoftRedisCache"
        assert cache["LOCATION"] == "redis://cache.internal:6379/2"
        # Short timeouts: a Redis that stops answering must not hold requests.
        assert cache["OPTIONS"] == {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    assert settings["caches"]["default"]["KEY_PREFIX"] == "mathpath:cache"
    assert settings["caches"]["pages"]["KEY_PREFIX"] == "mathpath:pages"
    # Cached in Redis, written to the database: an outage or a flush signs nobody out.
    assert settings["engine"] == "django.contrib.sessions.backends.cached_db"
    assert settings["alias"] == "default"


def test_pages_can_have_a_redis_of_their_own_and_sites_a_prefix_of_their_own():
    settings = shown(
        CACHE_URL="redis://cache.internal:6379/0",
        PAGE_CACHE_URL="redis://pages.internal:6379/0",
        CACHE_KEY_PREFIX="staging",
    )

    assert settings["caches"]["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert settings["caches"]["pages"]["LOCATION"] == "redis://pages.internal:6379/0"
    assert settings["caches"]["default"]["KEY_PREFIX"] == "staging:cache"
    assert settings["caches"]["pages"]["KEY_PREFIX"] == "staging:pages"


def test_the_load_benchmarks_settings_get_the_same_redis_wiring():
    result = settings_with("bench.settings", CACHE_URL="redis://127.0.0.1:6379/1")
    assert result.returncode == 0, result.stderr
    settings = json.loads(result.stdout.strip().splitlines()[-1])

    assert settings["caches"]["default"]["BACKEND"] == "config.redis_cache.FailSoftRedisCache"
    assert settings["caches"]["pages"]["LOCATION"] == "redis://127.0.0.1:6379/1"
    assert settings["engine"] == "django.contrib.sessions.backends.cached_db"


def test_a_cache_url_that_is_not_redis_fails_loudly():
    result = settings_with(CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL='memcached://127.0.0.1:11211' is not a Redis URL" in result.stderr
