"""Your data: export as JSON and CSV, and import the JSON back, idempotently and all-or-nothing."""

import csv
import io
import json
import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import Profile, Visibility
from roadmap.models import LogEntry, Progress, Satisfaction, Status
from tests.factories import (
    PASSWORD,
    LogEntryFactory,
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

EXPORT_JSON = "/settings/export.json"
EXPORT_PROGRESS = "/settings/export-progress.csv"
EXPORT_LOG = "/settings/export-log.csv"
IMPORT = "/settings/import/"


@pytest.fixture
def topics(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus", title="Calculus")
    return {
        slug: TopicFactory(section=calculus, slug=slug, title=title, order=order)
        for order, (slug, title) in enumerate(
            [("limits", "Limits"), ("derivatives", "Derivatives"), ("integrals", "Integrals")]
        )
    }


@pytest.fixture
def learner(topics):
    """Ada's whole record: progress with evidence notes, a goal, settings and a log."""
    user = UserFactory(username="ada", email="ada@example.com")
    ProfileFactory(
        user=user,
        display_name="Ada L.",
        visibility=Visibility.PUBLIC,
        timezone="Europe/Berlin",
        journey_start=date(2025, 2, 1),
        share_log_notes=True,
        plan_free_only=True,
        goal=topics["integrals"],
    )
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.MASTERED, note="Larson 1.2, ex 1–40")
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING, note="")
    LogEntryFactory(
        learner=user,
        date=date(2025, 3, 1),
        minutes=360,
        stage="noob-level math grind",
        satisfied=Satisfaction.YES,
        note='Hard day, "but" good,\nsecond line',
        topics=[topics["limits"], topics["derivatives"]],
    )
    LogEntryFactory(
        learner=user, date=date(2025, 3, 2), minutes=45, stage="", satisfied=Satisfaction.NOT_REALLY
    )
    return user


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def snapshot(user) -> dict:
    """Everything import can change, in a form that compares across accounts."""
    profile = Profile.objects.for_user(user)
    return {
        "profile": (
            profile.display_name,
            profile.timezone,
            profile.journey_start,
            profile.share_log_notes,
            profile.plan_free_only,
            profile.goal.slug if profile.goal else None,
        ),
        "progress": sorted(
            Progress.objects.filter(learner=user).values_list(
                "topic__slug", "status", "note", "status_changed_at"
            )
        ),
        "log": [
            (e.date, e.minutes, e.stage, e.satisfied, e.note, sorted(t.slug for t in e.topics.all()))
            for e in LogEntry.objects.filter(learner=user).order_by("date").prefetch_related("topics")
        ],
    }


def upload(content: str | bytes, name: str = "export.json") -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/json")


def import_errors(response) -> list[str]:
    return re.findall(r'<p class="field-errors" role="alert">(.*?)</p>', response.content.decode())


# -- Export ---------------------------------------------------------------------------------------


def test_settings_link_to_every_export(learner_client):
    html = learner_client.get("/settings/").content.decode()

    assert f'<a href="{EXPORT_JSON}">Export as JSON</a>' in html
    assert f'<a href="{EXPORT_PROGRESS}">Progress as CSV</a>' in html
    assert f'<a href="{EXPORT_LOG}">Learning log as CSV</a>' in html
    assert f'action="{IMPORT}" enctype="multipart/form-data"' in html


@pytest.mark.parametrize(
    ("path", "content_type", "suffix"),
    [
        (EXPORT_JSON, "application/json", ".json"),
        (EXPORT_PROGRESS, "text/csv; charset=utf-8", "-progress.csv"),
        (EXPORT_LOG, "text/csv; charset=utf-8", "-log.csv"),
    ],
)
def test_exports_download_as_attachments(learner_client, path, content_type, suffix):
    response = learner_client.get(path)

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    stamp = timezone.now().strftime("%Y%m%d")
    assert response["Content-Disposition"] == f'attachment; filename="mathpath-ada-{stamp}{suffix}"'
    assert response["Cache-Control"] == "no-store"


