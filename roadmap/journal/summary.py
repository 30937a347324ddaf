"""The learning log in figures: day N, streaks, totals, weekly hours and the heatmap."""

from dataclasses import dataclass
from datetime import date

from accounts.models import Profile
from roadmap.journal import stats as log_stats
from roadmap.models import LogEntry

RECENT_ENTRIES = 10


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
        """Bar geometry for the hours-per-week SVG (viewBox 0 0 480 150)."""
        top = self.week_max_minutes or 1
        bars = []
        for index, week in enumerate(self.weeks):
            height = round(110 * week.minutes / top, 1)
            bars.append(
                {
                    "x": 8 + index * 39,
                    "y": round(120 - height, 1),
                    "height": height,
                    "label": f"{week.start:%d %b}",
                    "hours": f"{week.hours:.1f}".rstrip("0").rstrip("."),
                    "week": week,
                }
            )
        return bars

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
