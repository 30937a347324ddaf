"""The admin's login is the site's: staff sign in through allauth, with its rate limits.

Django's own admin login checks passwords with no limit at all (security finding 1:
seven wrong passwords, then the right one, all welcome). accounts.views.admin_login
replaces it and reads no credentials.
"""

import pytest
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.test import Client

from tests import dom
from tests.factories import PASSWORD, UserFactory

# .ci/run runs these again with CACHE_URL=redis://… (the `cache` marker).
pytestmark = pytest.mark.cache

ADMIN_LOGIN = "/admin/login/"
SITE_LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def fresh_counters(db):
    cache.clear()  # allauth's rate-limit counters live in the cache table


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", email="curator@example.com", is_staff=True, is_superuser=True)


def signed_in(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def test_eight_passwords_posted_to_the_admin_login_sign_nobody_in(curator):
    client = Client()
    guesses = [f"guess {n}" for n in range(7)] + [PASSWORD]

    responses = [client.post(ADMIN_LOGIN, {"username": "curator", "password": p}) for p in guesses]

    # Not a password form at all: every post, the right password too, is sent to the site's login.
    assert [r.status_code for r in responses] == [302] * 8
    assert {r["Location"] for r in responses} == {f"{SITE_LOGIN}?next=/admin/"}
    assert signed_in(client) is None


def test_the_admin_sends_anonymous_visitors_to_the_site_login_and_back(curator):
    client = Client()

    response = client.get("/admin/roadmap/topic/", follow=True)

    assert response.redirect_chain[-1][0] == f"{SITE_LOGIN}?next=/admin/roadmap/topic/"
    assert dom.select(response, "form input[name=login]")
    assert not dom.select(response, "form input[name=username]")  # not the admin's form


def test_staff_sign_in_through_the_site_login_and_reach_the_admin(curator):
    client = Client()

    response = client.post(
        f"{SITE_LOGIN}?next=/admin/", {"login": "curator@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert signed_in(client) == curator.pk
    assert client.get("/admin/").status_code == 200
    # Signed in, the admin's login page just goes on to where they were headed.
    assert client.get(f"{ADMIN_LOGIN}?next=/admin/roadmap/topic/")["Location"] == "/admin/roadmap/topic/"


def test_guessing_a_curators_password_is_locked_after_five_failures(curator):
    # The only password form left is allauth's: 5 failures per account in 5 minutes, then locked.
    client = Client()
    for n in range(5):
        client.post(f"{SITE_LOGIN}?next=/admin/", {"login": "curator@example.com", "password": f"guess {n}"})

    response = client.post(
        f"{SITE_LOGIN}?next=/admin/", {"login": "curator@example.com", "password": PASSWORD}
    )

    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert signed_in(client) is None


def test_a_signed_in_learner_is_told_they_are_not_authorised_and_can_try_no_password(curator):
    learner = UserFactory(username="mallory", email="mallory@example.com")
    client = Client()
    client.force_login(learner)

    page = client.get("/admin/", follow=True)
    posted = client.post(f"{ADMIN_LOGIN}?next=/admin/", {"username": "curator", "password": PASSWORD})

    assert page.status_code == 403
    assert "not allowed to curate the roadmap" in dom.text(page)
    assert not dom.select(page, "input[type=password]")
    # Django's admin login would take a staff password from a signed-in learner, unthrottled.
    assert posted.status_code == 403
    assert signed_in(client) == learner.pk


def test_the_admin_login_follows_only_a_next_on_this_site(curator):
    client = Client()
    client.force_login(curator)

    response = client.get(f"{ADMIN_LOGIN}?next=https://evil.example/")

    assert response["Location"] == "/admin/"
