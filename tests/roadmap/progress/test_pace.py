"""The pace arithmetic: the log's weekly pace, the finish date, what a target needs, the realism rule."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from roadmap.progress import pace

TODAY = date(2026, 12, 2)  # a Wednesday


def plan_pace(**overrides) -> pace.PlanPace:
    values = {
        "today": TODAY,
        "minutes_left": 600,
        "this_week": 0,
        "logged": None,
        "chosen": None,
        "target": None,
    }
    return pace.PlanPace(**{**values, **overrides})


# -- the log's pace -----------------------------------------------------------


def test_no_log_at_all_has_no_pace():
    assert pace.logged_pace(window_minutes=0, first_logged=None, today=TODAY) is None


def test_four_full_weeks_average_over_28_days():
    # 12 hours over the last four weeks: 3 hours a week.
    assert pace.logged_pace(window_minutes=720, first_logged=date(2025, 1, 1), today=TODAY) == 180


def test_weeks_with_nothing_logged_pull_the_pace_down():
    # Four hours logged a month ago counts for nothing; two hours in the window over four weeks.
    assert pace.logged_pace(window_minutes=120, first_logged=date(2026, 10, 1), today=TODAY) == 30


def test_a_log_with_nothing_in_the_last_four_weeks_has_a_zero_pace():
    assert pace.logged_pace(window_minutes=0, first_logged=date(2026, 1, 1), today=TODAY) == 0


def test_a_log_begun_two_weeks_ago_is_averaged_over_those_two_weeks():
    started = TODAY - timedelta(days=13)
    assert pace.logged_pace(window_minutes=600, first_logged=started, today=TODAY) == 300


def test_a_log_begun_today_counts_as_a_week_not_a_day():
    # One evening's 2 hours is 2 hours a week, not 14.
    assert pace.logged_pace(window_minutes=120, first_logged=TODAY, today=TODAY) == 120


def test_the_window_is_the_28_days_ending_today_across_a_leap_day():
    today = date(2028, 3, 13)
    assert pace.window_start(today) == date(2028, 2, 15)  # 29 Feb 2028 is inside
    assert (today - pace.window_start(today)).days + 1 == pace.WINDOW_DAYS


def test_a_first_entry_after_today_in_this_time_zone_is_no_log_yet():
    assert pace.logged_pace(window_minutes=0, first_logged=TODAY + timedelta(days=1), today=TODAY) is None


def test_estimated_hours_become_whole_minutes():
    assert pace.minutes_of(Decimal("4.5")) == 270
    assert pace.minutes_of(Decimal("0.1")) == 6


# -- the finish date ----------------------------------------------------------


def test_a_week_of_work_at_its_own_pace_ends_six_days_after_today():
    assert pace.finish_date(minutes_left=300, weekly_minutes=300, today=TODAY) == date(2026, 12, 8)


def test_a_finish_rounds_up_to_a_whole_day():
    # 10 hours at 3 hours a week: 23.3 days, so the 24th day, counting today.
    assert pace.finish_date(minutes_left=600, weekly_minutes=180, today=TODAY) == TODAY + timedelta(days=23)


def test_a_goal_already_reached_finishes_today_whatever_the_pace():
    assert pace.finish_date(minutes_left=0, weekly_minutes=0, today=TODAY) == TODAY


def test_no_pace_gives_no_date():
    assert pace.finish_date(minutes_left=600, weekly_minutes=0, today=TODAY) is None


def test_a_finish_past_a_century_gives_no_date():
    assert pace.finish_date(minutes_left=600_000, weekly_minutes=1, today=TODAY) is None


def test_a_finish_across_february_of_a_leap_year():
    # 7 hours at 1 hour a week from 27 Feb 2028: 49 days, ending 15 Apr, through 29 Feb.
    assert pace.finish_date(minutes_left=420, weekly_minutes=60, today=date(2028, 2, 27)) == date(2028, 4, 15)


# -- a target date ------------------------------------------------------------


def test_a_target_today_needs_the_whole_plan_today_as_a_weekly_pace():
    assert pace.needed_pace(minutes_left=60, today=TODAY, target=TODAY) == 420


def test_a_target_a_week_away_counts_today_and_the_target_day():
    # 8 days (2 Dec to 9 Dec, both included) for 8 hours: 7 hours a week.
    assert pace.needed_pace(minutes_left=480, today=TODAY, target=date(2026, 12, 9)) == 420


def test_a_target_in_the_past_needs_no_pace_it_is_simply_missed():
    assert pace.needed_pace(minutes_left=480, today=TODAY, target=TODAY - timedelta(days=1)) is None


def test_a_goal_already_reached_needs_nothing_by_any_target():
    assert pace.needed_pace(minutes_left=0, today=TODAY, target=TODAY) == 0


# -- the realism rule ---------------------------------------------------------


@pytest.mark.parametrize(
    ("needed", "own_pace", "reason"),
    [
        (2400, None, None),  # exactly 40 hours is allowed
        (2401, None, "more than 40 hours a week, a full-time job"),
        (2401, 3000, "more than 40 hours a week, a full-time job"),
        (360, 180, None),  # exactly twice
        (361, 180, "more than twice your pace"),
        (600, None, None),  # no pace to compare with
        (600, 0, None),
    ],
)
def test_a_target_is_not_realistic_past_40_hours_or_twice_the_pace(needed, own_pace, reason):
    assert pace.unrealistic_reason(needed=needed, pace=own_pace) == reason


# -- the plan's pace, together ------------------------------------------------


def test_the_pace_set_wins_over_the_log():
    assert plan_pace(chosen=300, logged=60).weekly == 300


def test_without_a_pace_set_the_log_gives_it():
    assert plan_pace(logged=60).weekly == 60
    assert plan_pace(logged=60).finish == TODAY + timedelta(days=69)


def test_no_log_and_no_pace_gives_no_date_and_no_pretend_one():
    estimate = plan_pace()
    assert estimate.weekly is None
    assert estimate.finish is None
    assert not estimate.beyond_horizon


def test_a_zero_pace_from_the_log_gives_no_date():
    estimate = plan_pace(logged=0)
    assert estimate.weekly is None
    assert estimate.finish is None


def test_a_target_that_needs_more_than_twice_the_pace_is_flagged():
    estimate = plan_pace(logged=120, target=TODAY + timedelta(days=13))  # 600 minutes in 14 days
    assert estimate.needed == 300
    assert estimate.warning == "more than twice your pace"


def test_a_target_in_reach_is_not_flagged():
    estimate = plan_pace(chosen=300, target=TODAY + timedelta(days=13))
    assert estimate.needed == 300
    assert estimate.warning is None


def test_a_target_that_has_passed_since_it_was_set_says_so():
    estimate = plan_pace(chosen=300, target=TODAY - timedelta(days=1))
    assert estimate.target_passed
    assert estimate.needed is None
    assert estimate.warning is None


def test_the_week_starts_on_monday():
    assert plan_pace().week_start == date(2026, 11, 30)
    assert plan_pace(today=date(2026, 11, 30)).week_start == date(2026, 11, 30)
    assert plan_pace(today=date(2026, 11, 29)).week_start == date(2026, 11, 23)  # a Sunday
