"""Signed-in pages are never stored by browsers' or proxies' caches.

A signed-in page shows one learner's data. `Vary: Cookie` alone lets a shared
cache that ignores Vary, or the browser's back-forward history on a shared
computer after logging out, serve it again. So every response to a signed-in
request that did not choose its own caching says `private, no-store`. (Pages
that chose, like the badge with its public max-age, keep what they said.)
"""

from django.utils.cache import patch_cache_control


class PrivateCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
