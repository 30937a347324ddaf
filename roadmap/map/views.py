"""The map page, its topic panel, and the map's answer to a status change made on it."""

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Profile
from roadmap.curriculum import loading
from roadmap.map.find import Search, find_topics
from roadmap.map.layout import section_subgraph
from roadmap.map.page import MapPage, build_map, nodes_changed_by, path_changed_by
from roadmap.models import Progress, Roadmap, Topic
from roadmap.progress import statuses
from roadmap.progress.forms import STATUS_CHOICES, StatusForm
from roadmap.web import page_cache
from roadmap.web.htmx import (
    HtmxHttpRequest,
    active_topic,
    current_roadmap,
    invalid,
    redirect_back,
    with_topic,
)


@dataclass(frozen=True)
class MapPanel:
    topic: Topic  # with its section, prerequisites and unlocks
    status: str | None  # None when not started
    next: str  # where the status control returns to without JavaScript
    action: str  # where it posts: map_status, on the same section
    checked_at: datetime | None = None  # the last passed check, while the topic stays covered
    check_score: str = ""


@require_GET
def roadmap_map(request: HtmxHttpRequest):
    roadmap = current_roadmap()
    section_slug = request.GET.get("section", "")
    find = request.GET.get("find", "").strip()[:200]  # no title is longer
    if find:
        return _find(request, roadmap, find, section_slug or None)

    def render_page(extra: dict):
        page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug or None)
        return render(request, "roadmap/map.html", _context(page) | extra)

    owner = Profile.objects.for_user(request.user) if request.user.is_authenticated else None
    return page_cache.cached_page(
        request, roadmap=roadmap, owner=owner, params={"section": section_slug}, render_page=render_page
    )


def _find(request: HtmxHttpRequest, roadmap: Roadmap, text: str, section_slug: str | None):
    """?find=: the one topic it names, on the map with its panel open; else the map, saying what matched.

    The map stays on its section when the topic is drawn there (as one of its own
    or as a faded prerequisite); otherwise the whole roadmap is shown.
    """
    loaded = loading.load(roadmap)
    found = find_topics(loaded.graph.topics.values(), text)
    if len(found) == 1:
        topic = found[0]
        section = next((s for s in loaded.sections if s.slug == section_slug), None)
        if section is None or topic.id not in section_subgraph(loaded.graph, section.pk)[0].topics:
            section_slug = None
        # The fragment scrolls the map to the box when JavaScript does not centre it.
        url = reverse("map_topic", args=[topic.slug]) + _query(section_slug) + f"#map-node-{topic.slug}"
        return redirect(url)
    page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug)
    return render(request, "roadmap/map.html", _context(page) | {"find": Search(text, found)})


@require_GET
def map_topic(request: HtmxHttpRequest, slug: str):
    """One topic in the map's side panel; without htmx, the map page with that panel open."""
    roadmap = current_roadmap()
    section_slug = request.GET.get("section")
    panel = _panel(request, roadmap, slug, section_slug)
    if request.htmx:
        context = {"panel": panel, "page_query": _query(section_slug), "status_choices": STATUS_CHOICES}
        return render(request, "roadmap/map.html#panel", context)
    page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug)
    return render(request, "roadmap/map.html", _context(page, panel))


@login_required
@require_POST
def map_status(request: HtmxHttpRequest, slug: str):
    """A status change from the map's panel: the panel, plus the boxes and summary it changed.

    Only the topic and the prerequisites whose gap-ness hangs on it can look
    different, so only those boxes are swapped out of band, and the way to the
    goal only when the topic is on it.
    """
    roadmap = current_roadmap()
    form = StatusForm(with_topic(request, slug), roadmap=roadmap)
    if not form.is_valid():
        return invalid(request, form, about=form.topic_title)
    topic = form.save(learner=request.user).topic
    section_slug = request.GET.get("section") or None
    if not request.htmx:
        return redirect_back(
            request, reverse("map_topic", args=[slug]) + _query(section_slug), f"#map-node-{slug}"
        )
    try:
        page = build_map(roadmap=roadmap, learner=request.user, section_slug=section_slug)
    except Http404:  # the section went away since the page was drawn
        section_slug = None
        page = build_map(roadmap=roadmap, learner=request.user)
    panel = _panel(request, roadmap, topic.slug, section_slug)
    changed = page.view.only(nodes_changed_by(page.graph, page.statuses or {}, topic.pk))
    context = _context(page, panel) | {
        "changed_nodes": changed,
        "path_changed": path_changed_by(page, topic.pk),
        "status_word": statuses.info(panel.status).verb,
    }
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
    # Gone, for a topic archived since the map was drawn: htmx shows why in the flash region.
    topic = active_topic(roadmap, slug, Topic.objects.active().with_neighbours())
    status, checked_at, check_score = None, None, ""
    if request.user.is_authenticated:
        row = (
            Progress.objects.filter(learner=request.user, topic=topic)
            .values_list("status", "checked_at", "check_score")
            .first()
        )
        if row:
            status, checked_at, check_score = row
    query = _query(section_slug)
    return MapPanel(
        topic,
        status,
        next=reverse("map_topic", args=[topic.slug]) + query,
        action=reverse("map_status", args=[topic.slug]) + query,
        checked_at=checked_at,
        check_score=check_score,
    )


def _query(section_slug: str | None) -> str:
    return "?" + urlencode({"section": section_slug}) if section_slug else ""
