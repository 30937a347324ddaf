"""Writing a parsed roadmap file to the database: an upsert by slug in one transaction.

Everything the import may touch is read first, one query per model
(existing.py); rows are then matched in memory, by slug (or, for a link, by
what it links), and saved only when something changed, so a re-import of the
same file reads a dozen times and writes nothing (and no history). Each write
is still one row's save() or delete(), so simple-history records it and the
graph-token signal sees it. Learner data stays attached: topics missing from
the file are archived, not deleted; a topic's `was:` renames the existing row
in place, so its progress follows; and the one write to progress is
inheritance.py's copy for a new topic that `replaces:` others.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from roadmap.curriculum.roadmap_file.existing import Existing
from roadmap.curriculum.roadmap_file.inheritance import inherit_progress
from roadmap.curriculum.roadmap_file.parse import ResourceData, ResourceLinkData, RoadmapData, TopicData
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


def apply(data: RoadmapData, *, reason: str = "Imported from a roadmap file") -> ImportReport:
    """Upsert the file's content by slug in one transaction, replacing the graph token once."""
    with transaction.atomic(), one_graph_change():
        return _Import(data, Existing.read(data.slug), reason).run()


def _roadmap_order(topic: Topic) -> tuple:
    """Where a topic stands in its roadmap: Topic's Meta ordering, without asking the database."""
    return (topic.section.order, topic.order, topic.pk)


def _assign(obj, values: dict) -> bool:
    """Set the values that differ; True if any did. A foreign key compares by id, fetching nothing."""
    changed = False
    for name, value in values.items():
        model_field = obj._meta.get_field(name)
        wanted = value.pk if model_field.is_relation and value is not None else value
        if getattr(obj, model_field.attname) != wanted:
            setattr(obj, name, value)
            changed = True
    return changed


