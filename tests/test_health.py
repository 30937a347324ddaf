"""/healthz: what a load balancer probes. It checks the database, answers fast and says nothing else.

The real outage (connections dropped mid-run, then back) is in
tests/faults/test_db_outage.py; here the database's failure is simulated.
"""

from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_healthz_says_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):  # SELECT 1
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"


def test_healthz_is_never_cached(client):
    response = client.get("/healthz")

    assert "no-cache" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]


def test_healthz_leaves_no_session_or_cookie_behind(client):
    sessions = Session.objects.count()

    for _ in range(5):
        response = client.get("/healthz")

    assert not response.cookies
    assert Session.objects.count() == sessions


def test_healthz_answers_head_for_probes_that_use_it(client):
    response = client.head("/healthz")

    assert response.status_code == 200
    assert response.content == b""


def test_healthz_refuses_other_methods(client):
    assert Client(enforce_csrf_checks=False).post("/healthz").status_code == 405
    assert client.put("/healthz").status_code == 405


def test_healthz_needs_no_login_and_carries_no_csrf_token(client):
    response = client.get("/healthz")

    assert "csrftoken" not in response.cookies
    assert response.status_code == 200


@pytest.mark.parametrize(
    "error",
    [
        OperationalError(
            'could not connect to server: Connection refused\n\tIs the server running on host "db.internal" (10.0.0.5)'
        ),
        InterfaceError("connection already closed"),
        DatabaseError("FATAL: password authentication failed for user mathpath"),
    ],
    ids=["refused", "closed", "auth"],
)
def test_healthz_answers_503_and_leaks_nothing_when_the_database_fails(client, error):
    with mock.patch.object(connection, "cursor", side_effect=error):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.content == b"unavailable\n"  # no host, user, driver or error text
    assert response["Content-Type"] == "text/plain"
    assert "no-store" in response["Cache-Control"]


def test_healthz_leaks_no_versions_in_headers(client):
    response = client.get("/healthz")

    for header in ("Server", "X-Powered-By", "X-Django-Version", "Via"):
        assert header not in response
    assert set(response.headers) <= {
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Expires",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cross-Origin-Opener-Policy",
        "Permissions-Policy",
        "Content-Security-Policy",
        "Vary",
    }


def test_healthz_does_not_need_the_roadmap_or_any_table(client):
    # A fresh deploy before `migrate` still reports the database as reachable.
    from roadmap.models import Roadmap

    assert not Roadmap.objects.exists()
    assert client.get("/healthz").status_code == 200
