"""Cached learner pages (roadmap/web/page_cache.py): served fast, never stale, never someone else's."""

import json
import re
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib import messages
from django.contrib.messages.middleware import MessageMiddleware
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Profile, Visibility
from roadmap.models import Resource, Roadmap, Status
from roadmap.web import page_cache
from roadmap.web.memory import ProcessMemory
from tests import dom
from tests.factories import (
    LogEntryFactory,
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
)

# .ci/run runs these again with CACHE_URL=redis://… (the `cache` marker).
pytestmark = pytest.mark.cache

DASHBOARD = "/dashboard/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def topics(db):
    algebra = SectionFactory(slug="algebra", title="Algebra")
    exponents = TopicFactory(section=algebra, slug="exponents", title="Exponents", estimated_hours=Decimal(2))
    logs = TopicFactory(section=algebra, slug="logarithms", title="Logarithms", estimated_hours=Decimal(3))
    PrerequisiteFactory(topic=logs, prerequisite=exponents)
    TopicResourceFactory(topic=logs, resource=ResourceFactory(title="Logs, gently"))
    return {"exponents": exponents, "logarithms": logs}


@pytest.fixture
def ada(topics):
    user = UserFactory(username="ada")
    ProfileFactory(user=user, visibility=Visibility.PUBLIC, goal=topics["logarithms"])
    ProgressFactory(learner=user, topic=topics["logarithms"], status=Status.LEARNING)
    return user


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


def covered(html: str) -> int:
    return dom.covered(html)[0]


def without_tokens(html: str) -> str:
    """The page minus its CSRF tokens, which differ on every response."""
    return re.sub(r'value="[^"]{64}"|"X-CSRFToken": "[^"]+"', "", html)


def exponents_mastered_on_map(response) -> bool:
    return "status-mastered" in dom.map_node(response, "exponents").classes


def csrf_inputs(html: str) -> list[str]:
    """The CSRF tokens of the page's forms."""
    return [field["value"] for field in dom.select(html, "input[name=csrfmiddlewaretoken]")]


def csrf_input(html: str) -> str:
    return csrf_inputs(html)[0]


def csrf_header(html: str) -> str:
    """The token htmx sends, from <body hx-headers='{"X-CSRFToken": …}'>."""
    return json.loads(dom.select_one(html, "body")["hx-headers"])["X-CSRFToken"]


# -- served from the cache -------------------------------------------------------------


def test_a_second_visit_is_served_from_the_cache_in_a_few_queries(ada_client, django_assert_max_num_queries):
    first = ada_client.get(DASHBOARD)

    # Session, user (+ profile), roadmap: the page itself comes from this process's memory.
    with django_assert_max_num_queries(3):
        again = ada_client.get(DASHBOARD)
    page_cache.clear_memory()
    # Another app process: one more query, for the shared cache.
    with django_assert_max_num_queries(4):
        elsewhere = ada_client.get(DASHBOARD)

    assert first.status_code == again.status_code == elsewhere.status_code == 200
    assert without_tokens(first.content.decode()) == without_tokens(again.content.decode())
    assert without_tokens(first.content.decode()) == without_tokens(elsewhere.content.decode())


@pytest.mark.parametrize(
    ("path", "queries"),
    [
        (DASHBOARD, 3),  # session, user (+ profile), roadmap
        ("/", 3),
        ("/map/", 3),
        ("/u/ada/", 4),  # and the page owner's profile
        ("/u/ada/badge.svg", 4),
    ],
)
def test_every_cached_page_is_served_again_without_rebuilding(
    ada_client, path, queries, django_assert_max_num_queries
):
    assert ada_client.get(path).status_code == 200

    with django_assert_max_num_queries(queries):
        assert ada_client.get(path).status_code == 200


