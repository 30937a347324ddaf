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
- the request: scheme, host and path, the query parameters the view reads
  (normalised by the view; others are ignored, so they cannot multiply
  entries) and which fragment an htmx request asks for;
- the release: a fingerprint of the code, templates and static files (and of
  collectstatic's manifest, which names every hashed file a page links to), so
  one release never serves pages rendered by another while a deploy rolls out.

Changes driven by the clock alone that are not a new date (a review falling
due mid-day, a topic going stale) show within MATHPATH_PAGE_CACHE_SECONDS,
and so do other learners' ratings of the resources a plan suggests.

Pages live in the shared "pages" cache (the database, or CACHE_URL),
compressed, so every app process can serve them, with a small per-process
memory in front that never keeps a page past its shared expiry. Neither
holds state of its own: a key is only looked up after its tokens were read
from the database in the same request, so a changed page is never asked for.
If the shared cache fails, pages are rendered as if nothing were cached.

The CSRF token is the one value that differs per response. A page is rendered
with a random placeholder in its place, kept with the entry and never shown,
which each response swaps for the request's own masked token. It is random
per entry so that no text a user writes into a page can ever be swapped.
"""

import hashlib
import logging
import secrets
import time
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, quote_etag

from accounts.models import Profile
from roadmap.models import Roadmap
from roadmap.web.memory import ProcessMemory

logger = logging.getLogger(__name__)

_SOURCE_DIRS = ("accounts", "config", "roadmap", "templates", "static")
# .ttf: the fonts the Open Graph card is drawn with (roadmap/sharing/fonts/).
_SOURCE_SUFFIXES = {".py", ".html", ".svg", ".txt", ".css", ".js", ".ttf"}


def release_fingerprint() -> str:
    """A digest of this release: the code, templates and static files, and collectstatic's manifest.

    Computed once at import as RELEASE, which every page key names, so pages
    rendered by one release are never served by another.
    """
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


RELEASE = release_fingerprint()


@dataclass(frozen=True)
class Entry:
    body: bytes
    content_type: str
    placeholder: str  # where the CSRF token goes; letters and digits, so escaping leaves it alone
    expires: float  # time.time(): the same clock in every process
    rendered_at: float  # time.time() when rendered: the Last-Modified of a cached image


# Recently served pages, bounded in bytes (roadmap/web/memory.py).
_memory: ProcessMemory[Entry] = ProcessMemory(
    settings.MATHPATH_PAGE_CACHE_MEMORY_BYTES, cost=lambda entry: len(entry.body)
)


def page_key(
    request: HttpRequest,
    *,
    roadmap: Roadmap,
    owner: Profile | None,
    params: Mapping[str, str] | None = None,
    fragment: str = "",
) -> str:
    """The cache key of this request's page: every input it is drawn from."""
    parts = [
        RELEASE,
        request.build_absolute_uri(request.path),
        *(f"{name}={value}" for name, value in sorted((params or {}).items())),
        f"fragment:{fragment}",
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
    params: Mapping[str, str] | None = None,
    fragment: str = "",
) -> HttpResponse:
    """The page from the cache, or rendered by `render_page(extra_context)` and cached.

    `params` are the query parameters the page depends on, as the view reads
    them; `fragment` names the part of the page an htmx request renders ("" for
    the whole page). `render_page` must merge `extra_context` into its template
    context last: it carries the CSRF placeholder. Only plain 200 answers are
    cached; the caller adds any headers of its own to the response returned here.
    """
    if _has_messages(request):
        # A one-off notice is part of this response only: render it, cache nothing.
        return render_page({})
    key = page_key(request, roadmap=roadmap, owner=owner, params=params, fragment=fragment)
    entry = _entry(request, key, render_page)
    if isinstance(entry, HttpResponse):
        return entry
    return HttpResponse(_swap_token(request, entry.body, entry.placeholder), content_type=entry.content_type)


def cached_image(
    request: HttpRequest,
    *,
    roadmap: Roadmap,
    owner: Profile,
    render_image: Callable[[], HttpResponse],
    params: Mapping[str, str] | None = None,
) -> HttpResponse:
    """A learner's image (the badge, the Open Graph card), cached, and answering conditional requests.

    Image proxies and unfurlers (GitHub's camo, Slack, social sites) fetch
    these again and again. Its ETag is drawn from the page key, which is made
    of tokens already read to find the learner, so a revalidation
    (If-None-Match) is answered 304 with nothing rendered and the cache not even
    asked. Last-Modified is when the cached copy was rendered: a client that
    only sends If-Modified-Since gets 304 until the image is rendered anew,
    which happens after every change (a new key) and on expiry (harmless: one
    fresh copy). The ETag wins when both are sent (RFC 9110, as Django does).
    The caller adds its Cache-Control to whatever is returned, 304s included.
    """
    key = page_key(request, roadmap=roadmap, owner=owner, params=params)
    etag = quote_etag(key.removeprefix("page:")[:32])
    if request.headers.get("If-None-Match"):
        answered = get_conditional_response(request, etag=etag)
        # Only a 304 is answered this early: a precondition on the date needs the entry's.
        if answered is not None and answered.status_code == 304:
            answered["ETag"] = etag
            return answered
    entry = _entry(request, key, lambda extra: render_image())
    if isinstance(entry, HttpResponse):  # not cacheable (a failing cache): still a valid image
        response, rendered_at = entry, time.time()
    else:
        response, rendered_at = HttpResponse(entry.body, content_type=entry.content_type), entry.rendered_at
    if response.status_code != 200:
        return response
    response["ETag"] = etag
    response["Last-Modified"] = http_date(int(rendered_at))
    return get_conditional_response(request, etag=etag, last_modified=int(rendered_at), response=response)


def _entry(
    request: HttpRequest, key: str, render_page: Callable[[dict], HttpResponse]
) -> Entry | HttpResponse:
    """The cached entry under `key`, rendering and storing it on a miss; a response when it can't be cached."""
    entry = _memory.get(key) if _memory.limit else None
    if entry is None:
        try:
            entry = _shared_get(key)
        except Exception:
            logger.warning("Page cache unavailable; rendering %s uncached", request.path, exc_info=True)
            return render_page({})
        if entry is None:
            placeholder = secrets.token_hex(16)
            rendered_at = time.time()
            response = render_page({"csrf_token": placeholder})
            if response.streaming:
                return response
            if response.status_code != 200:
                response.content = _swap_token(request, response.content, placeholder)
                return response
            entry = Entry(
                response.content,
                response["Content-Type"],
                placeholder,
                time.time() + settings.MATHPATH_PAGE_CACHE_SECONDS,
                rendered_at,
            )
            try:
                _shared_set(key, entry)
            except Exception:
                logger.warning("Page cache unavailable; %s not stored", request.path, exc_info=True)
        if _memory.limit:
            _memory.set(key, entry, expires=entry.expires)
    return entry


def state_digest(*, roadmap: Roadmap, owner: Profile) -> str:
    """A short digest of the tokens a learner's pages are keyed by: new whenever any of them may change.

    Shared pages put it in their og:image address, so a link shared again after
    progress unfurls with a new picture instead of one a social site cached.
    """
    parts = [RELEASE, str(roadmap.graph_token), str(owner.state_token), owner.today().isoformat()]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:12]


def _shared_get(key: str) -> Entry | None:
    stored = caches["pages"].get(key)
    if stored is None:
        return None
    compressed, content_type, placeholder, expires, rendered_at = stored
    return Entry(zlib.decompress(compressed), content_type, placeholder, expires, rendered_at)


def _shared_set(key: str, entry: Entry) -> None:
    # Level 1: most of the size win (SVG and HTML shrink ~10x) for little CPU.
    stored = (
        zlib.compress(entry.body, 1),
        entry.content_type,
        entry.placeholder,
        entry.expires,
        entry.rendered_at,
    )
    caches["pages"].set(key, stored, max(1, round(entry.expires - time.time())))


def _has_messages(request: HttpRequest) -> bool:
    # len() loads pending messages without marking them shown.
    return bool(len(get_messages(request)))


def _swap_token(request: HttpRequest, body: bytes, placeholder: str) -> bytes:
    marker = placeholder.encode()
    if marker not in body:
        return body
    return body.replace(marker, get_token(request).encode())


def clear_memory() -> None:
    """Forget this process's in-memory pages (tests; the shared cache is untouched)."""
    _memory.clear()
