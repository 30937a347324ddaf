import random
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import (
    Prerequisite,
    Progress,
    Resource,
    Roadmap,
    Role,
    Section,
    Status,
    Topic,
    TopicResource,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap
        django_get_or_create = ["slug"]

    slug = "math-for-ml"
    title = "Mathematics for Machine Learning"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    roadmap = factory.SubFactory(RoadmapFactory)
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    section = factory.SubFactory(SectionFactory)
    roadmap = factory.SelfAttribute("section.roadmap")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")
    summary = "Can explain it and solve textbook exercises alone."
    estimated_hours = Decimal("2.0")
    order = factory.Sequence(lambda n: n)


class PrerequisiteFactory(factory.django.DjangoModelFactory):
    """topic needs prerequisite."""

    class Meta:
        model = Prerequisite

    topic = factory.SubFactory(TopicFactory)
    prerequisite = factory.SubFactory(TopicFactory, section=factory.SelfAttribute("..topic.section"))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    slug = factory.Sequence(lambda n: f"resource-{n}")
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://example.com/resource/{n}")
    kind = Resource.Kind.TEXTBOOK
    access = Resource.Access.FREE


class TopicResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicResource

    topic = factory.SubFactory(TopicFactory)
    resource = factory.SubFactory(ResourceFactory)
    role = Role.PRIMARY


class ProgressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Progress

    learner = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    status = Status.LEARNING
    status_changed_at = factory.LazyFunction(timezone.now)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)


def bulk_roadmap(*, topics: int, edges: int, seed: int = 0, sections: int = 10) -> list[Topic]:
    """The current roadmap with `topics` topics and `edges` random prerequisite edges, in a few queries.

    Edges only ever make a later topic need an earlier one, so the graph stays
    acyclic without running the cycle check per edge. Every third topic gets a
    free resource and every seventh a paid one paired with it, so plans render
    resources (and their pairings) too. Returns the topics in roadmap order.
    """
    rng = random.Random(seed)
    roadmap = RoadmapFactory()
    section_rows = Section.objects.bulk_create(
        Section(roadmap=roadmap, slug=f"bulk-section-{i}", title=f"Bulk section {i}", order=i)
        for i in range(sections)
    )
    topic_rows = Topic.objects.bulk_create(
        Topic(
            roadmap=roadmap,
            section=section_rows[i * sections // topics],
            slug=f"bulk-topic-{i}",
            title=f"Bulk topic {i}",
            summary="Can solve its exercises alone.",
            estimated_hours=Decimal("1.5"),
            order=i,
        )
        for i in range(topics)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        low, high = sorted(rng.sample(range(topics), 2))
        pairs.add((high, low))
    Prerequisite.objects.bulk_create(
        Prerequisite(topic=topic_rows[high], prerequisite=topic_rows[low]) for high, low in sorted(pairs)
    )
    free = Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-free-{i}",
            title=f"Free {i}",
            url=f"https://example.com/free/{i}",
            kind=Resource.Kind.TEXTBOOK,
            access=Resource.Access.FREE,
        )
        for i in range(0, topics, 3)
    )
    paid = Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-paid-{i}",
            title=f"Paid {i}",
            url=f"https://example.com/paid/{i}",
            kind=Resource.Kind.COURSE,
            access=Resource.Access.PAID,
            pairs_with=free[i // 3],
        )
        for i in range(0, topics, 7)
    )
    TopicResource.objects.bulk_create(
        [
            *(TopicResource(topic=topic_rows[i * 3], resource=r, role=Role.PRIMARY) for i, r in enumerate(free)),
            *(
                TopicResource(topic=topic_rows[i * 7], resource=r, role=Role.SUPPLEMENTAL)
                for i, r in enumerate(paid)
            ),
        ]
    )
    return topic_rows
