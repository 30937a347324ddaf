"""A small roadmap with a problem bank: products needs sums and signs; sums needs counting.

Products has six problems on three abilities, so two checks in a row can be
disjoint; the others have three each.
"""

from dataclasses import dataclass

import pytest

from roadmap.models import Problem, Topic
from tests.factories import PrerequisiteFactory, ProblemFactory, SectionFactory, TopicFactory, UserFactory


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


@pytest.fixture
def learner(db):
    return UserFactory()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client
