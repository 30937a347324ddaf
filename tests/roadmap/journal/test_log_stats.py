"""Figures derived from the learning log: pure calendar arithmetic, no database."""

from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest

from accounts.models import Profile
from roadmap.journal.stats import (
    Streaks,
    day_number,
    format_minutes,
    heat_level,
    heatmap,
    hours_per_week,
    journey_start,
    streaks,
    week_start,
)


def run(first: date, last: date) -> list[date]:
    """Every day from first to last, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


# -- Day N ----------------------------------------------------------------------------------------


def test_day_one_is_the_start_date_itself():
    assert day_number(date(2025, 3, 1), date(2025, 3, 1)) == 1
    assert day_number(date(2025, 3, 2), date(2025, 3, 1)) == 2


def test_day_number_counts_across_a_year_and_a_leap_day():
    assert day_number(date(2025, 1, 1), date(2024, 12, 31)) == 2
    assert day_number(date(2024, 3, 1), date(2024, 2, 28)) == 3  # 28 Feb, 29 Feb, 1 Mar
    assert day_number(date(2025, 3, 1), date(2025, 2, 28)) == 2
    assert day_number(date(2025, 12, 31), date(2025, 1, 1)) == 365


def test_journey_starts_at_the_chosen_date_or_else_the_first_entry():
    assert journey_start(date(2025, 1, 10), date(2025, 2, 1)) == date(2025, 1, 10)
    assert journey_start(None, date(2025, 2, 1)) == date(2025, 2, 1)
    assert journey_start(None, None) is None


# -- Streaks --------------------------------------------------------------------------------------


def test_no_entries_means_no_streaks():
    assert streaks([], today=date(2025, 6, 1)) == Streaks(current=0, longest=0)


def test_a_streak_runs_across_the_new_year():
    days = run(date(2024, 12, 30), date(2025, 1, 2))

    assert streaks(days, today=date(2025, 1, 2)) == Streaks(current=4, longest=4)


def test_a_streak_runs_across_the_end_of_a_month():
    days = run(date(2025, 4, 29), date(2025, 5, 2))

    assert streaks(days, today=date(2025, 5, 2)) == Streaks(current=4, longest=4)


def test_28_february_to_1_march_is_consecutive_in_a_common_year():
    days = [date(2025, 2, 28), date(2025, 3, 1)]

    assert streaks(days, today=date(2025, 3, 1)) == Streaks(current=2, longest=2)


def test_28_february_to_1_march_skips_the_leap_day_in_a_leap_year():
    without_leap_day = [date(2024, 2, 28), date(2024, 3, 1)]
    with_leap_day = [date(2024, 2, 28), date(2024, 2, 29), date(2024, 3, 1)]

    assert streaks(without_leap_day, today=date(2024, 3, 1)) == Streaks(current=1, longest=1)
    assert streaks(with_leap_day, today=date(2024, 3, 1)) == Streaks(current=3, longest=3)


def test_the_current_streak_is_alive_when_only_today_is_missing():
    days = run(date(2025, 5, 1), date(2025, 5, 5))

    assert streaks(days, today=date(2025, 5, 6)) == Streaks(current=5, longest=5)


def test_the_current_streak_is_broken_after_a_whole_missed_day():
    days = run(date(2025, 5, 1), date(2025, 5, 5))

    assert streaks(days, today=date(2025, 5, 7)) == Streaks(current=0, longest=5)


def test_the_longest_streak_outlives_a_shorter_current_one():
    days = [*run(date(2025, 1, 1), date(2025, 1, 7)), *run(date(2025, 1, 10), date(2025, 1, 12))]

    assert streaks(days, today=date(2025, 1, 12)) == Streaks(current=3, longest=7)


def test_duplicate_and_unordered_days_count_once():
    days = [date(2025, 1, 3), date(2025, 1, 1), date(2025, 1, 2), date(2025, 1, 2)]

    assert streaks(days, today=date(2025, 1, 3)) == Streaks(current=3, longest=3)


# -- Time zones -----------------------------------------------------------------------------------

# 11:30 UTC on 10 March is already 01:30 on 11 March at UTC+14, still 04:30 on 10 March in
# California and 00:30 on 10 March at UTC-11.
UTC_MORNING = datetime(2025, 3, 10, 11, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "today"),
    [
        ("UTC", date(2025, 3, 10)),
        ("Pacific/Kiritimati", date(2025, 3, 11)),
        ("America/Los_Angeles", date(2025, 3, 10)),
        ("Pacific/Pago_Pago", date(2025, 3, 10)),
    ],
)
def test_today_is_the_date_in_the_learners_time_zone(zone, today):
    with patch("django.utils.timezone.now", return_value=UTC_MORNING):
        assert Profile(timezone=zone).today() == today


def test_late_evening_in_california_is_already_tomorrow_in_utc():
    late = datetime(2025, 3, 11, 5, 0, tzinfo=UTC)  # 22:00 on 10 March in Los Angeles (PDT)

    with patch("django.utils.timezone.now", return_value=late):
        assert Profile(timezone="America/Los_Angeles").today() == date(2025, 3, 10)
        assert Profile(timezone="UTC").today() == date(2025, 3, 11)


def test_a_streak_is_current_by_the_learners_today_not_utcs():
    # Logged 9 and 10 March in Kiritimati; it is 11 March there, still 10 March in UTC.
    days = [date(2025, 3, 9), date(2025, 3, 10)]
    with patch("django.utils.timezone.now", return_value=UTC_MORNING):
        kiritimati = Profile(timezone="Pacific/Kiritimati").today()

    assert streaks(days, today=kiritimati) == Streaks(current=2, longest=2)
    # Two days on in Kiritimati (a whole day missed there) the streak is over,
    # although only one UTC day has passed since the last entry.
    assert streaks(days, today=kiritimati + timedelta(days=1)) == Streaks(current=0, longest=2)


# -- Hours ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "shown"),
    [(360, "6h"), (90, "1h 30m"), (65, "1h 05m"), (45, "45m"), (1440, "24h"), (0, "0m")],
)
def test_minutes_are_shown_as_hours_and_minutes(minutes, shown):
    assert format_minutes(minutes) == shown


def test_weeks_start_on_monday():
    assert week_start(date(2025, 1, 5)) == date(2024, 12, 30)  # Sunday → previous Monday
    assert week_start(date(2024, 12, 30)) == date(2024, 12, 30)  # Monday stays
    assert week_start(date(2025, 1, 1)) == date(2024, 12, 30)  # Wednesday of the same week


def test_hours_per_week_splits_sunday_from_monday_across_the_new_year():
    minutes = {
        date(2024, 12, 29): 30,  # Sunday: the week of 23 Dec
        date(2024, 12, 30): 60,  # Monday: the week of 30 Dec…
        date(2025, 1, 1): 45,
        date(2025, 1, 5): 15,  # …up to and including Sunday 5 Jan
    }

    weeks = hours_per_week(minutes, today=date(2025, 1, 5), weeks=3)

    assert [(week.start, week.minutes) for week in weeks] == [
        (date(2024, 12, 16), 0),
        (date(2024, 12, 23), 30),
        (date(2024, 12, 30), 120),
    ]
    assert weeks[-1].duration == "2h"


def test_hours_per_week_shows_twelve_weeks_ending_this_week_and_drops_older_days():
    today = date(2025, 6, 4)  # Wednesday
    minutes = {today: 60, week_start(today) - timedelta(weeks=11): 30, date(2025, 1, 1): 600}

    weeks = hours_per_week(minutes, today=today)

    assert len(weeks) == 12
    assert weeks[0].start == date(2025, 3, 17)
    assert weeks[-1].start == date(2025, 6, 2)
    assert all(week.start.weekday() == 0 for week in weeks)
    assert weeks[0].minutes == 30
    assert weeks[-1].minutes == 60
    assert sum(week.minutes for week in weeks) == 90  # 1 January is older than twelve weeks


# -- Heatmap --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "level"),
    [(0, 0), (1, 1), (59, 1), (60, 2), (119, 2), (120, 3), (239, 3), (240, 4), (1440, 4)],
)
def test_heat_levels_follow_the_hour_thresholds(minutes, level):
    assert heat_level(minutes) == level


@pytest.mark.parametrize("today", [date(2025, 1, 1), date(2025, 3, 2), date(2024, 12, 30), date(2024, 2, 29)])
def test_heatmap_has_53_week_columns_with_monday_on_top(today):
    cells = heatmap({}, today=today)

    assert sorted({cell.column for cell in cells}) == list(range(53))
    assert cells[0].day.weekday() == 0
    assert cells[-1].day == today
    assert len(cells) == 52 * 7 + today.weekday() + 1
    for cell in cells:
        assert cell.row == cell.day.weekday()
        assert cell.column == (cell.day - cells[0].day).days // 7
    # Every day appears once, in order, with nothing missing.
    assert [cell.day for cell in cells] == run(cells[0].day, today)


def test_heatmap_cells_carry_the_days_minutes_and_level():
    today = date(2025, 1, 2)  # Thursday
    minutes = {date(2024, 12, 30): 30, date(2025, 1, 1): 150, today: 300, date(2023, 1, 1): 600}

    cells = {cell.day: cell for cell in heatmap(minutes, today=today)}

    assert (cells[date(2024, 12, 30)].level, cells[date(2024, 12, 30)].row) == (1, 0)
    assert (cells[date(2025, 1, 1)].minutes, cells[date(2025, 1, 1)].level) == (150, 3)
    assert (cells[today].level, cells[today].column, cells[today].row) == (4, 52, 3)
    assert cells[date(2024, 12, 31)].level == 0
    assert date(2023, 1, 1) not in cells  # older than a year
