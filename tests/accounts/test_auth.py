"""Sign-up, log-in, log-out and password reset through allauth, as configured in config/settings.py."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model

from tests import dom
from tests.factories import PASSWORD, RoadmapFactory, UserFactory

# .ci/run runs these again with CACHE_URL=redis://… (the `cache` marker).
pytestmark = pytest.mark.cache

SIGNUP = "/accounts/signup/"
LOGIN = "/accounts/login/"
LOGOUT = "/accounts/logout/"
RESET = "/accounts/password/reset/"
NEW_PASSWORD = "a different horse, still stapled"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The rate-limit test hashes a dozen passwords; PBKDF2 would spend seconds on it.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def user(db):
    return UserFactory(username="ada", email="ada@example.com")


def logged_in_as(client) -> int | None:
    value = client.session.get(SESSION_KEY)
    return int(value) if value is not None else None


def log_in(client, login: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": login, "password": password})


# -- sign-up ------------------------------------------------------------------


def test_signup_creates_the_user_and_logs_them_in(client, db, mailoutbox):
    response = client.post(
        SIGNUP,
        {"email": "grace@example.com", "username": "grace", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response.status_code == 302
    # A new learner starts at "Find my level"; its intro offers the dashboard instead.
    assert response["Location"] == "/placement/"
    user = get_user_model().objects.get(username="grace")
    assert user.email == "grace@example.com"
    assert user.check_password(PASSWORD)
    assert logged_in_as(client) == user.pk
    # Verification is optional: the learner is in, and a confirmation mail is on its way.
    assert [m.to for m in mailoutbox] == [["grace@example.com"]]


def test_signup_with_mismatched_passwords_creates_nobody(client, db):
    response = client.post(
        SIGNUP,
        {
            "email": "grace@example.com",
            "username": "grace",
            "password1": PASSWORD,
            "password2": PASSWORD + "!",
        },
    )

    assert response.status_code == 200
    assert "You must type the same password each time." in response.content.decode()
    assert not get_user_model().objects.filter(username="grace").exists()
    assert logged_in_as(client) is None


def test_signup_refuses_an_email_that_is_taken(client, user):
    response = client.post(
        SIGNUP, {"email": "ADA@example.com", "username": "ada2", "password1": PASSWORD, "password2": PASSWORD}
    )

    assert response.status_code == 200
    assert "A user is already registered with this email address." in response.content.decode()
    assert not get_user_model().objects.filter(username="ada2").exists()


def test_signup_refuses_a_weak_password(client, db):
    response = client.post(
        SIGNUP, {"email": "grace@example.com", "username": "grace", "password1": "123", "password2": "123"}
    )

    assert response.status_code == 200
    assert not get_user_model().objects.filter(username="grace").exists()


def test_signup_lands_on_find_my_level_which_offers_the_dashboard_instead(client, db, mailoutbox):
    RoadmapFactory()
    response = client.post(
        SIGNUP,
        {"email": "grace@example.com", "username": "grace", "password1": PASSWORD, "password2": PASSWORD},
        follow=True,
    )

    assert response.redirect_chain == [("/placement/", 302)]
    assert dom.select_one(response, "h1").text == "Find my level"
    assert [a.text for a in dom.select(response, 'a[href="/dashboard/"].btn')] == [
        "Not now: go to my dashboard"
    ]


def test_a_signup_with_next_goes_there_instead(client, db, mailoutbox):
    response = client.post(
        SIGNUP + "?next=/topics/limits/",
        {"email": "grace@example.com", "username": "grace", "password1": PASSWORD, "password2": PASSWORD},
    )

    assert response["Location"] == "/topics/limits/"


# -- log-in and log-out -------------------------------------------------------


def test_login_with_email_and_password(client, user):
    response = log_in(client, "ada@example.com")

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert logged_in_as(client) == user.pk


def test_login_honours_a_safe_next(client, user):
    response = client.post(LOGIN + "?next=/settings/", {"login": "ada@example.com", "password": PASSWORD})

    assert response["Location"] == "/settings/"


def test_login_with_a_wrong_password_fails(client, user):
    response = log_in(client, "ada@example.com", "not the password")

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()
    assert logged_in_as(client) is None


def test_the_login_field_says_email_or_username(client, db):
    response = client.get(LOGIN)

    field = dom.select_one(response, "input[name=login]")
    assert dom.select_one(response, f'label[for="{field.id}"]').text.rstrip(":") == "Email or username"
    assert field["type"] == "text"  # not type=email: a username must get through the browser too
    assert field["autocomplete"] == "username"


@pytest.mark.parametrize("login", ["ada", "ADA", "ada@example.com", "Ada@Example.com"])
def test_login_with_the_username_or_the_email(client, user, login):
    response = log_in(client, login)

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/"
    assert logged_in_as(client) == user.pk


def test_login_with_a_username_and_a_wrong_password_fails(client, user):
    response = log_in(client, "ada", "not the password")

    assert response.status_code == 200
    assert "The username and/or password you specified are not correct." in response.content.decode()
    assert logged_in_as(client) is None


def test_an_unknown_username_signs_nobody_in(client, user):
    response = log_in(client, "grace")

    assert response.status_code == 200
    assert logged_in_as(client) is None


def test_login_rotates_the_session_key(client, user):
    session = client.session
    session["seen_intro"] = True
    session.save()
    before = session.session_key
    assert client.cookies["sessionid"].value == before

    log_in(client, "ada@example.com")

    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session.get("seen_intro") is True  # the anonymous session's data came along
    assert not client.session.exists(before)  # …but the old key is dead, so it cannot be fixated


def test_logout_needs_a_post(client, user):
    client.force_login(user)

    response = client.get(LOGOUT)

    assert response.status_code == 200  # a confirmation page
    assert logged_in_as(client) == user.pk

    response = client.post(LOGOUT)

    assert response.status_code == 302
    assert response["Location"] == "/"
    assert logged_in_as(client) is None


def test_failed_logins_by_username_and_by_email_count_against_one_account(client, user):
    # Five in five minutes per account, whichever name is typed: not five for each.
    for login in ["ada", "ada@example.com", "ADA", "ada", "ada@example.com"]:
        assert "are not correct" in log_in(client, login, "guess").content.decode()

    for login in ["ada", "ada@example.com"]:
        locked = log_in(client, login)
        assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert logged_in_as(client) is None


def test_repeated_failed_logins_lock_the_account_and_then_get_429(client, user):
    # login_failed: 5 per 5 minutes per account. After that, even the right password is refused.
    for _ in range(5):
        assert "are not correct" in log_in(client, "ada@example.com", "guess").content.decode()
    locked = log_in(client, "ada@example.com")
    assert "Too many failed login attempts. Try again later." in locked.content.decode()
    assert logged_in_as(client) is None

    # login: 30 attempts a minute per IP, then allauth answers 429 to every login post.
    codes = [log_in(client, f"guess{i}@example.com", "guess").status_code for i in range(40)]

    assert 429 in codes
    assert set(codes[codes.index(429) :]) == {429}
    assert log_in(client, "ada@example.com").status_code == 429
    assert logged_in_as(client) is None


# -- password reset -----------------------------------------------------------


def test_password_reset_mails_a_link_that_sets_a_new_password(client, user, mailoutbox):
    response = client.post(RESET, {"email": "ada@example.com"})

    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    [link] = re.findall(r"http://testserver(/accounts/password/reset/key/\S+/)", mailoutbox[0].body)

    # allauth moves the key from the URL into the session, then shows the form.
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0], {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert logged_in_as(client) is None
    assert log_in(client, "ada@example.com", NEW_PASSWORD).status_code == 302


def test_password_reset_page_is_shown(client, db):
    response = client.get(RESET)

    assert response.status_code == 200
    assert dom.select(response, "form input[name=email]")
