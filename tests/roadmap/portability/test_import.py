"""Your data back in: the JSON import, idempotent and all-or-nothing, and what it refuses."""

import json
from datetime import date

import pytest

from accounts.models import Profile, Visibility
from roadmap.models import LogEntry, Progress, Status
from tests.factories import PASSWORD, LogEntryFactory, ProgressFactory, UserFactory
from tests.roadmap.portability.files import (
    EXPORT_JSON,
    IMPORT,
    export_of,
    import_errors,
    snapshot,
    upload,
)

# -- Import ---------------------------------------------------------------------------------------


def test_importing_the_same_export_twice_changes_nothing(learner_client, learner):
    exported = learner_client.get(EXPORT_JSON).content
    before = snapshot(learner)

    first = learner_client.post(IMPORT, {"file": upload(exported)}, follow=True)
    second = learner_client.post(IMPORT, {"file": upload(exported)}, follow=True)

    for response in (first, second):
        assert response.redirect_chain == [("/settings/", 302)]
        assert (
            "Imported 2 progress records and 2 log entries. Nothing was duplicated."
            in response.content.decode()
        )
    assert snapshot(learner) == before
    assert Progress.objects.filter(learner=learner).count() == 2
    assert LogEntry.objects.filter(learner=learner).count() == 2


def test_import_overwrites_changed_rows_and_keeps_unrelated_ones(learner_client, learner, topics):
    exported = learner_client.get(EXPORT_JSON).content
    Progress.objects.filter(learner=learner, topic=topics["limits"]).update(status=Status.LEARNING, note="")
    LogEntry.objects.filter(learner=learner, date=date(2025, 3, 1)).update(minutes=5)
    LogEntry.objects.get(learner=learner, date=date(2025, 3, 1)).topics.clear()
    LogEntryFactory(learner=learner, date=date(2025, 3, 20), minutes=30)

    learner_client.post(IMPORT, {"file": upload(exported)})

    limits = Progress.objects.get(learner=learner, topic=topics["limits"])
    assert (limits.status, limits.note) == (Status.MASTERED, "Larson 1.2, ex 1–40")
    first_day = LogEntry.objects.get(learner=learner, date=date(2025, 3, 1))
    assert first_day.minutes == 360
    assert {t.slug for t in first_day.topics.all()} == {"limits", "derivatives"}
    assert LogEntry.objects.filter(learner=learner, date=date(2025, 3, 20)).exists()


def test_export_delete_sign_up_and_import_restores_everything(client, learner):
    client.force_login(learner)
    exported = client.get(EXPORT_JSON).content
    before = snapshot(learner)

    deleted = client.post("/settings/delete/", {"password": PASSWORD, "confirm": "on"})
    assert deleted.status_code == 302
    assert not type(learner).objects.filter(username="ada").exists()

    signed_up = client.post(
        "/accounts/signup/",
        {
            "email": "ada.again@example.com",
            "username": "ada-again",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert signed_up.status_code == 302, signed_up.content.decode()
    new_user = type(learner).objects.get(username="ada-again")
    assert new_user.pk != learner.pk
    assert client.get("/settings/").context["user"] == new_user

    response = client.post(IMPORT, {"file": upload(exported)})

    assert response.status_code == 302
    assert snapshot(new_user) == before
    assert Profile.objects.get(user=new_user).visibility == Visibility.PRIVATE


def test_visibility_is_never_imported(client, learner, topics):
    payload = json.loads(export_of(client, learner))
    payload["profile"]["visibility"] = "public"
    payload["profile"]["share_token"] = "chosen-token"
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))})

    assert response.status_code == 302
    profile = Profile.objects.get(user=newcomer)
    assert profile.visibility == Visibility.PRIVATE
    assert profile.share_token != "chosen-token"
    assert client.logout() is None
    assert client.get("/u/newcomer/").status_code == 404


def broken(payload: dict, change) -> str:
    payload = json.loads(json.dumps(payload))
    change(payload)
    return json.dumps(payload)


