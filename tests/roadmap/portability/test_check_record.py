"""The checking record travels with a learner's data: answers, checks and placement runs out, back in, away."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from roadmap.checking.topic_check import Marked, check_problems, open_check, record_check
from roadmap.models import Attempt, Placement, Progress, Purpose, Status, TopicCheck
from roadmap.portability import data as portability
from tests import dom
from tests.factories import (
    PASSWORD,
    AttemptFactory,
    PlacementFactory,
    ProblemFactory,
    UserFactory,
)
from tests.roadmap.portability.files import (
    EXPORT_JSON,
    EXPORT_PROGRESS,
    IMPORT,
    checking_snapshot,
    export_of,
    import_errors,
    snapshot,
    upload,
)

STARTED = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


@pytest.fixture
def checker(learner, topics):
    """Ada (conftest) who also passed a check of limits, failed one of integrals, and ran a placement.

    The placement ran on derivatives and integrals and she took its proposal; one review answer too.
    """
    for topic in topics.values():
        for n in range(1, 4):
            ProblemFactory(topic=topic, key=f"{topic.slug}-{n}")
    for topic, right in [(topics["limits"], 3), (topics["integrals"], 1)]:
        check = open_check(learner, topic)
        problems = check_problems(check)
        record_check(
            check, [Marked(p, p.answer if i < right else "0", i < right) for i, p in enumerate(problems)]
        )
    run = PlacementFactory(
        learner=learner,
        roadmap=topics["limits"].roadmap,
        created_at=STARTED,
        finished_at=STARTED + timedelta(minutes=9),
        applied_at=STARTED + timedelta(minutes=10),
    )
    for minute, (slug, key, correct) in enumerate(
        [("derivatives", "derivatives-1", True), ("integrals", "integrals-2", False)], start=1
    ):
        problem = topics[slug].problems.get(key=key)
        AttemptFactory(
            learner=learner,
            problem=problem,
            answer=problem.answer if correct else "0",
            correct=correct,
            purpose=Purpose.PLACEMENT,
            placement=run,
            created_at=STARTED + timedelta(minutes=minute),
        )
    AttemptFactory(
        learner=learner, problem=topics["limits"].problems.get(key="limits-1"), purpose=Purpose.REVIEW
    )
    Progress.objects.filter(learner=learner, topic=topics["limits"]).update(review_failures=1)
    return learner


# -- Export ---------------------------------------------------------------------------------------


def test_the_json_export_holds_every_answer_check_and_run_by_slugs_and_keys(client, checker):
    data = json.loads(export_of(client, checker))

    checks = data["topic_checks"]
    assert [(c["ref"], c["topic"], c["score"], c["passed"], len(c["problems"])) for c in checks] == [
        (1, "limits", 3, True, 3),
        (2, "integrals", 1, False, 3),
    ]
    assert all(c["roadmap"] == "math-for-ml" and c["finished_at"] for c in checks)
    assert data["placements"] == [
        {
            "ref": 1,
            "roadmap": "math-for-ml",
            "started_at": "2026-11-20T18:00:00+00:00",
            "finished_at": "2026-11-20T18:09:00+00:00",
            "applied_at": "2026-11-20T18:10:00+00:00",
            "current": None,
        }
    ]
    attempts = data["attempts"]
    assert [(a["purpose"], a["topic"], a["check"], a["placement"]) for a in attempts] == [
        ("placement", "derivatives", None, 1),
        ("placement", "integrals", None, 1),
        *[("check", "limits", 1, None)] * 3,
        *[("check", "integrals", 2, None)] * 3,
        ("review", "limits", None, None),
    ]
    assert attempts[1] == {
        "roadmap": "math-for-ml",
        "topic": "integrals",
        "problem": "integrals-2",
        "answer": "0",
        "correct": False,
        "purpose": "placement",
        "created_at": "2026-11-20T18:02:00+00:00",
        "check": None,
        "placement": 1,
    }
    assert "id" not in json.dumps(attempts).replace('"', " ").split()  # keyed by slugs, never ids


def test_each_progress_record_carries_its_check_and_failed_reviews(client, checker):
    progress = {p["topic"]: p for p in json.loads(export_of(client, checker))["progress"]}

    limits = progress["limits"]
    assert (limits["status"], limits["check_score"], limits["review_failures"]) == ("mastered", "3/3", 1)
    assert (
        datetime.fromisoformat(limits["checked_at"]) == Progress.objects.get(topic__slug="limits").checked_at
    )
    # A failed check raised integrals to practised: no evidence.
    assert (progress["integrals"]["status"], progress["integrals"]["checked_at"]) == ("practised", None)
    assert progress["derivatives"]["check_score"] == ""


def test_the_progress_csv_says_checked_or_self_reported(client, checker, topics):
    Progress.objects.filter(learner=checker, topic=topics["derivatives"]).update(status=Status.SKIPPED)
    client.force_login(checker)

    rows = list(csv.DictReader(io.StringIO(client.get(EXPORT_PROGRESS).content.decode())))

    by_topic = {row["topic"]: (row["status"], row["checked"], row["check_score"]) for row in rows}
    assert by_topic == {
        "derivatives": ("Known", "self-reported", ""),
        "integrals": ("Practised", "", ""),
        "limits": ("Mastered", "checked", "3/3"),
    }
    [limits] = [row for row in rows if row["topic"] == "limits"]
    assert limits["checked_at"] == Progress.objects.get(topic__slug="limits").checked_at.isoformat()


def test_the_export_holds_no_other_learners_answers(client, checker, topics):
    other = UserFactory(username="grace")
    AttemptFactory(learner=other, problem=topics["limits"].problems.first(), answer="grace-was-here")
    PlacementFactory(learner=other, roadmap=topics["limits"].roadmap, created_at=STARTED - timedelta(days=9))

    body = export_of(client, checker).decode()

    assert "grace-was-here" not in body
    assert len(json.loads(body)["placements"]) == 1


# -- Import ---------------------------------------------------------------------------------------


def test_export_delete_sign_up_and_import_restores_answers_checks_and_runs(client, checker):
    client.force_login(checker)
    exported = client.get(EXPORT_JSON).content
    before = snapshot(checker)
    assert len(before["attempts"]) == 9 and len(before["topic_checks"]) == 2 and before["placements"]

    client.post("/settings/delete/", {"password": PASSWORD, "confirm": "on"})
    assert not Attempt.objects.exists() and not TopicCheck.objects.exists() and not Placement.objects.exists()
    client.post(
        "/accounts/signup/",
        {"email": "ada2@example.com", "username": "ada-again", "password1": PASSWORD, "password2": PASSWORD},
    )
    new_user = type(checker).objects.get(username="ada-again")

    response = client.post(IMPORT, {"file": upload(exported)}, follow=True)

    assert snapshot(new_user) == before
    assert "and 9 answers to check problems. Nothing was duplicated." in response.content.decode()
    assert Progress.objects.get(learner=new_user, topic__slug="limits").is_checked
    assert dom.select(response, ".flash-warning") == []  # nothing skipped


def test_importing_twice_adds_no_answer_check_or_run(client, checker):
    exported = json.loads(export_of(client, checker))
    newcomer = UserFactory()

    portability.import_data(newcomer, exported)
    once = checking_snapshot(newcomer)
    counts = portability.import_data(newcomer, exported)

    assert checking_snapshot(newcomer) == once
    assert (counts["attempts"], counts["new_attempts"]) == (9, 0)
    assert (
        TopicCheck.objects.filter(learner=newcomer).count(),
        Placement.objects.filter(learner=newcomer).count(),
    ) == (
        2,
        1,
    )


def test_answers_to_problems_this_site_lacks_are_skipped_with_a_message(client, checker):
    payload = json.loads(export_of(client, checker))
    payload["attempts"][0]["problem"] = "retired-problem"
    payload["attempts"][1]["topic"] = "no-such-topic"
    payload["topic_checks"][1]["problems"][0] = "retired-problem"
    client.force_login(UserFactory(username="newcomer"))

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))}, follow=True)

    html = response.content.decode()
    assert "and 7 answers to check problems" in html
    messages = [m.text for m in dom.select(html, ".flash-warning")]
    assert "Not imported: 2 answers to problems that are not on this site." in messages
    assert "Not imported: The check of 'integrals' on " in " ".join(
        messages
    ) and "some of its problems are not on this site." in " ".join(messages)
    newcomer = type(checker).objects.get(username="newcomer")
    # The skipped check's answers still come in, on their own.
    assert Attempt.objects.filter(learner=newcomer, topic_check=None, purpose=Purpose.CHECK).count() == 3
    assert TopicCheck.objects.filter(learner=newcomer).count() == 1


def test_a_skipped_message_shows_what_the_file_said_escaped(client, checker):
    payload = json.loads(export_of(client, checker))
    payload["topic_checks"][0]["topic"] = "<script>alert(1)</script>"
    client.force_login(UserFactory(username="newcomer"))

    html = client.post(IMPORT, {"file": upload(json.dumps(payload))}, follow=True).content.decode()

    assert "<script>alert(1)</script>" not in html
    assert any("&lt;script&gt;" in m.markup() for m in dom.select(html, ".flash"))


def test_an_older_export_without_checks_keeps_the_evidence_on_record(client, checker, topics):
    payload = json.loads(export_of(client, checker))
    for record in payload["progress"]:
        for name in ("checked_at", "check_score", "review_failures"):
            del record[name]
    for name in ("topic_checks", "placements", "attempts"):
        del payload[name]

    counts = portability.import_data(checker, payload)

    limits = Progress.objects.get(learner=checker, topic=topics["limits"])
    assert (limits.is_checked, limits.check_score, limits.review_failures) == (True, "3/3", 1)
    assert counts["attempts"] == 0


def test_a_file_that_says_self_reported_drops_a_check_on_record(checker, topics):
    payload = portability.export_data(checker)
    [limits] = [p for p in payload["progress"] if p["topic"] == "limits"]
    limits.update(checked_at=None, check_score="")

    portability.import_data(checker, payload)

    assert not Progress.objects.get(learner=checker, topic=topics["limits"]).is_checked


def test_an_unfinished_run_resumes_after_import_even_without_its_problem(client, learner, topics):
    for topic in topics.values():
        ProblemFactory(topic=topic, key=f"{topic.slug}-1")
    run = PlacementFactory(
        learner=learner, roadmap=topics["limits"].roadmap, current=topics["limits"].problems.get()
    )
    payload = portability.export_data(learner)
    assert payload["placements"][0]["current"] == {"topic": "limits", "problem": "limits-1"}
    payload["placements"][0]["current"]["problem"] = "gone"
    newcomer = UserFactory()
    portability.import_data(newcomer, payload)
    restored = Placement.objects.get(learner=newcomer)
    assert (restored.finished_at, restored.current, restored.created_at) == (None, None, run.created_at)
    client.force_login(newcomer)

    response = client.get("/placement/question/")

    assert response.status_code == 200
    restored.refresh_from_db()
    assert restored.current is not None  # the rule put a problem on screen
    assert dom.select(response, "form input[name=problem]")


def bad(change):
    def make(payload):
        change(payload)
        return payload

    return make


BAD_FILES = {
    "attempts-not-a-list": (bad(lambda d: d.update(attempts={"answer": "1"})), "attempts: expected a list."),
    "checks-not-a-list": (bad(lambda d: d.update(topic_checks=3)), "topic_checks: expected a list."),
    "attempt-not-an-object": (bad(lambda d: d["attempts"].append("1")), "attempt #10: expected an object."),
    "answer-too-long": (
        bad(lambda d: d["attempts"][0].update(answer="9" * 301)),
        "attempt #1: the answer must be text of at most 300 characters.",
    ),
    "answer-not-text": (
        bad(lambda d: d["attempts"][0].update(answer=4)),
        "attempt #1: the answer must be text of at most 300 characters.",
    ),
    "correct-not-a-boolean": (
        bad(lambda d: d["attempts"][0].update(correct="yes")),
        "attempt #1: correct must be true or false.",
    ),
    "unknown-purpose": (
        bad(lambda d: d["attempts"][0].update(purpose="exam")),
        "attempt #1: unknown purpose 'exam'.",
    ),
    "attempt-time": (
        bad(lambda d: d["attempts"][0].update(created_at="0001-01-01T00:00:00+14:00")),
        "attempt #1: created_at is not a date and time between 1970 and now.",
    ),
    "attempt-ref": (
        bad(lambda d: d["attempts"][0].update(placement="1")),
        "attempt #1: “check” and “placement” must be a ref from the file, or null.",
    ),
    "check-score": (
        bad(lambda d: d["topic_checks"][0].update(score=4)),
        "topic check #1: score must be a whole number from 0 to 3.",
    ),
    "check-passed": (
        bad(lambda d: d["topic_checks"][0].update(passed="yes")),
        "topic check #1: passed must be true, false or null.",
    ),
    "check-problems": (
        bad(lambda d: d["topic_checks"][0].update(problems="limits-1")),
        "topic check #1: problems must be a list of problem keys.",
    ),
    "check-ref-twice": (
        bad(lambda d: d["topic_checks"][1].update(ref=1)),
        "topic check #2: “ref” must be a whole number, different for each.",
    ),
    "run-time": (
        bad(lambda d: d["placements"][0].update(applied_at="soon")),
        "placement #1: applied_at is not a date and time between 1970 and now.",
    ),
    "checked-but-learning": (
        bad(lambda d: d["progress"][0].update(status="learning", checked_at="2026-11-01T00:00:00+00:00")),
        "progress #1: checked_at is set, but only a mastered or known topic is checked.",
    ),
    "checked-at": (
        bad(lambda d: [p.update(checked_at="yesterday") for p in d["progress"] if p["topic"] == "limits"]),
        "checked_at is not a date and time between 1970 and now.",
    ),
    "check-score-not-text": (
        bad(lambda d: [p.update(check_score=3) for p in d["progress"] if p["topic"] == "limits"]),
        "check_score must be text such as “3/3”.",
    ),
    "review-failures": (
        bad(lambda d: d["progress"][0].update(review_failures=-1)),
        "progress #1: review_failures must be a whole number from 0 to 10000.",
    ),
}


@pytest.mark.parametrize(("make_file", "message"), BAD_FILES.values(), ids=BAD_FILES.keys())
def test_a_bad_checking_record_refuses_the_file_and_changes_nothing(client, checker, make_file, message):
    payload = make_file(json.loads(export_of(client, checker)))
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(json.dumps(payload))})

    assert response.status_code == 400
    assert any(message in error for error in import_errors(response)), import_errors(response)
    assert not Attempt.objects.filter(learner=newcomer).exists()
    assert not Progress.objects.filter(learner=newcomer).exists()
