"""The dashboard's Next up panel: only topics on covered ground, never a gap as well.

The rule itself (analysis.next_up_ids) is pinned on hand-built graphs in test_gaps.py
and on random ones in tests/property/; these check what the page says, on the
shipped roadmap where the rule once went wrong.
"""

import pytest

from roadmap.models import Status
from roadmap.progress.status import set_status
from tests import dom
from tests.factories import PrerequisiteFactory, ProgressFactory, SectionFactory, TopicFactory, UserFactory

DASHBOARD = "/dashboard/"

# Limits needs functions and polynomials-and-factoring; these need the algebra below them.
LIMITS_BELOW = [
    "arithmetic-and-fractions",
    "algebraic-expressions",
    "linear-equations",
    "exponents-and-radicals",
]


def panels(client) -> tuple[set[str], list[str], str]:
    """The gaps and next-up topics (all of them) and what the next-up panel says."""
    html = client.get(DASHBOARD, {"all": "1"}).content.decode()
    gaps = set(dom.id_suffixes(html, "gap-"))
    return gaps, dom.id_suffixes(html, "next-"), dom.text(dom.by_id(html, "next-up"))


def learner_with(roadmap, **statuses):
    topics = {topic.slug: topic for topic in roadmap.topics.all()}
    learner = UserFactory()
    for status, slugs in statuses.items():
        for slug in slugs:
            ProgressFactory(learner=learner, topic=topics[slug], status=status)
    return learner


@pytest.mark.parametrize(
    ("mastered", "gaps"),
    [
        (["functions"], {"arithmetic-and-fractions", "algebraic-expressions", "linear-equations"}),
        (["functions", "polynomials-and-factoring"], set(LIMITS_BELOW)),
    ],
)
def test_on_the_curated_roadmap_next_up_offers_nothing_built_on_a_gap(client, seeded_roadmap, mastered, gaps):
    # Once, mastering what Limits needs offered Limits while what *that* needs was
    # listed under Gaps (and mastering Functions alone offered Trigonometry).
    client.force_login(learner_with(seeded_roadmap, mastered=mastered))

    found_gaps, next_up, says = panels(client)

    assert found_gaps == gaps
    # Arithmetic, the one topic that needs nothing, is a gap: everything else rests on it.
    assert next_up == []
    assert "everything left builds on a gap" in says


def test_on_the_curated_roadmap_limits_is_next_up_once_everything_below_it_is_covered(client, seeded_roadmap):
    learner = learner_with(
        seeded_roadmap, mastered=["functions", "polynomials-and-factoring"], skipped=LIMITS_BELOW
    )
    client.force_login(learner)

    found_gaps, next_up, _ = panels(client)

    assert found_gaps == set()
    assert "limits" in next_up


def test_an_empty_next_up_says_whether_the_gaps_or_nothing_at_all_is_left(client, db):
    section = SectionFactory()
    basics, advanced = TopicFactory(section=section), TopicFactory(section=section)
    PrerequisiteFactory(topic=advanced, prerequisite=basics)
    learner = UserFactory()
    client.force_login(learner)
    set_status(learner=learner, topic=advanced, status=Status.LEARNING)

    gaps, next_up, says = panels(client)
    assert (gaps, next_up) == ({basics.slug}, [])
    assert "everything left builds on a gap" in says

    set_status(learner=learner, topic=basics, status=Status.SKIPPED)
    set_status(learner=learner, topic=advanced, status=Status.SKIPPED)

    assert "you've covered the whole roadmap" in panels(client)[2]
