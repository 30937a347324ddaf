"""What `check_roadmap` and the admin index hold a curated roadmap to, read from the database.

`check(roadmap)` returns findings, each naming the topic, edge, resource or
practice task it is about, so the command prints them and the admin links
them. Errors fail the command; warnings are printed and do not. A fixed number
of queries however big the roadmap (the admin index runs it on every visit).
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

from django.db import models
from django.urls import NoReverseMatch, reverse

from roadmap.curriculum.loading import load_graph
from roadmap.models import PracticeExercise, Prerequisite, Problem, Roadmap, Topic, TopicNeed, TopicResource

# A topic's study time, practice included: under half an hour it is a step of
# another topic; over 60 hours it is a course, to be split.
MIN_HOURS = Decimal("0.5")
MAX_HOURS = Decimal("60")
CHECK_SIZE = 3  # problems a "Check yourself" asks (roadmap/checking/drawing.py)

ERROR = "error"
WARNING = "warning"


@dataclass(frozen=True)
class Finding:
    level: str  # ERROR fails check_roadmap; WARNING does not
    message: str
    obj: models.Model  # what it is about: a topic, an edge, a resource, a practice task

    @property
    def admin_url(self) -> str | None:
        meta = self.obj._meta
        try:
            return reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[self.obj.pk])
        except NoReverseMatch:  # a model without an admin page
            return None

    def __str__(self) -> str:
        return f"{self.level}: {self.message}"


def check(roadmap: Roadmap) -> list[Finding]:
    """Every finding on the roadmap's active topics, edges, resources and practice tasks; errors first."""
    topics = {t.pk: t for t in Topic.objects.active().filter(roadmap=roadmap).in_roadmap_order()}
    links = list(TopicResource.objects.filter(topic__in=topics).select_related("resource"))
    findings = [
        *_edge_findings(topics),
        *_resource_findings(topics, links),
        *_graph_findings(roadmap, topics),
        *_hours_findings(topics),
        *_practice_task_findings(roadmap),
        *_problem_findings(topics),
    ]
    return sorted(findings, key=lambda f: f.level != ERROR)


def _edge_findings(topics: dict[int, Topic]) -> list[Finding]:
    edges = Prerequisite.objects.filter(topic__in=topics, prerequisite__is_archived=False, reason="")
    return [
        Finding(ERROR, f"edge {topics[e.topic_id].slug} → {e.prerequisite.slug} has no reason.", e)
        for e in edges.select_related("prerequisite")
    ]


def _resource_findings(topics: dict[int, Topic], links: list[TopicResource]) -> list[Finding]:
    findings = []
    free = {link.topic_id for link in links if link.resource.is_free}
    free_practice = {link.topic_id for link in links if link.resource.is_free and link.practice}
    for pk, topic in topics.items():
        if pk not in free:
            findings.append(Finding(ERROR, f"topic {topic.slug} has no free resource.", topic))
        if pk not in free_practice:
            findings.append(
                Finding(ERROR, f"topic {topic.slug} has no free resource to practise with.", topic)
            )
    resources = {link.resource.pk: link.resource for link in links}
    for resource in sorted(resources.values(), key=lambda r: r.slug):
        problem = url_problem(resource.url)
        if problem:
            findings.append(Finding(ERROR, f"resource {resource.slug}: {problem}", resource))
        warning = kind_warning(resource.kind, resource.url)
        if warning:
            findings.append(Finding(WARNING, f"resource {resource.slug}: {warning}", resource))
    return findings


