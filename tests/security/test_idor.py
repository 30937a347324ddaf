"""IDOR: one learner can never read or change another's data.

Ada is the victim: private page, progress with evidence notes, a log, a goal,
ratings and suggestions. Mallory is signed in and tries every learner-owned
endpoint on Ada's objects. Where the URL names an object (a log day, a
username, a share token) she gets the same 404 as for something that does
not exist; where it does not (status, goal, settings…), there is no field
that could point at Ada's rows, and extra fields naming her are ignored.
Either way Ada's rows are byte-for-byte unchanged afterwards.
"""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from accounts.models import Profile, Visibility
from roadmap.models import Placement, Progress, Status
from tests import dom
from tests.factories import PASSWORD, UserFactory
from tests.security.check_pages import check_answers
from tests.security.pages import ENTRY_DAY, FAST_HASHERS, build_world, learner_rows

# Ada's entry on a day Mallory has none, so a hit could only be Ada's.
ADA_ONLY_DAY = (ENTRY_DAY - timedelta(days=1)).isoformat()
SECRETS = ["ada-evidence-7Q", "ada-log-note-7Q", "ada-stage-7Q", "Ada Secret Name", "ada@example.com"]


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    world = build_world()
    Profile.objects.filter(user=world.owner).update(
        visibility=Visibility.PRIVATE, display_name="Ada Secret Name"
    )
    Progress.objects.filter(learner=world.owner).update(note="ada-evidence-7Q")
    world.owner.log_entries.update(note="ada-log-note-7Q", stage="ada-stage-7Q")
    Profile.objects.filter(user=world.other).update(goal=world.topics["limits"])
    return world


@pytest.fixture
def mallory(world) -> Client:
    client = Client()
    client.force_login(world.other)
    return client


def log_form(day: str) -> dict:
    return {
        "date": day,
        "hours": "9",
        "extra_minutes": "0",
        "stage": "pwned",
        "satisfied": "yes",
        "note": "pwned",
    }


NAMED_OBJECTS = [
    ("get", "/log/{day}/edit/", None),
    ("post", "/log/{day}/edit/", log_form(ADA_ONLY_DAY)),
    ("post", "/log/{day}/delete/", {}),
    ("get", "/u/ada/", None),
    ("get", "/u/ada/badge.svg", None),
    ("get", "/u/ada/card.png", None),
    ("get", "/u/ada/log/{day}/", None),
    ("get", "/u/ada/log/{day}/card.png", None),
    ("get", "/s/{token}/", None),
    ("get", "/s/{token}/badge.svg", None),
    ("get", "/s/{token}/card.png", None),
    ("get", "/s/{token}/log/{day}/", None),
    ("get", "/s/{token}/log/{day}/card.png", None),
]


@pytest.mark.parametrize(
    ("method", "path", "data"), NAMED_OBJECTS, ids=[f"{m} {p}" for m, p, _ in NAMED_OBJECTS]
)
def test_another_learners_object_is_not_found_and_unchanged(world, mallory, method, path, data):
    before = learner_rows(world.owner)
    url = path.format(day=ADA_ONLY_DAY, token=world.token)

    response = getattr(mallory, method)(url, data) if data is not None else getattr(mallory, method)(url)

    assert response.status_code == 404
    assert learner_rows(world.owner) == before
    assert not any(secret in response.content.decode() for secret in SECRETS)


def test_not_found_looks_the_same_as_for_an_object_that_does_not_exist(world, mallory):
    # Otherwise the difference would tell Mallory that Ada logged that day, or that "ada" exists.
    pairs = [
        (f"/log/{ADA_ONLY_DAY}/edit/", "/log/1999-01-01/edit/"),
        ("/u/ada/", "/u/nobody-at-all/"),
        (f"/u/ada/log/{ADA_ONLY_DAY}/", "/u/nobody-at-all/log/1999-01-01/"),
        (f"/s/{world.token}/", "/s/not-a-token/"),
    ]
    for real, missing in pairs:
        assert dom.without_csrf_tokens(mallory.get(real)) == dom.without_csrf_tokens(mallory.get(missing)), (
            real
        )


