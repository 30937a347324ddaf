"""A learner's whole export (JSON) and its import, validated as a whole and idempotent.

The JSON is keyed by slugs and dates, never database ids, so it moves between
instances that import the same roadmap file. Each kind of record is written
and read by the module named for it; this one puts them together, checks the
file's shape first, and restores everything in one transaction or nothing.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.portability import check_record, community, log, practice, profile, progress
from roadmap.portability.values import topics_named

FORMAT = "mathpath-export"
# Version 2 added review schedules, resource ratings and suggestions, and each
# progress record's created_at. What versions add is optional on import, so a
# version 1 file still reads (see progress.py for its mastered topics). The
# number is raised so that a site older than the format refuses a file it would
# otherwise import only in part, dropping what it does not know.
VERSION = 2
READS = (1, 2)


CHANGED_WHILE_IMPORTING = (
    "Someone suggested one of this file's links for review while it was importing, so nothing was "
    "imported. Import the file again: that suggestion will be left out, with a note saying why."
)


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def export_data(user) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": profile.export_profile(user),
        "progress": progress.export_progress(user),
        "log": log.export_log(user),
        "practice_done": practice.export_practice(user),
        # Every answer to a check problem, and the topic checks and placement runs they belong to.
        **check_record.export_record(user),
        **community.export_community(user),
    }


def import_data(user, payload) -> dict[str, int]:
    """Restore an export onto this account; running it twice changes nothing more.

    Everything is validated first and the whole file is refused on any error.
    Only the importing account's rows are written: nothing in the file names a row by id.
    """
    _check_shape(payload)
    errors: list[str] = []
    profile_data = payload.get("profile") or {}
    items = {name: payload.get(name) or [] for name in ("progress", "log", "practice_done")}
    topics = topics_named(
        progress.topic_keys(items["progress"])
        | log.topic_keys(items["log"])
        | profile.goal_keys(profile_data)
        | community.topic_keys(payload),
        errors,
    )
    progress_rows = progress.read_progress(items["progress"], topics, errors)
    today = profile.today_for(user, profile_data)
    log_rows = log.read_log(items["log"], topics, errors, today)
    practice_rows = practice.read_practice(items["practice_done"], errors)
    record = check_record.read_record(payload, errors)
    shared = community.read_community(user, payload, topics, errors)
    profile.check_profile(profile_data, errors, today)
    if errors:
        raise ImportRefused(errors)

    with transaction.atomic():
        # The learner's lock, as every progress writer takes it first; it also marks their pages changed.
        Profile.objects.lock_learner(user.pk)
        profile.restore_profile(user, profile_data, topics)
        progress.restore_progress(user, progress_rows, now=timezone.now())
        log.restore_log(user, log_rows)
        practice.restore_practice(user, practice_rows)
        new_answers = check_record.restore_record(user, record)
        try:
            with transaction.atomic():
                community.restore_community(user, shared)
        except IntegrityError as error:
            # The file was checked against the site as it was read. Since then another
            # learner can have sent one of its waiting links for review (one pending
            # suggestion per link), which no lock of this learner's prevents. Refused, the
            # whole import rolls back.
            raise ImportRefused([CHANGED_WHILE_IMPORTING]) from error
    return {
        "progress": len(progress_rows),
        "log": len(log_rows),
        "practice_done": len(practice_rows),
        "attempts": len(record.attempts),
        "new_attempts": new_answers,
        "ratings": len(shared.ratings),
        "suggestions": len(shared.suggestions),
        "skipped": record.skipped + shared.skipped,
    }


def _check_shape(payload) -> None:
    """Refuse at once what is not an export of a version this site reads, before anything reads its parts."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ImportRefused(["This is not a mathpath export (the “format” field is missing or wrong)."])
    if payload.get("version") not in READS:
        raise ImportRefused(
            [
                f"Unsupported export version {payload.get('version')!r}; "
                f"this site reads versions {' and '.join(map(str, READS))}."
            ]
        )
    # A hand-edited file can hold any JSON here; check shapes before anything iterates them.
    shapes = {
        "profile": (dict, "an object"),
        "progress": (list, "a list"),
        "log": (list, "a list"),
        "practice_done": (list, "a list"),
        **dict.fromkeys(check_record.LISTS, (list, "a list")),
        **dict.fromkeys(community.LISTS, (list, "a list")),
    }
    wrong = [
        f"{key}: expected {name}."
        for key, (kind, name) in shapes.items()
        if not isinstance(payload.get(key) or kind(), kind)
    ]
    if wrong:
        raise ImportRefused(wrong)
    if _holds_nul(payload):
        # PostgreSQL refuses NUL in text (a 500 mid-import); no export ever holds one.
        raise ImportRefused(["The file holds a NUL character, which no field accepts."])


def _holds_nul(value) -> bool:
    """Whether any key or text anywhere in the JSON holds a NUL (a loop, not recursion: files nest deep)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str) and "\x00" in item:
            return True
        if isinstance(item, dict):
            stack += [*item.keys(), *item.values()]
        elif isinstance(item, list):
            stack += item
    return False
