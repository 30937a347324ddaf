"""Open redirects through next=, and over-long or malformed input anywhere.

Hostile input must get a 4xx with a readable error (never a 500, which on
PostgreSQL is what an unvalidated NUL byte or out-of-range number turns into)
and must leave the learner's data exactly as it was.
"""

import json
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.http import url_has_allowed_host_and_scheme

from roadmap.models import Problem
from tests.factories import PASSWORD
from tests.security.check_pages import check_answers, placement_answer
from tests.security.pages import ENTRY_DAY, FAST_HASHERS, build_world, learner_rows

HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "////evil.example/",
    "/\\evil.example/",
    "\\\\evil.example/",
    "\\/evil.example/",
    "https:evil.example",
    "http:/evil.example",
    " //evil.example",
    "\t//evil.example",
    "/\t/evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver.evil.example/",
    "https://evil.example#@testserver/",
    "https://evil.example\\@testserver/",
    "//evil.example%2F..",
    "x" * 5000,
]


def stays_on_site(location: str) -> bool:
    """What a browser would do with the Location header: stay on testserver."""
    normalised = location.replace("\\", "/").strip()
    return url_has_allowed_host_and_scheme(location, allowed_hosts={"testserver"}) and urlsplit(
        normalised
    ).netloc in {"", "testserver"}


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    return build_world()


