"""Security headers: a strict CSP on every page, nothing a strict CSP would block, production hardening.

The CSP is pinned exactly, so loosening it (say, adding 'unsafe-inline' to
get a quick fix working) fails here and has to be argued for. Every page type
is rendered with data and scanned for what the policy forbids: inline
scripts, style attributes, event handlers, javascript: URLs, and htmx
attributes that only work with eval.
"""

import json
import os
import secrets
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.security.pages import render_all, scan

# One worker runs the whole module under pytest-xdist, so its module-scoped pages
# are rendered once, not again on every worker that gets one of its tests.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("test_headers")]

ROOT = Path(__file__).resolve().parents[2]

EXPECTED_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
    "base-uri": ["'none'"],
    "object-src": ["'none'"],
}
UNSAFE = {
    "'unsafe-inline'",
    "'unsafe-eval'",
    "'unsafe-hashes'",
    "'wasm-unsafe-eval'",
    "*",
    "data:",
    "http:",
    "https:",
}


def parse_csp(header: str) -> dict[str, list[str]]:
    policy = {}
    for directive in filter(None, (part.strip() for part in header.split(";"))):
        name, *values = directive.split()
        assert name not in policy, f"{name} given twice in {header!r}"
        policy[name] = values
    return policy


@pytest.fixture(scope="module")
def all_responses(django_db_setup, django_db_blocker) -> dict:
    return render_all(django_db_blocker)


@pytest.fixture
def rendered(all_responses) -> dict:
    """{page id: response} for every HTML page type (the badge is an image, checked on its own)."""
    return {page: response for page, response in all_responses.items() if page != "badge"}


def test_every_page_renders(rendered):
    refused = {"not-found": 404, "dead-secret-link": 404, "dead-secret-link-htmx": 404}
    refused |= {"status-error": 400, "status-error-htmx": 400}
    refused |= {"log-invalid": 400, "settings-invalid": 400, "suggest-invalid": 400}
    refused |= {"recall-invalid": 422}  # an answer that cannot be read
    refused |= {"check-unreadable": 422, "check-unreadable-htmx": 422, "placement-unreadable": 422}
    codes = {page: response.status_code for page, response in rendered.items()}

    assert codes == {page: refused.get(page, 200) for page in rendered}


def test_every_page_has_the_exact_strict_csp(rendered):
    for page, response in rendered.items():
        assert "Content-Security-Policy" in response, f"{page} has no CSP"
        assert parse_csp(response["Content-Security-Policy"]) == EXPECTED_CSP, page


def test_scripts_and_styles_come_only_from_our_own_origin():
    for directive in ("default-src", "script-src", "style-src", "connect-src"):
        assert not set(EXPECTED_CSP[directive]) & UNSAFE, directive


def test_no_page_holds_anything_the_csp_would_block(rendered):
    for page, response in rendered.items():
        found = scan(response.content.decode())
        assert found.inline_scripts == [], f"{page}: inline script"
        assert found.style_attributes == [], f"{page}: style attribute"
        assert found.style_elements == 0, f"{page}: <style> element"
        assert found.event_handlers == [], f"{page}: inline event handler"
        assert found.javascript_urls == [], f"{page}: javascript: URL"


def test_htmx_is_configured_without_eval_or_injected_styles(rendered):
    for page, response in rendered.items():
        found = scan(response.content.decode())
        assert found.eval_htmx == [], f"{page}: an hx- attribute that needs eval"
        if not any("htmx" in src for src in found.script_srcs):
            # Fragments carry no <head> (the page they are swapped into has the config),
            # and Django's bare 404 page loads no htmx at all.
            continue
        config = json.loads(found.htmx_config)
        assert config["allowEval"] is False, page
        assert config["includeIndicatorStyles"] is False, page


def test_full_pages_load_htmx_and_our_scripts_from_static_files(rendered):
    for page in ("home", "map", "log", "dashboard"):
        found = scan(rendered[page].content.decode())
        assert found.script_srcs, page
        assert all(src.startswith("/static/") for src in found.script_srcs), (page, found.script_srcs)


def test_clickjacking_sniffing_referrer_and_opener_headers_on_every_page(rendered):
    for page, response in rendered.items():
        assert response["X-Frame-Options"] == "DENY", page
        assert response["X-Content-Type-Options"] == "nosniff", page
        assert response["Referrer-Policy"] == "same-origin", page
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", page