@pytest.mark.parametrize("path", [EXPORT_JSON, EXPORT_PROGRESS, EXPORT_LOG])
def test_exports_need_a_login_and_a_get(client, learner, path):
    anonymous = client.get(path)
    client.force_login(learner)

    assert anonymous.status_code == 302
    assert anonymous["Location"] == f"/accounts/login/?next={path}"
    assert client.post(path).status_code == 405


def test_the_json_export_holds_progress_notes_goal_settings_and_log(learner_client):
    data = json.loads(learner_client.get(EXPORT_JSON).content)

    assert (data["format"], data["version"]) == ("mathpath-export", 1)
    assert data["profile"] == {
        "username": "ada",
        "display_name": "Ada L.",
        "timezone": "Europe/Berlin",
        "journey_start": "2025-02-01",
        "share_log_notes": True,
        "plan_free_only": True,
        "goal": {"roadmap": "math-for-ml", "topic": "integrals"},
    }
    assert [(p["topic"], p["status"], p["note"]) for p in data["progress"]] == [
        ("derivatives", "learning", ""),
        ("limits", "mastered", "Larson 1.2, ex 1–40"),
    ]
    assert data["log"] == [
        {
            "date": "2025-03-01",
            "minutes": 360,
            "stage": "noob-level math grind",
            "satisfied": "yes",
            "note": 'Hard day, "but" good,\nsecond line',
            "topics": [
                {"roadmap": "math-for-ml", "topic": "limits"},
                {"roadmap": "math-for-ml", "topic": "derivatives"},
            ],
        },
        {
            "date": "2025-03-02",
            "minutes": 45,
            "stage": "",
            "satisfied": "not_really",
            "note": "",
            "topics": [],
        },
    ]


def test_the_json_export_holds_no_email_password_or_sharing_secrets(learner_client, learner):
    body = learner_client.get(EXPORT_JSON).content.decode()

    assert "ada@example.com" not in body
    assert learner.password not in body
    assert Profile.objects.get(user=learner).share_token not in body
    assert "visibility" not in json.loads(body)["profile"]


def test_the_json_export_holds_only_the_learners_own_data(learner_client, topics):
    other = UserFactory(username="grace")
    ProgressFactory(learner=other, topic=topics["integrals"], note="Grace's evidence")
    LogEntryFactory(learner=other, date=date(2025, 3, 5), note="Grace's log")

    body = learner_client.get(EXPORT_JSON).content.decode()

    assert "Grace" not in body
    assert "2025-03-05" not in body


def test_the_progress_csv_has_a_row_per_topic(learner_client):
    rows = list(csv.reader(io.StringIO(learner_client.get(EXPORT_PROGRESS).content.decode())))

    assert rows[0] == ["roadmap", "topic", "title", "status", "note", "status_changed_at"]
    assert [row[:5] for row in rows[1:]] == [
        ["math-for-ml", "derivatives", "Derivatives", "learning", ""],
        ["math-for-ml", "limits", "Limits", "mastered", "Larson 1.2, ex 1–40"],
    ]
    assert all(row[5].startswith(str(timezone.now().year)) for row in rows[1:])


def test_the_log_csv_has_a_row_per_day_with_notes_quoted(learner_client):
    rows = list(csv.reader(io.StringIO(learner_client.get(EXPORT_LOG).content.decode())))

    assert rows == [
        ["date", "minutes", "stage", "satisfied", "topics", "note"],
        [
            "2025-03-01",
            "360",
            "noob-level math grind",
            "yes",
            "limits derivatives",
            'Hard day, "but" good,\nsecond line',
        ],
        ["2025-03-02", "45", "", "not_really", "", ""],
    ]


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
    payload = json.loads(_export(client, learner))
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


