"""Every error answered to an htmx request, as a readable fragment for the flash region.

htmx swaps 4xx answers (base.html's htmx-config), so an answer that is a whole
page (Django's 404 or CSRF page, a debug page) or nothing at all would land in
whatever the request targeted: a page inside a panel, or a panel emptied.
Views refuse bad input with htmx.invalid(), whose fragment goes to the flash
region; this middleware does the same for every other 4xx answer, for `Gone`
(a topic archived since the page was drawn, named by its title), and for the
login page a request is sent to when the session has ended.

5xx answers and network failures are never swapped; static/js/request-errors.js
reports those in the flash region.
"""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.http import urlencode

from roadmap.web.htmx import ERRORS, Gone, HtmxHttpRequest, error_context, to_flash

RELOAD = "reload the page and try again."
MESSAGES = {
    400: f"mathpath couldn't read what this page sent — {RELOAD}",
    403: f"This page is out of date (or you logged in or out elsewhere) — {RELOAD}",
    404: "That is no longer on the roadmap — reload the page.",
    405: f"This page is out of date — {RELOAD}",
    413: "That was more than mathpath accepts at once — shorten it and try again.",
    429: "That's a lot of requests at once — wait a minute and try again.",
}
OTHER = f"That didn't work — {RELOAD}"
LOGGED_OUT = "You're logged out (your session ended), so nothing could be saved."
# The status of the answer that replaces a login redirect: htmx swaps it like any 4xx.
LOGGED_OUT_STATUS = 403


class HtmxErrorMiddleware:
    """After django_htmx's HtmxMiddleware, which sets `request.htmx`."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HtmxHttpRequest):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or response.has_header("HX-Retarget"):
            return response
        if _is_login_redirect(response):
            return _logged_out(request)
        if 400 <= response.status_code < 500 and _is_not_a_fragment(response):
            return flash_error(
                request, MESSAGES.get(response.status_code, OTHER), status=response.status_code
            )
        return response

    def process_exception(self, request: HtmxHttpRequest, exception: Exception):
        # Before Django's own 404 handling, so a debug server says the same as production.
        if isinstance(exception, Gone) and request.htmx:
            return flash_error(request, str(exception), status=404)
        return None


def flash_error(request: HtmxHttpRequest, message: str, *, status: int, link=None) -> HttpResponse:
    # No request context: the fragment needs none, and an answer to a refused
    # request (CSRF, a body too large) must not read the request again.
    html = render_to_string(ERRORS, error_context(request, [message], link=link))
    return to_flash(HttpResponse(html, status=status))


def _is_login_redirect(response: HttpResponse) -> bool:
    login = resolve_url(settings.LOGIN_URL)
    return response.status_code == 302 and response.get("Location", "").startswith(login)


def _logged_out(request: HtmxHttpRequest) -> HttpResponse:
    """Not the login page inside a panel: a link to it that comes back to this page."""
    login = resolve_url(settings.LOGIN_URL)
    here = request.htmx.current_url_abs_path  # None unless the page is on this site
    url = f"{login}?{urlencode({'next': here})}" if here else login
    return flash_error(request, LOGGED_OUT, status=LOGGED_OUT_STATUS, link=("Log in again", url))


def _is_not_a_fragment(response: HttpResponse) -> bool:
    """An answer htmx must not swap in: empty, not HTML, or a whole document."""
    if response.streaming:
        return False
    content = response.content.strip()
    is_html = response.get("Content-Type", "").startswith("text/html")
    return not content or not is_html or b"<html" in content[:1000].lower()