def test_each_response_carries_its_own_working_csrf_token(ada, topics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(ada)
    first = client.get(DASHBOARD).content.decode()
    second = client.get(DASHBOARD).content.decode()

    # Masked afresh per response (BREACH), yet from the same secret: both are accepted.
    assert csrf_input(first) != csrf_input(second)
    assert re.fullmatch(r"\w{64}", csrf_header(second))
    assert csrf_header(second) == csrf_input(second)
    response = client.post(
        "/progress/",
        {"topic": "exponents", "status": "mastered", "csrfmiddlewaretoken": csrf_input(second)},
    )
    assert response.status_code == 302


def test_text_a_learner_writes_can_never_receive_a_visitors_csrf_token(ada, monkeypatch):
    """The placeholder is random per cached page, so nobody can plant it in their own text."""
    placeholders = []
    real_token_hex = page_cache.secrets.token_hex
    monkeypatch.setattr(
        page_cache.secrets, "token_hex", lambda n: placeholders.append(real_token_hex(n)) or placeholders[-1]
    )
    Client().get("/u/ada/")  # cached, under a placeholder an attacker could have learnt somehow
    profile = Profile.objects.get(user=ada)
    profile.display_name = f"Ada {placeholders[0]}"
    profile.save()

    visitor = Client()
    visitor.force_login(UserFactory(username="grace"))
    html = visitor.get("/u/ada/").content.decode()

    assert f"Ada {placeholders[0]}" in html  # shown as written, not swapped for Grace's token
    assert placeholders[1] not in html
    token = csrf_input(html)
    assert set(csrf_inputs(html)) == {token} and csrf_header(html) == token
    assert html.count(token) == len(csrf_inputs(html)) + 1  # the forms and hx-headers only


# -- never stale -------------------------------------------------------------------------


def test_a_status_change_shows_on_the_next_dashboard(ada_client):
    assert covered(ada_client.get(DASHBOARD).content.decode()) == 0

    ada_client.post("/progress/", {"topic": "exponents", "status": "mastered", "next": DASHBOARD}, **HTMX)

    assert covered(ada_client.get(DASHBOARD).content.decode()) == 1


def test_a_status_change_shows_on_the_shared_page_map_badge_and_roadmap(ada_client, client, ada):
    visitor = Client()
    before = {path: visitor.get(path).content for path in ("/u/ada/", "/u/ada/badge.svg", "/map/")}
    assert not exponents_mastered_on_map(ada_client.get("/map/"))  # now cached, before the change
    assert dom.select(ada_client.get("/"), ".chip.status-mastered") == []

    ada_client.post("/progress/", {"topic": "exponents", "status": "mastered"})

    assert visitor.get("/u/ada/").content != before["/u/ada/"]
    assert visitor.get("/u/ada/badge.svg").content != before["/u/ada/badge.svg"]
    assert exponents_mastered_on_map(ada_client.get("/map/"))
    assert dom.select(ada_client.get("/"), ".chip.status-mastered")


def test_a_log_entry_shows_on_the_shared_page(ada_client, ada):
    visitor = Client()
    assert "Ran the numbers" not in visitor.get("/u/ada/").content.decode()

    ada_client.post(
        "/log/",
        {
            "date": timezone.localdate().isoformat(),
            "hours": "1",
            "extra_minutes": "30",
            "stage": "Ran the numbers",
            "satisfied": "yes",
        },
    )

    assert "Ran the numbers" in visitor.get("/u/ada/").content.decode()


def test_a_profile_change_shows_at_once(ada_client, ada):
    assert Client().get("/u/ada/").status_code == 200

    ada_client.post("/settings/", {"display_name": "", "visibility": "private", "timezone": "UTC"})

    assert Client().get("/u/ada/").status_code == 404


def plan_steps(html: str) -> list[str]:
    return [link.text for link in dom.select(html, '.plan-steps a.topic-title[href^="/topics/"]')]


def test_a_changed_goal_shows_at_once(ada_client, topics):
    assert plan_steps(ada_client.get(DASHBOARD).content.decode()) == ["Exponents", "Logarithms"]

    ada_client.post("/dashboard/goal/", {"goal": topics["exponents"].pk})

    assert plan_steps(ada_client.get(DASHBOARD).content.decode()) == ["Exponents"]


def test_curation_edits_show_on_every_learners_cached_page(ada_client, topics):
    ada_client.get(DASHBOARD)

    topics["exponents"].title = "Powers and exponents"
    topics["exponents"].save()
    resource = topics["logarithms"].resource_links.get().resource
    resource.title = "Logarithms, gently"
    resource.save()

    html = ada_client.get(DASHBOARD).content.decode()
    assert "Powers and exponents" in html
    assert "Logarithms, gently" in html


def test_a_renamed_roadmap_shows_at_once(ada_client):
    ada_client.get("/")
    roadmap = Roadmap.objects.current()
    roadmap.title = "Maths for ML, revised"
    roadmap.save()

    assert "Maths for ML, revised" in ada_client.get("/").content.decode()


def test_a_new_day_is_a_new_page(ada_client, ada, monkeypatch):
    LogEntryFactory(learner=ada, date=timezone.localdate())
    today = ada_client.get("/u/ada/").content

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)

    assert ada_client.get("/u/ada/").content != today