def test_a_rotated_token_reaches_nothing(world, mallory):
    Profile.objects.filter(user=world.owner).update(visibility=Visibility.UNLISTED)
    assert mallory.get(f"/s/{world.token}/").status_code == 200
    owner = Client()
    owner.force_login(world.owner)
    owner.post("/settings/share-link/rotate/")

    assert mallory.get(f"/s/{world.token}/").status_code == 404
    assert mallory.get(f"/s/{world.token}/badge.svg").status_code == 404
    assert mallory.get(f"/s/{world.token}/card.png").status_code == 404


# Endpoints that act on "my" data: they take no id, and fields naming Ada are ignored.
AIMED_AT_ADA = {
    "learner": "{ada}",
    "learner_id": "{ada}",
    "user": "{ada}",
    "user_id": "{ada}",
    "username": "ada",
}


def aimed(data: dict, world) -> dict:
    return {**data, **{k: v.format(ada=world.owner.pk) for k, v in AIMED_AT_ADA.items()}}


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/progress/", {"topic": "limits", "status": "mastered", "note": "pwned", "next": "/dashboard/"}),
        ("/progress/", {"topic": "derivatives", "status": "not_started", "next": "/dashboard/"}),
        ("/dashboard/goal/", {"goal": ""}),
        ("/settings/", {"display_name": "pwned", "visibility": "public", "timezone": "UTC"}),
        ("/settings/share-link/rotate/", {}),
        ("/log/", log_form(ADA_ONLY_DAY)),
        ("/topics/derivatives/resources/book/rate/", {"rating": "1"}),
        ("/settings/delete/", {"password": PASSWORD, "confirm": "on"}),
    ],
    ids=["status", "clear-status", "goal", "settings", "rotate", "log", "rate", "delete-account"],
)
def test_my_data_endpoints_only_ever_touch_the_signed_in_learner(world, mallory, path, data):
    before = learner_rows(world.owner)
    mallory_before = learner_rows(world.other)

    response = mallory.post(path, aimed(data, world))

    assert response.status_code == 302  # done, and sent back to the learner's own page
    assert learner_rows(world.owner) == before
    assert learner_rows(world.other) != mallory_before  # the request did act, on Mallory's own data


def test_reviewing_a_topic_only_the_victim_mastered_is_refused(world, mallory):
    before = learner_rows(world.owner)

    response = mallory.post("/review/", aimed({"topic": "vectors", "rating": "1"}, world))

    assert response.status_code == 400
    assert learner_rows(world.owner) == before


def test_an_import_naming_the_victim_lands_on_the_importer(world, mallory):
    before = learner_rows(world.owner)
    export = {
        "format": "mathpath-export",
        "version": 1,
        "profile": {"username": "ada", "display_name": "pwned"},
        "progress": [
            {
                "roadmap": "math-for-ml",
                "topic": "vectors",
                "status": "learning",
                "note": "pwned",
                "status_changed_at": "2025-01-01T00:00:00+00:00",
            }
        ],
        "log": [{"date": ADA_ONLY_DAY, "minutes": 5, "satisfied": "yes", "note": "pwned", "topics": []}],
    }
    upload = SimpleUploadedFile("ada.json", json.dumps(export).encode(), "application/json")

    response = mallory.post("/settings/import/", {"file": upload})

    assert response.status_code == 302
    assert learner_rows(world.owner) == before
    assert Progress.objects.get(learner=world.other, topic__slug="vectors").note == "pwned"


