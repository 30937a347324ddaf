"""The curated roadmap as a readable, diffable YAML file keyed by slugs.

`parse()` validates a whole file and reports every problem with its line;
`apply()` upserts a parsed file by slug inside one transaction; `export()`
writes the same format back, so export → import is a no-op.

Learner data is never touched: topics missing from a file are archived, not
deleted, and progress rows are not read or written here.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from roadmap.curriculum.graph import find_cycle
from roadmap.models import (
    DEFAULT_REVIEW_CREDIT,
    Prerequisite,
    Resource,
    Roadmap,
    RoadmapResource,
    Role,
    Section,
    Topic,
    TopicResource,
)
from roadmap.signals import one_graph_change

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_MAX_LENGTH = 80  # the slug columns' max_length
MAX_HOURS = Decimal("9999.9")


class RoadmapFileError(Exception):
    """The file was refused as a whole; `errors` are "line N: message" strings."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# -- Loading YAML with line numbers -----------------------------------------


class _LineDict(dict):
    line: int
    key_lines: dict


class _LineList(list):
    line: int
    item_lines: list[int]


class _LineLoader(yaml.SafeLoader):
    """A safe loader whose mappings and lists remember their 1-based line."""

    def construct_mapping(self, node, deep=False):
        mapping = _LineDict()
        mapping.line = node.start_mark.line + 1
        mapping.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in mapping:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {key!r}", key_node.start_mark
                )
            mapping[key] = self.construct_object(value_node, deep=True)
            mapping.key_lines[key] = key_node.start_mark.line + 1
        return mapping

    def construct_list(self, node):
        items = _LineList(self.construct_object(child, deep=True) for child in node.value)
        items.line = node.start_mark.line + 1
        # Plain scalars (a slug in `requires`) cannot carry a line, so the list keeps each item's.
        items.item_lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_list)


# -- The parsed file ----------------------------------------------------------


@dataclass
class ResourceLinkData:
    resource: str
    role: str


@dataclass
class PrerequisiteData:
    topic: str
    reason: str
    line: int
    credit: Decimal = DEFAULT_REVIEW_CREDIT


@dataclass
class TopicData:
    slug: str
    title: str
    summary: str
    hours: Decimal
    requires: list[PrerequisiteData] = field(default_factory=list)
    resources: list[ResourceLinkData] = field(default_factory=list)


@dataclass
class SectionData:
    slug: str
    title: str
    summary: str
    topics: list[TopicData] = field(default_factory=list)


@dataclass
class ResourceData:
    slug: str
    title: str
    author: str
    url: str
    kind: str
    access: str
    curated_by: str
    recommended_by: str
    pairs_with: str
    note: str
    line: int = 0


@dataclass
class RoadmapData:
    slug: str
    title: str
    description: str
    resources: list[ResourceLinkData] = field(default_factory=list)
    sections: list[SectionData] = field(default_factory=list)
    resource_defs: list[ResourceData] = field(default_factory=list)

    def topics(self) -> list[TopicData]:
        return [topic for section in self.sections for topic in section.topics]


class _Reader:
    """Walks the loaded YAML, collecting every error instead of stopping at one."""

    def __init__(self):
        self.errors: list[str] = []

    def error(self, line: int, message: str) -> None:
        self.errors.append(f"line {line}: {message}")

    def mapping(self, value, line: int, what: str, required: set[str], optional: set[str]):
        if not isinstance(value, dict):
            self.error(line, f"{what} must be a mapping of keys to values.")
            return None
        for key in value:
            if key not in required | optional:
                allowed = ", ".join(sorted(required | optional))
                self.error(value.key_lines[key], f"unknown key {key!r} in {what} (allowed: {allowed}).")
        for key in sorted(required - set(value)):
            self.error(value.line, f"{what} is missing {key!r}.")
        return value

    def text(self, mapping, key: str, *, required: bool = True, max_length: int = 0) -> str:
        value = mapping.get(key)
        line = mapping.key_lines.get(key, mapping.line)
        if value is None:
            # `title:` with nothing after it; a missing key is reported already.
            if required and key in mapping:
                self.error(line, f"{key!r} must not be empty.")
            return ""
        if not isinstance(value, str):
            self.error(line, f"{key!r} must be text, not {type(value).__name__}.")
            return ""
        value = value.strip()
        if required and not value:
            self.error(line, f"{key!r} must not be empty.")
        if "\x00" in value:  # YAML's "\0" escape; PostgreSQL refuses it mid-import
            self.error(line, f"{key!r} contains a NUL character.")
        if max_length and len(value) > max_length:
            self.error(line, f"{key!r} is longer than {max_length} characters.")
        return value

    def slug(self, mapping, key: str) -> str:
        value = self.text(mapping, key, max_length=SLUG_MAX_LENGTH)
        if value and not SLUG_RE.match(value):
            self.error(
                mapping.key_lines.get(key, mapping.line),
                f"{key!r} {value!r} is not a slug (lowercase letters, digits and single hyphens).",
            )
        return value

    def choice(self, mapping, key: str, choices, *, default: str = "") -> str:
        value = self.text(mapping, key, required=not default) or default
        allowed = [c.value for c in choices]
        if value and value not in allowed:
            self.error(
                mapping.key_lines.get(key, mapping.line),
                f"{key!r} {value!r} is not one of: {', '.join(allowed)}.",
            )
        return value

    def items(self, mapping, key: str, what: str) -> list:
        value = mapping.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.error(mapping.key_lines.get(key, mapping.line), f"{what} must be a list.")
            return []
        return value

    def resource_links(self, owner, what: str) -> list[ResourceLinkData]:
        links = []
        for item in self.items(owner, "resources", f"resources of {what}"):
            line = getattr(item, "line", owner.line)
            if not self.mapping(item, line, f"a resource link of {what}", {"resource", "role"}, set()):
                continue
            links.append(ResourceLinkData(self.slug(item, "resource"), self.choice(item, "role", Role)))
            links[-1].line = line
        return links