# -- never someone else's ------------------------------------------------------------------


def test_two_learners_never_share_a_cached_dashboard(topics, ada):
    grace = UserFactory(username="grace")
    ProgressFactory(learner=grace, topic=topics["exponents"], status=Status.MASTERED)
    ada_client, grace_client = Client(), Client()
    ada_client.force_login(ada)
    grace_client.force_login(grace)

    assert covered(ada_client.get(DASHBOARD).content.decode()) == 0
    assert covered(grace_client.get(DASHBOARD).content.decode()) == 1
    assert "grace" not in ada_client.get(DASHBOARD).content.decode()


def test_the_shared_page_follows_who_is_looking(ada_client, ada):
    owners_view = ada_client.get("/u/ada/").content.decode()
    visitors_view = Client().get("/u/ada/").content.decode()

    assert "Log out" in owners_view and "Log in" not in owners_view
    assert "Log in" in visitors_view and "Log out" not in visitors_view


def test_signed_in_visitors_share_one_cached_shared_page(ada, django_assert_max_num_queries):
    grace, alan = Client(), Client()
    grace.force_login(UserFactory(username="grace"))
    alan.force_login(UserFactory(username="alan"))
    seen_by_grace = grace.get("/u/ada/").content.decode()

    # Session, user, the page owner's profile, roadmap: Grace's visit rendered it for Alan too.
    with django_assert_max_num_queries(4):
        seen_by_alan = alan.get("/u/ada/").content.decode()

    assert "grace" not in seen_by_alan and "alan" not in seen_by_alan
    assert without_tokens(seen_by_grace) == without_tokens(seen_by_alan)


def test_a_page_with_a_pending_message_is_neither_cached_nor_served_from_cache(ada):
    def request_with(*notices):
        request = RequestFactory().get(DASHBOARD)
        request.user = ada
        request.session = {}
        MessageMiddleware(HttpResponse).process_request(request)  # as a request through the app
        for message in notices:
            messages.success(request, message)
        return request

    calls = []

    def render_page(extra):
        calls.append(extra)
        return HttpResponse(f"page {len(calls)}")

    roadmap, owner = Roadmap.objects.current(), Profile.objects.for_user(ada)
    noticed = page_cache.cached_page(
        request_with("Saved."), roadmap=roadmap, owner=owner, render_page=render_page
    )
    plain = page_cache.cached_page(request_with(), roadmap=roadmap, owner=owner, render_page=render_page)

    assert calls[0] == {}  # the first: rendered with the real token, and not stored
    assert re.fullmatch(r"[0-9a-f]{32}", calls[1]["csrf_token"])  # the second: a placeholder, stored
    assert (noticed.content, plain.content) == (b"page 1", b"page 2")


def test_query_parameters_a_page_does_not_read_share_its_cached_copy(
    ada_client, django_assert_max_num_queries
):
    ada_client.get("/u/ada/")

    # A shared link with tracking parameters: the same page, not a new entry per link.
    with django_assert_max_num_queries(4):
        html = ada_client.get("/u/ada/", {"utm_source": "newsletter"}).content.decode()
    assert "utm_source" not in html


def test_a_page_cache_outage_renders_pages_uncached(ada_client, monkeypatch, caplog):
    def down(*args, **kwargs):
        raise ConnectionError("cache server unreachable")

    monkeypatch.setattr(page_cache.caches["pages"], "get", down)

    response = ada_client.get(DASHBOARD)

    assert response.status_code == 200
    assert covered(response.content.decode()) == 0
    assert "Page cache unavailable" in caplog.text


def test_saving_a_profile_never_writes_back_the_token_it_was_read_with(ada):
    profile = Profile.objects.get(user=ada)
    read_with = profile.state_token
    Profile.objects.learner_changed(ada.pk)  # e.g. a status change in another request

    with CaptureQueriesContext(connection) as queries:
        profile.display_name = "Ada L."
        profile.save_changes()

    first_update = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith("UPDATE"))
    assert "state_token" not in first_update
    assert str(read_with).replace("-", "") not in " ".join(q["sql"] for q in queries.captured_queries)
    assert Profile.objects.get(user=ada).state_token != read_with


