"""The log page's figures (day N, streaks, total) and each entry's share card, and its query counts."""

from datetime import date, timedelta

import pytest

from accounts.models import Visibility
from roadmap.journal import summary as learning_log
from roadmap.models import Satisfaction
from tests import dom
from tests.factories import LogEntryFactory, ProfileFactory
from tests.roadmap.journal.log_pages import LOG, NOW, share_card

pytestmark = pytest.mark.usefixtures("frozen_now")


def share_link(card: dom.Element) -> str:
    """Where the card's one "Share link" points."""
    [link] = [link for link in card.select("a") if link.text == "Share link"]
    return link["href"]


# -- Figures and share cards on the log page -----------------------------------------------------


def test_the_log_page_shows_day_n_streaks_and_total(learner_client, learner):
    for day, minutes in [(1, 60), (2, 60), (3, 60), (8, 30), (9, 30)]:
        LogEntryFactory(learner=learner, date=date(2025, 3, day), minutes=minutes)

    html = learner_client.get(LOG).content.decode()

    assert dom.select_one(html, "h1").text == "Day 10"
    assert dom.log_stats(html) == {
        "of the journey": "Day 10",
        "day streak": "2",  # 8 and 9 March; today is still open
        "longest streak": "3",
        "studied in all": "4h",
    }
    assert dom.select(html, '[aria-label="Study activity over the last year: 5 days logged"]')


def test_the_weekly_chart_says_hours_as_h_and_m_and_ends_with_this_week(learner_client, learner):
    # Monday 10 March is today: 3h 45m this week, 1h 30m the week before, nothing earlier.
    LogEntryFactory(learner=learner, date=date(2025, 3, 10), minutes=225)
    LogEntryFactory(learner=learner, date=date(2025, 3, 5), minutes=90)

    html = learner_client.get(LOG).content.decode()

    chart = dom.select_one(html, "svg.week-chart")
    assert chart["viewbox"] == "0 0 300 216"  # scales to its box: no width or height of its own
    assert not chart.has("width") and not chart.has("height")
    assert chart["aria-label"] == "Time studied in each of the last 12 weeks; this week: 3h 45m"
    rows = chart.select("g")
    assert len(rows) == 12
    assert [row.select_one("text.bar-label").text for row in rows[-2:]] == ["3 Mar", "10 Mar"]
    assert rows[-1].classes == ["is-current"] and rows[-2].classes == []
    assert [row.select_one("text.bar-value").text for row in rows[-2:]] == ["1h 30m", "3h 45m"]
    assert [row.select_one("title").text for row in rows[-3:]] == [
        "Week of 24 Feb: no study logged",
        "Week of 3 Mar: 1h 30m",
        "Week of 10 Mar: 3h 45m",
    ]
    assert all(not row.select("text.bar-value") for row in rows[:-2])
    # The longest week fills the track; the others are in proportion.
    assert [row.select_one("rect.week-bar")["width"] for row in rows[-2:]] == ["72.0", "180.0"]


def test_the_heatmap_scrolls_in_its_own_box_starting_at_this_week(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 10), minutes=20)

    html = learner_client.get(LOG).content.decode()

    box = dom.select_one(html, "div.heatmap-scroll")
    # Right to left, so the box opens scrolled to its right-hand end: this week.
    assert box["dir"] == "rtl" and box.select_one("svg.heatmap")["dir"] == "ltr"
    # A box that scrolls takes the focus, so a keyboard can scroll it too.
    assert box["tabindex"] == "0" and box["role"] == "region"
    assert "Mon 10 Mar 2025: 20m" in [title.text for title in box.select(".heat > title")]


def test_a_new_learner_sees_an_empty_chart_for_this_week(learner_client):
    html = learner_client.get(LOG).content.decode()

    chart = dom.select_one(html, "svg.week-chart")
    assert chart["aria-label"].endswith("this week: none yet")
    assert chart.select("rect.week-bar") == []
    assert len(chart.select("rect.week-track")) == 12


def test_day_n_counts_from_the_chosen_start_date(client, learner):
    ProfileFactory(user=learner, journey_start=date(2025, 2, 1))
    LogEntryFactory(learner=learner, date=date(2025, 3, 1))
    client.force_login(learner)

    html = client.get(LOG).content.decode()

    assert dom.select_one(html, "h1").text == "Day 38"
    assert "Day 29 · 1 Mar 2025" in html


def test_the_streak_follows_the_learners_today(client, learner):
    # At noon UTC on 10 March it is already 02:00 on 11 March in Kiritimati.
    ProfileFactory(user=learner, timezone="Pacific/Kiritimati")
    LogEntryFactory(learner=learner, date=date(2025, 3, 11))
    LogEntryFactory(learner=learner, date=date(2025, 3, 10))
    client.force_login(learner)

    html = client.get(LOG).content.decode()

    assert dom.select_one(html, "h1").text == "Day 2"
    assert dom.log_stats(html)["day streak"] == "2"


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
    text = card.select_one("textarea#share-2025-03-03").raw_text
    assert text.strip() == (
        "ML progress report (day 3)\n"
        "Current stage: noob-level math grind\n"
        "Learned for: 6h\n"
        "Satisfied? Yes\n"
        "Studied: Limits, Derivatives\n"
        "\n"
        "Limits finally *click*."
    )
    copy = card.select_one('button[data-copy-target="share-2025-03-03"]')
    assert copy.matches("button[type=button].btn.btn-small") and copy.text == "Copy report"


def test_the_share_card_leaves_the_note_out_unless_notes_are_shared(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 3), note="Private thoughts.")

    card = share_card(learner_client.get(LOG).content.decode(), "2025-03-03")
    text = card.select_one("textarea#share-2025-03-03").raw_text

    assert "Private thoughts." not in text
    assert "Satisfied?" in text


def test_a_private_page_gives_no_share_link(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))

    card = share_card(learner_client.get(LOG).content.decode(), "2025-03-03")

    assert "Share link" not in card.text
    assert "/u/ada/" not in card.markup()
    assert "Make it public or unlisted" in card.text


def test_a_public_page_shares_the_entry_by_username(client, learner):
    ProfileFactory(user=learner, visibility=Visibility.PUBLIC)
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))
    client.force_login(learner)

    card = share_card(client.get(LOG).content.decode(), "2025-03-03")

    url = "http://testserver/u/ada/log/2025-03-03/"
    assert share_link(card) == url
    assert card.select_one("textarea").raw_text.strip().endswith(url)
    assert card.markup().count(url) == 2  # the link, and the end of the text


def test_an_unlisted_page_shares_the_entry_by_its_secret_token(client, learner):
    profile = ProfileFactory(user=learner, visibility=Visibility.UNLISTED)
    LogEntryFactory(learner=learner, date=date(2025, 3, 3))
    client.force_login(learner)

    card = share_card(client.get(LOG).content.decode(), "2025-03-03")

    url = f"http://testserver/s/{profile.share_token}/log/2025-03-03/"
    assert share_link(card) == url
    assert card.markup().count(url) == 2
    assert "/u/ada/" not in card.markup()


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

    assert len(dom.select(response, "li.card.entry")) == count
