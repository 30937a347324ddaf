"""The status-change world the dashboard's status tests share: limits → derivatives, and a learner."""

from decimal import Decimal

import pytest

from tests.factories import PrerequisiteFactory, SectionFactory, TopicFactory


@pytest.fixture
def topics(db):
    """The current roadmap: limits → derivatives, in a Calculus section."""
    calculus = SectionFactory(slug="calculus", title="Calculus")
    limits = TopicFactory(section=calculus, slug="limits", title="Limits", estimated_hours=Decimal(4))
    derivatives = TopicFactory(section=calculus, slug="derivatives", title="Derivatives")
    PrerequisiteFactory(topic=derivatives, prerequisite=limits)
    return {"limits": limits, "derivatives": derivatives}
