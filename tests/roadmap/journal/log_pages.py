"""Addresses, form data and readings of the log pages, for the tests of /log/."""

from datetime import UTC, datetime

from roadmap.models import LogEntry
from tests import dom

LOG = "/log/"
# Noon UTC on Monday 10 March 2025: the same date from Hawaii to New Zealand, but already
# 11 March in Kiritimati (UTC+14).
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def edit_url(day: str) -> str:
    return f"/log/{day}/edit/"


def delete_url(day: str) -> str:
    return f"/log/{day}/delete/"


def entry_data(**overrides) -> dict:
    data = {
        "date": "2025-03-10",
        "hours": "1",
        "extra_minutes": "30",
        "stage": "noob-level math grind",
        "topics": [],
        "satisfied": "somewhat",
        "note": "Typed this note by hand.",
    }
    return {**data, **overrides}


def entries(user) -> list[tuple]:
    return list(
        LogEntry.objects.filter(learner=user)
        .order_by("date")
        .values_list("date", "minutes", "stage", "satisfied", "note")
    )


def input_value(html: str, name: str) -> str | None:
    """The value of the first <input> named name (None without one)."""
    found = dom.select(html, f'input[name="{name}"]')
    return found[0].get("value") if found else None


def textarea_text(html: str, name: str) -> str:
    return dom.select_one(html, f'textarea[name="{name}"]').raw_text


def checked_choice(html: str, name: str) -> str | None:
    return next(iter(dom.checked(html, name)), None)


def ticked_topics(html: str) -> list[str]:
    """The ids of the ticked "Topics studied" checkboxes."""
    return dom.checked(html, "topics")


def topic_sections(html: str) -> dict[str, list[str]]:
    """{section legend: [topic labels]} of the "Topics studied" checklist, in page order."""
    picker = dom.select_one(html, "fieldset.topic-picker")
    return {
        section.select_one("legend").text: [label.text for label in section.select("label.topic-option")]
        for section in picker.select("fieldset.topic-section")
    }


def errors(html: str) -> list[str]:
    return dom.field_errors(html)


def share_card(html: str, day: str) -> dom.Element:
    """The entry's card on the log page."""
    return dom.select_one(html, f"li.card.entry#entry-{day}")
