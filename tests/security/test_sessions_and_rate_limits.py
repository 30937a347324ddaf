"""Sessions and rate limits, beyond tests/accounts/test_auth.py.

test_auth.py already covers: the login session key rotating, failed logins
locking an account, and the per-IP login limit answering 429. Here: the
signup and reset limits, limits that hold across cookies (an attacker
dropping the session gains nothing) but not across addresses, sessions on
signup, logout and password change, and where the counters live.
"""

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core.cache import cache
from django.db import connection
from django.test import Client

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.cache

NEW_PASSWORD = "a different horse, still stapled"
PRIVATE = "/settings/export.json"  # any page that needs a login (and no roadmap)
ON_REDIS = "Redis" in django_settings.CACHES["default"]["BACKEND"]  # CACHE_URL=redis://…


@pytest.fixture(autouse=True)
def fresh_counters(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # the counters live in the cache table, which transactional tests elsewhere fill


@pytest.fixture
def ada(db):
    return UserFactory(username="ada", email="ada@example.com")


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def signup(client, n: int, password2: str = PASSWORD):
    return client.post(
        "/accounts/signup/",
        {
            "email": f"bot{n}@example.com",
            "username": f"bot{n}",
            "password1": PASSWORD,
            "password2": password2,
        },
    )


def test_signups_from_one_address_are_limited_then_refused_with_429():
    # signup: 20 a minute per IP. Fresh clients each time: the limit must not hang on a cookie.
    codes = [signup(Client(), n, password2="mismatch").status_code for n in range(25)]

    assert codes[:20] == [200] * 20  # the form again, with its error
    assert set(codes[20:]) == {429}
    assert signup(Client(), 99).status_code == 429
    assert not get_user_model().objects.filter(username="bot99").exists()


def test_another_address_is_not_throttled_by_the_first_ones_signups():
    for n in range(21):
        signup(Client(), n, password2="mismatch")

    response = signup(Client(REMOTE_ADDR="198.51.100.7"), 99)

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="bot99").exists()


def test_the_login_limit_holds_across_fresh_sessions_from_one_address(ada):
    codes = [
        Client().post("/accounts/login/", {"login": f"guess{n}@example.com", "password": "x"}).status_code
        for n in range(35)
    ]

    assert 429 in codes
    # Dropping cookies does not help; another address is unaffected.
    assert (
        Client().post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD}).status_code
        == 429
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.7")
    assert (
        elsewhere.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD}).status_code
        == 302
    )


def test_password_reset_mails_are_limited_per_address(ada, mailoutbox):
    # reset_password: 5 a minute for one email address, so nobody can flood Ada's inbox.
    codes = [
        Client().post("/accounts/password/reset/", {"email": "ada@example.com"}).status_code for _ in range(8)
    ]

    assert 429 in codes
    assert len(mailoutbox) <= 5


def test_rate_limit_counters_live_in_the_shared_cache(ada):
    # So every app server sees the same counters (README: Scaling out), and a restart resets nothing.
    for n in range(3):
        Client().post("/accounts/login/", {"login": "ada@example.com", "password": f"guess{n}"})

    if ON_REDIS:  # in Redis, under this cache's prefix
        redis = cache._cache.get_client()
        assert redis.keys(f"{cache.key_prefix}:1:allauth:rl:*")
        return
    assert django_settings.CACHES["default"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM mathpath_cache WHERE cache_key LIKE %s", ["%rl%"])
        assert cursor.fetchone()[0] >= 1


def test_sessions_live_in_the_database_and_are_http_only():
    # With Redis, sessions are cached there but still written to the database, the source of truth.
    expected = "cached_db" if ON_REDIS else "db"
    assert f"django.contrib.sessions.backends.{expected}" == django_settings.SESSION_ENGINE
    assert django_settings.SESSION_COOKIE_HTTPONLY is True
    assert django_settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_signing_up_starts_a_new_session(db):
    client = Client()
    session = client.session
    session["before"] = True
    session.save()
    anonymous_key = session.session_key

    assert signup(client, 1).status_code == 302

    assert client.cookies["sessionid"].value != anonymous_key
    assert not client.session.exists(anonymous_key)
    assert signed_in(client) == get_user_model().objects.get(username="bot1").pk


def test_logging_out_kills_the_session_server_side(ada):
    client = Client()
    client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    stolen = client.cookies["sessionid"].value

    client.post("/accounts/logout/")

    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(PRIVATE).status_code == 302  # the copied cookie is worthless now


def test_changing_the_password_signs_out_every_other_session(ada):
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    assert phone.get(PRIVATE).status_code == 200

    response = laptop.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    assert laptop.get(PRIVATE).status_code == 200  # the session that changed it stays in
    assert phone.get(PRIVATE).status_code == 302  # a stolen or forgotten session does not


def test_logging_in_as_someone_else_in_the_same_browser_rotates_the_session(ada):
    grace = UserFactory(username="grace", email="grace@example.com")
    client = Client()
    client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    ada_key = client.cookies["sessionid"].value
    client.post("/accounts/logout/")

    client.post("/accounts/login/", {"login": "grace@example.com", "password": PASSWORD})

    assert client.cookies["sessionid"].value != ada_key
    assert signed_in(client) == grace.pk


# -- behind a reverse proxy -------------------------------------------------------------

PROXY = "10.0.0.2"  # every request reaches the app from the proxy's address


def test_behind_a_proxy_each_visitor_gets_their_own_limit(settings):
    # TRUSTED_PROXY_COUNT=1: otherwise 20 signups from anyone would lock everyone out.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(21):
        signup(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1"), n, password2="mismatch")
    assert signup(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.1"), 98).status_code == 429

    # Another visitor through the same proxy (what they claim upstream is theirs to claim).
    response = signup(Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.9, 203.0.113.7"), 99)

    assert response.status_code == 302


def test_without_a_trusted_proxy_a_forged_forwarded_for_evades_nothing():
    assert django_settings.ALLAUTH_TRUSTED_PROXY_COUNT == 0  # the default: served directly

    codes = [
        signup(Client(HTTP_X_FORWARDED_FOR=f"198.51.100.{n}"), n, password2="mismatch").status_code
        for n in range(22)
    ]

    assert codes[-1] == 429
