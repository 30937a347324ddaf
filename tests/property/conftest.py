"""The small world the fuzz tests fill forms and files against."""

import pytest

from roadmap.models import Resource
from roadmap.progress.status import set_status
from tests.factories import RoadmapFactory, SectionFactory, TopicFactory, UserFactory


@pytest.fixture
def world(db):
    roadmap = RoadmapFactory()
    section = SectionFactory(roadmap=roadmap, slug="calculus")
    limits = TopicFactory(section=section, slug="limits")
    TopicFactory(section=section, slug="derivatives")
    TopicFactory(section=section, slug="old", is_archived=True)
    Resource.objects.create(
        slug="book", title="Book", url="https://book.example/", kind="textbook", access="free"
    )
    learner = UserFactory.build(username="ada", email="ada@example.com")
    learner.set_unusable_password()
    learner.save()
    set_status(learner=learner, topic=limits, status="mastered")
    return roadmap, learner
