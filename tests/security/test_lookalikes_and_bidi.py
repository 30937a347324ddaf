"""Look-alike usernames and hidden text (security finding 5).

A username is part of a page's address and is shown beside everyone's
progress: `аlice` with a Cyrillic а used to sign up beside `alice`. New
usernames are plain ASCII letters, digits and . _ - (accounts/usernames.py);
accounts made before keep theirs. And text one learner writes for others
to read loses its bidirectional controls, which can reverse how the rest of
a line reads (accounts/bidi_controls.py): the display name, a log entry's
stage, a suggestion's title and reason.
"""

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.test import Client
from django.utils import timezone

from accounts.bidi_controls import strip_bidi_controls
from accounts.models import Profile
from roadmap.models import LogEntry, ResourceSuggestion
from tests import dom
from tests.factories import (
    PASSWORD,
    ProfileFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

SIGNUP = "/accounts/signup/"
RLO, LRI, PDI, RLM = "\u202e", "\u2066", "\u2069", "\u200f"


def sign_up(username: str, email: str = "new@example.com"):
    client = Client()
    response = client.post(
        SIGNUP, {"email": email, "username": username, "password1": PASSWORD, "password2": PASSWORD}
    )
    return client, response


@pytest.fixture
def alice(db):
    return UserFactory(username="alice", email="alice@example.com")


@pytest.fixture
def ada_client(db):
    client = Client()
    client.force_login(UserFactory(username="ada"))
    return client


# -- usernames ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "username",
    [
        "\u0430lice",  # Cyrillic а
        "\u0251lice",  # Latin alpha
        "ålice",
        "alice\u200b",  # zero-width space
        "ali ce",
        "alice@home",
        "alice+1",
        "ａｌｉｃｅ",  # fullwidth
    ],
)
def test_a_username_outside_plain_ascii_is_refused_with_a_clear_message(alice, username):
    _, response = sign_up(username)

    assert response.status_code == 200
    assert "Use only letters A–Z and a–z, digits, and . _ - in your username" in dom.text(response)
    assert not get_user_model().objects.filter(email="new@example.com").exists()


def test_a_plain_username_with_dots_dashes_and_underscores_signs_up(db):
    _, response = sign_up("ada.lovelace_1815-x")

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="ada.lovelace_1815-x").exists()


def test_an_account_made_before_keeps_its_username_logs_in_and_has_its_page(db):
    RoadmapFactory()
    older = UserFactory(username="\u0430lice", email="older@example.com")
    ProfileFactory(user=older, visibility="public")
    client = Client()

    assert (
        client.post("/accounts/login/", {"login": "older@example.com", "password": PASSWORD}).status_code
        == 302
    )
    assert int(client.session[SESSION_KEY]) == older.pk
    assert Client().get(older.profile.get_absolute_url()).status_code == 200


# -- bidirectional controls -----------------------------------------------------------


def test_strip_bidi_controls_removes_each_of_them_and_nothing_else():
    controls = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

    assert strip_bidi_controls(f"{controls}Ada{RLO} Lovelace{controls}") == "Ada Lovelace"
    # Right-to-left scripts, emoji and joiners (which shape them) stay.
    assert strip_bidi_controls("عائشة 🧮 שלום \u200d") == "عائشة 🧮 שלום \u200d"
    assert strip_bidi_controls(f"  {RLO} ") == ""


def test_the_display_name_loses_its_bidi_controls(ada_client):
    response = ada_client.post(
        "/settings/",
        {"display_name": f"{RLO}ecilA{PDI} the admin", "visibility": "public", "timezone": "UTC"},
    )

    assert response.status_code == 302
    assert Profile.objects.get(user__username="ada").display_name == "ecilA the admin"


def test_a_display_name_of_bidi_controls_alone_is_left_empty(ada_client):
    ada_client.post(
        "/settings/", {"display_name": f" {RLO}{RLM} ", "visibility": "private", "timezone": "UTC"}
    )

    assert Profile.objects.get(user__username="ada").display_name == ""  # the username shows instead


def test_a_log_entrys_stage_loses_its_bidi_controls(ada_client):
    RoadmapFactory()
    response = ada_client.post(
        "/log/",
        {
            "date": timezone.now().date().isoformat(),
            "hours": "1",
            "extra_minutes": "0",
            "stage": f"{LRI}dnirg htam{PDI} level 2",
            "satisfied": "somewhat",
            "note": "",
        },
    )

    assert response.status_code == 302
    assert LogEntry.objects.get().stage == "dnirg htam level 2"


@pytest.fixture
def limits(db):
    return TopicFactory(section=SectionFactory(title="Calculus"), slug="limits", title="Limits")


def test_a_suggestions_title_and_reason_lose_their_bidi_controls(ada_client, limits):
    response = ada_client.post(
        "/topics/limits/suggest/",
        {
            "title": f"3Blue1Brown{RLO}: Limits",
            "url": "https://www.youtube.com/watch?v=kfF40MiS7zA",
            "kind": "video_series",
            "access": "free",
            "why": f"The picture{RLM} finally {LRI}made{PDI} sense.",
        },
    )

    assert response.status_code == 302
    suggestion = ResourceSuggestion.objects.get()
    assert (suggestion.title, suggestion.why) == ("3Blue1Brown: Limits", "The picture finally made sense.")


def test_a_suggestion_title_of_bidi_controls_alone_is_refused(ada_client, limits):
    response = ada_client.post(
        "/topics/limits/suggest/",
        {
            "title": f"{RLO}{PDI}",
            "url": "https://www.youtube.com/watch?v=kfF40MiS7zA",
            "kind": "video_series",
            "access": "free",
            "why": "It helped.",
        },
    )

    assert response.status_code == 400
    assert "This field is required." in dom.text(response)
    assert not ResourceSuggestion.objects.exists()