def test_permissions_policy_switches_off_what_the_app_never_uses(rendered):
    header = rendered["home"]["Permissions-Policy"]
    policy = dict(item.split("=", 1) for item in header.replace(" ", "").split(","))

    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert policy[feature] == "()", feature
    assert policy["clipboard-write"] == "(self)"  # the share card's copy button


def test_the_badge_svg_may_style_itself_but_never_run_script(all_responses):
    response = all_responses["badge"]

    assert response.status_code == 200
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"]  # so no script-src at all: nothing runs
    assert "script-src" not in policy
    assert policy["style-src"] == ["'unsafe-inline'"]  # its own <style> block, nothing else
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"<script" not in response.content


# -- production settings -----------------------------------------------------------


def production_env(tmp_path) -> dict:
    # Not the test run's own switches: its settings module (tests/settings.py turns DEBUG on),
    # and tests/e2e's DJANGO_ALLOW_ASYNC_UNSAFE, which --deploy refuses.
    ours = {"DJANGO_SETTINGS_MODULE", "DEBUG", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in ours}
    env |= {
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "mathpath.example",
        # Only /healthz touches the database here; an empty SQLite file answers SELECT 1.
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    return env


def test_production_settings_pass_check_deploy(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PRODUCTION_PROBE = textwrap.dedent(
    """
    import json
    import django
    from django.conf import settings

    # The headers do not depend on collected static files; this keeps the probe
    # independent of whether `collectstatic` has been run in this checkout.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    django.setup()
    from django.test import Client

    def fetch(path, **extra):
        response = Client().get(path, HTTP_HOST="mathpath.example", **extra)
        cookies = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]),
                          "samesite": c["samesite"]} for name, c in response.cookies.items()}
        return {"status": response.status_code, "headers": dict(response.headers), "cookies": cookies}

    print(json.dumps({
        "https": fetch("/accounts/login/", secure=True),
        "proxied": fetch("/accounts/login/", HTTP_X_FORWARDED_PROTO="https"),
        "http": fetch("/accounts/login/"),
        "healthz": fetch("/healthz"),
        "other_host": Client().get("/healthz", HTTP_HOST="evil.example").status_code,
        "settings": {"DEBUG": settings.DEBUG, "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
                     "SESSION_COOKIE_HTTPONLY": settings.SESSION_COOKIE_HTTPONLY,
                     "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE},
    }))
    """
)


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    """Requests answered under production settings (DEBUG off, a real secret, one allowed host)."""
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=ROOT,
        env=production_env(tmp_path_factory.mktemp("prod")) | {"DJANGO_SETTINGS_MODULE": "config.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_and_the_other_hardening_headers(production):
    headers = production["https"]["headers"]

    assert production["https"]["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in headers["Permissions-Policy"]
    assert parse_csp(headers["Content-Security-Policy"]) == EXPECTED_CSP


def test_production_cookies_are_secure(production):
    assert production["settings"] == {
        "DEBUG": False,
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "CSRF_COOKIE_SECURE": True,
    }
    assert production["https"]["cookies"]["csrftoken"]["secure"] is True


def test_production_trusts_the_proxys_https_header_and_redirects_plain_http(production):
    assert production["proxied"]["status"] == 200
    assert "Strict-Transport-Security" in production["proxied"]["headers"]
    assert production["http"]["status"] == 301
    assert production["http"]["headers"]["Location"] == "https://mathpath.example/accounts/login/"


def test_production_health_checks_work_over_plain_http_on_the_allowed_host(production):
    # Load balancers probe over HTTP; the redirect exemption keeps them from following a 301.
    assert production["healthz"]["status"] == 200
    assert production["other_host"] == 400  # Host header checks still apply


@pytest.mark.parametrize("path", ["/dashboard/", "/log/", "/settings/", "/topics/derivatives/", "/"])
def test_signed_in_pages_are_never_stored_by_a_cache(client, path, seeded_roadmap):
    from tests.factories import UserFactory

    client.force_login(UserFactory())

    response = client.get(path)

    assert response.status_code == 200
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= directives


def test_anonymous_pages_and_chosen_caching_keep_their_headers(client, seeded_roadmap):
    """The middleware speaks only for signed-in responses that said nothing themselves."""
    assert "no-store" not in client.get("/").get("Cache-Control", "")
