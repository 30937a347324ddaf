"""Your data, whole: an export imported into a new account exports the same again, field by field."""

import json
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from accounts.models import Profile
from roadmap.community import suggestions
from roadmap.models import (
    Progress,
    ResourceRating,
    ResourceSuggestion,
    Roadmap,
    Status,
    SuggestionStatus,
)
from roadmap.portability import data as portability
from roadmap.progress import dashboard, review
from roadmap.progress.review import ReviewRating
from tests.factories import (
    MasteredProgressFactory,
    PracticeTaskFactory,
    ProblemFactory,
    ResourceSuggestionFactory,
    UserFactory,
)
from tests.roadmap.portability.files import IMPORT, empty_fields, first_difference, upload


def content(export: dict) -> dict:
    """The export without what cannot be the same in another account, so two accounts compare.

    - exported_at: when the file was made;
    - the username: the account's, never imported (another account may hold it);
    - a waiting suggestion's created_at: it is sent to the queue again, at the import,
      so that it counts against the day's allowance as the form counts it.
    """
    export = json.loads(json.dumps(export))
    del export["exported_at"], export["profile"]["username"]
    for suggestion in export["suggestions"]:
        if suggestion["status"] == SuggestionStatus.PENDING:
            del suggestion["created_at"]
    return export


def test_an_export_imported_into_a_new_account_exports_the_same_again(rich):
    exported = portability.export_data(rich)
    # FSRS's learning step is always null here: this site's scheduler has no learning steps.
    assert empty_fields(exported) == ["$.progress[].review.step"], "the rich account leaves these empty"
    rich.delete()  # moving house: the old account is gone, so its waiting suggestion is no longer queued
    newcomer = UserFactory(username="grace-again")

    counts = portability.import_data(newcomer, json.loads(json.dumps(exported)))

    assert counts["skipped"] == []
    again = portability.export_data(newcomer)
    assert first_difference(content(exported), content(again)) is None


def test_importing_the_round_trip_again_changes_nothing(rich):
    exported = json.loads(json.dumps(portability.export_data(rich)))
    rich.delete()
    newcomer = UserFactory(username="grace-again")
    portability.import_data(newcomer, exported)
    once = portability.export_data(newcomer)

    portability.import_data(newcomer, exported)

    assert first_difference(content(once), content(portability.export_data(newcomer))) is None
    assert ResourceSuggestion.objects.filter(suggester=newcomer).count() == 3
    assert ResourceRating.objects.filter(learner=newcomer).count() == 2


def test_an_imported_mastered_topic_comes_due_for_review_like_the_original(rich, topics):
    roadmap = Roadmap.objects.get(slug="math-for-ml")
    newcomer = UserFactory(username="grace-again")
    portability.import_data(newcomer, json.loads(json.dumps(portability.export_data(rich))))

    def due(user) -> list[str]:
        return [
            item.topic.slug for item in dashboard.build_dashboard(learner=user, roadmap=roadmap).reviews_due
        ]

    assert due(rich) == ["derivatives", "limits"]  # the longest overdue first, as the dashboard lists them
    assert due(newcomer) == due(rich)
    # The memory state came too: the same review on both accounts schedules the same next one.
    later = timezone.now() + timedelta(days=3)
    for user in (rich, newcomer):
        for slug in ("limits", "derivatives"):
            review.review_topic(learner=user, topic=topics[slug], rating=ReviewRating.GOOD, now=later)
    original, imported = (
        dict(
            Progress.objects.filter(learner=user, status=Status.MASTERED).values_list(
                "topic__slug", "review_due"
            )
        )
        for user in (rich, newcomer)
    )
    assert imported == original
    assert all(due_at > later for due_at in imported.values())


def test_a_waiting_suggestion_the_old_account_still_has_in_the_queue_is_skipped_with_a_message(client, rich):
    exported = json.dumps(portability.export_data(rich))
    newcomer = UserFactory(username="grace-again")
    client.force_login(newcomer)

    response = client.post(IMPORT, {"file": upload(exported)}, follow=True)

    page = response.content.decode()
    assert (
        "Not imported: The suggestion “Limits, visually” for Limits: Someone has already suggested that link"
        in page
    )
    assert "2 resource ratings and 2 new resource suggestions. Nothing was duplicated." in page
    assert set(ResourceSuggestion.objects.filter(suggester=newcomer).values_list("status", flat=True)) == {
        SuggestionStatus.APPROVED,
        SuggestionStatus.REJECTED,
    }
    assert (
        ResourceSuggestion.objects.get(suggester=rich, status=SuggestionStatus.PENDING).title
        == "Limits, visually"
    )


def test_waiting_suggestions_beyond_the_days_allowance_are_left_for_another_day(topics):
    writer = UserFactory(username="writer")
    for n in range(suggestions.SUGGESTIONS_PER_DAY + 2):
        ResourceSuggestionFactory(suggester=writer, topic=topics["limits"], url=f"https://notes.example/{n}")
    exported = json.loads(json.dumps(portability.export_data(writer)))
    writer.delete()
    newcomer = UserFactory(username="newcomer")

    counts = portability.import_data(newcomer, exported)

    assert counts["suggestions"] == suggestions.SUGGESTIONS_PER_DAY
    assert len(counts["skipped"]) == 2
    assert all("you can suggest 5 resources a day" in message for message in counts["skipped"])
    assert suggestions.suggestions_left_today(newcomer) == 0  # they count as today's, as the form's would


# -- A file from before this format ---------------------------------------------------------------------