def _graph_findings(roadmap: Roadmap, topics: dict[int, Topic]) -> list[Finding]:
    graph = load_graph(roadmap)
    findings = []
    needs: dict[int, list[Topic]] = {}
    for need in TopicNeed.objects.filter(topic__in=topics).select_related("needed"):
        needs.setdefault(need.topic_id, []).append(need.needed)
    for pk, topic in topics.items():
        outside = [n.slug for n in needs.get(pk, []) if n.pk not in graph.ancestors(pk)]
        if outside:
            findings.append(
                Finding(
                    ERROR, f"topic {topic.slug} needs {', '.join(outside)}, outside its prerequisites.", topic
                )
            )
        if not graph.unlocks.get(pk) and not topic.goal:
            findings.append(
                Finding(ERROR, f"topic {topic.slug} is a dead end (nothing needs it) with no goal.", topic)
            )
    return findings


def _hours_findings(topics: dict[int, Topic]) -> list[Finding]:
    return [
        Finding(
            ERROR, f"topic {t.slug} has {t.estimated_hours} hours, outside {MIN_HOURS} to {MAX_HOURS}.", t
        )
        for t in topics.values()
        if not MIN_HOURS <= t.estimated_hours <= MAX_HOURS
    ]


def _practice_task_findings(roadmap: Roadmap) -> list[Finding]:
    exercises = PracticeExercise.objects.filter(task__section__roadmap=roadmap).select_related(
        "task", "topic"
    )
    return [
        Finding(
            ERROR,
            f"practice task {e.task.slug} exercises {_why_not(e.topic, roadmap)} {e.topic.slug}.",
            e.task,
        )
        for e in exercises.order_by("task__section__order", "task__order", "order")
        if e.topic.is_archived or e.topic.roadmap_id != roadmap.pk
    ]


def _problem_findings(topics: dict[int, Topic]) -> list[Finding]:
    """A warning, not an error: a roadmap without a bank still works, only "Check yourself" waits.

    The shipped roadmap is held to the bank in CI (tests/roadmap/curriculum/test_bank_keys.py).
    """
    counts = dict(
        Problem.objects.active()
        .filter(topic__in=topics)
        .values_list("topic_id")
        .annotate(n=models.Count("id"))
        .order_by()
    )
    return [
        Finding(
            WARNING,
            f"topic {topic.slug} has {counts.get(pk, 0)} check problem(s); a check asks {CHECK_SIZE}.",
            topic,
        )
        for pk, topic in topics.items()
        if counts.get(pk, 0) < CHECK_SIZE
    ]


def _why_not(topic: Topic, roadmap: Roadmap) -> str:
    return "archived topic" if topic.roadmap_id == roadmap.pk else "a topic of another roadmap:"


_GOOGLE = re.compile(r"^(www\.)?google\.[a-z.]+$")
_YOUTUBE = re.compile(r"^(www\.|m\.)?youtube\.com$")
_X = re.compile(r"^(www\.|mobile\.)?(x|twitter)\.com$")


def url_problem(url: str) -> str:
    """Why a URL is no place to send a learner (a search, a bare profile or channel), or ""."""
    parts = urlsplit(url)
    host, path, query = parts.hostname or "", parts.path, parse_qs(parts.query)
    if _GOOGLE.match(host) and path.startswith("/search"):
        return "a Google search page, not a resource."
    if _YOUTUBE.match(host):
        if path.startswith("/results"):
            return "a YouTube search page, not a resource."
        bare = path.startswith(("/@", "/c/", "/channel/", "/user/"))
        if bare and "list" not in query and "v" not in query:
            return "a bare YouTube channel; link a playlist or a video."
    if _X.match(host) and "/status/" not in path:
        return "a bare X/Twitter profile; link the post (/status/…)."
    return ""


def kind_warning(kind: str, url: str) -> str:
    """A kind that the URL seems to contradict (a single video that is a playlist, or back), or ""."""
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    if not _YOUTUBE.match(parts.hostname or "") and (parts.hostname or "") != "youtu.be":
        return ""
    playlist = "list" in query or parts.path.startswith("/playlist")
    if kind == "video" and playlist:
        return "kind video, but the URL is a playlist (video_series?)."
    if kind == "video_series" and not playlist and ("v" in query or parts.hostname == "youtu.be"):
        return "kind video_series, but the URL is a single video (video?)."
    return ""
