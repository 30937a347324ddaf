"""How the export writes, and the import reads, the values every kind of record shares.

Topics are named by (roadmap slug, topic slug) and times carry their offset;
nothing names a database id. Readers take a file's value as it is (any JSON),
so every check here expects anything and says what it wanted.
"""

from datetime import UTC, date, datetime, timedelta

from django.utils import timezone

from roadmap.models import Topic

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # nothing in an export is older


def topic_key(topic: Topic) -> dict:
    return {"roadmap": topic.roadmap.slug, "topic": topic.slug}


def iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


def text(value) -> str:
    """A file's name for something, as text: what it says, or its repr when it is not text."""
    return value if isinstance(value, str) else repr(value)


def key(item: dict) -> tuple[str, str]:
    """(roadmap slug, topic slug) of a topic reference; non-text values become their repr."""
    return (text(item.get("roadmap")), text(item.get("topic")))


def is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def read_date(value) -> date:
    return date.fromisoformat(str(value))


def read_time(value, *, latest: timedelta = timedelta(days=1)) -> datetime:
    """An export's date and time; ValueError unless it is one between 1970 and now (+ `latest`).

    A time without an offset is UTC: exports always carry one. Only schedules
    look ahead further than a day (a review is due months from now).
    """
    when = datetime.fromisoformat(str(value))
    if timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    # 0001-01-01+14:00 is year 0 in UTC: SQLite cannot store it, PostgreSQL cannot read it back.
    if not EARLIEST <= when <= timezone.now() + latest:
        raise ValueError("out of range")
    return when


def time_field(item: dict, name: str, where: str, errors: list[str], *, required: bool = True):
    """item[name] read with read_time(); None when optional and empty; False (and an error) when bad."""
    value = item.get(name)
    if value is None and not required:
        return None
    try:
        return read_time(value)
    except ValueError:
        errors.append(f"{where}: {name} is not a date and time between 1970 and now.")
        return False


def topics_named(keys: set[tuple[str, str]], errors: list[str]) -> dict[tuple[str, str], Topic]:
    """The topics of this site the file names, in one query; an error for each it does not have."""
    found = {
        (t.roadmap.slug, t.slug): t
        for t in Topic.objects.select_related("roadmap").filter(slug__in={k[1] for k in keys})
    }
    for missing in sorted(keys - found.keys()):
        errors.append(f"Unknown topic {missing[1]!r} in roadmap {missing[0]!r} on this site.")
    return found
