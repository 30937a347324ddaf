"""Ada's whole record, for the export and import tests."""

from datetime import date

import pytest

from accounts.models import Visibility
from roadmap.models import Satisfaction, Status
from tests.factories import (
    LogEntryFactory,
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)


@pytest.fixture
def topics(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus", title="Calculus")
    return {
        slug: TopicFactory(section=calculus, slug=slug, title=title, order=order)
        for order, (slug, title) in enumerate(
            [("limits", "Limits"), ("derivatives", "Derivatives"), ("integrals", "Integrals")]
        )
    }


@pytest.fixture
def learner(topics):
    """Ada's whole record: progress with evidence notes, a goal, settings and a log."""
    user = UserFactory(username="ada", email="ada@example.com")
    ProfileFactory(
        user=user,
        display_name="Ada L.",
        visibility=Visibility.PUBLIC,
        timezone="Europe/Berlin",
        journey_start=date(2025, 2, 1),
        share_log_notes=True,
        plan_free_only=True,
        goal=topics["integrals"],
    )
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.MASTERED, note="Larson 1.2, ex 1–40")
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING, note="")
    LogEntryFactory(
        learner=user,
        date=date(2025, 3, 1),
        minutes=360,
        stage="noob-level math grind",
        satisfied=Satisfaction.YES,
        note='Hard day, "but" good,\nsecond line',
        topics=[topics["limits"], topics["derivatives"]],
    )
    LogEntryFactory(
        learner=user, date=date(2025, 3, 2), minutes=45, stage="", satisfied=Satisfaction.NOT_REALLY
    )
    return user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