class _Import:
    """One import: the file, what the database held (kept current as rows are written), the report."""

    def __init__(self, data: RoadmapData, existing: Existing, reason: str):
        self.data = data
        self.db = existing
        self.reason = reason
        self.report = ImportReport()

    def run(self) -> ImportReport:
        data = self.data
        roadmap = self.upsert(
            Roadmap,
            self.db.roadmaps,
            data.slug,
            {"slug": data.slug},
            {"title": data.title, "description": data.description},
        )
        self.upsert_resources()
        self.rename_topics()
        topics = self.upsert_sections_and_topics(roadmap)
        self.archive_topics_left_out(topics)
        self.replace_prerequisites(topics)
        for t in data.topics():
            topic = topics[t.slug]
            self.replace_resource_links(
                TopicResource, {"topic": topic}, t.resources, self.db.topic_resources.setdefault(topic.pk, {})
            )
            self.replace_links(
                TopicNeed,
                {"topic": topic},
                "needed",
                [(topics[slug], {"order": index}) for index, (slug, _) in enumerate(t.needs)],
                self.db.topic_needs.setdefault(topic.pk, {}),
            )
        self.replace_practice_tasks(topics)
        self.inherit_progress(topics)
        self.replace_resource_links(
            RoadmapResource,
            {"roadmap": roadmap},
            data.resources,
            self.db.roadmap_resources.setdefault(roadmap.pk, {}),
        )
        self.delete_sections_left_out()
        return self.report

    # -- Writing one row -----------------------------------------------------------

    def upsert(self, model, rows: dict, key, lookup: dict, values: dict):
        """Create or update the row `rows[key]`, saving (and so writing history) only on change."""
        obj = rows.get(key)
        if obj is None:
            obj = rows[key] = model(**lookup, **values)
            self.save(obj)
            self.report.created += 1
        elif _assign(obj, values):
            self.save(obj)
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return obj

    def save(self, obj, reason: str = "") -> None:
        obj._change_reason = reason or self.reason
        obj.save()

    def delete(self, objects) -> None:
        # One by one so simple-history records each deletion.
        for obj in objects:
            obj.delete()
            self.report.deleted += 1

    # -- Each kind of row ------------------------------------------------------------

    def upsert_resources(self) -> None:
        resources = self.db.resources
        for r in self.data.resource_defs:
            self.upsert(Resource, resources, r.slug, {"slug": r.slug}, _resource_values(r))
        # Pairings point at other resources of the file, so they are set once all exist.
        for r in self.data.resource_defs:
            resource = resources[r.slug]
            if _assign(resource, {"pairs_with": resources[r.pairs_with] if r.pairs_with else None}):
                self.save(resource)

    def rename_topics(self) -> None:
        """`was: [old]`: the old row takes the new slug, so everything attached to it stays attached."""
        topics = self.db.topics
        for t in self.data.topics():
            if not t.was or t.slug in topics:
                continue  # nothing to rename, or renamed by an earlier import
            candidates = [topics[slug] for slug, _ in t.was if slug in topics]
            if candidates:
                old = min(candidates, key=_roadmap_order)
                self.report.renamed.append(f"{old.slug} → {t.slug}")
                reason = f"{self.reason} (renamed from {old.slug})"
                topics[t.slug] = topics.pop(old.slug)
                old.slug = t.slug
                self.save(old, reason)

    def upsert_sections_and_topics(self, roadmap: Roadmap) -> dict[str, Topic]:
        topics: dict[str, Topic] = {}
        for s_index, s in enumerate(self.data.sections):
            section = self.upsert(
                Section,
                self.db.sections,
                s.slug,
                {"roadmap": roadmap, "slug": s.slug},
                {"title": s.title, "summary": s.summary, "order": s_index},
            )
            for t_index, t in enumerate(s.topics):
                created_before = self.report.created
                topics[t.slug] = self.upsert(
                    Topic,
                    self.db.topics,
                    t.slug,
                    {"roadmap": roadmap, "slug": t.slug},
                    _topic_values(t, section, t_index),
                )
                if self.report.created > created_before:
                    self.report.new_topics.add(t.slug)
        return topics

    def archive_topics_left_out(self, topics: dict[str, Topic]) -> None:
        left_out = [t for slug, t in self.db.topics.items() if slug not in topics and not t.is_archived]
        for topic in sorted(left_out, key=_roadmap_order):
            topic.is_archived = True
            self.save(topic)
            self.report.archived.append(topic.slug)

    def replace_prerequisites(self, topics: dict[str, Topic]) -> None:
        wanted = {(t.slug, req.topic): req for t in self.data.topics() for req in t.requires}
        edges, ends = self.db.prerequisites, self.db.edge_topics
        dropped = [key for key in edges if (ends[key[0]].slug, ends[key[1]].slug) not in wanted]
        # In Prerequisite's Meta ordering: by topic, then by prerequisite, each in roadmap order.
        dropped.sort(key=lambda key: (_roadmap_order(ends[key[0]]), _roadmap_order(ends[key[1]])))
        self.delete([edges.pop(key) for key in dropped])
        for (topic_slug, prerequisite_slug), requirement in wanted.items():
            topic, prerequisite = topics[topic_slug], topics[prerequisite_slug]
            self.upsert(
                Prerequisite,
                edges,
                (topic.pk, prerequisite.pk),
                {"topic": topic, "prerequisite": prerequisite},
                {"reason": requirement.reason, "review_credit": requirement.credit},
            )

    def replace_resource_links(
        self, link_model: type[ResourceLink], owner: dict, links: list[ResourceLinkData], rows: dict
    ) -> None:
        """Make the resource links of one owner, `{"topic": t}` or `{"roadmap": r}`, the file's, in its order."""
        wanted = []
        for index, link in enumerate(links):
            values = {"role": link.role, "order": index}
            if link_model is TopicResource:  # only a topic's links say what to practise
                values["practice"] = link.practice
            wanted.append((self.db.resources[link.resource], values))
        self.replace_links(link_model, owner, "resource", wanted, rows)

    def replace_links(self, model, owner: dict, field_name: str, wanted: list, rows: dict) -> None:
        """Make one owner's links exactly `wanted`, [(target, values)]: resource links, needs, exercises.

        `rows` are the owner's links as read, by target id, in the order they are deleted in.
        """
        keep = {target.pk for target, _ in wanted}
        self.delete([rows.pop(key) for key in list(rows) if key not in keep])
        for target, values in wanted:
            self.upsert(model, rows, target.pk, {**owner, field_name: target}, values)

    def replace_practice_tasks(self, topics: dict[str, Topic]) -> None:
        in_file = {s.slug: s.practice for s in self.data.sections}
        # Every section of the roadmap, in Section's Meta ordering: those left out lose their tasks.
        for section in sorted(self.db.sections.values(), key=lambda s: (s.order, s.pk)):
            wanted = in_file.get(section.slug, [])
            tasks = self.db.practice_tasks.setdefault(section.pk, {})
            keep = {task.slug for task in wanted}
            self.delete([tasks.pop(slug) for slug in list(tasks) if slug not in keep])
            for index, task in enumerate(wanted):
                row = self.upsert(
                    PracticeTask,
                    tasks,
                    task.slug,
                    {"section": section, "slug": task.slug},
                    {"title": task.title, "data": task.data, "task": task.task, "order": index},
                )
                self.replace_links(
                    PracticeExercise,
                    {"task": row},
                    "topic",
                    [(topics[slug], {"order": i}) for i, (slug, _) in enumerate(task.exercises)],
                    self.db.practice_exercises.setdefault(row.pk, {}),
                )

    def inherit_progress(self, topics: dict[str, Topic]) -> None:
        now = timezone.now()
        for t in self.data.topics():
            if t.replaces and t.slug in self.report.new_topics:
                # Any topic of the roadmap as it stands now: archived, renamed or just created.
                replaced = [self.db.topics[slug] for slug, _ in t.replaces if slug in self.db.topics]
                self.report.inherited += inherit_progress(topics[t.slug], replaced, now=now)

    def delete_sections_left_out(self) -> None:
        """A section dropped from the file goes once no topic (archived ones included) uses it."""
        in_file = {s.slug for s in self.data.sections}
        dropped = [section.pk for slug, section in self.db.sections.items() if slug not in in_file]
        if dropped:  # asked of the database, which knows every topic that could still use one
            self.delete(Section.objects.filter(pk__in=dropped, topics__isnull=True))


def _resource_values(r: ResourceData) -> dict:
    return {
        "title": r.title,
        "author": r.author,
        "url": r.url,
        "kind": r.kind,
        "access": r.access,
        "note": r.note,
        "recommended_by": r.recommended_by,
        "curated_by": r.curated_by,
    }


def _topic_values(t: TopicData, section: Section, order: int) -> dict:
    return {
        "section": section,
        "title": t.title,
        "summary": t.summary,
        "estimated_hours": t.hours,
        "order": order,
        "is_archived": False,
        "goal": t.goal,
        "was_slugs": [slug for slug, _ in t.was],
        "replaces_slugs": [slug for slug, _ in t.replaces],
    }
