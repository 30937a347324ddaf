"""A learner's own data out (JSON, CSV) and back in (JSON, idempotently).

The JSON is keyed by slugs and dates, never database ids, so it moves between
instances that import the same roadmap file.
"""

import csv
import io
from datetime import UTC, date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.bidi_controls import strip_bidi_controls
from accounts.models import (
    Profile,
    today_in,
    validate_target_date,
    validate_timezone,
    validate_weekly_minutes,
)
from roadmap.models import (
    LogEntry,
    PracticeDone,
    PracticeTask,
    Progress,
    Satisfaction,
    Status,
    Topic,
)
from roadmap.models.journal import MAX_MINUTES_PER_DAY, MAX_NOTE_LENGTH
from roadmap.portability import check_record
from roadmap.portability.spreadsheet import safe_row
from roadmap.progress import statuses

# The columns' lengths, which the forms hold learners to as well.
DISPLAY_NAME_MAX = Profile._meta.get_field("display_name").max_length
STAGE_MAX = LogEntry._meta.get_field("stage").max_length
FORMAT = "mathpath-export"
EARLIEST = check_record.EARLIEST  # no status change in an export is older
# Version 1 still: what later exports added (the checking record, each record's
# check) is optional on import, so every earlier file still reads.
VERSION = 1


class ImportRefused(Exception):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))


def export_data(user) -> dict:
    profile = Profile.objects.for_user(user)
    progress = (
        Progress.objects.filter(learner=user)
        .select_related("topic__roadmap")
        .order_by("topic__roadmap", "topic__slug")
    )
    entries = LogEntry.objects.filter(learner=user).prefetch_related("topics").order_by("date")
    practice = (
        PracticeDone.objects.filter(learner=user)
        .select_related("task__section__roadmap")
        .order_by("task__section__roadmap__slug", "task__section__slug", "task__slug")
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.get_username(),
            "display_name": profile.display_name,
            "timezone": profile.timezone,
            "journey_start": profile.journey_start.isoformat() if profile.journey_start else None,
            "share_log_notes": profile.share_log_notes,
            "plan_free_only": profile.plan_free_only,
            "goal": _topic_key(profile.goal) if profile.goal else None,
            "weekly_minutes": profile.weekly_minutes,
            "target_date": profile.target_date.isoformat() if profile.target_date else None,
        },
        "progress": [
            {
                **_topic_key(row.topic),
                "status": row.status,
                "note": row.note,
                "status_changed_at": row.status_changed_at.isoformat(),
                "created_at": row.created_at.isoformat(),
                # A passed check behind a covered status; null: self-reported (or not covered).
                "checked_at": row.checked_at.isoformat() if row.checked_at else None,
                "check_score": row.check_score,
                "review_failures": row.review_failures,
            }
            for row in progress
        ],
        "log": [
            {
                "date": entry.date.isoformat(),
                "minutes": entry.minutes,
                "stage": entry.stage,
                "satisfied": entry.satisfied,
                "note": entry.note,
                "topics": [_topic_key(topic) for topic in entry.topics.all()],
            }
            for entry in entries
        ],
        "practice_done": [{**_task_key(row.task), "done_at": row.done_at.isoformat()} for row in practice],
        # Every answer to a check problem, and the topic checks and placement runs they belong to.
        **check_record.export_record(user),
    }


def _task_key(task: PracticeTask) -> dict:
    return {"roadmap": task.section.roadmap.slug, "section": task.section.slug, "task": task.slug}


def _topic_key(topic: Topic) -> dict:
    return {"roadmap": topic.roadmap.slug, "topic": topic.slug}


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


def import_data(user, payload) -> dict[str, int]:
    """Restore an export onto this account; running it twice changes nothing more.

    Everything is validated first and the whole file is refused on any error.
    Visibility is deliberately not imported: a restored page starts private.
    """
    _check_shape(payload)
    errors: list[str] = []
    topics = _topics_by_key(payload, errors)
    profile_data = payload.get("profile") or {}
    progress_rows = _valid_progress(payload.get("progress") or [], topics, errors)
    # Dates are judged as the forms judge them: in the learner's time zone, as the file gives it.
    today = _today_for(user, profile_data)
    log_rows = _valid_log(payload.get("log") or [], topics, errors, today)
    practice_rows = _valid_practice(payload.get("practice_done") or [], errors)
    record = check_record.read_record(payload, errors)
    _check_profile(profile_data, errors, today)
    if errors:
        raise ImportRefused(errors)

    with transaction.atomic():
        # The learner's lock, as every progress writer takes it first; it also marks their pages changed.
        Profile.objects.lock_learner(user.pk)
        _restore_profile(user, profile_data, topics)
        for topic, status, note, changed_at, checking in progress_rows:
            Progress.objects.update_or_create(
                learner=user,
                topic=topic,
                defaults={"status": status, "note": note, "status_changed_at": changed_at, **checking},
            )
        for day, values, entry_topics in log_rows:
            entry, _ = LogEntry.objects.update_or_create(learner=user, date=day, defaults=values)
            entry.topics.set(entry_topics)
        for task, done_at in practice_rows:
            PracticeDone.objects.get_or_create(learner=user, task=task, defaults={"done_at": done_at})
        new_answers = check_record.restore_record(user, record)
    return {
        "progress": len(progress_rows),
        "log": len(log_rows),
        "practice_done": len(practice_rows),
        "attempts": len(record.attempts),
        "new_attempts": new_answers,
        "skipped": record.skipped,
    }


