"""Reading a roadmap file: YAML with line numbers, validated as a whole.

`parse()` checks every key, value and reference of a file and reports every
problem with its line at once (RoadmapFileError), so a curator fixes a file in
one round; what it returns is plain data (RoadmapData), which only `apply()`
writes to the database.
"""

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import yaml
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from roadmap.curriculum.graph import find_cycle
from roadmap.curriculum.roadmap_file.reader import LineLoader, Reader
from roadmap.models import DEFAULT_REVIEW_CREDIT, Resource, Role

MAX_HOURS = Decimal("9999.9")


class RoadmapFileError(Exception):
    """The file was refused as a whole; `errors` are "line N: message" strings."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


# -- The parsed file ----------------------------------------------------------


@dataclass
class ResourceLinkData:
    resource: str
    role: str
    practice: str = ""  # what to work in it, when it is something to practise with


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
    goal: str = ""
    needs: list[tuple[str, int]] = field(default_factory=list)  # (slug, line)
    was: list[tuple[str, int]] = field(default_factory=list)  # old slugs: a rename
    replaces: list[tuple[str, int]] = field(default_factory=list)  # split from or merged: progress is copied
    line: int = 0


@dataclass
class PracticeTaskData:
    slug: str
    title: str
    data: str
    task: str
    exercises: list[tuple[str, int]]  # (topic slug, line)
    line: int


@dataclass
class SectionData:
    slug: str
    title: str
    summary: str
    topics: list[TopicData] = field(default_factory=list)
    practice: list[PracticeTaskData] = field(default_factory=list)


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


class _Reader(Reader):
    """The shared checks, plus a resource link (which needs this module's data)."""

    def resource_links(self, owner, what: str, *, practice: bool = False) -> list[ResourceLinkData]:
        """The `resources:` of a topic (which may say what to practise) or of the roadmap (which may not)."""
        links = []
        optional = {"practice"} if practice else set()
        for item in self.items(owner, "resources", f"resources of {what}"):
            line = getattr(item, "line", owner.line)
            if not self.mapping(item, line, f"a resource link of {what}", {"resource", "role"}, optional):
                continue
            links.append(
                ResourceLinkData(
                    self.slug(item, "resource"),
                    self.choice(item, "role", Role),
                    self.text(item, "practice", required=False, max_length=300),
                )
            )
            links[-1].line = line
        return links


def parse(text: str) -> RoadmapData:
    """Validate a whole roadmap file; raise RoadmapFileError listing every problem."""
    try:
        raw = yaml.load(text, Loader=LineLoader)
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
        raw = reader.mapping(item, line, "a section", {"slug", "title", "topics"}, {"summary", "practice"})
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
        section.practice = _read_practice(reader, raw, section.slug)
        data.sections.append(section)


def _read_practice(reader: _Reader, raw, section_slug: str) -> list[PracticeTaskData]:
    tasks: list[PracticeTaskData] = []
    seen: dict[str, int] = {}
    for item in reader.items(raw, "practice", f"practice of section {section_slug!r}"):
        line = getattr(item, "line", raw.line)
        task = reader.mapping(
            item,
            line,
            f"a practice task of {section_slug!r}",
            {"slug", "title", "task", "exercises"},
            {"data"},
        )
        if task is None:
            continue
        slug = reader.slug(task, "slug")
        if slug in seen:
            reader.error(line, f"practice task {slug!r} is defined twice (first on line {seen[slug]}).")
        seen[slug] = line
        exercises = reader.slugs(task, "exercises", f"exercises of practice task {slug!r}")
        if not exercises and "exercises" in task:
            reader.error(task.key_lines["exercises"], f"practice task {slug!r} exercises no topic.")
        tasks.append(
            PracticeTaskData(
                slug=slug,
                title=reader.text(task, "title", max_length=200),
                data=reader.text(task, "data", required=False, max_length=300),
                task=reader.text(task, "task"),
                exercises=exercises,
                line=line,
            )
        )
    return tasks


def _read_topic(reader: _Reader, item, line: int, topic_lines: dict[str, int]) -> TopicData | None:
    raw = reader.mapping(
        item,
        line,
        "a topic",
        {"slug", "title", "summary", "hours"},
        {"requires", "resources", "goal", "needs", "was", "replaces"},
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
        goal=reader.text(raw, "goal", required=False),
        needs=reader.slugs(raw, "needs", f"needs of {slug!r}"),
        was=reader.slugs(raw, "was", f"was of {slug!r}"),
        replaces=reader.slugs(raw, "replaces", f"replaces of {slug!r}"),
        line=line,
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
    topic.resources = reader.resource_links(raw, f"topic {slug!r}", practice=True)
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

    _check_topic_keys(reader, data, topics)
    cycle = find_cycle(needs)
    if cycle:
        named = " → ".join(f"{slug} ({topics[slug].title})" for slug in cycle)
        reader.error(
            edge_lines[(cycle[0], cycle[1])],
            f"prerequisites form a cycle: {named}. Each arrow reads 'needs'; remove one of these edges.",
        )


def _check_topic_keys(reader: _Reader, data: RoadmapData, topics: dict[str, TopicData]) -> None:
    """needs, was, replaces and practice tasks name topics the way the importer can act on."""
    claimed: dict[str, str] = {}
    for topic in topics.values():
        for needed, line in topic.needs:
            if needed == topic.slug:
                reader.error(line, f"topic {topic.slug!r} cannot need itself.")
            elif needed not in topics:
                reader.error(line, f"topic {topic.slug!r} needs unknown topic {needed!r}.")
        for old, line in topic.was:
            if old in topics:
                # Renaming a slug that is still a topic would move its learners' progress away from it.
                reader.error(
                    line, f"topic {topic.slug!r} was {old!r}, but {old!r} is still a topic of the file."
                )
            elif old in claimed:
                reader.error(
                    line,
                    f"{old!r} is claimed by two topics as their old slug: {claimed[old]!r} and {topic.slug!r}.",
                )
            claimed.setdefault(old, topic.slug)
        for old, line in topic.replaces:
            if old == topic.slug:
                reader.error(line, f"topic {topic.slug!r} cannot replace itself.")
    for section in data.sections:
        for task in section.practice:
            for slug, line in task.exercises:
                if slug not in topics:
                    reader.error(line, f"practice task {task.slug!r} exercises unknown topic {slug!r}.")
