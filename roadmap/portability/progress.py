"""Progress records in an export: status, evidence note, check evidence and review schedule.

A mastered topic's FSRS card travels as "review" (when it is due, and the
memory state FSRS schedules from), so a restored topic comes due when it
would have on the old account. The card's `card_id` is left out: FSRS makes it
from the clock when a card is created and only review logs, which mathpath
does not keep, refer to it; an import gives the card a new one.

A file from before schedules were exported (version 1) has no "review": each
mastered topic is then scheduled as mastering it now would be, the same as a
status set by hand. Its mastery date would mark every topic mastered long ago
as fading at once, though the learner may have reviewed it since — which the
file does not say.
"""

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from fsrs import Card, State

from roadmap.models import COVERED, Progress, Status, Topic
from roadmap.portability.values import is_int, iso, key, read_time, time_field, topic_key
from roadmap.progress import review

NOTE_MAX = Progress._meta.get_field("note").max_length
SCORE_LENGTH = Progress._meta.get_field("check_score").max_length
MAX_REVIEW_FAILURES = 10_000
# FSRS schedules at most 36,500 days ahead (its maximum_interval); a due date past that is made up.
REVIEW_HORIZON = timedelta(days=review.SCHEDULER.maximum_interval + 1)
STATES = {state.name.lower(): state for state in State}


def export_progress(user) -> list[dict]:
    rows = (
        Progress.objects.filter(learner=user)
        .select_related("topic__roadmap")
        .order_by("topic__roadmap__slug", "topic__slug")
    )
    return [
        {
            **topic_key(row.topic),
            "status": row.status,
            "note": row.note,
            "status_changed_at": row.status_changed_at.isoformat(),
            "created_at": row.created_at.isoformat(),
            # A passed check behind a covered status; null: self-reported (or not covered).
            "checked_at": iso(row.checked_at),
            "check_score": row.check_score,
            "review_failures": row.review_failures,
            # Only a mastered topic is reviewed; null for the others.
            "review": _export_card(row.review_card) if row.review_card else None,
        }
        for row in rows
    ]


def _export_card(card_dict: dict) -> dict:
    card = Card.from_dict(card_dict)
    return {
        "due": card.due.isoformat(),
        "state": card.state.name.lower(),
        "step": card.step,
        "stability": card.stability,
        "difficulty": card.difficulty,
        "last_review": iso(card.last_review),
    }


@dataclass
class Row:
    """One valid progress record of the file, to restore."""

    topic: Topic
    status: str
    note: str
    changed_at: datetime
    created_at: datetime | None  # None: a file without it, so the record keeps its own
    checking: dict = field(default_factory=dict)  # check evidence and failed reviews, as fields to set
    card: Card | None = None
    has_schedule: bool = False  # whether the file says anything about the review schedule


def topic_keys(items: list) -> set[tuple[str, str]]:
    return {key(item) for item in items if isinstance(item, dict)}


def read_progress(items: list, topics: dict, errors: list[str]) -> list[Row]:
    rows = []
    for index, item in enumerate(items, start=1):
        where = f"progress #{index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected an object.")
            continue
        row = _read_row(item, where, topics, errors)
        if row is not None:
            rows.append(row)
    return rows


def _read_row(item: dict, where: str, topics: dict, errors: list[str]) -> Row | None:
    if item.get("status") not in Status.values:
        errors.append(f"{where}: unknown status {item.get('status')!r}.")
        return None
    note = str(item.get("note") or "")
    if len(note) > NOTE_MAX:  # the status form's limit
        errors.append(f"{where}: the note is longer than {NOTE_MAX} characters.")
        return None
    changed_at = time_field(item, "status_changed_at", where, errors)
    created_at = time_field(item, "created_at", where, errors, required=False)
    if changed_at is False or created_at is False:
        return None
    checking = _evidence(item, where, errors)
    card = _card(item, where, errors)
    topic = topics.get(key(item))  # an unknown topic is reported once, by values.topics_named
    if topic is None or checking is None or card is False:
        return None
    return Row(topic, item["status"], note, changed_at, created_at, checking, card, "review" in item)