BAD_FILES = {
    "not-json": (lambda p: "{this is not json", "That file is not valid JSON."),
    "not-utf8": (lambda p: b"\xff\xfe\x00garbage", "That file is not valid JSON."),
    "wrong-format": (
        lambda p: broken(p, lambda d: d.update(format="something-else")),
        "This is not a mathpath export (the “format” field is missing or wrong).",
    ),
    "a-list": (
        lambda p: "[1, 2, 3]",
        "This is not a mathpath export (the “format” field is missing or wrong).",
    ),
    "future-version": (
        lambda p: broken(p, lambda d: d.update(version=3)),
        "Unsupported export version 3; this site reads versions 1 and 2.",
    ),
    "unknown-topic": (
        lambda p: broken(p, lambda d: d["progress"][0].update(topic="quantum-gravity")),
        "Unknown topic 'quantum-gravity' in roadmap 'math-for-ml' on this site.",
    ),
    "unknown-log-topic": (
        lambda p: broken(
            p, lambda d: d["log"][0]["topics"].append({"roadmap": "math-for-ml", "topic": "nope"})
        ),
        "Unknown topic 'nope' in roadmap 'math-for-ml' on this site.",
    ),
    "bad-status": (
        lambda p: broken(p, lambda d: d["progress"][1].update(status="done")),
        "progress #2: unknown status 'done'.",
    ),
    "long-evidence-note": (
        lambda p: broken(p, lambda d: d["progress"][1].update(note="x" * 201)),
        "progress #2: the note is longer than 200 characters.",
    ),
    "bad-changed-at": (
        lambda p: broken(p, lambda d: d["progress"][0].update(status_changed_at="yesterday")),
        "progress #1: status_changed_at is not a date and time between 1970 and now.",
    ),
    "zero-minutes": (
        lambda p: broken(p, lambda d: d["log"][1].update(minutes=0)),
        "log entry #2: minutes must be a whole number from 1 to 1440.",
    ),
    "negative-minutes": (
        lambda p: broken(p, lambda d: d["log"][1].update(minutes=-30)),
        "log entry #2: minutes must be a whole number from 1 to 1440.",
    ),
    "over-a-day": (
        lambda p: broken(p, lambda d: d["log"][1].update(minutes=1441)),
        "log entry #2: minutes must be a whole number from 1 to 1440.",
    ),
    "minutes-as-text": (
        lambda p: broken(p, lambda d: d["log"][1].update(minutes="45")),
        "log entry #2: minutes must be a whole number from 1 to 1440.",
    ),
    "minutes-as-boolean": (
        lambda p: broken(p, lambda d: d["log"][1].update(minutes=True)),
        "log entry #2: minutes must be a whole number from 1 to 1440.",
    ),
    "bad-date": (
        lambda p: broken(p, lambda d: d["log"][0].update(date="2025-02-30")),
        "log entry #1: '2025-02-30' is not a date.",
    ),
    "duplicate-day": (
        lambda p: broken(p, lambda d: d["log"][1].update(date="2025-03-01")),
        "log entry #2: a second entry for 2025-03-01.",
    ),
    "bad-satisfaction": (
        lambda p: broken(p, lambda d: d["log"][0].update(satisfied="ecstatic")),
        "log entry #1: unknown “satisfied” value 'ecstatic'.",
    ),
    "long-log-note": (
        lambda p: broken(p, lambda d: d["log"][0].update(note="x" * 5001)),
        "log entry #1: the note is longer than 5000 characters.",
    ),
    "bad-timezone": (
        lambda p: broken(p, lambda d: d["profile"].update(timezone="Mars/Olympus_Mons")),
        "profile: “Mars/Olympus_Mons” is not a time zone name such as Europe/Berlin or America/New_York.",
    ),
    "profile-not-an-object": (
        lambda p: broken(p, lambda d: d.update(profile=["ada"])),
        "profile: expected an object.",
    ),
    "progress-not-a-list": (
        lambda p: broken(p, lambda d: d.update(progress=5)),
        "progress: expected a list.",
    ),
    "log-not-a-list": (
        lambda p: broken(p, lambda d: d.update(log={"date": "2025-03-01"})),
        "log: expected a list.",
    ),
    "log-topics-not-a-list": (
        lambda p: broken(p, lambda d: d["log"][0].update(topics=7)),
        "log entry #1: topics must be a list.",
    ),
    "log-entry-not-an-object": (
        lambda p: broken(p, lambda d: d["log"].append("2025-03-04")),
        "log entry #3: expected an object.",
    ),
    # Security finding 6: an import obeys the forms' rules, not only the columns'.
    "future-log-day": (
        lambda p: broken(p, lambda d: d["log"][1].update(date="9999-12-31")),
        "log entry #2: 9999-12-31 is in the future",
    ),
    "future-journey-start": (
        lambda p: broken(p, lambda d: d["profile"].update(journey_start="9999-12-31")),
        "profile: journey_start 9999-12-31 is in the future",
    ),
    "long-stage": (
        lambda p: broken(p, lambda d: d["log"][0].update(stage="s" * 121)),
        "log entry #1: the stage is longer than 120 characters.",
    ),
    "long-display-name": (
        lambda p: broken(p, lambda d: d["profile"].update(display_name="n" * 81)),
        "profile: the display name is longer than 80 characters.",
    ),
    "topic-slug-not-text": (
        lambda p: broken(p, lambda d: d["progress"][0].update(topic=7)),
        "Unknown topic '7' in roadmap 'math-for-ml' on this site.",
    ),
}


