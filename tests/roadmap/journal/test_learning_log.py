"""The learner's own log at /log/: who may see it, and writing one entry a day."""

from datetime import UTC, date, datetime
from unittest.mock import patch

import pytest

from roadmap.models import LogEntry, Satisfaction
from tests import dom
from tests.factories import LogEntryFactory, ProfileFactory
from tests.roadmap.journal.log_pages import (
    LOG,
    checked_choice,
    delete_url,
    edit_url,
    entries,
    entry_data,
    errors,
    input_value,
    share_card,
    textarea_text,
    ticked_topics,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


# -- Access ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", LOG), ("post", LOG), ("get", edit_url("2025-03-01")), ("post", edit_url("2025-03-01"))],
)
def test_anonymous_visitors_are_sent_to_log_in(client, learner, method, path):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=30)

    response = getattr(client, method)(path, entry_data(minutes="45") if method == "post" else None)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"
    assert entries(learner)[0][1] == 30


def test_anonymous_delete_is_sent_to_log_in_and_deletes_nothing(client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))

    response = client.post(delete_url("2025-03-01"))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert len(entries(learner)) == 1


# -- Writing a day --------------------------------------------------------------------------------


def test_the_empty_log_offers_a_form_dated_today(learner_client):
    response = learner_client.get(LOG)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Start your log" in html
    assert "No entries yet." in html
    assert input_value(html, "date") == "2025-03-10"
    choices = [label for label in dom.select(html, "label.choice") if label.select("input[name=satisfied]")]
    assert [label.select_one("span").text for label in choices] == ["Yes", "Somewhat", "Not really"]


def test_logging_a_day_saves_every_field(learner_client, learner, topics):
    response = learner_client.post(
        LOG,
        entry_data(
            hours="2",
            extra_minutes="5",
            topics=[topics["limits"].pk, topics["derivatives"].pk],
            satisfied="not_really",
            note="Larson **2.4**, exercises 1–40.",
        ),
    )

    assert response.status_code == 302
    assert response["Location"] == "/log/#entry-2025-03-10"
    entry = LogEntry.objects.get(learner=learner)
    assert (entry.date, entry.minutes, entry.stage, entry.satisfied) == (
        date(2025, 3, 10),
        125,
        "noob-level math grind",
        Satisfaction.NOT_REALLY,
    )
    assert entry.note == "Larson **2.4**, exercises 1–40."
    assert set(entry.topics.all()) == {topics["limits"], topics["derivatives"]}

    html = learner_client.get(response["Location"]).content.decode()
    assert "Logged 2h 05m for 10 Mar 2025." in html
    card = share_card(html, "2025-03-10")
    assert "Day 1 · 10 Mar 2025" in card.text
    meta = card.select_one("p.entry-meta")
    assert meta.text == "2h 05m · noob-level math grind"
    assert [strong.text for strong in meta.select("strong")] == ["2h 05m"]
    assert "Satisfied? Not really" in card.text
    [paragraph] = card.select_one("div.prose").elements
    assert paragraph.tag == "p" and paragraph.text == "Larson 2.4, exercises 1–40."
    assert [strong.text for strong in paragraph.select("strong")] == ["2.4"]


def test_the_note_is_rendered_as_safe_markdown_on_the_log(learner_client, learner):
    LogEntryFactory(
        learner=learner,
        date=date(2025, 3, 10),
        note='**ok** <img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert("hi")</script>',
    )

    html = learner_client.get(LOG).content.decode()

    prose = dom.select_one(html, "div.prose")
    assert [strong.text for strong in prose.select("strong")] == ["ok"]
    assert prose.select("script, img") == []
    rebuilt = prose.markup()  # text re-escaped: a "<script" here would be a real tag
    assert "onerror" not in rebuilt
    assert "javascript:" not in rebuilt
    assert "<script" not in rebuilt


def test_exactly_24_hours_and_a_5000_character_note_are_accepted(learner_client, learner):
    response = learner_client.post(LOG, entry_data(hours="24", extra_minutes="0", note="x" * 5000))

    assert response.status_code == 302
    assert entries(learner) == [(date(2025, 3, 10), 1440, "noob-level math grind", "somewhat", "x" * 5000)]


def test_a_learner_far_east_can_log_a_date_that_is_still_tomorrow_in_utc(client, learner):
    ProfileFactory(user=learner, timezone="Pacific/Kiritimati")
    client.force_login(learner)

    assert input_value(client.get(LOG).content.decode(), "date") == "2025-03-11"
    response = client.post(LOG, entry_data(date="2025-03-11"))

    assert response.status_code == 302
    assert entries(learner)[0][0] == date(2025, 3, 11)


