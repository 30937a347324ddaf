"""The status vocabulary: what each status is called, what it means, and its colour.

Defined once, here, as plain data: the model's choices, the forms, the status
buttons, the map's box names, the badge, the exports and the gap analysis all
read it. "skipped" is the stored value (existing files and exports use it); what
a person reads is "Known" everywhere.

Imports nothing, so the pure gap analysis can use it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class StatusInfo:
    value: str  # stored in the database and in exports
    label: str  # what a person reads: buttons, lists, exports
    verb: str  # lower case, inside a sentence: "Limits — known"
    hint: str  # what it means, under the buttons
    colour: str  # the hex colour of its stripes, dots and badge bars (app.css --s-<value>)


NOT_STARTED = StatusInfo("not_started", "Not started", "not started", "Nothing yet", "#cbd0dc")
LEARNING = StatusInfo("learning", "Learning", "learning", "Watching or reading", "#f59e0b")
PRACTISED = StatusInfo("practised", "Practised", "practised", "Did exercises", "#6366f1")
MASTERED = StatusInfo("mastered", "Mastered", "mastered", "Confident, solved problems alone", "#16a34a")
KNOWN = StatusInfo("skipped", "Known", "known", "Knew it already, so skipped it", "#0ea5a4")

# In the order the buttons show them; not started first.
STATUSES = (LEARNING, PRACTISED, MASTERED, KNOWN)
BY_VALUE = {info.value: info for info in (NOT_STARTED, *STATUSES)}

# Covered means nothing left to do; "practised" is deliberately not covered:
# watching and a few exercises are where the seed's false confidence lives.
COVERED = frozenset({MASTERED.value, KNOWN.value})
# Statuses that say the learner is building on a topic, so its prerequisites matter.
STARTED = frozenset({LEARNING.value, PRACTISED.value, MASTERED.value})
# Progress bars stack covered first, then work under way.
BAR_ORDER = (MASTERED.value, KNOWN.value, PRACTISED.value, LEARNING.value)

# What stands behind a covered topic: a passed "Check yourself" on record
# (checked), or only the learner's word (self-reported). Both count as covered;
# the words only tell them apart, on the pages, the badge and in the exports.
CHECKED = "checked"
SELF_REPORTED = "self-reported"


def info(value: str | None) -> StatusInfo:
    """The vocabulary entry of a stored status; None (no record) is not started."""
    return BY_VALUE[value or NOT_STARTED.value]


def label(value: str | None) -> str:
    return info(value).label


def evidence(value: str | None, *, checked: bool) -> str:
    """ "checked" or "self-reported" for a covered status; "" for one that is not covered."""
    if value not in COVERED:
        return ""
    return CHECKED if checked else SELF_REPORTED