def _check_shape(payload) -> None:
    """Refuse at once what is not an export of this version, before anything reads its parts."""
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise ImportRefused(["This is not a mathpath export (the “format” field is missing or wrong)."])
    if payload.get("version") != VERSION:
        raise ImportRefused(
            [f"Unsupported export version {payload.get('version')!r}; this site reads version {VERSION}."]
        )
    # A hand-edited file can hold any JSON here; check shapes before anything iterates them.
    shapes = {
        "profile": (dict, "an object"),
        "progress": (list, "a list"),
        "log": (list, "a list"),
        "practice_done": (list, "a list"),
        **dict.fromkeys(check_record.LISTS, (list, "a list")),
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


def _today_for(user, profile_data: dict) -> date:
    zone = profile_data.get("timezone")
    try:
        validate_timezone(zone)
    except ValidationError:  # reported by _check_profile; the account's own zone meanwhile
        zone = Profile.objects.filter(user=user).values_list("timezone", flat=True).first() or "UTC"
    return today_in(zone)


def _check_profile(profile_data: dict, errors: list[str], today: date) -> None:
    """The rules of the settings form (security finding 6: an import used to skip them)."""
    if profile_data.get("timezone"):
        try:
            validate_timezone(profile_data["timezone"])
        except ValidationError as exc:
            errors.append(f"profile: {exc.messages[0]}")
    if profile_data.get("journey_start"):
        try:
            start = _date(profile_data["journey_start"])
        except ValueError:
            errors.append(f"profile: journey_start {profile_data['journey_start']!r} is not a date.")
        else:
            if start > today:
                errors.append(f"profile: journey_start {start} is in the future (today is {today}).")
    _check_plan_dates(profile_data, errors, today)
    name = strip_bidi_controls(str(profile_data.get("display_name") or ""))
    if len(name) > DISPLAY_NAME_MAX:
        errors.append(f"profile: the display name is longer than {DISPLAY_NAME_MAX} characters.")


def _check_plan_dates(profile_data: dict, errors: list[str], today: date) -> None:
    """The plan panel's rules for the pace (whole minutes in a week) and the target (not in the past)."""
    minutes = profile_data.get("weekly_minutes")
    if minutes is not None:
        try:
            if type(minutes) is not int:  # not a bool, a float or a string of digits
                raise ValidationError(f"weekly_minutes {minutes!r} is not a whole number of minutes.")
            validate_weekly_minutes(minutes)
        except ValidationError as exc:
            errors.append(f"profile: {exc.messages[0]}")
    if profile_data.get("target_date"):
        try:
            validate_target_date(_date(profile_data["target_date"]), today=today)
        except ValueError:
            errors.append(f"profile: target_date {profile_data['target_date']!r} is not a date.")
        except ValidationError as exc:
            errors.append(f"profile: target_date {exc.messages[0]}")


def _restore_profile(user, profile_data: dict, topics: dict[tuple[str, str], Topic]) -> None:
    profile = Profile.objects.for_user(user)
    profile.display_name = strip_bidi_controls(str(profile_data.get("display_name") or ""))
    profile.timezone = profile_data.get("timezone") or profile.timezone
    profile.journey_start = (
        _date(profile_data.get("journey_start")) if profile_data.get("journey_start") else None
    )
    profile.share_log_notes = bool(profile_data.get("share_log_notes"))
    profile.plan_free_only = bool(profile_data.get("plan_free_only"))
    goal = profile_data.get("goal")
    profile.goal = topics.get(_key(goal)) if isinstance(goal, dict) else None
    profile.weekly_minutes = profile_data.get("weekly_minutes")
    target = profile_data.get("target_date")
    profile.target_date = _date(target) if target else None
    profile.save(
        update_fields=[
            "display_name",
            "timezone",
            "journey_start",
            "share_log_notes",
            "plan_free_only",
            "goal",
            "weekly_minutes",
            "target_date",
        ]
    )


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


def _key(item) -> tuple:
    """(roadmap slug, topic slug) of a topic reference; non-text values become their repr."""
    return tuple(
        value if isinstance(value, str) else repr(value) for value in (item.get("roadmap"), item.get("topic"))
    )


def _topics_by_key(payload: dict, errors: list[str]) -> dict[tuple[str, str], Topic]:
    keys = set()
    for item in payload.get("progress") or []:
        if isinstance(item, dict):
            keys.add(_key(item))
    for entry in payload.get("log") or []:
        entry_topics = entry.get("topics") if isinstance(entry, dict) else None
        for item in entry_topics if isinstance(entry_topics, list) else []:
            if isinstance(item, dict):
                keys.add(_key(item))
    goal = (payload.get("profile") or {}).get("goal")
    if isinstance(goal, dict):
        keys.add(_key(goal))
    found = {
        (t.roadmap.slug, t.slug): t
        for t in Topic.objects.select_related("roadmap").filter(slug__in={k[1] for k in keys if k[1]})
    }
    for key in sorted(keys, key=str):
        if key not in found:
            errors.append(f"Unknown topic {key[1]!r} in roadmap {key[0]!r} on this site.")
    return found


def _date(value) -> date:
    return date.fromisoformat(str(value))


def _valid_progress(items, topics, errors) -> list:
    rows = []
    for index, item in enumerate(items, start=1):
        where = f"progress #{index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected an object.")
            continue
        topic = topics.get(_key(item))
        if item.get("status") not in Status.values:
            errors.append(f"{where}: unknown status {item.get('status')!r}.")
            continue
        note = str(item.get("note") or "")
        if len(note) > 200:
            errors.append(f"{where}: the note is longer than 200 characters.")
            continue
        try:
            changed_at = datetime.fromisoformat(str(item.get("status_changed_at")))
        except ValueError:
            errors.append(f"{where}: status_changed_at is not a date and time.")
            continue
        if timezone.is_naive(changed_at):
            changed_at = timezone.make_aware(changed_at, UTC)  # exports always carry an offset
        if not EARLIEST <= changed_at <= timezone.now() + timedelta(days=1):
            # 0001-01-01+14:00 is year 0 in UTC: SQLite cannot store it, PostgreSQL cannot read it back.
            errors.append(f"{where}: status_changed_at is not a time between 1970 and now.")
            continue
        checking = check_record.progress_evidence(item, where, errors)
        if topic and checking is not None:
            rows.append((topic, item["status"], note, changed_at, checking))
    return rows


