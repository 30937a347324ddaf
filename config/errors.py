"""The site's error pages, as production (DEBUG off) shows them: 400, 403, 404, 500 and a refused form.

Each is a page of the site, with its header, a plain message and a way home.
An htmx request gets the message alone, swapped into the flash region, as the
app's other error fragments are (base.html's htmx-config swaps 4xx answers):
a whole page would otherwise land inside whatever the request was to update.

400 and 500 are rendered from their template alone, with no request context
(no session, no user, no query): a 500 may be the database failing, and a 400
is a request Django distrusts (a forged Host header, say).
"""

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import requires_csrf_token

# The shared pages' routes (roadmap/sharing/views.py): each answers 404 alike for
# a private page, an unknown user and an old token, so that none of them can be
# told apart; the 404 page then says, in general words, why such a link dies.
SECRET_LINK_ROUTES = frozenset({"unlisted_profile", "unlisted_log_entry", "unlisted_badge"})
USERNAME_LINK_ROUTES = frozenset({"public_profile", "public_log_entry", "badge"})


def _page(request: HttpRequest, template: str, status: int, context: dict | None = None) -> HttpResponse:
    # An htmx request gets the whole page too: roadmap/web/htmx_errors.py turns every 4xx
    # page into the flash region's message, in words for a click that failed in place.
    return render(request, template, context, status=status)


def shared_link(request: HttpRequest) -> str:
    """Which kind of shared link the missing page was: "secret", "username", or "" for neither."""
    match = getattr(request, "resolver_match", None)
    route = match.url_name if match else None
    if route in SECRET_LINK_ROUTES:
        return "secret"
    if route in USERNAME_LINK_ROUTES:
        return "username"
    return ""


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return HttpResponse(render_to_string("400.html"), status=400)


@requires_csrf_token  # the page's forms (log out) need the token even when no view ran
def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "403.html", 403)


@requires_csrf_token
def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _page(request, "404.html", 404, {"shared_link": shared_link(request)})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent without its token, or with an old one. Nothing was saved."""
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""  # only ever back to a page of this site
    context = {"no_cookie": reason == REASON_NO_CSRF_COOKIE, "back": back}
    return _page(request, "403_csrf.html", 403, context)


def server_error(request: HttpRequest) -> HttpResponse:
    return HttpResponse(render_to_string("500.html"), status=500)
