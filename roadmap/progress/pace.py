"""When a learner reaches their goal at their pace, and what pace a target date needs (pure).

Everything is in whole minutes and calendar dates. "Today" is passed in, already
in the learner's time zone, so the arithmetic (week and window boundaries, leap
days) is tested without a database or a clock.

The pace from the log is the study logged over the last four weeks (the 28 days
ending today), as minutes a week. A learner who began logging less than four
weeks ago is averaged over the days since their first entry, but never over
less than a week: a single evening's study is not a weekly habit yet.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from math import ceil

from roadmap.journal.stats import week_start

WINDOW_DAYS = 28
SHORTEST_SPAN_DAYS = 7
# A finish further away than this is no date worth printing (and a date past 9999 does not exist).
HORIZON_DAYS = 100 * 366
# A target is flagged as not realistic when it needs more than this a week (a full-time job)...
REALISTIC_MAX_WEEKLY_MINUTES = 40 * 60
# ...or more than this many times the learner's pace.
REALISTIC_PACE_FACTOR = 2


def window_start(today: date) -> date:
    """The first day of the four weeks the log's pace is taken over."""
    return today - timedelta(days=WINDOW_DAYS - 1)


def logged_pace(*, window_minutes: int, first_logged: date | None, today: date) -> int | None:
    """Minutes a week from the log over the window; None when nothing was ever logged.

    0 means a log exists but holds nothing in the last four weeks.
    """
    if first_logged is None or first_logged > today:
        return None
    span = (today - max(first_logged, window_start(today))).days + 1
    return round(window_minutes * 7 / max(span, SHORTEST_SPAN_DAYS))


def minutes_of(hours: Decimal) -> int:
    """Estimated hours (the topics' Decimal hours) as whole minutes."""
    return round(hours * 60)


def finish_date(*, minutes_left: int, weekly_minutes: int, today: date) -> date | None:
    """The day the last minute is studied at this pace, starting today; None when it never comes.

    Today counts as the first day, so what a day's share of the pace covers ends today.
    None for no pace at all, or a finish beyond HORIZON_DAYS.
    """
    if minutes_left <= 0:
        return today
    if weekly_minutes <= 0:
        return None
    days = ceil(minutes_left * 7 / weekly_minutes)
    if days > HORIZON_DAYS:
        return None
    return today + timedelta(days=days - 1)


def needed_pace(*, minutes_left: int, today: date, target: date) -> int | None:
    """Minutes a week it takes to finish by the target (today and the target day included).

    None for a target already past: no pace reaches it.
    """
    if target < today:
        return None
    days = (target - today).days + 1
    return ceil(max(minutes_left, 0) * 7 / days)


def unrealistic_reason(*, needed: int, pace: int | None) -> str | None:
    """Why a needed weekly pace is not realistic, in words; None when it is.

    The rule: more than REALISTIC_MAX_WEEKLY_MINUTES a week, or more than
    REALISTIC_PACE_FACTOR times the learner's pace (when they have one).
    """
    if needed > REALISTIC_MAX_WEEKLY_MINUTES:
        return "more than 40 hours a week, a full-time job"
    if pace and needed > REALISTIC_PACE_FACTOR * pace:
        return "more than twice your pace"
    return None


@dataclass(frozen=True)
class PlanPace:
    """The plan's time left against the learner's pace: a finish date, and what a target needs."""

    today: date
    minutes_left: int
    this_week: int  # minutes logged since Monday, today included
    logged: int | None  # minutes a week from the log; None: nothing ever logged
    chosen: int | None  # the pace the learner set; None: use the log
    target: date | None

    @property
    def weekly(self) -> int | None:
        """The pace the estimate uses: the one set, else the log's (None when that is nothing)."""
        if self.chosen:
            return self.chosen
        return self.logged or None

    @property
    def week_start(self) -> date:
        return week_start(self.today)

    @property
    def finish(self) -> date | None:
        if self.weekly is None:
            return None
        return finish_date(minutes_left=self.minutes_left, weekly_minutes=self.weekly, today=self.today)

    @property
    def beyond_horizon(self) -> bool:
        """A pace so slow that the finish is more than a century away."""
        return self.weekly is not None and self.finish is None

    @property
    def target_passed(self) -> bool:
        return self.target is not None and self.target < self.today

    @property
    def needed(self) -> int | None:
        if self.target is None:
            return None
        return needed_pace(minutes_left=self.minutes_left, today=self.today, target=self.target)

    @property
    def warning(self) -> str | None:
        needed = self.needed
        return None if needed is None else unrealistic_reason(needed=needed, pace=self.weekly)