def parse(text: str) -> RoadmapData:
    """Validate a whole roadmap file; raise RoadmapFileError listing every problem."""
    try:
        raw = yaml.load(text, Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(exc, "problem", None) or str(exc)
        raise RoadmapFileError([f"line {line}: not valid YAML: {problem}."]) from None

    reader = _Reader()
    top = reader.mapping(raw, 1, "the file", {"roadmap", "resources", "sections"}, set())
    if top is None:
        raise RoadmapFileError(reader.errors)

    data = RoadmapData(slug="", title="", description="")
    head = reader.mapping(
        top.get("roadmap"),
        top.key_lines.get("roadmap", 1),
        "roadmap",
        {"slug", "title"},
        {"description", "resources"},
    )
    if head is not None:
        data.slug = reader.slug(head, "slug")
        data.title = reader.text(head, "title", max_length=200)
        data.description = reader.text(head, "description", required=False)
        data.resources = reader.resource_links(head, "the roadmap")

    _read_resources(reader, top, data)
    _read_sections(reader, top, data)
    _check_references(reader, data)
    if reader.errors:
        raise RoadmapFileError(reader.errors)
    return data


def _read_resources(reader: _Reader, top, data: RoadmapData) -> None:
    url_validator = URLValidator(schemes=["http", "https"])
    seen: dict[str, int] = {}
    for item in reader.items(top, "resources", "resources"):
        line = getattr(item, "line", top.line)
        resource = reader.mapping(
            item,
            line,
            "a resource",
            {"slug", "title", "url", "kind", "access"},
            {"author", "note", "recommended_by", "curated_by", "pairs_with"},
        )
        if resource is None:
            continue
        slug = reader.slug(resource, "slug")
        if slug in seen:
            reader.error(line, f"resource {slug!r} is defined twice (first on line {seen[slug]}).")
        seen[slug] = line
        url = reader.text(resource, "url", max_length=500)
        if url:
            try:
                url_validator(url)
            except ValidationError:
                reader.error(resource.key_lines["url"], f"{url!r} is not a valid http(s) URL.")
        data.resource_defs.append(
            ResourceData(
                slug=slug,
                title=reader.text(resource, "title", max_length=200),
                author=reader.text(resource, "author", required=False, max_length=200),
                url=url,
                kind=reader.choice(resource, "kind", Resource.Kind),
                access=reader.choice(resource, "access", Resource.Access),
                curated_by=reader.choice(
                    resource, "curated_by", Resource.CuratedBy, default=Resource.CuratedBy.SEED
                ),
                recommended_by=reader.text(resource, "recommended_by", required=False, max_length=200),
                pairs_with=reader.text(resource, "pairs_with", required=False),
                note=reader.text(resource, "note", required=False),
                line=line,
            )
        )


def _read_sections(reader: _Reader, top, data: RoadmapData) -> None:
    section_lines: dict[str, int] = {}
    topic_lines: dict[str, int] = {}
    for item in reader.items(top, "sections", "sections"):
        line = getattr(item, "line", top.line)
        raw = reader.mapping(item, line, "a section", {"slug", "title", "topics"}, {"summary"})
        if raw is None:
            continue
        section = SectionData(
            slug=reader.slug(raw, "slug"),
            title=reader.text(raw, "title", max_length=200),
            summary=reader.text(raw, "summary", required=False),
        )
        if section.slug in section_lines:
            reader.error(
                line,
                f"section {section.slug!r} is defined twice (first on line {section_lines[section.slug]}).",
            )
        section_lines[section.slug] = line
        topic_items = reader.items(raw, "topics", f"topics of section {section.slug!r}")
        if not topic_items and "topics" in raw:
            # An empty section would never be exported, so re-importing the export would
            # delete it: refuse it here rather than let the two disagree.
            reader.error(
                raw.key_lines.get("topics", line),
                f"section {section.slug!r} has no topics: list at least one, or remove the section.",
            )
        for topic_item in topic_items:
            topic = _read_topic(reader, topic_item, getattr(topic_item, "line", line), topic_lines)
            if topic:
                section.topics.append(topic)
        data.sections.append(section)


def _read_topic(reader: _Reader, item, line: int, topic_lines: dict[str, int]) -> TopicData | None:
    raw = reader.mapping(
        item, line, "a topic", {"slug", "title", "summary", "hours"}, {"requires", "resources"}
    )
    if raw is None:
        return None
    slug = reader.slug(raw, "slug")
    if slug in topic_lines:
        reader.error(line, f"topic {slug!r} is defined twice (first on line {topic_lines[slug]}).")
    topic_lines[slug] = line
    topic = TopicData(
        slug=slug,
        title=reader.text(raw, "title", max_length=200),
        summary=reader.text(raw, "summary"),
        hours=_hours(reader, raw),
    )
    requirements = reader.items(raw, "requires", f"requires of {slug!r}")
    item_lines = getattr(requirements, "item_lines", [])
    for index, requirement in enumerate(requirements):
        req_line = item_lines[index] if index < len(item_lines) else raw.key_lines.get("requires", line)
        if isinstance(requirement, str):
            topic.requires.append(PrerequisiteData(requirement.strip(), "", req_line))
            continue
        if reader.mapping(
            requirement, req_line, f"a prerequisite of {slug!r}", {"topic"}, {"reason", "credit"}
        ):
            topic.requires.append(
                PrerequisiteData(
                    reader.slug(requirement, "topic"),
                    reader.text(requirement, "reason", required=False, max_length=300),
                    req_line,
                    _credit(reader, requirement),
                )
            )
    topic.resources = reader.resource_links(raw, f"topic {slug!r}")
    return topic


def _credit(reader: _Reader, raw) -> Decimal:
    """The review credit of an edge: a number from 0 to 1 (default 0.5)."""
    if "credit" not in raw:
        return DEFAULT_REVIEW_CREDIT
    value = raw["credit"]
    line = raw.key_lines.get("credit", raw.line)
    try:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            raise InvalidOperation
        credit = Decimal(str(value)).quantize(Decimal("0.01"))
        if credit.is_nan():  # YAML's .nan: quantize lets it through, and comparing it would raise
            raise InvalidOperation
    except InvalidOperation:
        reader.error(line, f"'credit' {value!r} is not a number from 0 to 1.")
        return DEFAULT_REVIEW_CREDIT
    if not Decimal(0) <= credit <= Decimal(1):
        reader.error(line, f"'credit' must be from 0 to 1, not {value}.")
    return credit


def _hours(reader: _Reader, raw) -> Decimal:
    value = raw.get("hours")
    line = raw.key_lines.get("hours", raw.line)
    if "hours" not in raw:
        return Decimal(0)  # reported as a missing key already
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        # Also when empty (`hours:`): a topic without hours could not be saved.
        reader.error(line, "'hours' must be a number of hours, such as 4 or 2.5.")
        return Decimal(0)
    try:
        hours = Decimal(str(value)).quantize(Decimal("0.1"))
        if not hours.is_finite():  # .nan and .inf parse as Decimals
            raise InvalidOperation
    except InvalidOperation:
        reader.error(line, f"'hours' {value!r} is not a number.")
        return Decimal(0)
    if not Decimal(0) < hours <= MAX_HOURS:
        reader.error(line, f"'hours' must be more than 0 and at most {MAX_HOURS}, not {value}.")
    return hours


def _check_references(reader: _Reader, data: RoadmapData) -> None:
    resource_slugs = {r.slug for r in data.resource_defs}
    topics = {t.slug: t for t in data.topics()}

    for resource in data.resource_defs:
        if resource.pairs_with and resource.pairs_with not in resource_slugs:
            reader.error(
                resource.line,
                f"resource {resource.slug!r} pairs with unknown resource {resource.pairs_with!r}.",
            )
        if resource.pairs_with == resource.slug:
            reader.error(resource.line, f"resource {resource.slug!r} cannot pair with itself.")
    for link in data.resources:
        if link.resource not in resource_slugs:
            reader.error(link.line, f"the roadmap links unknown resource {link.resource!r}.")

    needs: dict[str, list[str]] = {}
    edge_lines: dict[tuple[str, str], int] = {}
    for topic in topics.values():
        seen_resources: set[str] = set()
        for link in topic.resources:
            if link.resource not in resource_slugs:
                reader.error(link.line, f"topic {topic.slug!r} links unknown resource {link.resource!r}.")
            if link.resource in seen_resources:
                reader.error(link.line, f"topic {topic.slug!r} links resource {link.resource!r} twice.")
            seen_resources.add(link.resource)
        for requirement in topic.requires:
            if requirement.topic == topic.slug:
                reader.error(requirement.line, f"topic {topic.slug!r} cannot require itself.")
                continue
            if requirement.topic not in topics:
                reader.error(
                    requirement.line, f"topic {topic.slug!r} requires unknown topic {requirement.topic!r}."
                )
                continue
            if (topic.slug, requirement.topic) in edge_lines:
                reader.error(requirement.line, f"topic {topic.slug!r} requires {requirement.topic!r} twice.")
                continue
            edge_lines[(topic.slug, requirement.topic)] = requirement.line
            needs.setdefault(topic.slug, []).append(requirement.topic)

    cycle = find_cycle(needs)
    if cycle:
        named = " → ".join(f"{slug} ({topics[slug].title})" for slug in cycle)
        reader.error(
            edge_lines[(cycle[0], cycle[1])],
            f"prerequisites form a cycle: {named}. Each arrow reads 'needs'; remove one of these edges.",
        )


# -- Writing to the database -------------------------------------------------


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


def _upsert(model, report: ImportReport, found, lookup: dict, values: dict, reason: str):
    """Create or update one row, saving (and so writing history) only on change.

    `found` is the row already stored under `lookup`, or None: the callers read
    each table once up front instead of querying it row by row.
    """
    obj = found
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
        Roadmap,
        report,
        Roadmap.objects.filter(slug=data.slug).first(),
        {"slug": data.slug},
        {"title": data.title, "description": data.description},
        reason,
    )
    stored_resources = {
        r.slug: r
        for r in Resource.objects.filter(slug__in=[r.slug for r in data.resource_defs]).select_related(
            "pairs_with"
        )
    }
    resources = {
        r.slug: _upsert_resource(r, stored_resources.get(r.slug), report, reason) for r in data.resource_defs
    }
    # Pairings point at other resources of the file, so they are set once all exist.
    for r in data.resource_defs:
        resource = resources[r.slug]
        if _assign(resource, {"pairs_with": resources[r.pairs_with] if r.pairs_with else None}):
            resource._change_reason = reason
            resource.save()

    topics = _upsert_sections_and_topics(data, roadmap, report, reason)
    for topic in Topic.objects.filter(roadmap=roadmap, is_archived=False).exclude(slug__in=topics):
        topic.is_archived = True
        topic._change_reason = reason
        topic.save()
        report.archived.append(topic.slug)

    wanted_edges = {(t.slug, req.topic): req for t in data.topics() for req in t.requires}
    existing_edges = Prerequisite.objects.filter(topic__roadmap=roadmap).select_related(
        "topic", "prerequisite"
    )
    stored_edges = {}
    stale_edges = []
    for edge in existing_edges:
        if (edge.topic.slug, edge.prerequisite.slug) in wanted_edges:
            stored_edges[(edge.topic_id, edge.prerequisite_id)] = edge
        else:
            stale_edges.append(edge)
    _delete(stale_edges, report)
    for (topic_slug, prerequisite_slug), requirement in wanted_edges.items():
        topic, prerequisite = topics[topic_slug], topics[prerequisite_slug]
        _upsert(
            Prerequisite,
            report,
            stored_edges.get((topic.pk, prerequisite.pk)),
            {"topic": topic, "prerequisite": prerequisite},
            {"reason": requirement.reason, "review_credit": requirement.credit},
            reason,
        )

    # Every resource link of the file's topics, read at once (in their usual order).
    links_of: dict[int, list[TopicResource]] = {}
    for link in TopicResource.objects.filter(topic__roadmap=roadmap).select_related("resource"):
        links_of.setdefault(link.topic_id, []).append(link)
    for t in data.topics():
        topic = topics[t.slug]
        wanted = {link.resource for link in t.resources}
        stored = {}
        stale = []
        for link in links_of.get(topic.pk, []):
            if link.resource.slug in wanted:
                stored[link.resource_id] = link
            else:
                stale.append(link)
        _delete(stale, report)
        for index, link in enumerate(t.resources):
            resource = resources[link.resource]
            _upsert(
                TopicResource,
                report,
                stored.get(resource.pk),
                {"topic": topic, "resource": resource},
                {"role": link.role, "order": index},
                reason,
            )

    wanted = {link.resource for link in data.resources}
    stored = {}
    stale = []
    for link in roadmap.resource_links.select_related("resource"):
        if link.resource.slug in wanted:
            stored[link.resource_id] = link
        else:
            stale.append(link)
    _delete(stale, report)
    for index, link in enumerate(data.resources):
        resource = resources[link.resource]
        _upsert(
            RoadmapResource,
            report,
            stored.get(resource.pk),
            {"roadmap": roadmap, "resource": resource},
            {"role": link.role, "order": index},
            reason,
        )

    # A section dropped from the file goes once no topic (archived ones included) uses it.
    _delete(
        Section.objects.filter(roadmap=roadmap, topics__isnull=True).exclude(
            slug__in=[s.slug for s in data.sections]
        ),
        report,
    )
    return report


