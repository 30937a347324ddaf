"""Writing a parsed roadmap file to the database: an upsert by slug in one transaction.

Rows are matched by slug and saved only when something changed, so a re-import
of the same file writes nothing (and no history). Learner data stays attached:
topics missing from the file are archived, not deleted; a topic's `was:` renames
the existing row in place, so its progress follows; and the one write to
progress is inheritance.py's copy for a new topic that `replaces:` others.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from roadmap.curriculum.roadmap_file.inheritance import inherit_progress
from roadmap.curriculum.roadmap_file.parse import ResourceData, ResourceLinkData, RoadmapData, SectionData
from roadmap.models import (
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Resource,
    ResourceLink,
    Roadmap,
    RoadmapResource,
    Section,
    Topic,
    TopicNeed,
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
    renamed: list[str] = field(default_factory=list)  # "old → new"
    inherited: int = 0  # progress records copied to topics that replace others
    # Topics this import created (by slug): only they inherit progress.
    new_topics: set[str] = field(default_factory=set, repr=False)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted or self.archived or self.renamed)

    def __str__(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, {self.deleted} removed, "
            f"{self.unchanged} unchanged"
        )
        if self.archived:
            text += f"; archived (no longer in the file): {', '.join(self.archived)}"
        if self.renamed:
            text += f"; renamed: {', '.join(self.renamed)}"
        if self.inherited:
            text += f"; {self.inherited} progress records inherited by topics that replace others"
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
    _rename_topics(data, roadmap, report, reason)
    topics = _upsert_sections_and_topics(data, roadmap, report, reason)
    _archive_topics_left_out(roadmap, topics, report, reason)
    _replace_prerequisites(data, roadmap, topics, report, reason)
    for t in data.topics():
        _replace_resource_links(
            TopicResource, {"topic": topics[t.slug]}, t.resources, resources, report, reason
        )
        _replace_links(
            TopicNeed,
            {"topic": topics[t.slug]},
            "needed",
            [topics[slug] for slug, _ in t.needs],
            report,
            reason,
        )
    _replace_practice_tasks(data, roadmap, topics, report, reason)
    _inherit_progress(data, roadmap, topics, report)
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
        values = {"role": link.role, "order": index}
        if link_model is TopicResource:  # only a topic's links say what to practise
            values["practice"] = link.practice
        _upsert(link_model, report, {**owner, "resource": resources[link.resource]}, values, reason)


def _replace_links(
    model, owner: dict, field_name: str, targets: list, report: ImportReport, reason: str
) -> None:
    """Make the rows linking one owner to `targets` (needs, a task's topics) exactly those, in order."""
    _delete(model.objects.filter(**owner).exclude(**{f"{field_name}__in": targets}), report)
    for index, target in enumerate(targets):
        _upsert(model, report, {**owner, field_name: target}, {"order": index}, reason)


def _rename_topics(data: RoadmapData, roadmap: Roadmap, report: ImportReport, reason: str) -> None:
    """`was: [old]`: the old row takes the new slug, so everything attached to it stays attached."""
    for t in data.topics():
        if not t.was or Topic.objects.filter(roadmap=roadmap, slug=t.slug).exists():
            continue  # nothing to rename, or renamed by an earlier import
        old = Topic.objects.filter(roadmap=roadmap, slug__in=[slug for slug, _ in t.was]).first()
        if old is not None:
            report.renamed.append(f"{old.slug} → {t.slug}")
            old._change_reason = f"{reason} (renamed from {old.slug})"
            old.slug = t.slug
            old.save()


def _replace_practice_tasks(
    data: RoadmapData, roadmap: Roadmap, topics: dict[str, Topic], report: ImportReport, reason: str
) -> None:
    sections: dict[str, SectionData] = {s.slug: s for s in data.sections}
    for section in Section.objects.filter(roadmap=roadmap):
        wanted = sections[section.slug].practice if section.slug in sections else []
        _delete(section.practice_tasks.exclude(slug__in=[task.slug for task in wanted]), report)
        for index, task in enumerate(wanted):
            row = _upsert(
                PracticeTask,
                report,
                {"section": section, "slug": task.slug},
                {"title": task.title, "data": task.data, "task": task.task, "order": index},
                reason,
            )
            _replace_links(
                PracticeExercise,
                {"task": row},
                "topic",
                [topics[slug] for slug, _ in task.exercises],
                report,
                reason,
            )


def _inherit_progress(
    data: RoadmapData, roadmap: Roadmap, topics: dict[str, Topic], report: ImportReport
) -> None:
    now = timezone.now()
    for t in data.topics():
        if t.replaces and t.slug in report.new_topics:
            by_slug = {
                topic.slug: topic
                for topic in Topic.objects.filter(roadmap=roadmap, slug__in=[s for s, _ in t.replaces])
            }
            replaced = [by_slug[slug] for slug, _ in t.replaces if slug in by_slug]
            report.inherited += inherit_progress(topics[t.slug], replaced, now=now)


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
            created_before = report.created
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
                    "goal": t.goal,
                    "was_slugs": [slug for slug, _ in t.was],
                    "replaces_slugs": [slug for slug, _ in t.replaces],
                },
                reason,
            )
            if report.created > created_before:
                report.new_topics.add(t.slug)
    return topics
