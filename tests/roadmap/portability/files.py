"""The export and import addresses, and what the tests compare and send."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Profile
from roadmap.models import Attempt, LogEntry, Placement, Problem, Progress, TopicCheck
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
                "topic__slug",
                "status",
                "note",
                "status_changed_at",
                "checked_at",
                "check_score",
                "review_failures",
            )
        ),
        **checking_snapshot(user),
        "log": [
            (e.date, e.minutes, e.stage, e.satisfied, e.note, sorted(t.slug for t in e.topics.all()))
            for e in LogEntry.objects.filter(learner=user).order_by("date").prefetch_related("topics")
        ],
    }


def checking_snapshot(user) -> dict:
    """The learner's answers, topic checks and placement runs, by slugs, keys and times (no ids)."""
    keys = dict(Problem.objects.values_list("pk", "key"))
    return {
        "topic_checks": [
            (c.topic.slug, [keys[pk] for pk in c.problem_ids], c.created_at, c.finished_at, c.score, c.passed)
            for c in TopicCheck.objects.filter(learner=user).select_related("topic").order_by("created_at")
        ],
        "placements": [
            (r.roadmap.slug, r.created_at, r.finished_at, r.applied_at, keys.get(r.current_id))
            for r in Placement.objects.filter(learner=user).select_related("roadmap").order_by("created_at")
        ],
        "attempts": [
            (
                a.problem.topic.slug,
                a.problem.key,
                a.answer,
                a.correct,
                a.purpose,
                a.created_at,
                a.topic_check.created_at if a.topic_check else None,
                a.placement.created_at if a.placement else None,
            )
            for a in Attempt.objects.filter(learner=user)
            .select_related("problem__topic", "topic_check", "placement")
            .order_by("created_at", "problem__key")
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


def first_difference(before, after, path: str = "$") -> str | None:
    """Where two exports first differ, as a path ("$.progress[2].review.due: … != …"), or None.

    It walks whatever the exports hold, so a field added to the export later is compared too.
    """
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(before.keys() | after.keys()):
            if key not in after or key not in before:
                return f"{path}.{key}: only in the {'first' if key in before else 'second'} export"
            if found := first_difference(before[key], after[key], f"{path}.{key}"):
                return found
        return None
    if isinstance(before, list) and isinstance(after, list):
        for index, (one, other) in enumerate(zip(before, after, strict=False)):
            if found := first_difference(one, other, f"{path}[{index}]"):
                return found
        if len(before) != len(after):
            return f"{path}: {len(before)} items != {len(after)} items"
        return None
    if type(before) is not type(after) or before != after:
        return f"{path}: {before!r} != {after!r}"
    return None


def empty_fields(export: dict) -> list[str]:
    """The fields (as "$.kind[].field" paths) that hold nothing in any record of the export.

    A round trip says little about a field no record fills: the rich account fills them all.
    """
    filled: dict[str, bool] = {}

    def walk(value, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, f"{path}.{key}")
        elif isinstance(value, list):
            for item in value:
                walk(item, f"{path}[]")
        filled[path] = filled.get(path, False) or value not in (None, "", [], {})

    walk(export, "$")
    return sorted(path for path, has_value in filled.items() if not has_value)