BAD_INPUT = {
    "future-date": (
        {"date": "2025-03-11"},
        "11 Mar 2025 is in the future — today is 10 Mar 2025 in your time zone.",
    ),
    "no-date": ({"date": ""}, "This field is required."),
    "not-a-date": ({"date": "2025-02-30"}, "Enter a valid date."),
    "negative-hours": ({"hours": "-1"}, "Ensure this value is greater than or equal to 0."),
    "negative-minutes": ({"extra_minutes": "-5"}, "Ensure this value is greater than or equal to 0."),
    "over-24-hours": ({"hours": "25"}, "Ensure this value is less than or equal to 24."),
    "24h-and-a-minute": ({"hours": "24", "extra_minutes": "1"}, "A day has 24 hours; log at most 24h 00m."),
    "60-minutes": ({"extra_minutes": "60"}, "Ensure this value is less than or equal to 59."),
    "zero-time": ({"hours": "0", "extra_minutes": "0"}, "Log the time you studied: at least one minute."),
    "long-note": ({"note": "x" * 5001}, "Ensure this value has at most 5000 characters (it has 5001)."),
    "unknown-satisfaction": (
        {"satisfied": "ecstatic"},
        "Select a valid choice. ecstatic is not one of the available choices.",
    ),
}


@pytest.mark.parametrize(("overrides", "message"), BAD_INPUT.values(), ids=BAD_INPUT.keys())
def test_bad_input_is_refused_with_the_form_kept(learner_client, learner, topics, overrides, message):
    data = entry_data(stage="My own typed stage", topics=[topics["derivatives"].pk], **overrides)

    response = learner_client.post(LOG, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in errors(html)
    assert input_value(html, "stage") == "My own typed stage"
    assert input_value(html, "date") == data["date"]
    assert input_value(html, "hours") == data["hours"]
    assert input_value(html, "extra_minutes") == data["extra_minutes"]
    assert textarea_text(html, "note").strip() == data["note"]
    assert ticked_topics(html) == [str(topics["derivatives"].pk)]
    if overrides.get("satisfied") is None:
        assert checked_choice(html, "satisfied") == "somewhat"
    assert entries(learner) == []


def test_an_archived_topic_is_refused(learner_client, learner, topics):
    response = learner_client.post(LOG, entry_data(topics=[topics["retired"].pk]))

    assert response.status_code == 400
    assert f"Select a valid choice. {topics['retired'].pk} is not one of the available choices." in errors(
        response.content.decode()
    )
    assert entries(learner) == []


def test_a_future_date_is_judged_in_the_learners_time_zone_not_utcs(client, learner):
    # 23:30 UTC on 10 March is 13:30 on 11 March in Kiritimati, but still 10 March in UTC.
    ProfileFactory(user=learner, timezone="Pacific/Kiritimati")
    client.force_login(learner)

    with patch("django.utils.timezone.now", return_value=datetime(2025, 3, 10, 23, 30, tzinfo=UTC)):
        response = client.post(LOG, entry_data(date="2025-03-12"))

    assert response.status_code == 400
    assert "12 Mar 2025 is in the future — today is 11 Mar 2025 in your time zone." in errors(
        response.content.decode()
    )
    assert entries(learner) == []


def test_a_utc_learner_cannot_log_the_date_kiritimati_already_has(learner_client, learner):
    with patch("django.utils.timezone.now", return_value=datetime(2025, 3, 10, 23, 30, tzinfo=UTC)):
        response = learner_client.post(LOG, entry_data(date="2025-03-11"))

    assert response.status_code == 400
    assert entries(learner) == []


def test_a_second_entry_for_the_same_day_is_refused_and_the_first_kept(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 10), minutes=30, note="The first one.")

    response = learner_client.post(LOG, entry_data(hours="3"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "You already have an entry for 10 Mar 2025. Edit that one instead." in errors(html)
    assert dom.select_one(html, ".clash-link a")["href"] == "/log/2025-03-10/edit/"  # "that one", linked
    assert input_value(html, "hours") == "3"
    assert entries(learner) == [(date(2025, 3, 10), 30, "noob-level math grind", "yes", "The first one.")]


def test_another_learners_entry_on_the_same_day_is_no_clash(learner_client, learner):
    LogEntryFactory(date=date(2025, 3, 10))

    response = learner_client.post(LOG, entry_data())

    assert response.status_code == 302
    assert len(entries(learner)) == 1


@pytest.mark.parametrize("path", [LOG, edit_url("2025-03-01")])
def test_an_empty_post_is_refused_not_mistaken_for_a_page_view(learner_client, learner, path):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=30)

    response = learner_client.post(path, {})

    assert response.status_code == 400
    assert "This field is required." in errors(response.content.decode())
    assert entries(learner) == [(date(2025, 3, 1), 30, "noob-level math grind", "yes", "")]
