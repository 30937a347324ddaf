"""What the log page tests share: a frozen "now", a small roadmap and a signed-in learner.

The clock is frozen only where a module asks for it (`frozen_now`), so the
pure statistics tests beside these keep their own dates.
"""

from unittest.mock import patch

import pytest

from tests.factories import RoadmapFactory, SectionFactory, TopicFactory, UserFactory
from tests.roadmap.journal.log_pages import NOW


@pytest.fixture
def frozen_now():
    """Every "today" is 10 March 2025 in UTC."""
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def topics(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus", title="Calculus")
    return {
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits", order=0),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives", order=1),
        "retired": TopicFactory(section=calculus, slug="retired", title="Retired", is_archived=True),
    }


@pytest.fixture
def learner(topics):
    return UserFactory(username="ada")