# A version 1 export as the site wrote it before review schedules, ratings and suggestions.
VERSION_1 = {
    "format": "mathpath-export",
    "version": 1,
    "exported_at": "2026-06-01T10:00:00+00:00",
    "profile": {
        "username": "ada",
        "display_name": "Ada L.",
        "timezone": "Europe/Berlin",
        "journey_start": "2026-02-01",
        "share_log_notes": True,
        "plan_free_only": False,
        "goal": {"roadmap": "math-for-ml", "topic": "integrals"},
    },
    "progress": [
        {
            "roadmap": "math-for-ml",
            "topic": "derivatives",
            "status": "learning",
            "note": "",
            "status_changed_at": "2026-03-02T08:00:00+00:00",
            "created_at": "2026-03-02T08:00:00+00:00",
            "checked_at": None,
            "check_score": "",
            "review_failures": 0,
        },
        {
            "roadmap": "math-for-ml",
            "topic": "limits",
            "status": "mastered",
            "note": "Larson 1.2",
            "status_changed_at": "2026-03-01T09:30:00+00:00",
            "created_at": "2026-02-20T09:30:00+00:00",
            "checked_at": "2026-03-01T09:30:00+00:00",
            "check_score": "3/3",
            "review_failures": 0,
        },
    ],
    "log": [
        {
            "date": "2026-03-01",
            "minutes": 120,
            "stage": "grind",
            "satisfied": "yes",
            "note": "Limits done",
            "topics": [{"roadmap": "math-for-ml", "topic": "limits"}],
        }
    ],
    "practice_done": [
        {
            "roadmap": "math-for-ml",
            "section": "calculus",
            "task": "tangents",
            "done_at": "2026-03-01T10:00:00+00:00",
        }
    ],
    "topic_checks": [
        {
            "ref": 1,
            "roadmap": "math-for-ml",
            "topic": "limits",
            "problems": ["limit-1"],
            "created_at": "2026-03-01T09:00:00+00:00",
            "finished_at": "2026-03-01T09:30:00+00:00",
            "score": 1,
            "passed": True,
        }
    ],
    "placements": [],
    "attempts": [
        {
            "roadmap": "math-for-ml",
            "topic": "limits",
            "problem": "limit-1",
            "answer": "0",
            "correct": True,
            "purpose": "check",
            "created_at": "2026-03-01T09:10:00+00:00",
            "check": 1,
            "placement": None,
        }
    ],
}


def test_a_version_1_export_still_imports_whole_and_schedules_its_mastered_topics(topics):
    PracticeTaskFactory(section=topics["limits"].section, slug="tangents")
    ProblemFactory(topic=topics["limits"], key="limit-1", answer="0")
    newcomer = UserFactory(username="newcomer")
    before_import = timezone.now()

    counts = portability.import_data(newcomer, json.loads(json.dumps(VERSION_1)))

    assert (counts["progress"], counts["log"], counts["attempts"], counts["skipped"]) == (2, 1, 1, [])
    again = portability.export_data(newcomer)
    assert again["version"] == portability.VERSION
    # Every field the old file had comes back as it was; the new ones are added.
    assert first_difference(content_v1(VERSION_1), content_v1(shaped_like(VERSION_1, again))) is None
    assert (again["ratings"], again["suggestions"]) == ([], [])
    # The mastered topic, without a schedule in the file, is scheduled as mastering it now would be.
    limits = Progress.objects.get(learner=newcomer, topic=topics["limits"])
    expected = Progress()
    review.start_reviews(expected, now=before_import)
    assert before_import < limits.review_due <= expected.review_due + timedelta(minutes=1)
    assert Progress.objects.get(learner=newcomer, topic=topics["derivatives"]).review_due is None


def shaped_like(old, new):
    """`new` with only the fields `old` has, at every depth: what an older file can be compared on."""
    if isinstance(old, dict) and isinstance(new, dict):
        return {key: shaped_like(old[key], new.get(key)) for key in old}
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [shaped_like(one, other) for one, other in zip(old, new, strict=True)]
    return new


def content_v1(export: dict) -> dict:
    export = json.loads(json.dumps(export))
    del export["exported_at"], export["profile"]["username"], export["version"]
    return export


def test_a_version_1_file_keeps_the_schedule_of_a_topic_already_mastered_here(topics):
    learner = UserFactory(username="newcomer")
    mastered = MasteredProgressFactory(
        learner=learner, topic=topics["limits"], mastered_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    payload = json.loads(json.dumps(VERSION_1))
    payload.update(practice_done=[], topic_checks=[], attempts=[])

    portability.import_data(learner, payload)

    assert Progress.objects.get(pk=mastered.pk).review_card == mastered.review_card


def test_the_profile_keeps_its_share_token_and_visibility(rich):
    exported = json.loads(json.dumps(portability.export_data(rich)))
    newcomer = UserFactory(username="newcomer")
    token = Profile.objects.for_user(newcomer).share_token

    portability.import_data(newcomer, exported)

    assert Profile.objects.get(user=newcomer).share_token == token
    assert "share_token" not in exported["profile"] and "visibility" not in exported["profile"]


def test_a_link_the_file_suggests_twice_for_two_topics_is_sent_once(topics):
    writer = UserFactory(username="writer")
    ResourceSuggestionFactory(suggester=writer, topic=topics["limits"], url="https://notes.example/calculus")
    exported = json.loads(json.dumps(portability.export_data(writer)))
    twice = dict(exported["suggestions"][0], topic="derivatives", url="http://www.notes.example/calculus/")
    exported["suggestions"].append(twice)
    writer.delete()
    newcomer = UserFactory(username="newcomer")

    counts = portability.import_data(newcomer, exported)

    assert counts["suggestions"] == 1
    assert counts["skipped"] == [
        f"The suggestion “{twice['title']}” for Derivatives: the file suggests this link twice; it is sent once."
    ]