@pytest.mark.parametrize(("make_file", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_import_is_refused_with_a_readable_error_and_nothing_changed(
    client, learner, topics, make_file, message
):
    good = json.loads(export_of(client, learner))
    newcomer = UserFactory(username="newcomer")
    ProgressFactory(learner=newcomer, topic=topics["integrals"], status=Status.PRACTISED, note="mine")
    client.force_login(newcomer)
    before = snapshot(newcomer)

    response = client.post(IMPORT, {"file": upload(make_file(good))})

    assert response.status_code == 400
    assert any(error.startswith(message) for error in import_errors(response)), import_errors(response)
    assert snapshot(newcomer) == before
    assert not LogEntry.objects.filter(learner=newcomer).exists()


def test_a_time_without_an_offset_is_read_as_utc(client, learner, topics):
    payload = json.loads(export_of(client, learner))
    payload["progress"][0]["status_changed_at"] = "2025-03-01T12:00:00"
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))})

    assert response.status_code == 302
    row = Progress.objects.get(learner=newcomer, topic__slug=payload["progress"][0]["topic"])
    assert row.status_changed_at.isoformat() == "2025-03-01T12:00:00+00:00"


def test_every_problem_in_a_file_is_listed(client, learner):
    good = json.loads(export_of(client, learner))
    good["progress"][0]["status"] = "done"
    good["log"][0]["minutes"] = 0
    client.force_login(UserFactory(username="newcomer"))

    response = client.post(IMPORT, {"file": upload(json.dumps(good))})

    assert import_errors(response) == [
        "progress #1: unknown status 'done'.",
        "log entry #1: minutes must be a whole number from 1 to 1440.",
    ]
    assert "unknown status &#x27;done&#x27;." in response.content.decode()  # what the file said, escaped


def test_an_import_without_a_file_is_refused(learner_client, learner):
    before = snapshot(learner)

    response = learner_client.post(IMPORT, {})

    assert response.status_code == 400
    assert "This field is required." in import_errors(response)
    assert snapshot(learner) == before


def test_import_needs_a_login_and_a_post(client, learner):
    anonymous = client.post(IMPORT, {"file": upload(export_of(client, learner))})
    client.force_login(learner)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert client.get(IMPORT).status_code == 405


def test_imported_short_text_loses_its_bidi_controls(client, learner):
    good = json.loads(export_of(client, learner))
    good["profile"]["display_name"] = "Ada\u202e evil"
    good["log"][0]["stage"] = "\u2066grind\u2069"
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(good))})

    assert response.status_code == 302
    assert Profile.objects.get(user=newcomer).display_name == "Ada evil"
    assert (
        LogEntry.objects.get(learner=newcomer, date=date.fromisoformat(good["log"][0]["date"])).stage
        == "grind"
    )
