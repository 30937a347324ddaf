"""Share cards: a day's report as text in the shape of the seed's daily posts, and where others read it."""

from dataclasses import dataclass

from django.urls import reverse

from accounts.models import Profile, Visibility
from roadmap.models import LogEntry


def share_url(profile: Profile, entry: LogEntry) -> str | None:
    """Where others can read this entry, or None while the page is private."""
    day = entry.date.isoformat()
    if profile.visibility == Visibility.PUBLIC:
        return reverse("public_log_entry", args=[profile.user.get_username(), day])
    if profile.visibility == Visibility.UNLISTED:
        return reverse("unlisted_log_entry", args=[profile.share_token, day])
    return None


def share_text(entry: LogEntry, *, day: int | None, url: str = "", include_note: bool = True) -> str:
    """The day-N report as plain text, in the shape of the seed's daily posts."""
    lines = [f"ML progress report (day {day})" if day else "ML progress report"]
    if entry.stage:
        lines.append(f"Current stage: {entry.stage}")
    lines.append(f"Learned for: {entry.duration}")
    lines.append(f"Satisfied? {entry.get_satisfied_display()}")
    topics = [topic.title for topic in entry.topics.all()]
    if topics:
        lines.append(f"Studied: {', '.join(topics)}")
    if include_note and entry.note.strip():
        lines += ["", entry.note.strip()]
    if url:
        lines += ["", url]
    return "\n".join(lines)


@dataclass(frozen=True)
class Unfurl:
    """What a shared link shows when pasted into a social site or a chat (Open Graph, Twitter)."""

    kind: str  # og:type
    title: str
    description: str
    short_description: str  # Twitter's card has less room


def progress_unfurl(profile: Profile, overall, summary, roadmap_title: str) -> Unfurl:
    """A progress page: how much is covered (and proven by a check), the streak, the hours, and the goal."""
    covered = f"{overall.covered} of {overall.total} topics covered ({overall.checked} checked)"
    figures = f"{covered} · {summary.streaks.current}-day streak · {summary.total} studied"
    goal = f" · working towards {profile.goal.title}" if profile.goal else ""
    title = f"{profile.name} · {overall.percent}% of {roadmap_title}"
    return Unfurl("profile", title, figures + goal, figures)


def journey_line(summary) -> str:
    """The progress card's day-N line: how far into the journey, the streak and the hours."""
    parts = [f"Day {summary.day_today} of the journey"] if summary.day_today else []
    if summary.streaks.current:
        parts.append(f"{summary.streaks.current}-day streak")
    if summary.total_minutes:
        parts.append(f"{summary.total} studied")
    return " · ".join(parts) or "Just starting out"


def report_line(entry: LogEntry, *, day: int | None) -> str:
    """A report card's day-N line, as the report's title and first figures read."""
    title = f"ML progress report (day {day})" if day else "ML progress report"
    return f"{title} · learned for {entry.duration}"


def report_unfurl(profile: Profile, entry: LogEntry, *, day: int | None) -> Unfurl:
    """One day's report, in the shape of the seed's daily posts."""
    stage = f" · {entry.stage}" if entry.stage else ""
    satisfied = f"Satisfied? {entry.get_satisfied_display()}"
    return Unfurl(
        "article",
        f"{profile.name}: ML progress report (day {day})",
        f"Learned for {entry.duration}{stage} · {satisfied}",
        f"Learned for {entry.duration} · {satisfied}",
    )
