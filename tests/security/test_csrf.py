"""CSRF: every POST is refused without the token, from a form or from htmx, and changes nothing.

The catalogue of POST endpoints lives in tests/security/pages.py; a test
below fails when a URL is added to the app without being put in it (or in
the list of GET-only pages), so a new form cannot skip these checks.
"""

import json

import pytest
from django.db import transaction
from django.test import Client
from django.urls import get_resolver

from roadmap.models import Topic
from tests.factories import UserFactory
from tests.security.endpoints import post_endpoints, site_state
from tests.security.pages import FAST_HASHERS, build_world, pages, scan

# Pages that only read: POSTing to them is refused even with a valid token.
GET_ONLY = {
    "healthz",
    "home",
    "topic_detail",
    "dashboard",
    "roadmap_map",
    "map_topic",
    "export_json",
    "export_progress_csv",
    "export_log_csv",
    "public_profile",
    "badge",
    "public_log_entry",
    "unlisted_profile",
    "unlisted_badge",
    "unlisted_log_entry",
    "card",
    "log_entry_card",
    "unlisted_card",
    "unlisted_log_entry_card",
}
GET_ONLY_PATHS = {
    "healthz": "/healthz",
    "home": "/",
    "topic_detail": "/topics/derivatives/",
    "dashboard": "/dashboard/",
    "roadmap_map": "/map/",
    "map_topic": "/map/topic/limits/",
    "export_json": "/settings/export.json",
    "export_progress_csv": "/settings/export-progress.csv",
    "export_log_csv": "/settings/export-log.csv",
    "public_profile": "/u/ada/",
    "badge": "/u/ada/badge.svg",
    "public_log_entry": "/u/ada/log/2025-03-01/",
    "unlisted_profile": "/s/{token}/",
    "unlisted_badge": "/s/{token}/badge.svg",
    "unlisted_log_entry": "/s/{token}/log/2025-03-01/",
    "card": "/u/ada/card.png",
    "log_entry_card": "/u/ada/log/2025-03-01/card.png",
    "unlisted_card": "/s/{token}/card.png",
    "unlisted_log_entry_card": "/s/{token}/log/2025-03-01/card.png",
}
# allauth pages that only show something, or that need a key from an email.
ALLAUTH_NOT_TESTED_HERE = {
    "account_inactive",
    "account_reauthenticate",
    "account_email_verification_sent",
    "account_set_password",
    "account_confirm_login_code",
    "account_confirm_email",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "account_reset_password_done",
}


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world()


def strict_client(world, endpoint) -> Client:
    """A browser that enforces CSRF, with the cookie a page view sets, signed in when the endpoint needs it."""
    client = Client(enforce_csrf_checks=True)
    if endpoint.as_owner:
        client.force_login(world.owner)
    client.get("/" if endpoint.as_owner else "/accounts/login/")  # pages with a form set the csrftoken cookie
    assert "csrftoken" in client.cookies
    return client


def endpoint_ids():
    # Names only; the endpoints themselves need the world, which needs the database.
    return [
        "change_status",
        "review_topic",
        "topic_status",
        "topic_review",
        "map_status",
        "set_goal",
        "set_pace",
        "practice_done",
        "suggest_resource",
        "rate_resource",
        "log",
        "log_entry_edit",
        "log_entry_delete",
        "account_settings",
        "use_browser_timezone",
        "rotate_share_link",
        "import_json",
        "delete_account",
        "account_logout",
        "account_change_password",
        "account_email",
        "account_login",
        "account_signup",
        "account_reset_password",
        # Reviews that ask a problem
        "topic_recall",
        "topic_check",
        "placement",
        "placement_question",
        "placement_stop",
        "placement_result",
    ]


def endpoint_named(world, name):
    return next(e for e in post_endpoints(world) if e.name == name)


def test_every_url_is_either_a_checked_post_or_get_only(world):
    names = set()

    def walk(patterns):
        for pattern in patterns:
            if hasattr(pattern, "url_patterns"):
                if "admin" not in str(pattern.pattern):
                    walk(pattern.url_patterns)
            elif pattern.name:
                names.add(pattern.name)

    walk(get_resolver().url_patterns)

    covered = set(endpoint_ids()) | GET_ONLY | ALLAUTH_NOT_TESTED_HERE
    assert names - covered == set(), "new URLs: add them to post_endpoints() or GET_ONLY"
    assert {e.name for e in post_endpoints(world)} == set(endpoint_ids())


