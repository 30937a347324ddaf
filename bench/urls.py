"""The app's URLs plus the floor the load benchmark measures against.

`/__floor__/<bytes>/` answers a fixed body of that size through the same
middleware stack (sessions, auth, CSRF, CSP, htmx...) with no view work and
no queries: the fastest any page of that size could be served.
`/__floor__/<bytes>/signed-in/` does the same after loading the session and
its user, the two queries every signed-in page makes first.
`/__floor__/<bytes>/public/<username>/` is the floor for a public page: the
same, after the one lookup every such page makes (the learner by name).
"""

from django.http import Http404, HttpResponse
from django.urls import path

from accounts.models import Profile
from config.urls import urlpatterns as app_urlpatterns

_BODIES: dict[int, bytes] = {}


def floor(request, size: int):
    body = _BODIES.setdefault(size, b"<!DOCTYPE html>" + b"x" * max(0, size - 15))
    return HttpResponse(body, content_type="text/html; charset=utf-8")


def signed_in_floor(request, size: int):
    """The floor for a signed-in page: the same, after loading the session and its user.

    Every page a learner sees needs those two reads; this shows what they cost
    on their own, apart from anything the page itself does.
    """
    if not request.user.is_authenticated:
        return HttpResponse(status=403)
    return floor(request, size)


def public_floor(request, size: int, username: str):
    """The floor for a public page: the same, after finding its learner.

    As roadmap/sharing/views.py does it: the session is read (a visitor may be
    signed in), then the profile is looked up by name with its user and goal.
    """
    request.user.is_authenticated  # noqa: B018 - read as the public pages read it
    if Profile.objects.select_related("user", "goal").filter(user__username=username).first() is None:
        raise Http404
    return floor(request, size)


urlpatterns = [
    path("__floor__/<int:size>/public/<str:username>/", public_floor),
    path("__floor__/<int:size>/", floor),
    path("__floor__/<int:size>/signed-in/", signed_in_floor),
    *app_urlpatterns,
]