def _upsert_resource(r: ResourceData, found: Resource | None, report: ImportReport, reason: str) -> Resource:
    return _upsert(
        Resource,
        report,
        found,
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
    stored_sections = {s.slug: s for s in Section.objects.filter(roadmap=roadmap)}
    stored_topics = {t.slug: t for t in Topic.objects.filter(roadmap=roadmap).select_related("section")}
    topics: dict[str, Topic] = {}
    for s_index, s in enumerate(data.sections):
        section = _upsert(
            Section,
            report,
            stored_sections.get(s.slug),
            {"roadmap": roadmap, "slug": s.slug},
            {"title": s.title, "summary": s.summary, "order": s_index},
            reason,
        )
        for t_index, t in enumerate(s.topics):
            topics[t.slug] = _upsert(
                Topic,
                report,
                stored_topics.get(t.slug),
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


# -- Export ---------------------------------------------------------------------


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
        )
        .in_roadmap_order()
    )
    sections: dict[int, dict] = {}
    for section in Section.objects.filter(roadmap=roadmap).order_by("order", "id"):
        sections[section.pk] = {"slug": section.slug, "title": section.title}
        if section.summary:
            sections[section.pk]["summary"] = section.summary
        sections[section.pk]["topics"] = []

    used_resources: set[int] = set()
    roadmap_links = list(roadmap.resource_links.select_related("resource").order_by("order", "id"))
    for link in roadmap_links:
        used_resources.add(link.resource_id)
    for topic in topics:
        entry = {
            "slug": topic.slug,
            "title": topic.title,
            "hours": _hours_out(topic.estimated_hours),
            "summary": topic.summary,
        }
        requires = []
        edges = sorted(topic.prerequisite_links.all(), key=lambda e: e.pk)
        for edge in edges:
            if edge.prerequisite.is_archived:
                continue
            item = {"topic": edge.prerequisite.slug}
            if edge.reason:
                item["reason"] = edge.reason
            if edge.review_credit != DEFAULT_REVIEW_CREDIT:
                item["credit"] = _hours_out(edge.review_credit)  # 0 and 1 stay as written, not 0.0
            requires.append(item if len(item) > 1 else edge.prerequisite.slug)
        if requires:
            entry["requires"] = requires
        links = sorted(topic.resource_links.all(), key=lambda link: (link.order, link.pk))
        if links:
            entry["resources"] = [{"resource": link.resource.slug, "role": link.role} for link in links]
            used_resources.update(link.resource_id for link in links)
        sections[topic.section_id]["topics"].append(entry)

    resources = list(Resource.objects.filter(pk__in=used_resources).select_related("pairs_with"))
    # Paired resources travel with their partner so the file stays self-contained.
    extra = {r.pairs_with_id for r in resources if r.pairs_with_id and r.pairs_with_id not in used_resources}
    resources += list(Resource.objects.filter(pk__in=extra).select_related("pairs_with"))
    resource_entries = []
    for r in sorted(resources, key=lambda r: r.slug):
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
        resource_entries.append(entry)

    head = {"slug": roadmap.slug, "title": roadmap.title}
    if roadmap.description:
        head["description"] = roadmap.description
    if roadmap_links:
        head["resources"] = [{"resource": link.resource.slug, "role": link.role} for link in roadmap_links]
    document = {
        "roadmap": head,
        "resources": resource_entries,
        "sections": [s for s in sections.values() if s["topics"]],
    }
    return yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
