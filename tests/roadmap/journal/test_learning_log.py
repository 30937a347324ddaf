"""The learner's own log at /log/: one entry a day, edited and deleted, with share cards."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta
from unittest.mock import patch

import pytest

from accounts.models import Visibility
from roadmap.journal import summary as learning_log
from roadmap.models import LogEntry, Satisfaction
from roadmap.sharing import cards
from tests.factories import (
    LogEntryFactory,
    ProfileFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

LOG = "/log/"
# Noon UTC on Monday 10 March 2025: the same date from Hawaii to New Zealand, but already
# 11 March in Kiritimati (UTC+14).
NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)


def edit_url(day: str) -> str:
    return f"/log/{day}/edit/"


def delete_url(day: str) -> str:
    return f"/log/{day}/delete/"


@pytest.fixture(autouse=True)
def frozen_now():
    """Every "today" in these tests is 10 March 2025 in UTC."""
    with patch("django.utils.timezone.now", return_value=NOW):
        yield


@pytest.fixture
def topics(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus", title="Calculus")
    return {
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits", order=0),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives", order=1),
        "retired": TopicFactory(section=calculus, slug="retired", title="Retired", is_archived=True),
    }


@pytest.fixture
def learner(topics):
    return UserFactory(username="ada")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


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
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
    value = re.search(r'value="([^"]*)"', tag.group(0)) if tag else None
    return html_lib.unescape(value.group(1)) if value else None


def textarea_text(html: str, name: str) -> str:
    return html_lib.unescape(
        re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', html, re.S).group(1)
    )


def checked_choice(html: str, name: str) -> str | None:
    for tag in re.findall(rf'<input[^>]*name="{name}"[^>]*>', html):
        if " checked" in tag:
            return re.search(r'value="([^"]*)"', tag).group(1)
    return None


def selected_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return re.findall(r'<option value="(\d+)" selected>', select)


def errors(html: str) -> list[str]:
    return [html_lib.unescape(e) for e in re.findall(r'<p class="field-errors" role="alert">(.*?)</p>', html)]


def share_card(html: str, day: str) -> str:
    return re.search(rf'<li class="card entry" id="entry-{day}">.*?</li>', html, re.S).group(0)


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
    assert [label for label in ("Yes", "Somewhat", "Not really") if f"<span>{label}</span>" in html] == [
        "Yes",
        "Somewhat",
        "Not really",
    ]


def test_the_form_offers_only_active_topics_of_the_roadmap(learner_client, topics):
    html = learner_client.get(LOG).content.decode()

    options = re.findall(r'<option value="\d+">([^<]*)</option>', html)
    assert options == ["Limits", "Derivatives"]


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
    assert "Logged 2h 05m for Monday 10 March." in html
    card = share_card(html, "2025-03-10")
    assert "Day 1 · Monday 10 March 2025" in card
    assert "<strong>2h 05m</strong> · noob-level math grind" in card
    assert "Satisfied? Not really" in card
    assert '<div class="prose"><p>Larson <strong>2.4</strong>, exercises 1–40.</p></div>' in card


def test_the_note_is_rendered_as_safe_markdown_on_the_log(learner_client, learner):
    LogEntryFactory(
        learner=learner,
        date=date(2025, 3, 10),
        note='**ok** <img src=x onerror=alert(1)> [x](javascript:alert(1)) <script>alert("hi")</script>',
    )

    html = learner_client.get(LOG).content.decode()

    prose = re.search(r'<div class="prose">(.*?)</div>', html, re.S).group(1)
    assert "<strong>ok</strong>" in prose
    assert "onerror" not in prose
    assert "javascript:" not in prose
    assert "<script" not in prose


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
        "11 March 2025 is in the future — today is 10 March 2025 in your time zone.",
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
    assert selected_options(html, "topics") == [str(topics["derivatives"].pk)]
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
    assert "12 March 2025 is in the future — today is 11 March 2025 in your time zone." in errors(
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
    assert "You already have an entry for 10 March 2025. Edit that one instead." in errors(html)
    assert input_value(html, "hours") == "3"
    assert entries(learner) == [(date(2025, 3, 10), 30, "noob-level math grind", "yes", "The first one.")]


def test_another_learners_entry_on_the_same_day_is_no_clash(learner_client, learner):
    LogEntryFactory(date=date(2025, 3, 10))

    response = learner_client.post(LOG, entry_data())

    assert response.status_code == 302
    assert len(entries(learner)) == 1


# -- Editing and deleting -------------------------------------------------------------------------


def test_the_edit_page_shows_the_entry_split_into_hours_and_minutes(learner_client, learner, topics):
    LogEntryFactory(
        learner=learner, date=date(2025, 3, 1), minutes=95, note="Saved note.", topics=[topics["limits"]]
    )

    response = learner_client.get(edit_url("2025-03-01"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Edit your entry for Saturday 1 March 2025" in html
    assert (input_value(html, "date"), input_value(html, "hours"), input_value(html, "extra_minutes")) == (
        "2025-03-01",
        "1",
        "35",
    )
    assert textarea_text(html, "note").strip() == "Saved note."
    assert selected_options(html, "topics") == [str(topics["limits"].pk)]
    assert checked_choice(html, "satisfied") == "yes"
    assert f'action="{delete_url("2025-03-01")}"' in html


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
        ({"date": "2025-03-02"}, "You already have an entry for 2 March 2025. Edit that one instead."),
        (
            {"date": "2025-03-11"},
            "11 March 2025 is in the future — today is 10 March 2025 in your time zone.",
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
    assert "Edit your entry for Saturday 1 March 2025" in html
    assert entries(learner) == before


def test_deleting_an_entry(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))
    LogEntryFactory(learner=learner, date=date(2025, 3, 2))

    response = learner_client.post(delete_url("2025-03-01"), follow=True)

    assert response.redirect_chain == [(LOG, 302)]
    assert "Deleted your entry for Saturday 01 March." in response.content.decode()
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
    assert "Grace&#x27;s own note." not in response.content.decode()
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


# -- Figures and share cards on the log page -----------------------------------------------------


def test_the_log_page_shows_day_n_streaks_and_total(learner_client, learner):
    for day, minutes in [(1, 60), (2, 60), (3, 60), (8, 30), (9, 30)]:
        LogEntryFactory(learner=learner, date=date(2025, 3, day), minutes=minutes)

    html = learner_client.get(LOG).content.decode()

    assert "<h1>Day 10</h1>" in html
    stats = re.search(r'<ul class="log-stats".*?</ul>', html, re.S).group(0)
    assert "<strong>Day 10</strong>" in stats
    assert "<strong>2</strong><span>day streak</span>" in stats  # 8 and 9 March; today is still open
    assert "<strong>3</strong><span>longest streak</span>" in stats
    assert "<strong>4h</strong><span>studied in all</span>" in stats
    assert 'aria-label="Study activity over the last year: 5 days logged"' in html


def test_day_n_counts_from_the_chosen_start_date(client, learner):
    ProfileFactory(user=learner, journey_start=date(2025, 2, 1))
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))
    client.force_login(learner)

    html = client.get(LOG).content.decode()

    assert "<h1>Day 38</h1>" in html
    assert "Day 29 · Saturday 1 March 2025" in html


def test_the_streak_follows_the_learners_today(client, learner):
    # At noon UTC on 10 March it is already 02:00 on 11 March in Kiritimati.
    ProfileFactory(user=learner, timezone="Pacific/Kiritimati")
    LogEntryFactory(learner=learner, date=date(2025, 3, 11))
    LogEntryFactory(learner=learner, date=date(2025, 3, 10))
    client.force_login(learner)

    html = client.get(LOG).content.decode()

    assert "<h1>Day 2</h1>" in html
    assert "<strong>2</strong><span>day streak</span>" in html


def test_the_share_card_is_the_day_n_report_in_the_seeds_shape(learner_client, learner, topics):
    ProfileFactory(user=learner, share_log_notes=True)
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=60)
    LogEntryFactory(
        learner=learner,
        date=date(2025, 3, 3),
        minutes=360,
        stage="noob-level math grind",
        satisfied=Satisfaction.YES,
        topics=[topics["limits"], topics["derivatives"]],
        note="Limits finally *click*.",
    )

    html = learner_client.get(LOG).content.decode()

    card = share_card(html, "2025-03-03")
    text = html_lib.unescape(
        re.search(r'<textarea id="share-2025-03-03"[^>]*>(.*?)</textarea>', card, re.S).group(1)
    )
    assert text.strip() == (
        "ML progress report (day 3)\n"
        "Current stage: noob-level math grind\n"
        "Learned for: 6h\n"
        "Satisfied? Yes\n"
        "Studied: Limits, Derivatives\n"
        "\n"
        "Limits finally *click*."
    )
    assert (
        '<button type="button" class="btn btn-small" data-copy-target="share-2025-03-03">Copy report</button>'
        in card
    )


def test_the_share_card_leaves_the_note_out_unless_notes_are_shared(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 3), note="Private thoughts.")

    card = share_card(learner_client.get(LOG).content.decode(), "2025-03-03")
    text = re.search(r'<textarea id="share-2025-03-03"[^>]*>(.*?)</textarea>', card, re.S).group(1)

    assert "Private thoughts." not in text
    assert "Satisfied?" in text


def test_a_private_page_gives_no_share_link(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))

    card = share_card(learner_client.get(LOG).content.decode(), "2025-03-03")

    assert "Share link" not in card
    assert "/u/ada/" not in card
    assert "Make it public or unlisted" in card


def test_a_public_page_shares_the_entry_by_username(client, learner):
    ProfileFactory(user=learner, visibility=Visibility.PUBLIC)
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))
    client.force_login(learner)

    card = share_card(client.get(LOG).content.decode(), "2025-03-03")

    assert '<a href="http://testserver/u/ada/log/2025-03-03/">Share link</a>' in card
    assert card.count("http://testserver/u/ada/log/2025-03-03/") == 2  # the link, and the end of the text


def test_an_unlisted_page_shares_the_entry_by_its_secret_token(client, learner):
    profile = ProfileFactory(user=learner, visibility=Visibility.UNLISTED)
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))
    client.force_login(learner)

    card = share_card(client.get(LOG).content.decode(), "2025-03-03")

    url = f"http://testserver/s/{profile.share_token}/log/2025-03-03/"
    assert f'<a href="{url}">Share link</a>' in card
    assert card.count(url) == 2
    assert "/u/ada/" not in card


def test_share_text_without_stage_topics_or_day(learner):
    entry = LogEntryFactory(learner=learner, stage="", minutes=45, satisfied=Satisfaction.NOT_REALLY, note="")

    assert cards.share_text(entry, day=None) == (
        "ML progress report\nLearned for: 45m\nSatisfied? Not really"
    )


def test_share_text_can_leave_the_note_out_and_end_with_a_link(learner):
    entry = LogEntryFactory(learner=learner, minutes=90, note="  private thoughts  ")

    assert cards.share_text(entry, day=4, url="https://x.test/r", include_note=False) == (
        "ML progress report (day 4)\n"
        "Current stage: noob-level math grind\n"
        "Learned for: 1h 30m\n"
        "Satisfied? Yes\n"
        "\n"
        "https://x.test/r"
    )
    assert "\n\nprivate thoughts\n\nhttps://x.test/r" in cards.share_text(
        entry, day=4, url="https://x.test/r"
    )


def test_summarise_reads_the_log_in_three_queries(learner, topics, django_assert_num_queries):
    profile = ProfileFactory(user=learner)
    for day in range(1, 10):
        LogEntryFactory(learner=learner, date=date(2025, 3, day), minutes=30, topics=[topics["limits"]])

    # Every entry's (date, minutes); the recent entries; their topics (prefetch).
    with django_assert_num_queries(3):
        summary = learning_log.summarise(profile, recent=5)
        titles = [[t.title for t in entry.topics.all()] for entry in summary.recent]

    assert [entry.date.day for entry in summary.recent] == [9, 8, 7, 6, 5]
    assert [entry.day_number for entry in summary.recent] == [9, 8, 7, 6, 5]
    assert titles == [["Limits"]] * 5
    assert (summary.total, summary.entry_count, summary.day_today) == ("4h 30m", 9, 10)


@pytest.mark.parametrize("count", [3, 60])
def test_the_log_page_query_count_does_not_grow_with_entries(
    learner_client, learner, topics, count, django_assert_max_num_queries
):
    ProfileFactory(user=learner)
    for day in range(count):
        LogEntryFactory(learner=learner, date=NOW.date() - timedelta(days=day))

    # Session, user, profile (+ goal), roadmap, the profile's user again (summarise reads
    # profile.user), every entry's (date, minutes), the recent entries, their topics
    # (prefetch), and the form's topic options.
    with django_assert_max_num_queries(9):
        response = learner_client.get(LOG)

    assert response.content.decode().count('class="card entry"') == count


@pytest.mark.parametrize("path", [LOG, edit_url("2025-03-01")])
def test_an_empty_post_is_refused_not_mistaken_for_a_page_view(learner_client, learner, path):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=30)

    response = learner_client.post(path, {})

    assert response.status_code == 400
    assert "This field is required." in errors(response.content.decode())
    assert entries(learner) == [(date(2025, 3, 1), 30, "noob-level math grind", "yes", "")]
