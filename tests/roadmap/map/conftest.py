"""The map's tests share one small roadmap and a learner on it."""

import pytest
from django.core.cache import cache

from roadmap.models import Status
from tests.factories import (
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)


@pytest.fixture
def calculus(db):
    """The current roadmap: functions (algebra) → limits → derivatives → gradient (calculus)."""
    algebra = SectionFactory(slug="algebra", title="Algebra")
    calculus = SectionFactory(slug="calculus", title="Calculus")
    exponents = TopicFactory(section=algebra, slug="exponents", title="Exponents")
    functions = TopicFactory(section=algebra, slug="functions", title="Functions")
    limits = TopicFactory(section=calculus, slug="limits", title="Limits")
    derivatives = TopicFactory(section=calculus, slug="derivatives", title="Derivatives")
    gradient = TopicFactory(section=calculus, slug="gradient", title="Gradient")
    for topic, prerequisite in [
        (functions, exponents),
        (limits, functions),
        (derivatives, limits),
        (gradient, derivatives),
    ]:
        PrerequisiteFactory(
            topic=topic, prerequisite=prerequisite, reason=f"{topic} builds on {prerequisite}"
        )
    cache.clear()
    return {t.slug: t for t in (exponents, functions, limits, derivatives, gradient)}


@pytest.fixture
def learner(calculus):
    """Exponents mastered; derivatives being learned without limits or functions; goal: gradient."""
    user = UserFactory()
    ProgressFactory(learner=user, topic=calculus["exponents"], status=Status.MASTERED)
    ProgressFactory(learner=user, topic=calculus["derivatives"], status=Status.LEARNING)
    ProfileFactory(user=user, goal=calculus["gradient"])
    return user