def _export(client, user) -> bytes:
    client.force_login(user)
    exported = client.get(EXPORT_JSON).content
    client.logout()
    return exported


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
        lambda p: broken(p, lambda d: d.update(version=2)),
        "Unsupported export version 2; this site reads version 1.",
    ),
    "unknown-topic": (
        lambda p: broken(p, lambda d: d["progress"][0].update(topic="quantum-gravity")),
        "Unknown topic &#x27;quantum-gravity&#x27; in roadmap &#x27;math-for-ml&#x27; on this site.",
    ),
    "unknown-log-topic": (
        lambda p: broken(
            p, lambda d: d["log"][0]["topics"].append({"roadmap": "math-for-ml", "topic": "nope"})
        ),
        "Unknown topic &#x27;nope&#x27; in roadmap &#x27;math-for-ml&#x27; on this site.",
    ),
    "bad-status": (
        lambda p: broken(p, lambda d: d["progress"][1].update(status="done")),
        "progress #2: unknown status &#x27;done&#x27;.",
    ),
    "long-evidence-note": (
        lambda p: broken(p, lambda d: d["progress"][1].update(note="x" * 201)),
        "progress #2: the note is longer than 200 characters.",
    ),
    "bad-changed-at": (
        lambda p: broken(p, lambda d: d["progress"][0].update(status_changed_at="yesterday")),
        "progress #1: status_changed_at is not a date and time.",
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
        "log entry #1: &#x27;2025-02-30&#x27; is not a date.",
    ),
    "duplicate-day": (
        lambda p: broken(p, lambda d: d["log"][1].update(date="2025-03-01")),
        "log entry #2: a second entry for 2025-03-01.",
    ),
    "bad-satisfaction": (
        lambda p: broken(p, lambda d: d["log"][0].update(satisfied="ecstatic")),
        "log entry #1: unknown “satisfied” value &#x27;ecstatic&#x27;.",
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
    "topic-slug-not-text": (
        lambda p: broken(p, lambda d: d["progress"][0].update(topic=7)),
        "Unknown topic &#x27;7&#x27; in roadmap &#x27;math-for-ml&#x27; on this site.",
    ),
}


@pytest.mark.parametrize(("make_file", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_import_is_refused_with_a_readable_error_and_nothing_changed(
    client, learner, topics, make_file, message
):
    good = json.loads(_export(client, learner))
    newcomer = UserFactory(username="newcomer")
    ProgressFactory(learner=newcomer, topic=topics["integrals"], status=Status.PRACTISED, note="mine")
    client.force_login(newcomer)
    before = snapshot(newcomer)

    response = client.post(IMPORT, {"file": upload(make_file(good))})

    assert response.status_code == 400
    assert message in import_errors(response)
    assert snapshot(newcomer) == before
    assert not LogEntry.objects.filter(learner=newcomer).exists()


def test_a_time_without_an_offset_is_read_as_utc(client, learner, topics):
    payload = json.loads(_export(client, learner))
    payload["progress"][0]["status_changed_at"] = "2025-03-01T12:00:00"
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))})

    assert response.status_code == 302
    row = Progress.objects.get(learner=newcomer, topic__slug=payload["progress"][0]["topic"])
    assert row.status_changed_at.isoformat() == "2025-03-01T12:00:00+00:00"


def test_every_problem_in_a_file_is_listed(client, learner):
    good = json.loads(_export(client, learner))
    good["progress"][0]["status"] = "done"
    good["log"][0]["minutes"] = 0
    client.force_login(UserFactory(username="newcomer"))

    response = client.post(IMPORT, {"file": upload(json.dumps(good))})

    assert import_errors(response) == [
        "progress #1: unknown status &#x27;done&#x27;.",
        "log entry #1: minutes must be a whole number from 1 to 1440.",
    ]


def test_an_import_without_a_file_is_refused(learner_client, learner):
    before = snapshot(learner)

    response = learner_client.post(IMPORT, {})

    assert response.status_code == 400
    assert "This field is required." in import_errors(response)
    assert snapshot(learner) == before


def test_import_needs_a_login_and_a_post(client, learner):
    anonymous = client.post(IMPORT, {"file": upload(_export(client, learner))})
    client.force_login(learner)

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert client.get(IMPORT).status_code == 405
