"""Rendered learner pages, cached under everything they show.

A dashboard, map, shared progress page or badge costs tens of milliseconds to
build on a large roadmap (gap analysis, layout, hundreds of rows of HTML), yet
changes only when its inputs do. Each cached page is keyed by those inputs:

- the learner whose page it is, and their `Profile.state_token`, which every
  change to their progress, log, profile or ratings replaces (roadmap/signals.py);
- who is looking: nobody signed in, the learner themself, or someone else
  signed in (the header and the owner's own links differ; nothing else
  about the viewer shows, so all other signed-in visitors share one page);
- the roadmap's `graph_token`, which every curation edit replaces;
- the learner's local date (day N, streaks, "today");
- the request: scheme, host, path, query string and htmx target;
- the release: a fingerprint of the code, templates and static files (and of
  collectstatic's manifest, which names every hashed file a page links to), so
  one release never serves pages rendered by another while a deploy rolls out.

Changes driven by the clock alone that are not a new date (a review falling
due mid-day, a topic going stale) show within MATHPATH_PAGE_CACHE_SECONDS,
and so do other learners' ratings of the resources a plan suggests.

Pages live in the shared "pages" cache (the database, or CACHE_URL),
compressed, so every app process can serve them, with a small per-process
memory in front. Neither
holds state of its own: a key is only looked up after its tokens were read
from the database in the same request, so a changed page is never asked for.

The CSRF token is the one value that differs per response. Pages are rendered
with a placeholder in its place, which each response swaps for the request's
own masked token, so every response still carries a fresh one.
"""

import hashlib
import time
import zlib
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from accounts.models import Profile
from roadmap.models import Roadmap

# Letters and digits only: it must survive HTML and JSON escaping unchanged.
CSRF_PLACEHOLDER = "csrfPlaceholder0e6b1c52d9a4"
_PLACEHOLDER_BYTES = CSRF_PLACEHOLDER.encode()

_SOURCE_DIRS = ("accounts", "config", "roadmap", "templates", "static")
_SOURCE_SUFFIXES = {".py", ".html", ".svg", ".txt", ".css", ".js"}


def _release_fingerprint() -> str:
    root = Path(settings.BASE_DIR)
    digest = hashlib.sha256()
    for directory in _SOURCE_DIRS:
        for path in sorted((root / directory).rglob("*")):
            if path.suffix in _SOURCE_SUFFIXES and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    # Hashed static names (ours and vendored ones, such as htmx) as this release serves them.
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        digest.update(manifest.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release_fingerprint()


class _Memory:
    """A per-process LRU of recently served pages, bounded in bytes."""

    def __init__(self, limit: int):
        self.limit = limit
        self.size = 0
        self.entries: OrderedDict[str, tuple[float, bytes, str]] = OrderedDict()

    def get(self, key: str) -> tuple[bytes, str] | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        expires, body, content_type = entry
        if expires < time.monotonic():
            self._drop(key)
            return None
        self.entries.move_to_end(key)
        return body, content_type

    def set(self, key: str, body: bytes, content_type: str, timeout: int) -> None:
        if len(body) > self.limit // 4:
            return  # one page must not flush the rest
        if key in self.entries:
            self._drop(key)
        self.entries[key] = (time.monotonic() + timeout, body, content_type)
        self.size += len(body)
        while self.size > self.limit:
            self._drop(next(iter(self.entries)))

    def _drop(self, key: str) -> None:
        self.size -= len(self.entries.pop(key)[1])

    def clear(self) -> None:
        self.entries.clear()
        self.size = 0


_memory = _Memory(settings.MATHPATH_PAGE_CACHE_MEMORY_BYTES)


def page_key(request: HttpRequest, *, roadmap: Roadmap, owner: Profile | None) -> str:
    """The cache key of this request's page: every input it is drawn from."""
    parts = [
        RELEASE,
        request.build_absolute_uri(),
        request.headers.get("HX-Request", ""),
        request.headers.get("HX-Target", ""),
        str(roadmap.pk),
        str(roadmap.graph_token),
    ]
    if owner is not None:
        parts += [f"owner:{owner.user_id}", str(owner.state_token), owner.today().isoformat()]
    if not request.user.is_authenticated:
        parts.append("viewer:anonymous")
    elif owner is not None and request.user.pk == owner.user_id:
        parts.append("viewer:owner")
    else:
        parts.append("viewer:signed-in")
    return "page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def cached_page(
    request: HttpRequest,
    *,
    roadmap: Roadmap,
    owner: Profile | None,
    render_page: Callable[[dict], HttpResponse],
) -> HttpResponse:
    """The page from the cache, or rendered by `render_page(extra_context)` and cached.

    `render_page` must merge `extra_context` into its template context last;
    it carries the CSRF placeholder. Only plain 200 answers are cached; the
    caller adds any headers of its own to the response returned here.
    """
    if _has_messages(request):
        # A one-off notice is part of this response only: render it, cache nothing.
        return render_page({})
    key = page_key(request, roadmap=roadmap, owner=owner)
    hit = _memory.get(key) if _memory.limit else None
    if hit is None:
        shared = caches["pages"].get(key)
        if shared is not None:
            hit = (zlib.decompress(shared[0]), shared[1])
        else:
            response = render_page({"csrf_token": CSRF_PLACEHOLDER})
            if response.status_code != 200 or response.streaming:
                return _with_token(request, response)
            hit = (response.content, response["Content-Type"])
            # Level 1: most of the size win (SVG and HTML shrink ~10x) for little CPU.
            compressed = (zlib.compress(hit[0], 1), hit[1])
            caches["pages"].set(key, compressed, settings.MATHPATH_PAGE_CACHE_SECONDS)
        if _memory.limit:
            _memory.set(key, *hit, settings.MATHPATH_PAGE_CACHE_SECONDS)
    body, content_type = hit
    return HttpResponse(_swap_token(request, body), content_type=content_type)


def _has_messages(request: HttpRequest) -> bool:
    # len() loads pending messages without marking them shown.
    return bool(len(get_messages(request)))


def _swap_token(request: HttpRequest, body: bytes) -> bytes:
    if _PLACEHOLDER_BYTES not in body:
        return body
    return body.replace(_PLACEHOLDER_BYTES, get_token(request).encode())


def _with_token(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response.content = _swap_token(request, response.content)
    return response


def clear_memory() -> None:
    """Forget this process's in-memory pages (tests; the shared cache is untouched)."""
    _memory.clear()
