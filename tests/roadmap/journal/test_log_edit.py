"""Editing and deleting a day of the log, and only one's own."""

from datetime import date

import pytest

from roadmap.models import LogEntry
from tests import dom
from tests.factories import LogEntryFactory, UserFactory
from tests.roadmap.journal.log_pages import (
    LOG,
    checked_choice,
    delete_url,
    edit_url,
    entries,
    entry_data,
    errors,
    input_value,
    textarea_text,
    ticked_topics,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


# -- Editing and deleting -------------------------------------------------------------------------


def test_the_edit_page_shows_the_entry_split_into_hours_and_minutes(learner_client, learner, topics):
    LogEntryFactory(
        learner=learner, date=date(2025, 3, 1), minutes=95, note="Saved note.", topics=[topics["limits"]]
    )

    response = learner_client.get(edit_url("2025-03-01"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Edit your entry for 1 Mar 2025" in html
    assert (input_value(html, "date"), input_value(html, "hours"), input_value(html, "extra_minutes")) == (
        "2025-03-01",
        "1",
        "35",
    )
    assert textarea_text(html, "note").strip() == "Saved note."
    assert ticked_topics(html) == [str(topics["limits"].pk)]
    assert checked_choice(html, "satisfied") == "yes"
    assert dom.select(html, f'form[action="{delete_url("2025-03-01")}"]')


def test_editing_an_entry_saves_the_changes(learner_client, learner, topics):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=95, topics=[topics["limits"]])

    response = learner_client.post(
        edit_url("2025-03-01"),
        entry_data(date="2025-03-01", hours="0", extra_minutes="20", topics=[topics["derivatives"].pk]),
    )

    assert response.status_code == 302
    assert response["Location"] == "/log/#entry-2025-03-01"
    assert entries(learner) == [
        (date(2025, 3, 1), 20, "noob-level math grind", "somewhat", "Typed this note by hand.")
    ]
    assert list(LogEntry.objects.get(learner=learner).topics.all()) == [topics["derivatives"]]


def test_an_entry_can_be_moved_to_a_free_day(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))

    response = learner_client.post(edit_url("2025-03-01"), entry_data(date="2025-03-02"))

    assert response.status_code == 302
    assert [row[0] for row in entries(learner)] == [date(2025, 3, 2)]


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"date": "2025-03-02"}, "You already have an entry for 2 Mar 2025. Edit that one instead."),
        (
            {"date": "2025-03-11"},
            "11 Mar 2025 is in the future — today is 10 Mar 2025 in your time zone.",
        ),
        ({"hours": "0", "extra_minutes": "0"}, "Log the time you studied: at least one minute."),
    ],
    ids=["onto-another-entry", "future", "zero-time"],
)
def test_bad_edits_are_refused_with_the_form_kept(learner_client, learner, overrides, message):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=30)
    LogEntryFactory(learner=learner, date=date(2025, 3, 2), minutes=40)
    before = entries(learner)

    response = learner_client.post(
        edit_url("2025-03-01"), entry_data(**{"date": "2025-03-01", "stage": "Typed stage", **overrides})
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert message in errors(html)
    assert input_value(html, "stage") == "Typed stage"
    assert "Edit your entry for 1 Mar 2025" in html
    assert entries(learner) == before


def test_deleting_an_entry(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))
    LogEntryFactory(learner=learner, date=date(2025, 3, 2))

    response = learner_client.post(delete_url("2025-03-01"), follow=True)

    assert response.redirect_chain == [(LOG, 302)]
    assert "Deleted your entry for 1 Mar 2025." in response.content.decode()
    assert [row[0] for row in entries(learner)] == [date(2025, 3, 2)]


def test_deleting_needs_a_post(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))

    response = learner_client.get(delete_url("2025-03-01"))

    assert response.status_code == 405
    assert len(entries(learner)) == 1


@pytest.mark.parametrize("method", ["put", "delete"])
def test_the_log_and_edit_pages_refuse_other_methods(learner_client, learner, method):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))

    assert getattr(learner_client, method)(LOG).status_code == 405
    assert getattr(learner_client, method)(edit_url("2025-03-01")).status_code == 405
    assert len(entries(learner)) == 1


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", edit_url("2025-03-01")), ("post", edit_url("2025-03-01")), ("post", delete_url("2025-03-01"))],
)
def test_another_learners_entry_is_not_found_and_unchanged(learner_client, method, path):
    other = UserFactory(username="grace")
    LogEntryFactory(learner=other, date=date(2025, 3, 1), minutes=30, note="Grace's own note.")
    before = entries(other)

    response = getattr(learner_client, method)(path, entry_data(date="2025-03-01", hours="9"))

    assert response.status_code == 404
    assert "own note" not in response.content.decode()
    assert entries(other) == before


def test_editing_only_touches_the_learners_own_entry_on_a_shared_day(learner_client, learner):
    other = UserFactory(username="grace")
    LogEntryFactory(learner=other, date=date(2025, 3, 1), minutes=30)
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=30)

    learner_client.post(edit_url("2025-03-01"), entry_data(date="2025-03-01", hours="2", extra_minutes="0"))
    learner_client.post(delete_url("2025-03-01"))

    assert entries(learner) == []
    assert entries(other)[0][1] == 30


@pytest.mark.parametrize("day", ["2025-02-30", "yesterday", "2025-3-1"])
def test_a_bad_date_in_the_address_is_not_found(learner_client, learner, day):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))

    assert learner_client.get(edit_url(day)).status_code == 404
    assert learner_client.post(delete_url(day)).status_code == 404
    assert len(entries(learner)) == 1