def test_errors_are_not_cached(ada_client):
    target = {"HTTP_HX_TARGET": "check-rows-nowhere", **HTMX}

    assert ada_client.get(DASHBOARD, {"section": "nowhere"}, **target).status_code == 404
    assert ada_client.get(DASHBOARD, {"section": "nowhere"}, **target).status_code == 404


# -- the in-process layer -----------------------------------------------------------------


def entry(size: int, *, ttl: float = 60) -> page_cache.Entry:
    return page_cache.Entry(b"x" * size, "text/html", "0" * 32, time.time() + ttl, time.time())


def page_memory(limit: int) -> ProcessMemory:
    # As page_cache keeps pages: bounded in bytes, each expiring with its shared entry.
    return ProcessMemory(limit, cost=lambda page: len(page.body))


def test_memory_keeps_the_most_recent_pages_within_its_size():
    memory = page_memory(100)
    memory.set("a", entry(20))
    memory.set("b", entry(20))
    memory.get("a")  # a is now the most recent
    for key in "cdef":
        memory.set(key, entry(20))  # at f, over 100 bytes: b, the least recent, goes

    assert memory.get("b") is None
    assert memory.get("a").body == b"x" * 20
    assert memory.used <= 100


def test_memory_refuses_a_page_too_big_to_share_it_and_forgets_expired_ones():
    memory = page_memory(100)
    memory.set("huge", entry(60))
    gone = entry(1, ttl=-1)  # e.g. fetched from the shared cache just as it expired
    memory.set("gone", gone, expires=gone.expires)

    assert memory.get("huge") is None
    assert memory.get("gone") is None
    assert memory.used == 0


def test_the_key_names_the_release(ada, topics, monkeypatch):
    request = RequestFactory().get(DASHBOARD)
    request.user = ada
    profile = Profile.objects.for_user(ada)
    roadmap = Roadmap.objects.current()
    before = page_cache.page_key(request, roadmap=roadmap, owner=profile)
    monkeypatch.setattr(page_cache, "RELEASE", "next-release")

    assert page_cache.page_key(request, roadmap=roadmap, owner=profile) != before


def test_therelease_fingerprint_follows_the_static_manifest(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/app.css": "css/app.1.css"}}')
    before = page_cache.release_fingerprint()
    (tmp_path / "staticfiles.json").write_text('{"paths": {"css/app.css": "css/app.2.css"}}')

    # A page linking to app.1.css must not outlive the release that served it.
    assert page_cache.release_fingerprint() != before


def test_profile_tokens_change_on_every_kind_of_change(ada, ada_client, topics, admin_client):
    # Each writer of what a learner's pages show says so itself; here, every one of them.
    def token():
        return Profile.objects.get(user=ada).state_token

    seen = [token()]
    ada_client.post("/progress/", {"topic": "exponents", "status": "mastered"})
    seen.append(token())
    log = {"hours": "1", "extra_minutes": "0", "stage": "s", "satisfied": "yes", "note": ""}
    ada_client.post("/log/", {**log, "date": "2025-03-01"})
    seen.append(token())
    ada_client.post(
        "/log/2025-03-01/edit/", {**log, "date": "2025-03-01", "topics": [topics["exponents"].pk]}
    )
    seen.append(token())
    ada_client.post("/log/2025-03-01/delete/")
    seen.append(token())
    ada_client.post("/topics/logarithms/resources/" + Resource.objects.get().slug + "/rate/", {"rating": "4"})
    seen.append(token())
    ada_client.post("/dashboard/goal/", {"goal": topics["exponents"].pk})
    seen.append(token())
    ada_client.post("/settings/", {"display_name": "Ada", "visibility": "public", "timezone": "UTC"})
    seen.append(token())
    # The username shows in every page's header and in shared pages' addresses.
    user_form = admin_client.get(f"/admin/auth/user/{ada.pk}/change/").context["adminform"].form
    data = {
        k: v
        for k, v in user_form.initial.items()
        if v is not None and k not in {"groups", "user_permissions"}
    }
    data |= {"username": "ada-lovelace", "date_joined_0": "2025-01-01", "date_joined_1": "00:00:00"}
    data |= {"last_login_0": "", "last_login_1": "", "is_active": "on"}
    assert admin_client.post(f"/admin/auth/user/{ada.pk}/change/", data).status_code == 302
    seen.append(token())

    assert len(set(seen)) == len(seen)
