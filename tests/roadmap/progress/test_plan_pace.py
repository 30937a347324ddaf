"""The plan's dates on the dashboard: a finish at the learner's pace, this week, a target, the form."""

from datetime import UTC, date, datetime
from decimal import Decimal
from unittest.mock import patch

import pytest

from accounts.models import Profile
from roadmap.models import Status
from tests import dom
from tests.factories import (
    LogEntryFactory,
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    TopicFactory,
    UserFactory,
)
from tests.roadmap.progress.test_dashboard import DASHBOARD_QUERIES

DASHBOARD = "/dashboard/"
PACE = "/dashboard/pace/"
HTMX = {"HTTP_HX_REQUEST": "true"}
# Wednesday 2 Dec 2026 at noon in London; the week began on Monday 30 Nov.
NOON = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_noon():
    with patch("django.utils.timezone.now", return_value=NOON):
        yield


@pytest.fixture
def goal(db):
    """Vectors (2h) → dot product (3h) → projections (5h): 10 hours to the goal."""
    vectors = TopicFactory(slug="vectors", title="Vectors", estimated_hours=Decimal(2))
    dot = TopicFactory(section=vectors.section, slug="dot", title="Dot product", estimated_hours=Decimal(3))
    projections = TopicFactory(
        section=vectors.section, slug="projections", title="Projections", estimated_hours=Decimal(5)
    )
    PrerequisiteFactory(topic=dot, prerequisite=vectors)
    PrerequisiteFactory(topic=projections, prerequisite=dot)
    return projections


@pytest.fixture
def learner(goal):
    user = UserFactory()
    ProfileFactory(user=user, goal=goal, timezone="Europe/London")
    return user


def pace_text(markup) -> str:
    return dom.select_one(markup, "#plan-pace").text


def saved(learner) -> tuple[int | None, date | None]:
    profile = Profile.objects.get(user=learner)
    return profile.weekly_minutes, profile.target_date


# -- what the plan says -------------------------------------------------------


def test_without_a_log_or_a_pace_the_plan_asks_for_one_and_shows_no_date(learner_client):
    text = pace_text(learner_client.get(DASHBOARD))

    assert "No study logged yet: log some study, or set a pace, to see a date." in text
    assert "around" not in text
    assert "This week: 0m logged" in text


def test_the_log_of_the_last_four_weeks_gives_the_pace_and_a_date(learner_client, learner):
    # 2h 15m this week (Monday and today), 3h 45m earlier in the window: 6h in 28 days, 1h 30m a week.
    LogEntryFactory(learner=learner, date=date(2026, 11, 30), minutes=60)
    LogEntryFactory(learner=learner, date=date(2026, 12, 2), minutes=75)
    LogEntryFactory(learner=learner, date=date(2026, 11, 5), minutes=225)
    LogEntryFactory(learner=learner, date=date(2026, 10, 1), minutes=600)  # before the window

    text = pace_text(learner_client.get(DASHBOARD))

    # 10 hours at 1h 30m a week: 46.7 days, so the 47th day counting today.
    assert "your pace of 1h 30m a week (your log over the last 4 weeks)" in text
    assert "you reach Projections around 17 Jan 2027." in text
    assert "This week: 2h 15m of 1h 30m" in text


def test_nothing_logged_in_four_weeks_says_so_rather_than_give_a_date(learner_client, learner):
    LogEntryFactory(learner=learner, date=date(2026, 9, 1), minutes=600)

    text = pace_text(learner_client.get(DASHBOARD))

    assert "You have logged no study in the last 4 weeks" in text
    assert "around" not in text


def test_this_week_follows_the_learners_time_zone(client, goal):
    # Sunday 29 Nov 11:30 in London is already Monday 30 Nov 00:30 in Auckland: a new week there.
    user = UserFactory()
    ProfileFactory(user=user, goal=goal, timezone="Pacific/Auckland", weekly_minutes=300)
    LogEntryFactory(learner=user, date=date(2026, 11, 29), minutes=120)  # Auckland's last week
    LogEntryFactory(learner=user, date=date(2026, 11, 30), minutes=30)  # Auckland's today
    client.force_login(user)

    with patch("django.utils.timezone.now", return_value=datetime(2026, 11, 29, 11, 30, tzinfo=UTC)):
        text = pace_text(client.get(DASHBOARD))

    assert "This week: 30m of 5h" in text
    assert "since Monday 30 Nov" in text


def test_a_reached_goal_shows_no_dates(learner_client, learner, goal):
    for topic in goal.roadmap.topics.all():
        ProgressFactory(learner=learner, topic=topic, status=Status.MASTERED)

    response = learner_client.get(DASHBOARD)

    assert "and everything it needs" in dom.by_id(response, "plan-body").text
    assert dom.select(response, "#plan-pace") == []


def test_the_dashboard_with_a_log_and_a_target_keeps_its_query_pin(
    client, learner, django_assert_max_num_queries
):
    for day in range(1, 29):
        LogEntryFactory(learner=learner, date=date(2026, 11, day), minutes=30)
    Profile.objects.filter(user=learner).update(target_date=date(2027, 1, 31))
    client.force_login(learner)

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = client.get(DASHBOARD)

    assert "To get there by 31 Jan 2027" in pace_text(response)


# -- setting a pace and a target ----------------------------------------------


def test_setting_a_pace_returns_the_plan_with_a_date(learner_client, learner):
    response = learner_client.post(PACE, {"pace_hours": "5", "pace_minutes": "0", "target": ""}, **HTMX)

    assert response.status_code == 200
    assert dom.root_element(response).matches("div#plan-body")
    text = pace_text(response)
    # 10 hours at 5h a week: 14 days, to Tuesday 15 Dec.
    assert "At the pace you set, 5h a week, you reach Projections around 15 Dec 2026." in text
    assert "This week: 0m of 5h" in text
    assert saved(learner) == (300, None)


