"""What other people see: the shared progress page, a log entry, and the badge.

Every way in answers with the same 404 for a private page, an unknown user, a
wrong or rotated token, so none of them can be used to probe for accounts.
"""

from datetime import date

from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_safe

from accounts.models import Profile, Visibility
from roadmap.journal import summary as learning_log
from roadmap.map.page import build_map
from roadmap.models import LogEntry, Progress, Roadmap
from roadmap.progress import statuses
from roadmap.progress.dashboard import build_dashboard, summarise_progress
from roadmap.sharing import badge_layout, cards, og_card
from roadmap.web import page_cache
from roadmap.web.htmx import current_roadmap

NOT_FOUND = "No such progress page."
IMAGE_MAX_AGE = 300  # seconds a badge or card may be served from a proxy's cache unasked


def _by_username(request, username: str) -> Profile:
    # Read the session on every path, refusals too: a response that read it says
    # `Vary: Cookie`, so only reading it for existing users would tell them apart.
    viewer = request.user.pk if request.user.is_authenticated else None
    if "\x00" in username:  # PostgreSQL refuses NUL in a query (a 500); no username holds one
        raise Http404(NOT_FOUND)
    profile = Profile.objects.select_related("user", "goal").filter(user__username=username).first()
    if profile is None:
        raise Http404(NOT_FOUND)
    is_owner = viewer == profile.user_id
    if profile.visibility != Visibility.PUBLIC and not is_owner:
        raise Http404(NOT_FOUND)
    return profile


def _by_token(request, token: str) -> Profile:
    request.user.is_authenticated  # noqa: B018 - the session, read on every path (see _by_username)
    if "\x00" in token:  # as for usernames: never in a token, and PostgreSQL would raise
        raise Http404(NOT_FOUND)
    profile = (
        Profile.objects.select_related("user", "goal")
        .filter(share_token=token, visibility__in=[Visibility.UNLISTED, Visibility.PUBLIC])
        .first()
    )
    if profile is None:
        raise Http404(NOT_FOUND)
    return profile


def _page(request, profile: Profile, *, via_token: bool):
    roadmap = current_roadmap()
    return page_cache.cached_page(
        request,
        roadmap=roadmap,
        owner=profile,
        render_page=lambda extra: _render_page(request, roadmap, profile, via_token=via_token, extra=extra),
    )


def _render_page(request, roadmap: Roadmap, profile: Profile, *, via_token: bool, extra: dict):
    dash = build_dashboard(learner=profile.user, roadmap=roadmap, profile=profile)
    # The same map as /map/, with this learner's statuses, gaps and goal laid over it.
    map_page = build_map(roadmap=roadmap, learner=profile.user)
    summary = learning_log.summarise(profile, recent=7)
    last_updated = max(
        filter(
            None,
            [
                Progress.objects.filter(learner=profile.user).aggregate(at=Max("updated_at"))["at"],
                LogEntry.objects.filter(learner=profile.user).aggregate(at=Max("updated_at"))["at"],
            ],
        ),
        default=None,
    )
    by_status = []
    for status in statuses.BAR_ORDER:
        items = [item for item in dash.items.values() if item.status == status]
        # Covered groups also say how many of theirs a passed check proves.
        checked = sum(item.is_checked for item in items) if status in statuses.COVERED else None
        by_status.append((status, items, checked))
    is_owner = request.user.is_authenticated and request.user.pk == profile.user_id
    return render(
        request,
        "roadmap/public_profile.html",
        {
            "profile": profile,
            "dash": dash,
            "map_page": map_page,
            "summary": summary,
            "unfurl": cards.progress_unfurl(profile, dash.overall, summary, roadmap.title),
            "card_url": _card_url(request, roadmap, profile, via_token=via_token),
            "by_status": by_status,
            "last_updated": last_updated,
            "is_owner": is_owner,
            "via_token": via_token,
            # Canonical: no query string, so a shared link's tracking parameters stay out of it.
            "page_url": request.build_absolute_uri(request.path),
            "show_notes": profile.share_log_notes,
            **extra,
        },
    )


@require_GET
def public_profile(request, username: str):
    return _page(request, _by_username(request, username), via_token=False)


@require_GET
def unlisted_profile(request, token: str):
    return _page(request, _by_token(request, token), via_token=True)


def _entry(profile: Profile, day: str, *, with_topics: bool = True) -> LogEntry:
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise Http404(NOT_FOUND) from None
    entries = LogEntry.objects.filter(learner=profile.user, date=parsed)
    entry = (entries.prefetch_related("topics") if with_topics else entries).first()
    if entry is None:
        raise Http404(NOT_FOUND)
    return entry


def _entry_page(request, profile: Profile, day: str, *, via_token: bool):
    entry = _entry(profile, day)
    summary = learning_log.summarise(profile, recent=0)
    entry.day_number = summary.day_of(entry)
    return render(
        request,
        "roadmap/public_log_entry.html",
        {
            "profile": profile,
            "entry": entry,
            "show_notes": profile.share_log_notes,
            "text": cards.share_text(entry, day=entry.day_number, include_note=profile.share_log_notes),
            "unfurl": cards.report_unfurl(profile, entry, day=entry.day_number),
            "card_url": _card_url(
                request, current_roadmap(), profile, via_token=via_token, day=entry.date.isoformat()
            ),
            # Canonical: no query string, so a shared link's tracking parameters stay out of it.
            "page_url": request.build_absolute_uri(request.path),
        },
    )


