"""The status vocabulary's word for what stands behind a covered status."""

import pytest

from roadmap.progress import statuses


@pytest.mark.parametrize("value", sorted(statuses.COVERED))
def test_a_covered_status_is_checked_or_self_reported(value):
    assert statuses.evidence(value, checked=True) == "checked"
    assert statuses.evidence(value, checked=False) == "self-reported"


@pytest.mark.parametrize("value", [None, "learning", "practised"])
def test_a_status_that_is_not_covered_has_no_evidence_word(value):
    assert statuses.evidence(value, checked=True) == ""
    assert statuses.evidence(value, checked=False) == ""
