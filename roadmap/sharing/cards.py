"""Share cards: a day's report as text in the shape of the seed's daily posts, and where others read it.

Also the link previews of the shared pages: what a link to one shows where it
is posted (Open Graph and Twitter card tags, templates/roadmap/includes/link_preview.html).
"""

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
class LinkPreview:
    kind: str  # og:type
    title: str
    description: str
    short_description: str  # the Twitter card's: the description without its optional parts


def entry_preview(profile: Profile, entry: LogEntry, *, day: int | None) -> LinkPreview:
    learned, satisfied = f"Learned for {entry.duration}", f"Satisfied? {entry.get_satisfied_display()}"
    stage = f" · {entry.stage}" if entry.stage else ""
    return LinkPreview(
        kind="article",
        title=f"{profile.name}: ML progress report (day {day})",
        description=f"{learned}{stage} · {satisfied}",
        short_description=f"{learned} · {satisfied}",
    )


def progress_preview(profile: Profile, *, roadmap_title: str, overall, summary) -> LinkPreview:
    """The progress page's: the overall figures (`overall`, a SectionProgress) and the log's (`summary`)."""
    figures = (
        f"{overall.covered} of {overall.total} topics covered · {summary.streaks.current}-day streak"
        f" · {summary.total} studied"
    )
    goal = f" · working towards {profile.goal.title}" if profile.goal else ""
    return LinkPreview(
        kind="profile",
        title=f"{profile.name} · {overall.percent}% of {roadmap_title}",
        description=figures + goal,
        short_description=figures,
    )
