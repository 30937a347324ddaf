"""What the map shows, from a fixed number of queries, with the layout cached.

Queries, however large the roadmap: the graph (see curriculum/loading.py),
sections, the cached layout (one more set of writes when it was missing); for
a learner, also their progress rows and their goal.

The layout depends only on topics, sections and edges, never on the learner,
so it is cached under a fingerprint of exactly that data: any import or admin
edit that changes what is drawn changes the key, and nothing has to remember
to invalidate anything.
"""

import copy
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.cache import cache
from django.http import Http404
from django.utils import timezone

from accounts.models import Profile
from roadmap.curriculum import loading
from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.map.layout import Layout, layout_graph, section_subgraph
from roadmap.map.paint import MapView, paint
from roadmap.models import Progress, Roadmap, Section, Status
from roadmap.progress import analysis as gaps
from roadmap.progress import review
from roadmap.web import page_cache

# Bump when the layout code changes what it draws, so old cached layouts are ignored.
LAYOUT_VERSION = 1
LAYOUT_SECONDS = 30 * 24 * 3600


def fingerprint(graph: RoadmapGraph, sections: list[Section]) -> str:
    """A hash of everything the layout is drawn from: topics, their sections and order, edges."""
    digest = hashlib.blake2b(digest_size=16)
    for section in sections:
        digest.update(f"s{section.pk}:{section.order}\n".encode())
    for pk, topic in graph.topics.items():
        needs = ",".join(map(str, sorted(graph.needs[pk])))
        digest.update(
            f"t{pk}:{topic.slug}:{topic.title}:{topic.section_id}:{topic.position}:{needs}\n".encode()
        )
    return digest.hexdigest()


def cached_layout(
    roadmap: Roadmap, graph: RoadmapGraph, sections: list[Section], *, section: Section | None = None
) -> Layout:
    """The layout of the whole roadmap, or of one section, computed once per version of the graph."""
    # The release is in the key because a layout is a pickled Layout: code from another
    # release may not be able to read it (a moved class cannot be unpickled at all).
    key = (
        f"map-layout:v{LAYOUT_VERSION}:{page_cache.RELEASE}:{roadmap.pk}:"
        f"{section.pk if section else 'all'}:{fingerprint(graph, sections)}"
    )
    # Only in the shared cache: a copy in process memory too saved ~3% of a map
    # render (bench/caches.py), since unpickling it is cheap next to painting it.
    layout = cache.get(key)
    if layout is None:
        rank = {s.pk: index for index, s in enumerate(sections)}
        if section is None:
            layout = layout_graph(graph, section_rank=rank)
        else:
            subgraph, context = section_subgraph(graph, section.pk)
            layout = layout_graph(subgraph, context=context, section_rank=rank)
        cache.set(key, layout, LAYOUT_SECONDS)
    return layout


@dataclass(frozen=True)
class Summary:
    covered: int
    total: int
    gaps: int
    goal: gaps.Plan | None


@dataclass(frozen=True)
class MapPage:
    roadmap: Roadmap
    sections: list[Section]  # with topics, in order; each has .colour
    section: Section | None  # the one shown, or None for the whole map
    view: MapView
    summary: Summary | None  # None when nobody is logged in
    graph: RoadmapGraph
    statuses: dict[int, str] | None = None  # the learner's, by topic id

    @property
    def topics(self) -> Iterable[TopicNode]:
        """Every topic of the roadmap, in roadmap order: what the find box suggests."""
        return self.graph.topics.values()

    @property
    def query(self) -> str:
        """What to append to map URLs to stay on this section."""
        return "?" + urlencode({"section": self.section.slug}) if self.section else ""


def build_map(*, roadmap: Roadmap, learner=None, section_slug: str | None = None) -> MapPage:
    loaded = loading.load(roadmap)
    graph = loaded.graph
    present = {topic.section_id for topic in graph.topics.values()}
    # Copies: the loaded sections are shared by this process's requests, and each page colours its own.
    sections = [copy.copy(s) for s in loaded.sections if s.pk in present]
    for index, section in enumerate(sections):
        section.colour = index % 10
    section = None
    if section_slug:
        section = next((s for s in sections if s.slug == section_slug), None)
        if section is None:
            raise Http404(f"There is no section “{section_slug}” on this map.")
    layout = cached_layout(roadmap, graph, sections, section=section)
    if learner is None or not learner.is_authenticated:
        return MapPage(roadmap, sections, section, paint(layout), None, graph)

    rows = list(
        Progress.objects.for_learner(learner, roadmap).values_list(
            "topic_id", "status", "review_due", "review_failures"
        )
    )
    statuses = {pk: status for pk, status, _, _ in rows}
    now = timezone.now()
    # Mastered once, but failing its reviews or long overdue: as on the dashboard's Fading list.
    fading = {
        pk: reason
        for pk, status, due, failures in rows
        if status == Status.MASTERED and (reason := review.fading_reason(due, failures, now=now))
    }
    goal_id = Profile.objects.filter(user=learner).values_list("goal_id", flat=True).first()
    gap_ids = {gap.topic.id for gap in gaps.find_gaps(graph, statuses, blocks_shown=0)}
    plan = gaps.plan_to(graph, statuses, goal_id) if goal_id else None
    # The way still to go: what is left to study, the goal included. Covered topics on
    # the route (and the edges into them) stay plain, or a far goal lit up nearly every edge.
    path_ids = {topic.id for topic in plan.steps} if plan else set()
    view = paint(
        layout,
        statuses,
        gap_ids=gap_ids,
        path_ids=path_ids,
        goal_id=goal_id if plan else None,
        fading=fading,
    )
    covered = len(gaps.covered_ids(statuses).intersection(graph.topics))
    summary = Summary(covered=covered, total=len(graph.topics), gaps=len(gap_ids), goal=plan)
    return MapPage(roadmap, sections, section, view, summary, graph, statuses)


def nodes_changed_by(graph: RoadmapGraph, statuses: dict[int, str], topic_id: int) -> set[int]:
    """The topics whose box can look different after `topic_id`'s status changed.

    The topic itself, and the prerequisites whose gap-ness hangs on it: those
    that are gaps with it started but not without it (or the other way round).
    Nothing else on a box depends on this one status.
    """
    started = {**statuses, topic_id: Status.LEARNING}
    not_started = {pk: status for pk, status in statuses.items() if pk != topic_id}
    with_it = {gap.topic.id for gap in gaps.find_gaps(graph, started, blocks_shown=0)}
    without_it = {gap.topic.id for gap in gaps.find_gaps(graph, not_started, blocks_shown=0)}
    return (with_it ^ without_it) | {topic_id}


def path_changed_by(page: MapPage, topic_id: int) -> bool:
    """Whether `topic_id`'s new status can change the drawn way to the goal.

    The way is the route's topics not yet covered, so only a topic on the route
    can join or leave it (whatever its status was before, which is not kept).
    """
    plan = page.summary.goal if page.summary else None
    return plan is not None and topic_id in page.graph.route_to(plan.goal.id)