def test_ids_in_an_import_never_reach_the_victims_ratings_or_suggestions(world, mallory):
    """A file naming Ada's rating and suggestion rows (ids, learner) writes only Mallory's own."""
    # Imported here, apart from the module's imports, while other branches add to those.
    from roadmap.models import ResourceRating, ResourceSuggestion
    from roadmap.portability import data as portability

    before = learner_rows(world.owner)
    export = json.loads(json.dumps(portability.export_data(world.owner)))
    ratings = {row.resource.slug: row for row in ResourceRating.objects.filter(learner=world.owner)}
    for item in export["ratings"]:
        item.update(id=ratings[item["resource"]].pk, learner="ada", rating=1)
    for item, row in zip(
        export["suggestions"], ResourceSuggestion.objects.filter(suggester=world.owner), strict=True
    ):
        item.update(id=row.pk, pk=row.pk, suggester="ada", title="pwned", why="pwned")
    upload = SimpleUploadedFile("ada.json", json.dumps(export).encode(), "application/json")

    response = mallory.post("/settings/import/", {"file": upload})

    assert response.status_code == 302
    assert learner_rows(world.owner) == before
    assert list(ResourceRating.objects.filter(learner=world.other).values_list("rating", flat=True)) == [1]
    # Ada's waiting suggestion stays hers alone: its link is already in the queue, so Mallory's copy is skipped.
    assert list(ResourceSuggestion.objects.filter(suggester=world.other).values_list("title", "status")) == [
        ("pwned", "rejected")
    ]


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/",
        "/dashboard/?all=1",
        "/topics/vectors/",
        "/topics/limits/",
        "/map/",
        "/map/topic/vectors/",
        "/log/",
        "/settings/",
        "/settings/export.json",
        "/settings/export-progress.csv",
        "/settings/export-log.csv",
        "/topics/derivatives/check/",
        "/placement/",
    ],
)
def test_nothing_of_the_victims_shows_on_the_attackers_own_pages(world, mallory, path):
    response = mallory.get(path)

    assert response.status_code == 200
    body = response.content.decode()
    for secret in [*SECRETS, world.token]:
        assert secret not in body, secret


def test_a_learner_cannot_open_the_admin_on_someone_elses_rows(world, mallory):
    row = Progress.objects.get(learner=world.owner, topic__slug="vectors")
    before = learner_rows(world.owner)

    for method, path, data in [
        ("get", f"/admin/roadmap/progress/{row.pk}/change/", None),
        ("post", f"/admin/roadmap/progress/{row.pk}/change/", {"status": "learning"}),
        ("post", f"/admin/roadmap/progress/{row.pk}/delete/", {"post": "yes"}),
    ]:
        response = getattr(mallory, method)(path, data) if data else getattr(mallory, method)(path)
        assert response.status_code == 302 and "/admin/login/" in response["Location"], path
    assert learner_rows(world.owner) == before


