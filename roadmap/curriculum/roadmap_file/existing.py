"""What the database already holds of a roadmap, read once per import: one query per model.

apply.py looks every row up here rather than asking the database row by row,
and keeps these dicts current as it writes (a created row is added, a renamed
topic moves to its new slug). So what an import reads costs the same however
long the file is, and a re-import of an unchanged file is a dozen SELECTs.

Each topic shares the section rows read here (`topic.section`), so the order a
section takes during the import shows in its topics' roadmap order at once, as
it would in a query made then.
"""

from dataclasses import dataclass, field

from roadmap.models import (
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Resource,
    Roadmap,
    RoadmapResource,
    Section,
    Topic,
    TopicNeed,
    TopicResource,
)


@dataclass
class Existing:
    roadmaps: dict[str, Roadmap]  # the file's roadmap, by slug, if it exists
    resources: dict[str, Resource]  # every resource (roadmaps share them), by slug
    sections: dict[str, Section] = field(default_factory=dict)  # the roadmap's, by slug
    topics: dict[str, Topic] = field(default_factory=dict)  # the roadmap's, archived included, by slug
    # The roadmap's edges by (topic id, prerequisite id), and every topic they name by id.
    prerequisites: dict[tuple[int, int], Prerequisite] = field(default_factory=dict)
    edge_topics: dict[int, Topic] = field(default_factory=dict)
    # Links by owner id, then by what they link to; each owner's in (order, id) order.
    topic_resources: dict[int, dict[int, TopicResource]] = field(default_factory=dict)  # by resource id
    topic_needs: dict[int, dict[int, TopicNeed]] = field(default_factory=dict)  # by needed topic id
    roadmap_resources: dict[int, dict[int, RoadmapResource]] = field(default_factory=dict)
    practice_tasks: dict[int, dict[str, PracticeTask]] = field(default_factory=dict)  # by section, slug
    practice_exercises: dict[int, dict[int, PracticeExercise]] = field(default_factory=dict)  # by topic id

    @classmethod
    def read(cls, slug: str) -> "Existing":
        roadmap = Roadmap.objects.filter(slug=slug).first()
        existing = cls(
            roadmaps={slug: roadmap} if roadmap else {},
            resources={r.slug: r for r in Resource.objects.all()},
        )
        if roadmap is not None:  # a roadmap this import creates has nothing else yet
            existing._read_roadmap(roadmap)
        return existing

    def _read_roadmap(self, roadmap: Roadmap) -> None:
        self.sections = {s.slug: s for s in Section.objects.filter(roadmap=roadmap).order_by("order", "pk")}
        self._read_topics(roadmap)
        self.prerequisites = {
            (edge.topic_id, edge.prerequisite_id): edge
            for edge in Prerequisite.objects.filter(topic__roadmap=roadmap).order_by("pk")
        }
        self.edge_topics = {topic.pk: topic for topic in self.topics.values()}
        foreign = {key[1] for key in self.prerequisites} - self.edge_topics.keys()
        if foreign:  # an edge into another roadmap: refused by Prerequisite.clean, never imported
            self.edge_topics |= Topic.objects.select_related("section").in_bulk(foreign)
        self.topic_resources = _by_owner(
            TopicResource.objects.filter(topic__roadmap=roadmap), "topic_id", "resource_id"
        )
        self.topic_needs = _by_owner(
            TopicNeed.objects.filter(topic__roadmap=roadmap), "topic_id", "needed_id"
        )
        self.roadmap_resources = _by_owner(
            RoadmapResource.objects.filter(roadmap=roadmap), "roadmap_id", "resource_id"
        )
        self.practice_tasks = _by_owner(
            PracticeTask.objects.filter(section__roadmap=roadmap), "section_id", "slug"
        )
        self.practice_exercises = _by_owner(
            PracticeExercise.objects.filter(task__section__roadmap=roadmap), "task_id", "topic_id"
        )

    def _read_topics(self, roadmap: Roadmap) -> None:
        topics = list(Topic.objects.filter(roadmap=roadmap).order_by("pk"))
        sections = {section.pk: section for section in self.sections.values()}
        foreign = {topic.section_id for topic in topics} - sections.keys()
        if foreign:  # a topic in another roadmap's section: refused by Topic.clean, never imported
            sections |= Section.objects.in_bulk(foreign)
        for topic in topics:
            topic.section = sections[topic.section_id]
        self.topics = {topic.slug: topic for topic in topics}


def _by_owner(links, owner: str, key: str) -> dict:
    """{owner id: {key: row}}, each owner's rows in (order, id) order, as their Meta ordering has them."""
    grouped: dict = {}
    for link in links.order_by("order", "pk"):
        grouped.setdefault(getattr(link, owner), {})[getattr(link, key)] = link
    return grouped
