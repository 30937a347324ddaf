"""What the shared-page tests have in common: a frozen clock, a small roadmap and Ada, who shares."""

from unittest.mock import patch

import pytest

from accounts.models import Profile, Visibility
from roadmap.models import Topic
from tests.factories import PrerequisiteFactory, RoadmapFactory, SectionFactory, TopicFactory
from tests.roadmap.sharing.sharers import NOW, make_sharer


@pytest.fixture
def frozen_now():
    """Every "today" is Monday 10 March 2025 in UTC (modules ask for it with usefixtures)."""
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def topics(db) -> dict[str, Topic]:
    """Algebra: functions, exponents. Calculus: limits → derivatives → chain rule."""
    roadmap = RoadmapFactory()
    algebra = SectionFactory(roadmap=roadmap, slug="algebra", title="Algebra", order=0)
    calculus = SectionFactory(roadmap=roadmap, slug="calculus", title="Calculus", order=1)
    found = {
        "functions": TopicFactory(section=algebra, slug="functions", title="Functions", order=0),
        "exponents": TopicFactory(section=algebra, slug="exponents", title="Exponents", order=1),
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits", order=0),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives", order=1),
        "chain-rule": TopicFactory(section=calculus, slug="chain-rule", title="Chain rule", order=2),
    }
    PrerequisiteFactory(topic=found["limits"], prerequisite=found["functions"])
    PrerequisiteFactory(topic=found["derivatives"], prerequisite=found["limits"])
    PrerequisiteFactory(topic=found["chain-rule"], prerequisite=found["derivatives"])
    return found


@pytest.fixture
def sharer(topics) -> Profile:
    return make_sharer(topics, visibility=Visibility.PUBLIC)
