"""Review schedules, ratings and suggestions in an import: refused by their forms' rules, whole."""

import json

import pytest

from roadmap.models import ResourceRating, ResourceSuggestion, SuggestionStatus
from roadmap.portability import community
from roadmap.portability import data as portability
from tests.factories import UserFactory
from tests.roadmap.portability.files import IMPORT, import_errors, snapshot, upload


def changed(payload: dict, change) -> str:
    payload = json.loads(json.dumps(payload))
    change(payload)
    return json.dumps(payload)


def progress_of(payload: dict, slug: str) -> dict:
    return next(row for row in payload["progress"] if row["topic"] == slug)


def suggestion_of(payload: dict, status: str) -> dict:
    return next(row for row in payload["suggestions"] if row["status"] == status)


BAD = {
    "review-on-a-learning-topic": (
        lambda d: progress_of(d, "integrals").update(review=progress_of(d, "limits")["review"]),
        # Sorted by slug, the progress is derivatives, integrals, limits, series, vectors.
        "progress #2: only a mastered topic has a review schedule.",
    ),
    "review-not-an-object": (
        lambda d: progress_of(d, "limits").update(review="tomorrow"),
        "review must be an object",
    ),
    "review-due-not-a-time": (
        lambda d: progress_of(d, "limits")["review"].update(due="soon"),
        "review due is not a date and time between 1970 and 100 years from now.",
    ),
    "review-due-in-a-thousand-years": (
        lambda d: progress_of(d, "limits")["review"].update(due="3026-01-01T00:00:00+00:00"),
        "review due is not a date and time between 1970 and 100 years from now.",
    ),
    "review-last-in-the-future": (
        lambda d: progress_of(d, "limits")["review"].update(last_review="2999-01-01T00:00:00+00:00"),
        "review last_review is not a date and time between 1970 and now.",
    ),
    "review-unknown-state": (
        lambda d: progress_of(d, "limits")["review"].update(state="forgotten"),
        "review state must be one of learning, review, relearning.",
    ),
    "review-negative-stability": (
        lambda d: progress_of(d, "limits")["review"].update(stability=-1),
        "review stability must be a number from 0 to 1e+06, or null.",
    ),
    "review-stability-nan": (
        lambda d: progress_of(d, "limits")["review"].update(stability=float("nan")),
        "review stability must be a number from 0 to 1e+06, or null.",
    ),
    "review-difficulty-as-text": (
        lambda d: progress_of(d, "limits")["review"].update(difficulty="5"),
        "review difficulty must be a number from 1 to 10, or null.",
    ),
    "review-difficulty-eleven": (
        lambda d: progress_of(d, "limits")["review"].update(difficulty=11),
        "review difficulty must be a number from 1 to 10, or null.",
    ),
    "review-step-negative": (
        lambda d: progress_of(d, "limits")["review"].update(step=-1),
        "review step must be a whole number from 0 to 100, or null.",
    ),
    "created-at-in-the-future": (
        lambda d: progress_of(d, "limits").update(created_at="2999-01-01T00:00:00+00:00"),
        "created_at is not a date and time between 1970 and now.",
    ),
    "rating-six": (
        lambda d: d["ratings"][0].update(rating=6),
        "rating #1: Rate it from 1 to 5, or just mark it used.",
    ),
    "rating-as-text": (
        lambda d: d["ratings"][1].update(rating="5"),
        "rating #2: Rate it from 1 to 5, or just mark it used.",
    ),
    "rating-twice": (
        lambda d: d["ratings"].append(dict(d["ratings"][0])),
        "rating #3: a second rating of '3b1b'.",
    ),
    "rating-bad-time": (
        lambda d: d["ratings"][0].update(rated_at="yesterday"),
        "rating #1: rated_at is not a date and time between 1970 and now.",
    ),
    "ratings-not-a-list": (lambda d: d.update(ratings={"stewart": 5}), "ratings: expected a list."),
    "rating-not-an-object": (lambda d: d["ratings"].append(5), "rating #3: expected an object."),
    "suggestion-script-link": (
        lambda d: suggestion_of(d, "pending").update(url="javascript:alert(1)"),
        "url: Enter a valid URL.",
    ),
    "suggestion-ftp-link": (
        lambda d: suggestion_of(d, "rejected").update(url="ftp://files.example.org/notes"),
        "url: Enter a web address starting with http:// or https://.",
    ),
    "suggestion-without-title": (
        lambda d: suggestion_of(d, "approved").update(title="\u202e"),
        "title: This field is required.",
    ),
    "suggestion-title-not-text": (
        lambda d: suggestion_of(d, "pending").update(title=7),
        "title must be text.",
    ),
    "suggestion-long-reason-why": (
        lambda d: suggestion_of(d, "pending").update(why="w" * 1001),
        "why: Ensure this value has at most 1000 characters (it has 1001).",
    ),
    "suggestion-unknown-kind": (
        lambda d: suggestion_of(d, "pending").update(kind="blog"),
        "kind: Select a valid choice. blog is not one of the available choices.",
    ),
    "suggestion-unknown-status": (
        lambda d: suggestion_of(d, "pending").update(status="accepted"),
        "unknown status 'accepted'.",
    ),
    "suggestion-rejected-without-reason": (
        lambda d: suggestion_of(d, "rejected").update(rejection_reason=" "),
        "a rejected suggestion needs the curator's reason.",
    ),
    "suggestion-unknown-topic": (
        lambda d: suggestion_of(d, "pending").update(topic="string-theory"),
        "Unknown topic 'string-theory' in roadmap 'math-for-ml' on this site.",
    ),
    "suggestion-bad-time": (
        lambda d: suggestion_of(d, "rejected").update(decided_at="0001-01-01T00:00:00+14:00"),
        "decided_at is not a date and time between 1970 and now.",
    ),
    "suggestions-not-a-list": (lambda d: d.update(suggestions="none"), "suggestions: expected a list."),
}


