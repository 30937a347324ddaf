"""The export and import addresses, and what the tests compare and send."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Profile
from roadmap.models import LogEntry, Progress
from tests import dom

EXPORT_JSON = "/settings/export.json"
EXPORT_PROGRESS = "/settings/export-progress.csv"
EXPORT_LOG = "/settings/export-log.csv"
IMPORT = "/settings/import/"


def snapshot(user) -> dict:
    """Everything import can change, in a form that compares across accounts."""
    profile = Profile.objects.for_user(user)
    return {
        "profile": (
            profile.display_name,
            profile.timezone,
            profile.journey_start,
            profile.share_log_notes,
            profile.plan_free_only,
            profile.goal.slug if profile.goal else None,
        ),
        "progress": sorted(
            Progress.objects.filter(learner=user).values_list(
                "topic__slug", "status", "note", "status_changed_at"
            )
        ),
        "log": [
            (e.date, e.minutes, e.stage, e.satisfied, e.note, sorted(t.slug for t in e.topics.all()))
            for e in LogEntry.objects.filter(learner=user).order_by("date").prefetch_related("topics")
        ],
    }


def upload(content: str | bytes, name: str = "export.json") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/json")


def import_errors(response) -> list[str]:
    return dom.field_errors(response)


def export_of(client, user) -> bytes:
    """The user's JSON export, fetched signed in as them, leaving the client signed out."""
    client.force_login(user)
    exported = client.get(EXPORT_JSON).content
    client.logout()
    return exported