def _valid_log(items, topics, errors, today: date) -> list:
    rows, seen = [], set()
    for index, item in enumerate(items, start=1):
        where = f"log entry #{index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected an object.")
            continue
        try:
            day = _date(item.get("date"))
        except ValueError:
            errors.append(f"{where}: {item.get('date')!r} is not a date.")
            continue
        if day in seen:
            errors.append(f"{where}: a second entry for {day}.")
            continue
        if day > today:  # as the log form refuses it (security finding 6)
            errors.append(f"{where}: {day} is in the future (today is {today} in your time zone).")
            continue
        seen.add(day)
        minutes = item.get("minutes")
        if (
            not isinstance(minutes, int)
            or isinstance(minutes, bool)
            or not 0 < minutes <= MAX_MINUTES_PER_DAY
        ):
            errors.append(f"{where}: minutes must be a whole number from 1 to {MAX_MINUTES_PER_DAY}.")
            continue
        if item.get("satisfied") not in Satisfaction.values:
            errors.append(f"{where}: unknown “satisfied” value {item.get('satisfied')!r}.")
            continue
        if not isinstance(item.get("topics") or [], list):
            errors.append(f"{where}: topics must be a list.")
            continue
        note = str(item.get("note") or "")
        if len(note) > MAX_NOTE_LENGTH:
            errors.append(f"{where}: the note is longer than {MAX_NOTE_LENGTH} characters.")
            continue
        stage = strip_bidi_controls(str(item.get("stage") or ""))
        if len(stage) > STAGE_MAX:
            errors.append(f"{where}: the stage is longer than {STAGE_MAX} characters.")
            continue
        entry_topics = [
            topics[_key(t)] for t in item.get("topics") or [] if isinstance(t, dict) and _key(t) in topics
        ]
        values = {
            "minutes": minutes,
            "stage": stage,
            "satisfied": item["satisfied"],
            "note": note,
        }
        rows.append((day, values, entry_topics))
    return rows


def _valid_practice(items, errors) -> list[tuple[PracticeTask, datetime]]:
    """Practice tasks marked done, by (roadmap, section, task) slugs; an unknown task refuses the file."""
    keys = [
        tuple(str(item.get(k)) for k in ("roadmap", "section", "task")) if isinstance(item, dict) else None
        for item in items
    ]
    found = {
        (t.section.roadmap.slug, t.section.slug, t.slug): t
        for t in PracticeTask.objects.select_related("section__roadmap").filter(
            slug__in={key[2] for key in keys if key}
        )
    }
    rows = []
    for index, (item, key) in enumerate(zip(items, keys, strict=True), start=1):
        where = f"practice done #{index}"
        if key is None:
            errors.append(f"{where}: expected an object.")
            continue
        if key not in found:
            errors.append(f"{where}: unknown practice task {key[2]!r} in section {key[1]!r} of {key[0]!r}.")
            continue
        try:
            done_at = datetime.fromisoformat(str(item.get("done_at")))
        except ValueError:
            errors.append(f"{where}: done_at is not a date and time.")
            continue
        if timezone.is_naive(done_at):
            done_at = timezone.make_aware(done_at, UTC)
        if not EARLIEST <= done_at <= timezone.now() + timedelta(days=1):
            errors.append(f"{where}: done_at is not a time between 1970 and now.")
            continue
        rows.append((found[key], done_at))
    return rows
