"""The app's URLs plus the floor the load benchmark measures against.

`/__floor__/<bytes>/` answers a fixed body of that size through the same
middleware stack (sessions, auth, CSRF, CSP, htmx...) with no view work and
no queries: the fastest any page of that size could be served.
"""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as app_urlpatterns

_BODIES: dict[int, bytes] = {}


def floor(request, size: int):
    body = _BODIES.setdefault(size, b"<!DOCTYPE html>" + b"x" * max(0, size - 15))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("__floor__/<int:size>/", floor), *app_urlpatterns]
