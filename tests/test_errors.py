"""The site's error pages with DEBUG off (config/errors.py): styled, helpful, and safe to render.

This module is its own URLconf (the site's, plus views that fail on purpose), so
each status is reached the way production reaches it: a view raises.
"""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client, RequestFactory
from django.urls import include, path

from accounts.models import Profile, Visibility
from config import errors
from config.urls import handler400, handler403, handler404, handler500  # noqa: F401 (this URLconf's)
from tests import dom
from tests.factories import ProfileFactory, UserFactory


def _forbidden(request):
    raise PermissionDenied


def _suspicious(request):
    raise SuspiciousOperation("a request Django distrusts")


def _broken(request):
    raise RuntimeError("a bug")


urlpatterns = [
    path("boom/403/", _forbidden),
    path("boom/400/", _suspicious),
    path("boom/500/", _broken),
    path("", include("config.urls")),
]


@pytest.fixture(autouse=True)
def production(settings):
    # pytest-django already runs tests with DEBUG off; said here because it is the point.
    settings.DEBUG = False
    settings.ROOT_URLCONF = __name__


def heading(response) -> str:
    return dom.select_one(response, "main h1").text


def is_site_page(response) -> bool:
    """The site's layout: its header with the way home, and the main region."""
    html = response.content.decode()
    return bool(dom.select(html, "header.site-header a.brand[href='/']")) and bool(dom.select(html, "main"))


def home_link(response) -> bool:
    return any(a.get("href") == "/" for a in dom.select(response, "main .error-actions a"))


# -- 404 ------------------------------------------------------------------------------------------


def test_404_is_a_page_of_the_site_with_a_way_home(client, db):
    response = client.get("/topics/no-such-topic/")

    assert response.status_code == 404
    assert is_site_page(response)
    assert heading(response) == "There's no page here"
    assert "mistyped" in dom.text(dom.select_one(response, "main"))
    assert home_link(response)
    assert "secret link" not in response.content.decode()


def test_404_for_an_address_no_route_matches(client, db):
    response = client.get("/no/such/address/")

    assert response.status_code == 404
    assert heading(response) == "There's no page here"


def test_404_shows_a_signed_in_learner_their_own_header(client, db):
    client.force_login(UserFactory(username="ada"))

    response = client.get("/topics/no-such-topic/")

    assert dom.select(response, "header.site-header a[href='/settings/']")
    assert [a["href"] for a in dom.select(response, "main .error-actions a")] == ["/", "/dashboard/"]


@pytest.mark.parametrize("path", ["/s/no-such-token/", "/s/no-such-token/log/2025-03-01/"])
def test_a_dead_secret_link_says_why_such_links_die(client, db, path):
    response = client.get(path)

    assert response.status_code == 404
    assert is_site_page(response)
    assert heading(response) == "This secret link no longer works"
    assert "the owner may have made a new secret link or made the page private" in dom.text(response)
    assert home_link(response)


def test_a_rotated_secret_link_gets_the_same_page_as_one_that_never_was(client, db):
    profile = ProfileFactory(user=UserFactory(username="ada"), visibility=Visibility.UNLISTED)
    old = profile.share_token
    profile.rotate_share_token()

    rotated = client.get(f"/s/{old}/")

    assert rotated.status_code == 404
    assert dom.without_csrf_tokens(rotated) == dom.without_csrf_tokens(client.get("/s/never-was/"))


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED])
def test_a_username_link_to_a_page_not_shared_by_username_says_why(client, db, visibility):
    ProfileFactory(user=UserFactory(username="ada"), visibility=visibility)

    response = client.get("/u/ada/")

    assert response.status_code == 404
    assert heading(response) == "This progress page isn't shared"
    assert "the owner may have made the page private" in dom.text(response)
    # Just as for nobody at all: the page cannot tell "ada" exists.
    assert dom.without_csrf_tokens(response) == dom.without_csrf_tokens(client.get("/u/nobody-here/"))
    assert "ada" not in dom.text(dom.select_one(response, "main"))


def test_404_answers_htmx_with_a_fragment_for_the_flash_region(client, db):
    response = client.get("/s/no-such-token/", headers={"HX-Request": "true"})

    assert response.status_code == 404
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    assert "<html" not in response.content.decode()
    [alert] = dom.select(response, "div.flash-error[role=alert]")
    # In the words of a click that failed in place (roadmap/web/htmx_errors.py), not the page's.
    assert "reload the page" in alert.text


