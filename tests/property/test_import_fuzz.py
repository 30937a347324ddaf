"""Random JSON into the data import: it is applied whole, or refused whole with its errors.

Accepted data reads back as valid: timestamps with a zone, no NUL, minutes in a day,
review cards that match their due date, ratings from 1 to 5, suggestions with a link.
"""

import json

import pytest
from fsrs import Card
from hypothesis import example, given
from hypothesis import strategies as st

from roadmap.models import LogEntry, Progress
from roadmap.portability import data as portability
from tests.property.test_form_fuzz import nasty_text, rolled_back, values

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.one_of(
        st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), nasty_text
    ),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(nasty_text, children, max_size=4),
    max_leaves=25,
)
a_time = values("2025-01-01T10:00:00+00:00", "2025-01-01", "0001-01-01T00:00:00+14:00", "9999-12-31")
numbers = st.one_of(st.none(), st.integers(-5, 20), st.floats(), nasty_text)  # floats() holds NaN and inf
review_items = st.fixed_dictionaries(
    {
        "due": a_time,
        "state": values("learning", "review", "relearning"),
        "step": numbers,
        "stability": numbers,
        "difficulty": numbers,
        "last_review": st.one_of(st.none(), a_time),
    }
)
progress_items = st.fixed_dictionaries(
    {
        "roadmap": values("math-for-ml"),
        "topic": values("limits", "derivatives", "old"),
        "status": values("learning", "mastered", "skipped"),
        "note": values("Larson"),
        "status_changed_at": a_time,
    },
    optional={"created_at": a_time, "review": st.one_of(json_values, review_items)},
)
rating_items = st.fixed_dictionaries(
    {"resource": values("book"), "rating": numbers},
    optional={"rated_at": a_time},
)
suggestion_items = st.fixed_dictionaries(
    {
        "roadmap": values("math-for-ml"),
        "topic": values("limits"),
        "title": values("Notes"),
        "url": values("https://notes.example/a", "javascript:alert(1)"),
        "kind": values("notes"),
        "access": values("free"),
        "why": values("Clear."),
        "status": values("pending", "approved", "rejected"),
        "rejection_reason": values("", "Paywalled."),
        "resource": st.one_of(st.none(), values("book")),
        "created_at": a_time,
        "decided_at": st.one_of(st.none(), a_time),
    }
)
log_items = st.fixed_dictionaries(
    {
        "date": values("2025-01-01", "2025-01-02"),
        "minutes": st.one_of(st.integers(-10, 2000), nasty_text, st.booleans()),
        "satisfied": values("yes", "not_really"),
        "stage": values("grind"),
        "note": values("note"),
        "topics": st.lists(
            st.fixed_dictionaries({"roadmap": values("math-for-ml"), "topic": values("limits")}), max_size=2
        ),
    }
)
exports = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["mathpath-export", "mathpath-export", "other"]),
        "version": st.sampled_from([1, 2, 2, 3, "1"]),
        "profile": st.one_of(
            json_values,
            st.fixed_dictionaries(
                {
                    "display_name": values("Ada"),
                    "timezone": values("UTC", "Mars/Olympus"),
                    "journey_start": values("2025-01-01"),
                }
            ),
        ),
        "progress": st.one_of(json_values, st.lists(progress_items, max_size=3)),
        "log": st.one_of(json_values, st.lists(log_items, max_size=3)),
        "ratings": st.one_of(json_values, st.lists(rating_items, max_size=3)),
        "suggestions": st.one_of(json_values, st.lists(suggestion_items, max_size=3)),
    }
)


@given(st.one_of(json_values, exports))
@example({"format": "mathpath-export", "version": 1, "profile": {"journey_start": "0"}})  # found by this test
@example(
    {
        "format": "mathpath-export",
        "version": 1,
        "progress": [
            {
                "roadmap": "math-for-ml",
                "topic": "limits",
                "status": "learning",
                "status_changed_at": "0001-01-01T00:00:00+14:00",  # before year 1 in UTC
            }
        ],
    }
)
@example(
    {
        "format": "mathpath-export",
        "version": 1,
        "progress": [
            {
                "roadmap": "math-for-ml",
                "topic": "limits",
                "status": "learning",
                "status_changed_at": "2025-01-01",
            }
        ],
    }
)
def test_any_json_import_is_applied_whole_or_refused_whole(world, payload):
    _, learner = world
    payload = json.loads(json.dumps(payload))  # what the view hands over: plain JSON types
    before = sorted(Progress.objects.filter(learner=learner).values_list("topic_id", "status", "note"))

    def attempt():
        try:
            portability.import_data(learner, payload)
        except portability.ImportRefused as refused:
            assert refused.errors
            after = sorted(Progress.objects.filter(learner=learner).values_list("topic_id", "status", "note"))
            assert after == before
            return
        # Accepted: what was stored reads back as valid data (the dashboard will load it).
        for row in Progress.objects.filter(learner=learner):
            assert row.status_changed_at.tzinfo is not None
            assert "\x00" not in row.note
        for entry in LogEntry.objects.filter(learner=learner):
            assert 0 < entry.minutes <= 24 * 60
        for row in Progress.objects.filter(learner=learner).exclude(review_card=None):
            assert row.status == "mastered" and row.review_due == Card.from_dict(row.review_card).due
        assert all(
            rating in {None, 1, 2, 3, 4, 5}
            for rating in learner.resource_ratings.values_list("rating", flat=True)
        )
        for suggestion in learner.resource_suggestions.all():
            assert suggestion.url.startswith(("http://", "https://")) and suggestion.title.strip()

    rolled_back(attempt)