def test_a_target_in_reach_shows_the_weekly_time_it_needs(learner_client, learner):
    response = learner_client.post(
        PACE, {"pace_hours": "4", "pace_minutes": "", "target": "2026-12-29"}, **HTMX
    )

    text = pace_text(response)
    # 10 hours in the 28 days from today to 29 Dec: 2h 30m a week.
    assert "To get there by 29 Dec 2026: 2h 30m a week." in text
    assert "Not realistic" not in text
    assert saved(learner) == (240, date(2026, 12, 29))


def test_a_target_that_needs_more_than_twice_the_pace_is_called_not_realistic(learner_client, learner):
    response = learner_client.post(PACE, {"pace_hours": "1", "target": "2026-12-08"}, **HTMX)

    text = pace_text(response)
    # 10 hours in 7 days: 10h a week, against a pace of 1h.
    assert "To get there by 8 Dec 2026: 10h a week." in text
    assert "Not realistic: that is more than twice your pace." in text
    assert saved(learner) == (60, date(2026, 12, 8))


def test_a_target_today_needs_the_whole_plan_in_one_day(learner_client):
    text = pace_text(learner_client.post(PACE, {"target": "2026-12-02"}, **HTMX))

    assert "To get there by 2 Dec 2026: 70h a week." in text
    assert "Not realistic: that is more than 40 hours a week, a full-time job." in text


def test_a_target_in_the_past_is_refused_in_place_and_nothing_is_saved(learner_client, learner):
    Profile.objects.filter(user=learner).update(weekly_minutes=120)

    response = learner_client.post(PACE, {"pace_hours": "6", "target": "2026-12-01"}, **HTMX)

    assert response.status_code == 400
    assert dom.root_element(response).matches("div#plan-body")
    assert dom.field_errors(response) == [
        "1 Dec 2026 is in the past — pick today (2 Dec 2026 in your time zone) or a later day."
    ]
    # What was typed is kept, to correct.
    assert dom.select_one(response, "input[name=pace_hours]")["value"] == "6"
    assert dom.select_one(response, "input[name=target]")["value"] == "2026-12-01"
    assert saved(learner) == (120, None)


def test_a_pace_longer_than_a_week_is_refused(learner_client, learner):
    response = learner_client.post(PACE, {"pace_hours": "168", "pace_minutes": "30"}, **HTMX)

    assert response.status_code == 400
    assert dom.field_errors(response) == [
        "Set a pace between 1 minute and 168 hours a week (a week has 168 hours), "
        "or leave it empty to use your log."
    ]
    assert saved(learner) == (None, None)


def test_a_pace_of_nothing_is_refused_but_empty_fields_clear_it(learner_client, learner):
    Profile.objects.filter(user=learner).update(weekly_minutes=120)

    refused = learner_client.post(PACE, {"pace_hours": "0", "pace_minutes": "0"}, **HTMX)
    assert refused.status_code == 400
    assert saved(learner) == (120, None)

    cleared = learner_client.post(PACE, {"pace_hours": "", "pace_minutes": ""}, **HTMX)
    assert cleared.status_code == 200
    assert saved(learner) == (None, None)
    assert "No study logged yet" in pace_text(cleared)


def test_a_target_that_is_not_a_date_is_refused(learner_client, learner):
    response = learner_client.post(PACE, {"target": "next spring"}, **HTMX)

    assert response.status_code == 400
    assert dom.field_errors(response) == ["Enter the target as a date, such as 2027-03-01."]


def test_without_javascript_a_pace_redirects_to_the_plan(learner_client, learner):
    response = learner_client.post(PACE, {"pace_hours": "3", "pace_minutes": "30"})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#plan"
    assert saved(learner) == (210, None)
    assert "the pace you set, 3h 30m a week" in pace_text(learner_client.get(DASHBOARD))


def test_without_javascript_a_refused_form_shows_the_whole_dashboard_with_its_error(learner_client, learner):
    response = learner_client.post(PACE, {"pace_hours": "2", "target": "2020-02-29"})

    assert response.status_code == 400
    assert dom.select(response, "h1")  # the whole page
    assert dom.field_errors(dom.by_id(response, "plan-pace")) == [
        "29 Feb 2020 is in the past — pick today (2 Dec 2026 in your time zone) or a later day."
    ]
    assert saved(learner) == (None, None)


def test_the_form_shows_what_is_saved(learner_client, learner):
    Profile.objects.filter(user=learner).update(weekly_minutes=135, target_date=date(2027, 3, 1))

    values = dom.form_values(dom.select_one(learner_client.get(DASHBOARD), "form.pace-form"))

    assert (values["pace_hours"], values["pace_minutes"], values["target"]) == ("2", "15", "2027-03-01")


def test_a_target_that_has_passed_since_it_was_set_asks_for_a_new_one(learner_client, learner):
    Profile.objects.filter(user=learner).update(target_date=date(2026, 11, 1))

    text = pace_text(learner_client.get(DASHBOARD))

    assert "Your target date, 1 Nov 2026, has passed: set a new one below." in text


def test_pace_refuses_get(learner_client):
    assert learner_client.get(PACE).status_code == 405


def test_anonymous_pace_post_is_sent_to_login(client, goal):
    response = client.post(PACE, {"pace_hours": "5"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_setting_a_pace_changes_only_the_senders_profile(learner_client, learner, goal):
    other = UserFactory()
    ProfileFactory(user=other, goal=goal, weekly_minutes=60)

    learner_client.post(PACE, {"pace_hours": "9"}, **HTMX)

    assert saved(learner) == (540, None)
    assert saved(other) == (60, None)
