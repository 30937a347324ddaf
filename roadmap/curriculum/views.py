"""The curated roadmap's pages: the roadmap as a list, and a topic's page."""

from datetime import datetime

from django.db.models import Count, Q, Sum
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from accounts.models import Profile
from roadmap.community.forms import RATING_LABELS
from roadmap.community.ratings import attach_ratings
from roadmap.models import ROLE_ORDER, Progress, Roadmap, Section, Status, Topic, group_by_role
from roadmap.progress.practice import practice_by_section
from roadmap.progress.topic_card import learner_status_context
from roadmap.web import page_cache
from roadmap.web.htmx import HtmxHttpRequest, current_roadmap


@require_GET
def home(request: HtmxHttpRequest):
    roadmap = current_roadmap()
    owner = Profile.objects.for_user(request.user) if request.user.is_authenticated else None
    return page_cache.cached_page(
        request, roadmap=roadmap, owner=owner, render_page=lambda extra: _render_home(request, roadmap, extra)
    )


def _render_home(request: HtmxHttpRequest, roadmap: Roadmap, extra: dict):
    topics = list(Topic.objects.for_roadmap_page(roadmap))
    sections = list(
        Section.objects.filter(roadmap=roadmap)
        .annotate(
            topic_count=Count("topics", filter=Q(topics__is_archived=False)),
            hours=Sum("topics__estimated_hours", filter=Q(topics__is_archived=False)),
        )
        .filter(topic_count__gt=0)
        .order_by("order", "id")
    )
    by_section = {section.pk: section for section in sections}
    for section in sections:
        section.topic_list = []
        section.resource_groups = []
    statuses = _statuses_for(request.user, roadmap)
    for topic in topics:
        topic.learner_status, topic.learner_checked_at, topic.learner_check_score = statuses.get(
            topic.pk, (None, None, "")
        )
        topic.learner_status_label = Status(topic.learner_status).label if topic.learner_status else ""
        by_section[topic.section_id].topic_list.append(topic)
    practice = practice_by_section(roadmap, request.user)
    for section in sections:
        section.resource_groups = _section_resources(section.topic_list)
        section.practice = practice.get(section.pk, [])
    # resource__pairs_with: resource.html shows each pairing, one query per paired resource otherwise.
    roadmap_resources = group_by_role(
        roadmap.resource_links.select_related("resource", "resource__pairs_with")
    )
    return render(
        request,
        "roadmap/home.html",
        {
            "roadmap": roadmap,
            "sections": sections,
            "roadmap_resources": roadmap_resources,
            "topic_count": len(topics),
            "total_hours": sum((s.hours for s in sections), 0),
            **extra,
        },
    )


def _section_resources(topics) -> list:
    """A section's resources, each once, under the strongest role it has there."""
    best = {}
    for topic in topics:
        for link in topic.resource_links.all():
            current = best.get(link.resource_id)
            if current is None or ROLE_ORDER[link.role] < ROLE_ORDER[current.role]:
                best[link.resource_id] = link
    return group_by_role(best.values())


def _statuses_for(user, roadmap) -> dict[int, tuple[str, datetime | None, str]]:
    """{topic id: (status, when last checked, the check's score)} of the learner's records."""
    if not user.is_authenticated:
        return {}
    rows = Progress.objects.for_learner(user, roadmap).values_list(
        "topic_id", "status", "checked_at", "check_score"
    )
    return {topic_id: (status, checked_at, score) for topic_id, status, checked_at, score in rows}


@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str):
    roadmap = current_roadmap()
    topic = get_object_or_404(
        Topic.objects.active().with_neighbours().prefetch_related("resource_links__resource__pairs_with"),
        roadmap=roadmap,
        slug=slug,
    )
    progress = None
    if request.user.is_authenticated:
        progress = Progress.objects.filter(learner=request.user, topic=topic).first()
    links = list(topic.resource_links.all())
    attach_ratings([link.resource for link in links], request.user)
    return render(
        request,
        "roadmap/topic_detail.html",
        {
            "roadmap": roadmap,
            "resource_groups": group_by_role(links),
            "rating_choices": RATING_LABELS,
            **learner_status_context(request, topic, progress),
        },
    )
