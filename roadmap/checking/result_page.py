"""The placement result's topic rows, rendered in Python.

A result lists every topic of the roadmap; at the bench's 1,000 topics the
template loop alone took about 350 ms (a dozen tags per row), so the rows are
built here with f-strings, a few microseconds each, and the template puts them
in place. Every value from the database is escaped (html.escape, quotes too):
Django's format_html cost 0.2 ms a row, most of the page.
"""

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from roadmap.checking.diagnostic import Proposed
from roadmap.progress import statuses

EVIDENCE_SHOWN = 3


def _because(item: Proposed) -> str:
    """The answers behind a verdict, by topic: "Limits right; Derivatives wrong twice"."""
    if not item.evidence:
        return " No answer touched it: a best guess from the answers nearest to it."
    by_topic: dict[str, list[bool]] = {}
    for attempt in item.evidence:
        by_topic.setdefault(attempt.problem.topic.title, []).append(attempt.correct)
    parts = []
    for title, results in list(by_topic.items())[:EVIDENCE_SHOWN]:
        right, wrong = results.count(True), results.count(False)
        said = [f"right{_times(right)}" if right else "", f"wrong{_times(wrong)}" if wrong else ""]
        parts.append(f"{title} {' and '.join(p for p in said if p)}")
    more = len(by_topic) - EVIDENCE_SHOWN
    return (
        f" You answered {'; '.join(parts)}{f'; and {more} more topics' if more > 0 else ''}." if parts else ""
    )


def _times(count: int) -> str:
    return {1: "", 2: " twice"}.get(count, f" {count} times")


def _row(item: Proposed, topic_url: str) -> str:
    pk = item.topic.id
    if item.changes:
        control = f'<input type="checkbox" name="topic" value="{pk}" id="pt-{pk}" checked>'
    else:
        control = '<span class="placement-same" aria-hidden="true">✓</span>'
    now = statuses.info(item.status).verb
    why = (f"Now {now}." if item.changes else f"Already {now}: no change.") + _because(item)
    guess = "" if item.settled else ' <span class="muted small">(a best guess)</span>'
    badge = (
        '<span class="badge badge-ok">known</span>'
        if item.known
        else '<span class="badge badge-self">gap to study</span>'
    )
    url = topic_url.replace("__slug__", escape(item.topic.slug))
    # Only a row with a box to tick has a label for it.
    label_for = f'for="pt-{pk}" ' if item.changes else ""
    return (
        f'<li class="placement-item {"is-known" if item.known else "is-gap"}">{control}'
        f'<label {label_for}class="placement-topic"><a href="{url}">{escape(item.topic.title)}</a> '
        f'{badge}{guess}</label><p class="placement-why small muted">{escape(why)}</p></li>'
    )


def topic_rows(items: list[Proposed]) -> SafeString:
    """The `<li>` of each proposed topic, in the order given."""
    topic_url = reverse("topic_detail", args=["__slug__"])
    # Safe: every value from the database went through escape() in _row.
    return mark_safe("\n".join(_row(item, topic_url) for item in items))