# -- 403 and the refused form ---------------------------------------------------------------------


def test_403_is_a_page_of_the_site(client, db):
    response = client.get("/boom/403/")

    assert response.status_code == 403
    assert is_site_page(response)
    assert heading(response) == "This page isn't open to you"
    assert home_link(response)
    assert dom.select(response, "main a[href='/accounts/login/?next=/boom/403/']")


def test_403_answers_htmx_with_a_fragment(client, db):
    response = client.get("/boom/403/", headers={"HX-Request": "true"})

    assert response.status_code == 403
    assert response["HX-Retarget"] == "#flash"
    assert "reload the page and try again" in dom.select_one(response, "div.flash-error").text


@pytest.fixture
def ada_strict(db) -> tuple[Client, Profile]:
    """Ada, signed in, in a browser that enforces CSRF, with the cookie a page view sets."""
    ada = UserFactory(username="ada")
    profile = ProfileFactory(user=ada, display_name="Ada")
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    client.get("/settings/")
    return client, profile


def test_a_form_with_an_old_token_gets_the_form_expired_page_and_saves_nothing(ada_strict):
    client, profile = ada_strict

    response = client.post(
        "/settings/",
        {
            "display_name": "Mallory",
            "visibility": "public",
            "timezone": "UTC",
            "csrfmiddlewaretoken": "x" * 64,
        },
        headers={"Referer": "http://testserver/settings/"},
    )

    assert response.status_code == 403
    assert is_site_page(response)
    assert heading(response) == "That form had expired, so nothing was saved"
    assert "reload the page" in dom.text(response)
    assert [a["href"] for a in dom.select(response, "main .error-actions a")] == [
        "http://testserver/settings/",
        "/",
        "/dashboard/",
    ]
    profile.refresh_from_db()
    assert profile.display_name == "Ada"


def test_the_form_expired_page_links_back_only_to_this_site(ada_strict):
    client, _ = ada_strict

    response = client.post("/settings/", {}, headers={"Referer": "https://evil.example/settings/"})

    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_a_form_without_the_cookie_is_told_to_allow_cookies(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "x"})

    assert response.status_code == 403
    assert "Allow cookies for this site" in dom.text(response)


def test_a_refused_htmx_post_gets_a_fragment_for_the_flash_region(ada_strict):
    client, _ = ada_strict

    response = client.post(
        "/settings/",
        {},
        headers={"HX-Request": "true", "X-CSRFToken": "x" * 32, "Referer": "http://testserver/"},
    )

    assert response.status_code == 403
    assert response["HX-Retarget"] == "#flash"
    assert "Nothing was changed" in dom.select_one(response, "div.flash-error[role=alert]").text


# -- 400 and 500: no request context, no database ----------------------------------------------------


def test_400_is_a_page_of_the_site(client, db):
    response = client.get("/boom/400/")

    assert response.status_code == 400
    assert is_site_page(response)
    assert heading(response) == "That request didn't make sense"
    assert home_link(response)


def test_a_forged_host_gets_the_400_page(client, db):
    response = client.get("/", headers={"Host": "evil.example"})

    assert response.status_code == 400
    assert heading(response) == "That request didn't make sense"


def test_500_renders_with_the_database_unavailable():
    # No `db` fixture: pytest-django makes every query here raise, as a database that is down would.
    client = Client(raise_request_exception=False)

    response = client.get("/boom/500/")

    assert response.status_code == 500
    assert is_site_page(response)
    assert heading(response) == "Something went wrong on our side"
    assert "try again" in dom.text(response)
    assert home_link(response)


def test_handler500_renders_without_a_request_context(django_assert_num_queries, db):
    request = RequestFactory().get("/anything/")  # no session, no user, no middleware at all

    with django_assert_num_queries(0):
        response = errors.server_error(request)

    assert response.status_code == 500
    assert heading(response) == "Something went wrong on our side"
    # Signed in or not, the header offers what it offers a visitor: it knows nobody.
    assert dom.select(response, "header.site-header a[href='/accounts/login/']")
