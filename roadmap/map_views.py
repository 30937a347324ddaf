"""The map page, its topic panel, and the map's answer to a status change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, urlencode, urlsplit

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.models import Profile
from roadmap import page_cache
from roadmap.forms import STATUS_CHOICES
from roadmap.map import STATUS_WORDS
from roadmap.map_data import MapPage, build_map, nodes_changed_by
from roadmap.models import Prerequisite, Progress, Roadmap, Topic

if TYPE_CHECKING:
    # roadmap.views imports this module, so its request type is for the type checker only.
    from roadmap.views import HtmxHttpRequest

# change_status answers for the map when the form came from one of these pages.
MAP_URL_NAMES = frozenset({"roadmap_map", "map_topic"})


@dataclass(frozen=True)
class MapPanel:
    topic: Topic  # with its section, prerequisites and unlocks
    status: str | None  # None when not started
    next: str  # where the status control returns to without JavaScript


@require_GET
def roadmap_map(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
    section_slug = request.GET.get("section", "")

    def render_page(extra: dict):
        page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug or None)
        return render(request, "roadmap/map.html", _context(page) | extra)

    owner = Profile.objects.for_user(request.user) if request.user.is_authenticated else None
    return page_cache.cached_page(
        request, roadmap=roadmap, owner=owner, params={"section": section_slug}, render_page=render_page
    )


@require_GET
def map_topic(request: HtmxHttpRequest, slug: str):
    """One topic in the map's side panel; without htmx, the map page with that panel open."""
    roadmap = Roadmap.objects.current()
    section_slug = request.GET.get("section")
    panel = _panel(request, roadmap, slug, section_slug)
    if request.htmx:
        context = {"panel": panel, "page_query": _query(section_slug), "status_choices": STATUS_CHOICES}
        return render(request, "roadmap/map.html#panel", context)
    page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug)
    return render(request, "roadmap/map.html", _context(page, panel))


def status_changed(request: HtmxHttpRequest, *, roadmap: Roadmap, topic: Topic):
    """change_status's htmx answer on the map: the panel, plus the nodes and summary it changed.

    Only the topic and the prerequisites whose gap-ness hangs on it can look
    different, so only those boxes are swapped out of band.
    """
    section_slug = parse_qs(urlsplit(request.POST.get("next", "")).query).get("section", [None])[0]
    try:
        page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug)
    except Http404:  # the section went away since the page was drawn
        section_slug = None
        page = build_map(roadmap=roadmap, learner=request.user)
    panel = _panel(request, roadmap, topic.slug, section_slug)
    changed = page.view.only(nodes_changed_by(page.graph, page.statuses or {}, topic.pk))
    context = _context(page, panel) | {"changed_nodes": changed, "status_word": _status_word(panel.status)}
    return render(request, "roadmap/map.html#status-changed", context)


def _context(page: MapPage, panel: MapPanel | None = None) -> dict:
    return {
        "page": page,
        "page_query": page.query,
        "panel": panel,
        "selected": panel.topic.pk if panel else None,
        "status_choices": STATUS_CHOICES,
    }


def _panel(request: HtmxHttpRequest, roadmap: Roadmap, slug: str, section_slug: str | None) -> MapPanel:
    topic = get_object_or_404(
        Topic.objects.active()
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "prerequisite_links",
                Prerequisite.objects.filter(prerequisite__is_archived=False)
                .select_related("prerequisite")
                .order_by("prerequisite__section__order", "prerequisite__order"),
            ),
            Prefetch(
                "unlock_links",
                Prerequisite.objects.filter(topic__is_archived=False)
                .select_related("topic")
                .order_by("topic__section__order", "topic__order"),
            ),
        ),
        roadmap=roadmap,
        slug=slug,
    )
    status = None
    if request.user.is_authenticated:
        status = (
            Progress.objects.filter(learner=request.user, topic=topic)
            .values_list("status", flat=True)
            .first()
        )
    return MapPanel(topic, status, reverse("map_topic", args=[topic.slug]) + _query(section_slug))


def _query(section_slug: str | None) -> str:
    return "?" + urlencode({"section": section_slug}) if section_slug else ""


def _status_word(status: str | None) -> str:
    return STATUS_WORDS.get(status or "", "not started")
