"""Learning log entries in an export: one per day, with minutes, stage, satisfaction, note and topics.

Each is read by the log form's rules: no day after today in the learner's
time zone, minutes within a day, the stage and note no longer than the form
takes. An entry's created and updated times are not exported: they say when
the row was written, which an import does again.
"""

from datetime import date

from accounts.bidi_controls import strip_bidi_controls
from roadmap.models import LogEntry, Satisfaction
from roadmap.models.journal import MAX_MINUTES_PER_DAY, MAX_NOTE_LENGTH
from roadmap.portability.values import is_int, key, read_date, topic_key

STAGE_MAX = LogEntry._meta.get_field("stage").max_length


def export_log(user) -> list[dict]:
    entries = LogEntry.objects.filter(learner=user).prefetch_related("topics").order_by("date")
    return [
        {
            "date": entry.date.isoformat(),
            "minutes": entry.minutes,
            "stage": entry.stage,
            "satisfied": entry.satisfied,
            "note": entry.note,
            "topics": [topic_key(topic) for topic in entry.topics.all()],
        }
        for entry in entries
    ]


def topic_keys(items: list) -> set[tuple[str, str]]:
    keys = set()
    for entry in items:
        named = entry.get("topics") if isinstance(entry, dict) else None
        keys |= {key(item) for item in (named if isinstance(named, list) else []) if isinstance(item, dict)}
    return keys


def read_log(items: list, topics: dict, errors: list[str], today: date) -> list:
    rows, seen = [], set()
    for index, item in enumerate(items, start=1):
        where = f"log entry #{index}"
        if not isinstance(item, dict):
            errors.append(f"{where}: expected an object.")
            continue
        try:
            day = read_date(item.get("date"))
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
        if not is_int(minutes) or not 0 < minutes <= MAX_MINUTES_PER_DAY:
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
        # An unknown topic is reported once, by values.topics_named.
        entry_topics = [
            topics[key(t)] for t in item.get("topics") or [] if isinstance(t, dict) and key(t) in topics
        ]
        values = {"minutes": minutes, "stage": stage, "satisfied": item["satisfied"], "note": note}
        rows.append((day, values, entry_topics))
    return rows


def restore_log(user, rows: list) -> None:
    for day, values, entry_topics in rows:
        entry, _ = LogEntry.objects.update_or_create(learner=user, date=day, defaults=values)
        entry.topics.set(entry_topics)