@pytest.mark.parametrize(("change", "message"), BAD.values(), ids=BAD.keys())
def test_a_bad_schedule_rating_or_suggestion_refuses_the_file_and_changes_nothing(
    client, rich, change, message
):
    exported = json.loads(json.dumps(portability.export_data(rich)))
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)
    before = snapshot(newcomer)

    response = client.post(IMPORT, {"file": upload(changed(exported, change))})

    assert response.status_code == 400
    errors = import_errors(response)
    assert any(message in error for error in errors), errors
    assert snapshot(newcomer) == before
    assert not ResourceRating.objects.filter(learner=newcomer).exists()
    assert not ResourceSuggestion.objects.filter(suggester=newcomer).exists()


def test_a_rating_of_a_resource_this_site_lacks_is_skipped_with_a_message(rich):
    exported = json.loads(json.dumps(portability.export_data(rich)))
    exported["ratings"][0]["resource"] = "gone-book"
    newcomer = UserFactory(username="newcomer")

    counts = portability.import_data(newcomer, exported)

    assert "1 rating of resources that are not on this site." in counts["skipped"]
    assert list(ResourceRating.objects.filter(learner=newcomer).values_list("resource__slug", "rating")) == [
        ("stewart", 5)
    ]


def test_an_approved_suggestion_links_only_a_resource_with_its_link(rich):
    """A file cannot claim another resource as the one its suggestion became."""
    exported = json.loads(json.dumps(portability.export_data(rich)))
    suggestion_of(exported, "approved")["resource"] = "stewart"  # a curated book, with another link
    newcomer = UserFactory(username="newcomer")

    portability.import_data(newcomer, exported)

    approved = ResourceSuggestion.objects.get(suggester=newcomer, status=SuggestionStatus.APPROVED)
    assert approved.resource is None
    assert approved.decided_by is None  # who decided is another account's, never in the file


def test_a_link_suggested_by_someone_else_during_the_import_refuses_it_whole(client, rich, monkeypatch):
    """The file is checked as the site was when it was read; a link sent for review since is refused cleanly."""
    exported = json.loads(json.dumps(portability.export_data(rich)))
    suggestion_of(exported, "pending").update(url="https://example.org/fresh-notes")
    newcomer = UserFactory(username="newcomer")
    client.force_login(newcomer)
    before = snapshot(newcomer)
    read = community.read_community

    def read_then_someone_suggests(user, payload, topics, errors):
        shared = read(user, payload, topics, errors)
        pending = next(row for row in shared.suggestions if row.status == SuggestionStatus.PENDING)
        ResourceSuggestion.objects.create(
            suggester=UserFactory(username="quick"), topic=pending.topic, url=pending.url, title="Notes"
        )
        return shared

    monkeypatch.setattr(community, "read_community", read_then_someone_suggests)
    response = client.post(IMPORT, {"file": upload(json.dumps(exported))})

    assert response.status_code == 400
    assert import_errors(response) == [portability.CHANGED_WHILE_IMPORTING]
    assert snapshot(newcomer) == before
    assert not ResourceSuggestion.objects.filter(suggester=newcomer).exists()

    # Imported again, the file goes in, and says why that suggestion stayed out.
    monkeypatch.setattr(community, "read_community", read)
    response = client.post(IMPORT, {"file": upload(json.dumps(exported))}, follow=True)
    assert response.status_code == 200
    assert "Someone has already suggested that link; it is waiting for review." in response.content.decode()
    assert ResourceSuggestion.objects.filter(suggester=newcomer).count() == len(exported["suggestions"]) - 1
