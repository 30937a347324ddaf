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