@pytest.fixture
def ada(world) -> Client:
    client = Client()
    client.force_login(world.owner)
    return client


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_status_and_review_posts_never_redirect_off_site(ada, target):
    responses = [
        ada.post("/progress/", {"topic": "limits", "status": "practised", "next": target}),
        ada.post("/review/", {"topic": "vectors", "rating": "3", "next": target}),
    ]

    for response in responses:
        assert response.status_code == 302
        assert stays_on_site(response["Location"]), response["Location"]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_login_signup_and_logout_never_redirect_off_site(world, client, target):
    login = client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": PASSWORD, "next": target}
    )
    assert login.status_code == 302
    assert stays_on_site(login["Location"]), login["Location"]

    already_in = client.get("/accounts/login/", {"next": target})
    if already_in.status_code == 302:
        assert stays_on_site(already_in["Location"]), already_in["Location"]

    logout = client.post("/accounts/logout/", {"next": target})
    assert logout.status_code == 302
    assert stays_on_site(logout["Location"]), logout["Location"]

    signup = client.post(
        "/accounts/signup/?next=" + target.replace("#", "%23"),
        {"email": "eve@example.com", "username": "eve", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert signup.status_code == 302
    assert stays_on_site(signup["Location"]), signup["Location"]


def test_a_safe_next_is_still_honoured(ada):
    response = ada.post(
        "/progress/", {"topic": "limits", "status": "practised", "next": "/map/?section=calculus"}
    )

    assert response["Location"] == "/map/?section=calculus#topic-limits"


# -- over-long and malformed form input -----------------------------------------------

NUL = "\x00"
LONG = "x" * 100_000


def log(**fields) -> dict:
    return {"date": "2025-03-05", "hours": "1", "extra_minutes": "0", "satisfied": "yes", **fields}


def settings_form(**fields) -> dict:
    return {"display_name": "Ada", "visibility": "private", "timezone": "UTC", **fields}


def suggestion(**fields) -> dict:
    return {
        "title": "T",
        "url": "https://new.example.org/",
        "kind": "article",
        "access": "free",
        "why": "W",
        **fields,
    }


BAD_POSTS = {
    "status: long topic": ("/progress/", {"topic": LONG, "status": "learning"}),
    "status: NUL topic": ("/progress/", {"topic": "limits" + NUL, "status": "learning"}),
    "status: long status": ("/progress/", {"topic": "limits", "status": LONG}),
    "status: NUL note": ("/progress/", {"topic": "limits", "status": "learning", "note": "a" + NUL}),
    "status: 201-char note": ("/progress/", {"topic": "limits", "status": "learning", "note": "n" * 201}),
    "status: nothing": ("/progress/", {}),
    "review: rating 99": ("/review/", {"topic": "vectors", "rating": "99"}),
    "review: rating text": ("/review/", {"topic": "vectors", "rating": "good"}),
    "review: NUL topic": ("/review/", {"topic": NUL, "rating": "3"}),
    "goal: text": ("/dashboard/goal/", {"goal": "abc"}),
    "goal: negative": ("/dashboard/goal/", {"goal": "-1"}),
    "goal: huge": ("/dashboard/goal/", {"goal": "9" * 40}),
    "goal: decimal": ("/dashboard/goal/", {"goal": "1.5"}),
    "goal: NUL": ("/dashboard/goal/", {"goal": NUL}),
    "rate: 6": ("/topics/derivatives/resources/book/rate/", {"rating": "6"}),
    "rate: huge": ("/topics/derivatives/resources/book/rate/", {"rating": "9" * 40}),
    "log: 30 February": ("/log/", log(date="2025-02-30")),
    "log: year 0": ("/log/", log(date="0000-01-01")),
    "log: year 99999": ("/log/", log(date="99999-01-01")),
    "log: NUL date": ("/log/", log(date="2025-03-05" + NUL)),
    "log: hours 1e9": ("/log/", log(hours="1e9")),
    "log: hours NaN": ("/log/", log(hours="NaN")),
    "log: huge hours": ("/log/", log(hours="9" * 40)),
    "log: 60 minutes": ("/log/", log(extra_minutes="60")),
    "log: 24h01": ("/log/", log(hours="24", extra_minutes="1")),
    "log: long stage": ("/log/", log(stage="s" * 121)),
    "log: NUL stage": ("/log/", log(stage="a" + NUL)),
    "log: long note": ("/log/", log(note="n" * 5001)),
    "log: NUL note": ("/log/", log(note="a" + NUL)),
    "log: unknown satisfaction": ("/log/", log(satisfied="maybe")),
    "log: unknown topic": ("/log/", log(topics="999999999")),
    "log: huge topic id": ("/log/", log(topics="9" * 40)),
    "log: text topic": ("/log/", log(topics="limits")),
    "settings: long name": ("/settings/", settings_form(display_name="n" * 81)),
    "settings: NUL name": ("/settings/", settings_form(display_name="a" + NUL)),
    "settings: visibility": ("/settings/", settings_form(visibility="everyone")),
    "settings: long zone": ("/settings/", settings_form(timezone=LONG)),
    "settings: path as zone": ("/settings/", settings_form(timezone="../../../etc/passwd")),
    "settings: NUL zone": ("/settings/", settings_form(timezone="UTC" + NUL)),
    "settings: bad start": ("/settings/", settings_form(journey_start="tomorrow")),
    "suggest: long url": ("/topics/derivatives/suggest/", suggestion(url="https://e.example/" + "a" * 600)),
    "suggest: NUL url": ("/topics/derivatives/suggest/", suggestion(url="https://e.example/" + NUL)),
    "suggest: long title": ("/topics/derivatives/suggest/", suggestion(title="t" * 201)),
    "suggest: long why": ("/topics/derivatives/suggest/", suggestion(why="w" * 1001)),
    "suggest: NUL why": ("/topics/derivatives/suggest/", suggestion(why="a" + NUL)),
    "suggest: kind": ("/topics/derivatives/suggest/", suggestion(kind="virus")),
    "delete: wrong password": ("/settings/delete/", {"password": "guess", "confirm": "on"}),
    "delete: NUL password": ("/settings/delete/", {"password": NUL, "confirm": "on"}),
}


@pytest.mark.parametrize("case", BAD_POSTS)
def test_bad_input_is_refused_with_an_error_and_changes_nothing(world, ada, case):
    path, data = BAD_POSTS[case]
    before = learner_rows(world.owner)

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):  # a plain form post, then htmx's
        response = ada.post(path, data, **headers)

        assert response.status_code == 400, headers
        assert b"error" in response.content.lower()
        assert learner_rows(world.owner) == before


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.json", content, "application/json")


BAD_IMPORTS = {
    "not json": b"hello",
    "not utf-8": b"\xff\xfe\x00{",
    "deeply nested": b"[" * 100_000 + b"]" * 100_000,
    "a list": b"[1, 2, 3]",
    "huge number": json.dumps({"format": "mathpath-export", "version": 10**400}).encode(),
    "wrong shapes": json.dumps(
        {"format": "mathpath-export", "version": 1, "profile": [], "progress": {}, "log": "x"}
    ).encode(),
    "NUL everywhere": json.dumps(
        {
            "format": "mathpath-export",
            "version": 1,
            "profile": {"display_name": NUL, "timezone": NUL},
            "progress": [{"roadmap": NUL, "topic": NUL, "status": NUL}],
            "log": [{"date": NUL, "minutes": 1, "satisfied": "yes", "note": NUL}],
        }
    ).encode(),
    "NUL in a note": json.dumps(
        {
            "format": "mathpath-export",
            "version": 1,
            "log": [
                {"date": "2025-03-09", "minutes": 5, "satisfied": "yes", "stage": NUL, "note": "a" + NUL}
            ],
        }
    ).encode(),
    "bad dates": json.dumps(
        {
            "format": "mathpath-export",
            "version": 1,
            "progress": [
                {
                    "roadmap": "math-for-ml",
                    "topic": "limits",
                    "status": "learning",
                    "status_changed_at": "yesterday",
                }
            ],
            "log": [{"date": "2025-02-30", "minutes": 5, "satisfied": "yes"}],
        }
    ).encode(),
    "over 5 MB": b" " * (5 * 1024 * 1024 + 1),
}


@pytest.mark.parametrize("case", BAD_IMPORTS)
def test_a_hostile_import_file_is_refused_and_changes_nothing(world, ada, case):
    before = learner_rows(world.owner)

    response = ada.post("/settings/import/", {"file": upload(BAD_IMPORTS[case])})

    assert response.status_code == 400
    assert learner_rows(world.owner) == before


# -- malformed addresses and query strings --------------------------------------------

BAD_PATHS = [
    "/log/2025-02-30/edit/",
    "/log/9999999-01-01/edit/",
    f"/log/{'9' * 5000}/edit/",
    "/log/2025-03-01%00/edit/",
    "/log/%00/delete/",
    f"/u/{'a' * 5000}/",
    "/u/%00/",
    "/u/ada%00/",
    "/u/%00/badge.svg",
    "/u/%00/card.png",
    "/u/ada/log/%00/card.png",
    "/u/ada/log/%00/",
    f"/s/{'t' * 5000}/",
    "/s/%00/",
    "/s/%00/badge.svg",
    "/s/%00/card.png",
    "/s/%00/log/2025-03-01/",
    f"/topics/{'a' * 5000}/",
    "/topics/%00/",
    "/map/topic/%00/",
    "/map/?section=%00",
    f"/map/?section={'a' * 5000}",
    "/map/topic/limits/?section=nope",
    "/topics/derivatives/resources/%00/rate/",
    "/topics/%00/check/",
    f"/topics/{'a' * 5000}/check/",
]


@pytest.mark.parametrize("path", BAD_PATHS)
def test_malformed_addresses_are_not_found(world, ada, path):
    before = learner_rows(world.owner)

    response = ada.post(path) if path.endswith(("/delete/", "/rate/")) else ada.get(path)

    assert response.status_code == 404
    assert learner_rows(world.owner) == before


@pytest.mark.parametrize(
    "path",
    [
        "/dashboard/?all=%00",
        "/dashboard/?section=%00",
        f"/dashboard/?section={'a' * 5000}",
        "/u/ada/badge.svg?theme=%00",
        f"/u/ada/badge.svg?theme={'d' * 5000}",
        "/?page=-1&all=1&section[]=x",
        "/log/?date=%00",
    ],
)
def test_junk_query_strings_are_ignored(world, ada, path):
    assert ada.get(path).status_code == 200


def test_junk_in_the_checklist_section_fragment_is_not_found(world, ada):
    response = ada.get("/dashboard/?section=%00", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="check-rows-\x00")

    assert response.status_code == 404


def test_a_wrong_log_entry_date_in_the_body_does_not_move_another_day(world, ada):
    # Editing 1 March to a date that already has an entry is refused; neither entry changes.
    before = learner_rows(world.owner)
    other_day = world.owner.log_entries.exclude(date=ENTRY_DAY).get().date.isoformat()

    response = ada.post(f"/log/{ENTRY_DAY.isoformat()}/edit/", log(date=other_day))

    assert response.status_code == 400
    assert learner_rows(world.owner) == before


# -- answers to check and placement problems --------------------------------------------

CHECK = "/topics/derivatives/check/"


def check_with(world, key: str, value) -> dict:
    """The owner's open check answered right, but for the problem `key`."""
    return {**check_answers(world), f"answer_{Problem.objects.get(key=key).pk}": value}


# name: (path, the form from the world, the status, what the page says)
BAD_ANSWERS = {
    "check: 10,000-character answer": (
        CHECK,
        lambda w: check_with(w, "slope", "1" * 10_000),
        422,
        "under 200",
    ),
    "check: NUL in an answer": (CHECK, lambda w: check_with(w, "slope", "5" + NUL), 422, "Null characters"),
    "check: NUL in a formula": (CHECK, lambda w: check_with(w, "power", NUL), 422, "Null characters"),
    "check: letter outside the choices": (CHECK, lambda w: check_with(w, "even", "F"), 422, "valid choice"),
    "check: two letters for one choice": (CHECK, lambda w: check_with(w, "even", "AB"), 422, "valid choice"),
    "check: NUL letter": (CHECK, lambda w: check_with(w, "even", NUL), 422, "valid choice"),
    "check: no check id": (CHECK, lambda w: {**check_answers(w), "check": ""}, 404, ""),
    "check: text check id": (CHECK, lambda w: {**check_answers(w), "check": "abc"}, 404, ""),
    "check: negative check id": (CHECK, lambda w: {**check_answers(w), "check": "-1"}, 404, ""),
    "check: huge check id": (CHECK, lambda w: {**check_answers(w), "check": "9" * 40}, 404, ""),
    "check: NUL check id": (CHECK, lambda w: {**check_answers(w), "check": NUL}, 404, ""),
    "placement: 10,000-character answer": (
        "/placement/question/",
        lambda w: placement_answer(w, "1" * 10_000),
        422,
        "under 200",
    ),
    "placement: NUL answer": (
        "/placement/question/",
        lambda w: placement_answer(w, NUL),
        422,
        "Null characters",
    ),
    "placement: nothing": ("/placement/question/", lambda w: placement_answer(w, ""), 422, "Type an answer"),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_bad_answers_are_refused_and_store_nothing(world, ada, case):
    path, form, status, message = BAD_ANSWERS[case]
    before = learner_rows(world.owner)

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = ada.post(path, form(world), **headers)

        assert response.status_code == status, headers
        assert message in response.content.decode()
        assert learner_rows(world.owner) == before


@pytest.mark.parametrize("problem", ["", "abc", "-1", "9" * 40, NUL])
def test_a_junk_problem_id_shows_the_problem_on_screen_and_stores_nothing(world, ada, problem):
    before = learner_rows(world.owner)

    response = ada.post("/placement/question/", {**placement_answer(world), "problem": problem})

    assert response.status_code == 200
    assert "That problem was answered already" in response.content.decode()
    assert learner_rows(world.owner) == before