FORGERIES = {
    "no token": {},
    "no token, htmx": {"HTTP_HX_REQUEST": "true"},
    "wrong token, htmx": {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": "x" * 32},
}


@pytest.mark.parametrize("name", endpoint_ids())
def test_a_forged_post_is_refused_and_changes_nothing(world, name):
    endpoint = endpoint_named(world, name)
    endpoint.prepare(world)
    client = strict_client(world, endpoint)
    forgeries = {
        **FORGERIES,
        # The right token (say, leaked), but sent by another site's page: the Origin check stops it.
        "other origin": {
            "HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value,
            "HTTP_ORIGIN": "https://evil.example",
        },
    }
    before = site_state(world)

    for forgery, headers in forgeries.items():
        response = client.post(endpoint.path, endpoint.form(), **headers)

        assert response.status_code == 403, forgery
        assert site_state(world) == before, forgery
    if endpoint.as_owner:
        assert client.get("/dashboard/").status_code == 200, "still signed in"


# These answer an htmx request with the fragment to swap in; every other endpoint, and every
# plain form post, redirects.
ANSWERS_HTMX_WITH_A_FRAGMENT = {
    "change_status",
    "review_topic",
    "topic_status",
    "topic_review",
    "map_status",
    "set_goal",
    "set_pace",
    "rate_resource",
    "practice_done",
    "placement_question",
    # Reviews that ask a problem
    "topic_recall",
}
# These answer a plain form post with a page of their own (a graded answer's result), not a redirect.
ANSWERS_A_FORM_WITH_A_PAGE = {
    "topic_recall",
}
# A check's result is the page the POST answers with, from a form as from htmx (a reload
# resends the form, and shows the same result: nothing is graded twice).
ANSWERS_WITH_A_PAGE = {"topic_check"}


@pytest.mark.parametrize("name", endpoint_ids())
def test_the_same_post_with_the_token_goes_through_from_a_form_and_from_htmx(world, name):
    # Proves the refusals above are about the token: with it, each endpoint does its job.
    endpoint = endpoint_named(world, name)
    for htmx in (False, True):
        with transaction.atomic():  # each way starts from the same data
            endpoint.prepare(world)
            client = strict_client(world, endpoint)
            token = client.cookies["csrftoken"].value
            data = endpoint.form()
            if htmx:
                # As htmx sends it: the header from <body hx-headers>, not a form field.
                headers = {"HTTP_HX_REQUEST": "true", "HTTP_X_CSRFTOKEN": token}
            else:
                headers = {}
                data["csrfmiddlewaretoken"] = token
            before = site_state(world)

            response = client.post(endpoint.path, data, **headers)

            fragment = htmx and name in ANSWERS_HTMX_WITH_A_FRAGMENT
            expected = 200 if fragment or name in ANSWERS_WITH_A_PAGE else 302
            if not htmx and name in ANSWERS_A_FORM_WITH_A_PAGE:
                expected = 200
            assert response.status_code == expected, (htmx, response.content[:500])
            if name == "account_logout":
                assert client.get("/dashboard/").status_code == 302  # signed out
            elif name == "account_login":
                assert client.get("/dashboard/").status_code == 200  # signed in
            elif name != "account_reset_password":  # that one only sends a mail
                assert site_state(world) != before
            transaction.set_rollback(True)


def test_get_only_pages_refuse_a_post_even_with_the_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.owner)
    client.get("/")
    before = site_state(world)

    for name in sorted(GET_ONLY):
        response = client.post(
            GET_ONLY_PATHS[name].format(token=world.token), HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
        )

        assert response.status_code == 405, name
    assert site_state(world) == before


def test_every_post_form_on_every_page_carries_the_token_and_htmx_gets_it_from_body(world):
    for page in pages(world):
        if page.post is not None:
            continue
        client = Client()
        html = page.fetch(world, client).content.decode()
        found = scan(html)
        for form in found.post_forms:
            assert form["has_token"], (
                f"{page.id}: a POST form to {form['action']} without csrfmiddlewaretoken"
            )
        if any("htmx" in src for src in found.script_srcs):  # full pages (not Django's bare 404)
            assert found.body_hx_headers is not None, page.id
            assert json.loads(found.body_hx_headers)["X-CSRFToken"], page.id


def test_the_admin_refuses_a_forged_post(world):
    curator = UserFactory(username="curator", is_staff=True, is_superuser=True)
    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    topic = world.topics["gradient"]

    response = client.post(f"/admin/roadmap/topic/{topic.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Topic.objects.filter(pk=topic.pk).exists()