def _evidence(item: dict, where: str, errors: list[str]) -> dict | None:
    """The record's check evidence and failed reviews, as fields to set; None (and an error) when bad.

    A file from before these fields existed leaves them as they are, unless its
    status is not covered: that drops a check's evidence, as set_status does.
    """
    fields = {}
    if item["status"] not in COVERED:
        fields = {"checked_at": None, "check_score": ""}
    if item.get("checked_at") is not None:
        if item["status"] not in COVERED:
            errors.append(f"{where}: checked_at is set, but only a mastered or known topic is checked.")
            return None
        try:
            fields["checked_at"] = read_time(item["checked_at"])
        except ValueError:
            errors.append(f"{where}: checked_at is not a date and time between 1970 and now.")
            return None
        score = item.get("check_score") or ""
        if not isinstance(score, str) or len(score) > SCORE_LENGTH:
            errors.append(f"{where}: check_score must be text such as “3/3”.")
            return None
        fields["check_score"] = score
    elif "checked_at" in item:
        fields.update(checked_at=None, check_score="")  # self-reported in the file
    failures = item.get("review_failures")
    if failures is not None:
        if not is_int(failures) or not 0 <= failures <= MAX_REVIEW_FAILURES:
            errors.append(f"{where}: review_failures must be a whole number from 0 to {MAX_REVIEW_FAILURES}.")
            return None
        fields["review_failures"] = failures
    return fields


def _card(item: dict, where: str, errors: list[str]) -> Card | bool | None:
    """The file's review schedule as an FSRS card; None when it has none; False (and an error) when bad."""
    schedule = item.get("review")
    if schedule is None:
        return None
    if item["status"] != Status.MASTERED:
        errors.append(f"{where}: only a mastered topic has a review schedule.")
        return False
    problem = _schedule_problem(schedule)
    if problem:
        errors.append(f"{where}: review {problem}.")
        return False
    return Card(
        # Any number will do (see the module docstring); passing one spares FSRS's 1 ms sleep per card.
        card_id=int(timezone.now().timestamp() * 1000),
        state=STATES[schedule["state"]],
        step=schedule.get("step"),
        stability=_number(schedule.get("stability")),
        difficulty=_number(schedule.get("difficulty")),
        due=read_time(schedule["due"], latest=REVIEW_HORIZON),
        last_review=read_time(schedule["last_review"]) if schedule.get("last_review") else None,
    )


def _schedule_problem(schedule) -> str | None:
    """What is wrong with a file's review schedule, in words, or None."""
    if not isinstance(schedule, dict):
        return "must be an object with due, state, step, stability, difficulty and last_review"
    try:
        read_time(schedule.get("due"), latest=REVIEW_HORIZON)
    except ValueError:
        return "due is not a date and time between 1970 and 100 years from now"
    if schedule.get("last_review") is not None:
        try:
            read_time(schedule["last_review"])
        except ValueError:
            return "last_review is not a date and time between 1970 and now"
    if schedule.get("state") not in STATES:
        return f"state must be one of {', '.join(STATES)}"
    step = schedule.get("step")
    if step is not None and not (is_int(step) and 0 <= step <= 100):
        return "step must be a whole number from 0 to 100, or null"
    for name, low, high in (("stability", 0, 1e6), ("difficulty", 1, 10)):
        value = schedule.get(name)
        if value is not None and (_number(value) is None or not low <= value <= high):
            return f"{name} must be a number from {low:g} to {high:g}, or null"
    return None


def _number(value) -> float | None:
    """A finite JSON number as a float (Python's json reads NaN and Infinity too), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        return float(value)
    return None


def restore_progress(user, rows: list[Row], *, now: datetime) -> None:
    """Upsert each record (inside the import's transaction, under the learner's lock)."""
    existing = {
        p.topic_id: p for p in Progress.objects.filter(learner=user, topic__in=[r.topic for r in rows])
    }
    restored = []
    for row in rows:
        progress = existing.get(row.topic.pk) or Progress(learner=user, topic=row.topic)
        was_mastered = progress.pk is not None and progress.status == Status.MASTERED
        progress.status, progress.note, progress.status_changed_at = row.status, row.note, row.changed_at
        for name, value in row.checking.items():
            setattr(progress, name, value)
        _schedule(progress, row, was_mastered=was_mastered, now=now)
        progress.save()
        restored.append((progress, row.created_at))
    # created_at is auto_now_add, so save() stamped new records with now; put the file's back.
    # bulk_update runs no pre_save, so it writes the value as set.
    for progress, created_at in restored:
        progress.created_at = created_at or progress.created_at
    Progress.objects.bulk_update([progress for progress, _ in restored], ["created_at"])


def _schedule(progress: Progress, row: Row, *, was_mastered: bool, now: datetime) -> None:
    if row.status != Status.MASTERED:
        review.stop_reviews(progress)
    elif row.card is not None:
        review.store_card(progress, row.card)
    elif row.has_schedule or not (was_mastered and progress.review_card):
        # Mastered, but no schedule: from a version 1 file, or one whose topic had lost it.
        # A topic already mastered and scheduled here keeps its schedule.
        review.start_reviews(progress, now=now)
