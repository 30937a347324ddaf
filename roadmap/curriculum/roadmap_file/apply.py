"""Writing a parsed roadmap file to the database: an upsert by slug in one transaction.

Rows are matched by slug and saved only when something changed, so a re-import
of the same file writes nothing (and no history). Learner data is never
touched: topics missing from the file are archived, not deleted, and progress
rows are not read or written here.
"""

from dataclasses import dataclass, field

from django.db import transaction

from roadmap.curriculum.roadmap_file.parse import ResourceData, ResourceLinkData, RoadmapData
from roadmap.models import (
    Prerequisite,
    Resource,
    ResourceLink,
    Roadmap,
    RoadmapResource,
    Section,
    Topic,
    TopicResource,
)
from roadmap.signals import one_graph_change


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    archived: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.archived)

    def __str__(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, {self.deleted} removed, "
            f"{self.unchanged} unchanged"
        )
        if self.archived:
            text += f"; archived (no longer in the file): {', '.join(self.archived)}"
        return text


def _upsert(model, report: ImportReport, lookup: dict, values: dict, reason: str):
    """Create or update one row, saving (and so writing history) only on change."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj._change_reason = reason
        obj.save()
        report.created += 1
    elif _assign(obj, values):
        obj._change_reason = reason
        obj.save()
        report.updated += 1
    else:
        report.unchanged += 1
    return obj


def _assign(obj, values: dict) -> bool:
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _delete(objects, report: ImportReport) -> None:
    # One by one so simple-history records each deletion.
    for obj in objects:
        obj.delete()
        report.deleted += 1


def apply(data: RoadmapData, *, reason: str = "Imported from a roadmap file") -> ImportReport:
    """Upsert the file's content by slug in one transaction, replacing the graph token once."""
    with transaction.atomic(), one_graph_change():
        return _apply(data, reason)


def _apply(data: RoadmapData, reason: str) -> ImportReport:
    report = ImportReport()
    roadmap = _upsert(
        Roadmap, report, {"slug": data.slug}, {"title": data.title, "description": data.description}, reason
    )
    resources = _upsert_resources(data, report, reason)
    topics = _upsert_sections_and_topics(data, roadmap, report, reason)
    _archive_topics_left_out(roadmap, topics, report, reason)
    _replace_prerequisites(data, roadmap, topics, report, reason)
    for t in data.topics():
        _replace_resource_links(
            TopicResource, {"topic": topics[t.slug]}, t.resources, resources, report, reason
        )
    _replace_resource_links(RoadmapResource, {"roadmap": roadmap}, data.resources, resources, report, reason)

    # A section dropped from the file goes once no topic (archived ones included) uses it.
    _delete(
        Section.objects.filter(roadmap=roadmap, topics__isnull=True).exclude(
            slug__in=[s.slug for s in data.sections]
        ),
        report,
    )
    return report


def _upsert_resources(data: RoadmapData, report: ImportReport, reason: str) -> dict[str, Resource]:
    resources = {r.slug: _upsert_resource(r, report, reason) for r in data.resource_defs}
    # Pairings point at other resources of the file, so they are set once all exist.
    for r in data.resource_defs:
        resource = resources[r.slug]
        if _assign(resource, {"pairs_with": resources[r.pairs_with] if r.pairs_with else None}):
            resource._change_reason = reason
            resource.save()
    return resources


def _archive_topics_left_out(
    roadmap: Roadmap, topics: dict[str, Topic], report: ImportReport, reason: str
) -> None:
    for topic in Topic.objects.filter(roadmap=roadmap, is_archived=False).exclude(slug__in=topics):
        topic.is_archived = True
        topic._change_reason = reason
        topic.save()
        report.archived.append(topic.slug)


def _replace_prerequisites(
    data: RoadmapData, roadmap: Roadmap, topics: dict[str, Topic], report: ImportReport, reason: str
) -> None:
    wanted_edges = {(t.slug, req.topic): req for t in data.topics() for req in t.requires}
    existing_edges = Prerequisite.objects.filter(topic__roadmap=roadmap).select_related(
        "topic", "prerequisite"
    )
    _delete(
        [edge for edge in existing_edges if (edge.topic.slug, edge.prerequisite.slug) not in wanted_edges],
        report,
    )
    for (topic_slug, prerequisite_slug), requirement in wanted_edges.items():
        _upsert(
            Prerequisite,
            report,
            {"topic": topics[topic_slug], "prerequisite": topics[prerequisite_slug]},
            {"reason": requirement.reason, "review_credit": requirement.credit},
            reason,
        )


def _replace_resource_links(
    link_model: type[ResourceLink],
    owner: dict,
    links: list[ResourceLinkData],
    resources: dict[str, Resource],
    report: ImportReport,
    reason: str,
) -> None:
    """Make the resource links of one owner, `{"topic": t}` or `{"roadmap": r}`, the file's, in its order."""
    _delete(
        link_model.objects.filter(**owner).exclude(resource__slug__in=[link.resource for link in links]),
        report,
    )
    for index, link in enumerate(links):
        _upsert(
            link_model,
            report,
            {**owner, "resource": resources[link.resource]},
            {"role": link.role, "order": index},
            reason,
        )


def _upsert_resource(r: ResourceData, report: ImportReport, reason: str) -> Resource:
    return _upsert(
        Resource,
        report,
        {"slug": r.slug},
        {
            "title": r.title,
            "author": r.author,
            "url": r.url,
            "kind": r.kind,
            "access": r.access,
            "note": r.note,
            "recommended_by": r.recommended_by,
            "curated_by": r.curated_by,
        },
        reason,
    )


def _upsert_sections_and_topics(
    data: RoadmapData, roadmap: Roadmap, report: ImportReport, reason: str
) -> dict[str, Topic]:
    topics: dict[str, Topic] = {}
    for s_index, s in enumerate(data.sections):
        section = _upsert(
            Section,
            report,
            {"roadmap": roadmap, "slug": s.slug},
            {"title": s.title, "summary": s.summary, "order": s_index},
            reason,
        )
        for t_index, t in enumerate(s.topics):
            topics[t.slug] = _upsert(
                Topic,
                report,
                {"roadmap": roadmap, "slug": t.slug},
                {
                    "section": section,
                    "title": t.title,
                    "summary": t.summary,
                    "estimated_hours": t.hours,
                    "order": t_index,
                    "is_archived": False,
                },
                reason,
            )
    return topics
