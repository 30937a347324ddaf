"""The plan's pace and target date go out with the export and come back in, held to the form's rules."""

import json
from datetime import UTC, date, datetime
from unittest.mock import patch

import pytest

from accounts.models import Profile
from tests.factories import UserFactory
from tests.roadmap.portability.files import IMPORT, export_of, import_errors, upload

# Noon on 2 Dec 2026 in Berlin, Ada's time zone (conftest.py).
NOON = datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def frozen_noon():
    with patch("django.utils.timezone.now", return_value=NOON):
        yield


@pytest.fixture
def paced(learner):
    Profile.objects.filter(user=learner).update(weekly_minutes=135, target_date=date(2027, 3, 1))
    return learner


def plan_fields(user) -> tuple:
    return tuple(Profile.objects.filter(user=user).values_list("weekly_minutes", "target_date").get())


def test_the_pace_and_target_round_trip_through_export_and_import(client, paced):
    exported = export_of(client, paced)
    profile = json.loads(exported)["profile"]
    assert (profile["weekly_minutes"], profile["target_date"]) == (135, "2027-03-01")
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(exported)})

    assert response.status_code == 302
    assert plan_fields(newcomer) == (135, date(2027, 3, 1))


def test_an_export_without_them_clears_them(client, paced):
    payload = json.loads(export_of(client, paced))
    for key in ("weekly_minutes", "target_date"):
        del payload["profile"][key]  # a file from before they existed
    client.force_login(paced)

    assert client.post(IMPORT, {"file": upload(json.dumps(payload))}).status_code == 302
    assert plan_fields(paced) == (None, None)


BAD = {
    "pace-over-a-week": (
        {"weekly_minutes": 10081},
        "profile: Set a pace between 1 minute and 168 hours a week",
    ),
    "pace-of-nothing": ({"weekly_minutes": 0}, "profile: Set a pace between 1 minute and 168 hours a week"),
    "pace-not-whole": ({"weekly_minutes": 90.5}, "profile: weekly_minutes 90.5 is not a whole number"),
    "pace-as-text": ({"weekly_minutes": "90"}, "profile: weekly_minutes '90' is not a whole number"),
    "pace-as-bool": ({"weekly_minutes": True}, "profile: weekly_minutes True is not a whole number"),
    "target-not-a-date": ({"target_date": "soon"}, "profile: target_date 'soon' is not a date."),
    # As the form: judged in the file's time zone, where it is already 2 Dec.
    "target-in-the-past": (
        {"target_date": "2026-12-01"},
        "profile: target_date 1 Dec 2026 is in the past — pick today (2 Dec 2026 in your time zone)",
    ),
}


@pytest.mark.parametrize(("change", "message"), BAD.values(), ids=BAD.keys())
def test_a_bad_pace_or_target_refuses_the_file_and_changes_nothing(client, paced, change, message):
    payload = json.loads(export_of(client, paced))
    payload["profile"].update(change)
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))})

    assert response.status_code == 400
    assert any(error.startswith(message) for error in import_errors(response)), import_errors(response)
    assert plan_fields(newcomer) == (None, None)


def test_a_target_of_today_is_accepted(client, paced):
    payload = json.loads(export_of(client, paced))
    payload["profile"]["target_date"] = "2026-12-02"
    client.force_login(paced)

    assert client.post(IMPORT, {"file": upload(json.dumps(payload))}).status_code == 302
    assert plan_fields(paced) == (135, date(2026, 12, 2))
