"""The share text of a day's log entry (roadmap/sharing/cards.py)."""

import pytest

from roadmap.models import Satisfaction
from roadmap.sharing import cards
from tests.factories import LogEntryFactory, UserFactory


@pytest.fixture
def learner(db):
    return UserFactory(username="ada")


def test_share_text_without_stage_topics_or_day(learner):
    entry = LogEntryFactory(learner=learner, stage="", minutes=45, satisfied=Satisfaction.NOT_REALLY, note="")

    assert cards.share_text(entry, day=None) == (
        "ML progress report\nLearned for: 45m\nSatisfied? Not really"
    )


def test_share_text_can_leave_the_note_out_and_end_with_a_link(learner):
    entry = LogEntryFactory(learner=learner, minutes=90, note="  private thoughts  ")

    assert cards.share_text(entry, day=4, url="https://x.test/r", include_note=False) == (
        "ML progress report (day 4)\n"
        "Current stage: noob-level math grind\n"
        "Learned for: 1h 30m\n"
        "Satisfied? Yes\n"
        "\n"
        "https://x.test/r"
    )
    assert "\n\nprivate thoughts\n\nhttps://x.test/r" in cards.share_text(
        entry, day=4, url="https://x.test/r"
    )
