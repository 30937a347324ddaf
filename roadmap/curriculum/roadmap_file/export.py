"""Writing a roadmap back out as a roadmap file, in the format `parse()` reads.

What is written is exactly what an import would keep, so export → import is a
no-op: archived topics and their edges stay out, empty sections stay out, and
defaults (a blank author, no goal) are left unsaid. Every edge's credit is
written, the default 0.5 too: a curated 0.5 and "never curated" would otherwise
read the same.
"""

from decimal import Decimal

import yaml

from roadmap.models import (
    PracticeTask,
    Prerequisite,
    Resource,
    ResourceLink,
    Roadmap,
    Section,
    Topic,
)


class _Dumper(yaml.SafeDumper):
    """Block style; multi-line text as literal blocks so diffs stay readable."""


def _str_presenter(dumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def _hours_out(value: Decimal):
    return int(value) if value == value.to_integral_value() else float(value)


def export(roadmap: Roadmap) -> str:
    topics = list(
        Topic.objects.active()
        .filter(roadmap=roadmap)
        .select_related("section")
        .prefetch_related(
            "resource_links__resource",
            "prerequisite_links__prerequisite",
            "need_links__needed",
        )
        .in_roadmap_order()
    )
    roadmap_links = list(roadmap.resource_links.select_related("resource").order_by("order", "id"))
    sections = _section_entries(roadmap)
    for topic in topics:
        sections[topic.section_id]["topics"].append(_topic_entry(topic))
    used_resources = {link.resource_id for link in roadmap_links}
    used_resources.update(link.resource_id for topic in topics for link in topic.resource_links.all())

    document = {
        "roadmap": _head(roadmap, roadmap_links),
        "resources": _resource_entries(used_resources),
        "sections": [s for s in sections.values() if s["topics"]],
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _head(roadmap: Roadmap, links: list[ResourceLink]) -> dict:
    head = {"slug": roadmap.slug, "title": roadmap.title}
    if roadmap.description:
        head["description"] = roadmap.description
    if links:
        head["resources"] = _links_out(links)
    return head


def _links_out(links: list[ResourceLink]) -> list[dict]:
    return [_link_out(link) for link in links]


def _link_out(link: ResourceLink) -> dict:
    item = {"resource": link.resource.slug, "role": link.role}
    if getattr(link, "practice", ""):  # only a topic's links say what to practise
        item["practice"] = link.practice
    return item


def _section_entries(roadmap: Roadmap) -> dict[int, dict]:
    """Every section by id, each with an empty list of topics to fill in."""
    sections: dict[int, dict] = {}
    for section in Section.objects.filter(roadmap=roadmap).order_by("order", "id"):
        sections[section.pk] = {"slug": section.slug, "title": section.title}
        if section.summary:
            sections[section.pk]["summary"] = section.summary
        sections[section.pk]["topics"] = []
    for task in PracticeTask.objects.filter(section__roadmap=roadmap).prefetch_related(
        "exercise_links__topic"
    ):
        sections[task.section_id].setdefault("practice", []).append(_practice_entry(task))
    return sections


def _practice_entry(task: PracticeTask) -> dict:
    entry = {"slug": task.slug, "title": task.title}
    if task.data:
        entry["data"] = task.data
    links = sorted(task.exercise_links.all(), key=lambda link: (link.order, link.pk))
    entry["task"] = task.task
    entry["exercises"] = [link.topic.slug for link in links if not link.topic.is_archived]
    return entry


def _topic_entry(topic: Topic) -> dict:
    entry = {
        "slug": topic.slug,
        "title": topic.title,
        "hours": _hours_out(topic.estimated_hours),
        "summary": topic.summary,
    }
    if topic.goal:
        entry["goal"] = topic.goal
    for key, slugs in (("was", topic.was_slugs), ("replaces", topic.replaces_slugs)):
        if slugs:
            entry[key] = list(slugs)
    edges = sorted(topic.prerequisite_links.all(), key=lambda e: e.pk)
    requires = [_requirement(edge) for edge in edges if not edge.prerequisite.is_archived]
    if requires:
        entry["requires"] = requires
    links = sorted(topic.resource_links.all(), key=lambda link: (link.order, link.pk))
    if links:
        entry["resources"] = _links_out(links)
    needs = sorted(topic.need_links.all(), key=lambda link: (link.order, link.pk))
    needs = [link.needed.slug for link in needs if not link.needed.is_archived]
    if needs:
        entry["needs"] = needs
    return entry


def _requirement(edge: Prerequisite) -> dict | str:
    """A prerequisite as a mapping: its topic, its reason if any, and its credit, always."""
    item = {"topic": edge.prerequisite.slug}
    if edge.reason:
        item["reason"] = edge.reason
    item["credit"] = _hours_out(edge.review_credit)  # 0 and 1 stay as written, not 0.0
    return item


def _resource_entries(used: set[int]) -> list[dict]:
    resources = list(Resource.objects.filter(pk__in=used).select_related("pairs_with"))
    # Paired resources travel with their partner so the file stays self-contained.
    extra = {r.pairs_with_id for r in resources if r.pairs_with_id and r.pairs_with_id not in used}
    resources += list(Resource.objects.filter(pk__in=extra).select_related("pairs_with"))
    return [_resource_entry(r) for r in sorted(resources, key=lambda r: r.slug)]


def _resource_entry(r: Resource) -> dict:
    entry = {"slug": r.slug, "title": r.title}
    if r.author:
        entry["author"] = r.author
    entry.update({"url": r.url, "kind": r.kind, "access": r.access, "curated_by": r.curated_by})
    if r.recommended_by:
        entry["recommended_by"] = r.recommended_by
    if r.pairs_with:
        entry["pairs_with"] = r.pairs_with.slug
    if r.note:
        entry["note"] = r.note
    return entry
