"""The CSV exports (progress, the learning log), in cells a spreadsheet will not run.

OWASP's defence against formula injection: a cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return is read as a formula by Excel, LibreOffice
and Google Sheets (`=HYPERLINK(…)` in a log stage becomes a link that leaks
data when clicked). Such a cell gets a leading single quote, which the
spreadsheet shows as text and does not display.
"""

import csv
import io
from collections.abc import Iterable

from roadmap.models import LogEntry, Progress
from roadmap.progress import statuses

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Text that would start a formula, made literal; anything else as it is."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable) -> list:
    return [safe_cell(value) for value in values]


def export_progress_csv(user) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "roadmap",
            "topic",
            "title",
            "status",
            "note",
            "status_changed_at",
            "checked",  # "checked" (a passed check), "self-reported", or empty when not covered
            "checked_at",
            "check_score",
        ]
    )
    rows = (
        Progress.objects.filter(learner=user)
        .select_related("topic__roadmap")
        .order_by("topic__roadmap", "topic__slug")
    )
    for row in rows:
        writer.writerow(
            safe_row(
                [
                    row.topic.roadmap.slug,
                    row.topic.slug,
                    row.topic.title,
                    statuses.label(row.status),  # for people, as the pages say it; the JSON keeps the value
                    row.note,
                    row.status_changed_at.isoformat(),
                    statuses.evidence(row.status, checked=row.checked_at is not None),
                    row.checked_at.isoformat() if row.checked_at else "",
                    row.check_score,
                ]
            )
        )
    return out.getvalue()


def export_log_csv(user) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["date", "minutes", "stage", "satisfied", "topics", "note"])
    for entry in LogEntry.objects.filter(learner=user).prefetch_related("topics").order_by("date"):
        topics = " ".join(topic.slug for topic in entry.topics.all())
        writer.writerow(
            safe_row(
                [entry.date.isoformat(), entry.minutes, entry.stage, entry.satisfied, topics, entry.note]
            )
        )
    return out.getvalue()
