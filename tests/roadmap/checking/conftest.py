"""Two small worlds for the checking tests.

`bank`: a small roadmap with a problem bank: products needs sums and signs; sums
needs counting. Products has six problems on three abilities, so two checks in a
row can be disjoint; the others have three each.

`topics`, `problem` and `due`: the review tests' calculus chain, with one problem
on derivatives and two mastered topics due for review.
"""

from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone

from roadmap.models import Problem, Topic
from tests.factories import (
    MasteredProgressFactory,
    PrerequisiteFactory,
    ProblemFactory,
    SectionFactory,
    TopicFactory,
)


@dataclass
class Bank:
    topics: dict[str, Topic]
    problems: dict[str, list[Problem]]

    def __getitem__(self, slug: str) -> Topic:
        return self.topics[slug]


@pytest.fixture
def bank(db) -> Bank:
    section = SectionFactory(slug="arithmetic", title="Arithmetic")
    names = ["counting", "signs", "sums", "products"]
    topics = {slug: TopicFactory(section=section, slug=slug, title=slug.title()) for slug in names}
    for topic, prerequisite in [("sums", "counting"), ("products", "sums"), ("products", "signs")]:
        PrerequisiteFactory(topic=topics[topic], prerequisite=topics[prerequisite])
    problems = {slug: ProblemFactory.create_batch(3, topic=topic) for slug, topic in topics.items()}
    problems["products"] += [
        ProblemFactory(topic=topics["products"], ability=ability, ability_text=f"{ability} a product")
        for ability in ("explain", "explain", "apply")
    ]
    return Bank(topics, problems)


# -- a review's world ---------------------------------------------------------
# Distinctive enough that finding them on a page means the key or the solution leaked.
RECALL_KEY = "4917"
RECALL_SOLUTION = "Line the units up under each other"


@pytest.fixture
def topics(db):
    """limits ← derivatives ← chain rule (each needs the one before), in the current roadmap."""
    section = SectionFactory(slug="calculus", title="Calculus")
    names = [("limits", "Limits"), ("derivatives", "Derivatives"), ("chain-rule", "Chain rule")]
    topics = {slug: TopicFactory(section=section, slug=slug, title=title) for slug, title in names}
    PrerequisiteFactory(topic=topics["derivatives"], prerequisite=topics["limits"])
    PrerequisiteFactory(topic=topics["chain-rule"], prerequisite=topics["derivatives"])
    return topics


@pytest.fixture
def problem(topics):
    """Derivatives' bank: one numeric problem, so every review of it asks this one."""
    return ProblemFactory(
        topic=topics["derivatives"],
        statement="What is $4900 + 17$?",
        answer=RECALL_KEY,
        solution=f"{RECALL_SOLUTION}: $4900 + 17 = {RECALL_KEY}$.",
        ability_text="add large numbers",
    )


@pytest.fixture
def due(learner, topics, problem):
    """Derivatives mastered 4 days ago (due two days ago), limits 10 days ago: both due."""
    return {
        "derivatives": MasteredProgressFactory(
            learner=learner, topic=topics["derivatives"], mastered_at=timezone.now() - timedelta(days=4)
        ),
        "limits": MasteredProgressFactory(
            learner=learner, topic=topics["limits"], mastered_at=timezone.now() - timedelta(days=10)
        ),
    }
