"""How every page writes a length of study and a day (roadmap/journal/stats.py)."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from roadmap.journal.stats import format_day, format_hours


@pytest.mark.parametrize(
    ("hours", "written"),
    [("4.5", "4h 30m"), ("8", "8h"), ("0.25", "15m"), ("0.1", "6m"), ("18.5", "18h 30m"), ("1.05", "1h 03m")],
)
def test_study_hours_are_written_like_a_logged_duration(hours, written):
    assert format_hours(Decimal(hours)) == written


def test_a_day_is_written_day_month_year_without_a_leading_zero():
    assert format_day(date(2025, 3, 1)) == "1 Mar 2025"
    assert format_day(datetime(2025, 12, 24, 23, 0, tzinfo=UTC)) == "24 Dec 2025"