def test_a_staff_member_without_permissions_cannot_touch_learner_rows(world):
    staff = UserFactory(username="helper", is_staff=True)
    client = Client()
    client.force_login(staff)
    row = Progress.objects.get(learner=world.owner, topic__slug="vectors")
    before = learner_rows(world.owner)

    assert client.get(f"/admin/roadmap/progress/{row.pk}/change/").status_code == 403
    assert client.post(f"/admin/roadmap/progress/{row.pk}/delete/", {"post": "yes"}).status_code == 403
    assert learner_rows(world.owner) == before


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/dashboard/"),
        ("get", "/log/"),
        ("get", f"/log/{ENTRY_DAY.isoformat()}/edit/"),
        ("post", f"/log/{ENTRY_DAY.isoformat()}/delete/"),
        ("get", "/settings/"),
        ("get", "/settings/export.json"),
        ("post", "/settings/import/"),
        ("post", "/settings/delete/"),
        ("post", "/settings/share-link/rotate/"),
        ("post", "/progress/"),
        ("post", "/review/"),
        ("post", "/dashboard/goal/"),
        ("get", "/topics/derivatives/suggest/"),
        ("post", "/topics/derivatives/resources/book/rate/"),
        ("get", "/topics/derivatives/check/"),
        ("post", "/topics/derivatives/check/"),
        ("get", "/placement/"),
        ("post", "/placement/"),
        ("get", "/placement/question/"),
        ("post", "/placement/question/"),
        ("post", "/placement/stop/"),
        ("get", "/placement/result/"),
        ("post", "/placement/result/"),
    ],
)
def test_anonymous_visitors_are_sent_to_log_in_and_change_nothing(world, client, method, path):
    before = learner_rows(world.owner)

    response = getattr(client, method)(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert learner_rows(world.owner) == before


def test_the_victims_progress_survives_the_attackers_account_deletion(world, mallory):
    # Mallory has progress on a topic Ada also tracks; deleting her account cascades to her rows only.
    Progress.objects.create(
        learner=world.other,
        topic=world.topics["vectors"],
        status=Status.LEARNING,
        status_changed_at=world.entry.created_at,
    )
    before = learner_rows(world.owner)

    mallory.post("/settings/delete/", {"password": PASSWORD, "confirm": "on"})

    assert not type(world.other).objects.filter(pk=world.other.pk).exists()
    assert learner_rows(world.owner) == before


# -- Reviews that ask a problem -------------------------------------------------------------------


def test_the_victims_review_cannot_be_shown_or_answered_by_another_learner(world, mallory):
    # Imported here, apart from the module's imports, while other branches add to those.
    from roadmap.models import Attempt
    from tests.security.pages import RECALL_KEY, RECALL_PATH, recall_form

    before = learner_rows(world.owner), Attempt.objects.count()

    shown = mallory.get(RECALL_PATH)
    answered = mallory.post(RECALL_PATH, aimed(recall_form(RECALL_KEY), world))

    for response in (shown, answered):
        # Mallory has not mastered matrices: nothing of hers to review, and nothing of Ada's shown.
        assert response.status_code == 404
        assert "is not mastered, so there is nothing to review" in response.content.decode()
        assert "trace" not in response.content.decode()
    assert (learner_rows(world.owner), Attempt.objects.count()) == before
    assert not Attempt.objects.filter(learner=world.other).exists()


# -- checks and placement runs ----------------------------------------------------------


def test_another_learners_check_posted_to_my_topic_is_not_found(world, mallory):
    before = learner_rows(world.owner), learner_rows(world.other)
    form = check_answers(world)  # Ada's open check of derivatives, answered right

    response = mallory.post("/topics/derivatives/check/", form)
    missing = mallory.post("/topics/derivatives/check/", {**form, "check": "999999"})

    assert response.status_code == 404
    assert dom.without_csrf_tokens(response) == dom.without_csrf_tokens(
        missing
    )  # nothing tells her it exists
    assert (learner_rows(world.owner), learner_rows(world.other)) == before


def test_nobody_sees_or_moves_another_learners_placement(world, mallory):
    before = learner_rows(world.owner)
    run = world.placement
    answer = {"problem": run.current.pk, f"answer_{run.current.pk}": "2", **aimed({}, world)}

    intro = mallory.get("/placement/")
    assert "under way" not in intro.content.decode()
    assert mallory.get("/placement/question/")["Location"] == "/placement/"
    assert mallory.post("/placement/question/", answer)["Location"] == "/placement/"
    assert mallory.post("/placement/stop/", aimed({}, world))["Location"] == "/placement/result/"
    assert mallory.get("/placement/result/")["Location"] == "/placement/"
    topics = [str(t.pk) for t in world.topics.values()]
    assert (
        mallory.post("/placement/result/", {"topic": topics, **aimed({}, world)})["Location"] == "/placement/"
    )

    assert learner_rows(world.owner) == before
    assert not Placement.objects.filter(learner=world.other).exists()


def test_my_own_run_never_shows_the_victims_answers(world, mallory):
    mallory.post("/placement/")
    mallory.post("/placement/stop/")

    result = mallory.get("/placement/result/").content.decode()

    assert "From 0 answers" in result
    assert "Because you answered" not in result  # Ada's answer on gradient is hers alone