@require_GET
def public_log_entry(request, username: str, day: str):
    return _entry_page(request, _by_username(request, username), day, via_token=False)


@require_GET
def unlisted_log_entry(request, token: str, day: str):
    return _entry_page(request, _by_token(request, token), day, via_token=True)


def _image_headers(response: HttpResponse) -> HttpResponse:
    """What a badge or card answer carries, its 304s included.

    Public for five minutes, then revalidated: GitHub's camo and other image
    proxies honour Cache-Control, so a README shows new progress within five
    minutes while a proxy asks at most once per five minutes per copy, and each
    time it asks with the ETag it holds, which a 304 answers for two queries.
    (no-cache would show changes at once but cost a request per README view.)
    Their views answer HEAD too: link checkers and some unfurlers send it first.
    """
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    # Opened directly, the image cannot run or load anything.
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _badge(request, profile: Profile) -> HttpResponse:
    roadmap = current_roadmap()
    theme = "dark" if request.GET.get("theme") == "dark" else "light"
    return _image_headers(
        page_cache.cached_image(
            request,
            roadmap=roadmap,
            owner=profile,
            params={"theme": theme},
            render_image=lambda: _render_badge(roadmap, profile, theme),
        )
    )


def _render_badge(roadmap: Roadmap, profile: Profile, theme: str) -> HttpResponse:
    dash = summarise_progress(learner=profile.user, roadmap=roadmap)
    layout = badge_layout.lay_out(
        name=profile.name,
        roadmap_title=roadmap.title,
        overall=dash.overall,
        sections=[(row.section.title, row.progress) for row in dash.sections],
    )
    svg = render_to_string(
        "roadmap/badge.svg",
        {
            "profile": profile,
            "roadmap": roadmap,
            "dash": dash,
            "layout": layout,
            "theme": theme,
            "colours": {status.value: status.colour for status in statuses.STATUSES},
        },
    )
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@require_safe
def badge(request, username: str):
    profile = _by_username(request, username)
    if profile.visibility != Visibility.PUBLIC:
        # The owner previewing a private or unlisted page gets no public badge URL.
        raise Http404(NOT_FOUND)
    return _badge(request, profile)


@require_safe
def unlisted_badge(request, token: str):
    return _badge(request, _by_token(request, token))


# -- The Open Graph card: the picture a shared page or report unfurls with -------------------------


def _only_if_public(profile: Profile) -> Profile:
    # As for the badge: by username only for a public page, so the owner previewing a
    # private one never gets a publicly cacheable picture of it.
    if profile.visibility != Visibility.PUBLIC:
        raise Http404(NOT_FOUND)
    return profile


def _card(request, profile: Profile, day: str | None = None) -> HttpResponse:
    roadmap = current_roadmap()
    # The card draws no topics of the entry: no query for them, not even on a 304.
    entry = _entry(profile, day, with_topics=False) if day is not None else None
    return _image_headers(
        page_cache.cached_image(
            request,
            roadmap=roadmap,
            owner=profile,
            render_image=lambda: _render_card(roadmap, profile, entry),
        )
    )


def _render_card(roadmap: Roadmap, profile: Profile, entry: LogEntry | None) -> HttpResponse:
    summary = learning_log.summarise(profile, recent=0)
    if entry is None:
        headline = cards.journey_line(summary)
    else:
        headline = cards.report_line(entry, day=summary.day_of(entry))
    progress = summarise_progress(learner=profile.user, roadmap=roadmap)
    png = og_card.draw(og_card.card_figures(profile, progress, roadmap.title, headline))
    return HttpResponse(png, content_type="image/png")


@require_safe
def card(request, username: str):
    return _card(request, _only_if_public(_by_username(request, username)))


@require_safe
def unlisted_card(request, token: str):
    return _card(request, _by_token(request, token))


@require_safe
def log_entry_card(request, username: str, day: str):
    return _card(request, _only_if_public(_by_username(request, username)), day)


@require_safe
def unlisted_log_entry_card(request, token: str, day: str):
    return _card(request, _by_token(request, token), day)


def _card_url(request, roadmap: Roadmap, profile: Profile, *, via_token: bool, day: str = "") -> str:
    """The absolute address of the page's card, or "" where it would be refused (a private page)."""
    if via_token:
        path = f"/s/{profile.share_token}/"
    elif profile.visibility == Visibility.PUBLIC:
        path = profile.get_absolute_url()
    else:
        return ""
    if day:
        path += f"log/{day}/"
    # The version changes with everything the card shows, so a link shared again after
    # progress unfurls with the new picture rather than one a social site kept.
    version = page_cache.state_digest(roadmap=roadmap, owner=profile)
    return request.build_absolute_uri(f"{path}card.png?v={version}")
