"""Signed-in pages are never stored by browsers' or proxies' caches.

A signed-in page shows one learner's data. `Vary: Cookie` alone lets a shared
cache that ignores Vary, or the browser's back-forward history on a shared
computer after logging out, serve it again. So every response built from a
signed-in session that did not choose its own caching says `private, no-store`. (Pages
that chose, like the badge with its public max-age, keep what they said.)
"""

from django.contrib.auth import SESSION_KEY
from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a response built from the session can show a learner's data; asking the session
        # alone (not request.user) costs no query when the view never read it.
        signed_in = session is not None and session.accessed and SESSION_KEY in session
        if signed_in and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
