"""Figures derived from a learner's daily log: day N, streaks, hours, heatmap.

Also how every page writes a length of study ("3h 45m") and a day ("4 Mar 2025").

Pure functions over dates and minutes, so the calendar arithmetic (month and
year boundaries, leap days) is tested without a database. "Today" is always
passed in, already converted to the learner's time zone.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


def day_number(day: date, start: date) -> int:
    """Day 1 is the start date itself."""
    return (day - start).days + 1


def journey_start(chosen: date | None, first_entry: date | None) -> date | None:
    return chosen or first_entry


@dataclass(frozen=True)
class Streaks:
    current: int
    longest: int


def streaks(days: Iterable[date], *, today: date) -> Streaks:
    """Consecutive days with an entry.

    The current streak ends today, or yesterday when today has no entry yet:
    a streak is not broken until a whole day passes without study.
    """
    ordered = sorted(set(days))
    longest = run = 0
    previous = None
    for day in ordered:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    present = set(ordered)
    cursor = today if today in present else today - timedelta(days=1)
    current = 0
    while cursor in present:
        current += 1
        cursor -= timedelta(days=1)
    return Streaks(current=current, longest=longest)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class WeekBar:
    start: date
    minutes: int

    @property
    def duration(self) -> str:
        return format_minutes(self.minutes)


def hours_per_week(minutes_by_day: Mapping[date, int], *, today: date, weeks: int = 12) -> list[WeekBar]:
    """Minutes per ISO week (Monday first), oldest first, ending with this week."""
    this_week = week_start(today)
    starts = [this_week - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    totals = dict.fromkeys(starts, 0)
    for day, minutes in minutes_by_day.items():
        start = week_start(day)
        if start in totals:
            totals[start] += minutes
    return [WeekBar(start, totals[start]) for start in starts]


@dataclass(frozen=True)
class HeatCell:
    day: date
    minutes: int
    level: int  # 0 (none) to 4
    column: int  # week index, oldest first
    row: int  # 0 = Monday

    @property
    def duration(self) -> str:
        return format_minutes(self.minutes)


HEAT_THRESHOLDS = (60, 120, 240)  # minutes: <1h, 1–2h, 2–4h, 4h+


def heat_level(minutes: int) -> int:
    if minutes <= 0:
        return 0
    return 1 + sum(minutes >= threshold for threshold in HEAT_THRESHOLDS)


def heatmap(minutes_by_day: Mapping[date, int], *, today: date, weeks: int = 53) -> list[HeatCell]:
    """A year of days laid out like GitHub's: a column per week, Monday on top."""
    first = week_start(today) - timedelta(weeks=weeks - 1)
    cells = []
    day = first
    while day <= today:
        minutes = minutes_by_day.get(day, 0)
        offset = (day - first).days
        cells.append(HeatCell(day, minutes, heat_level(minutes), offset // 7, offset % 7))
        day += timedelta(days=1)
    return cells


def format_minutes(minutes: int) -> str:
    """How the site says a length of study: "3h 45m", "2h", "20m"."""
    hours, rest = divmod(minutes, 60)
    if hours and rest:
        return f"{hours}h {rest:02d}m"
    return f"{hours}h" if hours else f"{rest}m"


def format_hours(hours: Decimal) -> str:
    """Hours of study as format_minutes writes them: 4.5 → "4h 30m", 8 → "8h", 0.25 → "15m"."""
    return format_minutes(round(hours * 60))


def format_day(day: date) -> str:
    """A day as every page writes one, "4 Mar 2025" (the templates' |date:"j M Y")."""
    return f"{day.day} {day:%b %Y}"
