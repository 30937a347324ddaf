"""The learning log in figures: day N, streaks, totals, weekly hours and the heatmap."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Profile
from roadmap.journal import stats as log_stats
from roadmap.models import LogEntry

RECENT_ENTRIES = 10
# The hours-per-week chart's viewBox is 300 wide: dates end at x=44, bars start at
# WEEK_BAR_X and are at most WEEK_BAR_MAX long, which leaves room for a full week's "168h 00m".
WEEK_ROW = 18
WEEK_BAR_X = 48
WEEK_BAR_MAX = 180


@dataclass
class LogSummary:
    today: date
    start: date | None
    streaks: log_stats.Streaks
    total_minutes: int
    entry_count: int
    weeks: list[log_stats.WeekBar]
    heatmap: list[log_stats.HeatCell]
    recent: list[LogEntry]

    @property
    def total(self) -> str:
        return log_stats.format_minutes(self.total_minutes)

    @property
    def day_today(self) -> int | None:
        if not self.start or self.today < self.start:
            return None
        return log_stats.day_number(self.today, self.start)

    @property
    def week_max_minutes(self) -> int:
        return max((week.minutes for week in self.weeks), default=0)

    def week_chart(self) -> list[dict]:
        """Row geometry for the hours-per-week SVG: one horizontal bar a week, newest last.

        Horizontal, so every week keeps a readable date and a "3h 45m" value
        at a phone's width, where twelve columns would not leave room.
        """
        top = self.week_max_minutes or 1
        this_week = log_stats.week_start(self.today)
        rows = []
        for index, week in enumerate(self.weeks):
            # A short week still gets a sliver, so "studied a little" never looks like "not at all".
            length = round(max(WEEK_BAR_MAX * week.minutes / top, 2 if week.minutes else 0), 1)
            rows.append(
                {
                    "y": WEEK_ROW * index,
                    "x": WEEK_BAR_X,
                    "track": WEEK_BAR_MAX,
                    "length": length,
                    "value_x": round(WEEK_BAR_X + length + 4, 1),
                    "label": f"{week.start.day} {week.start:%b}",
                    "week": week,
                    "is_current": week.start == this_week,
                }
            )
        return rows

    @property
    def week_chart_height(self) -> int:
        return WEEK_ROW * len(self.weeks)

    def day_of(self, entry: LogEntry) -> int | None:
        """Day N of the journey, or None for an entry dated before the chosen day 1."""
        if not self.start or entry.date < self.start:
            return None
        return log_stats.day_number(entry.date, self.start)


def summarise(profile: Profile, *, recent: int = RECENT_ENTRIES) -> LogSummary:
    """Two queries: every entry's (date, minutes), then the recent entries with topics."""
    minutes_by_day = dict(LogEntry.objects.for_learner(profile.user).values_list("date", "minutes"))
    today = profile.today()
    start = log_stats.journey_start(profile.journey_start, min(minutes_by_day, default=None))
    entries = list(LogEntry.objects.for_learner(profile.user).recent(recent)) if minutes_by_day else []
    summary = LogSummary(
        today=today,
        start=start,
        streaks=log_stats.streaks(minutes_by_day, today=today),
        total_minutes=sum(minutes_by_day.values()),
        entry_count=len(minutes_by_day),
        weeks=log_stats.hours_per_week(minutes_by_day, today=today),
        heatmap=log_stats.heatmap(minutes_by_day, today=today),
        recent=entries,
    )
    for entry in entries:
        entry.day_number = summary.day_of(entry)
    return summary
