"""The learner's time zone: taken from the browser at sign-up, offered again in settings, and
"today" (a journey can't start after it) in that zone.

The browser's part (static/js/timezone.js) is driven in tests/e2e/test_timezone.py.
"""

from datetime import UTC, datetime
from unittest.mock import patch

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Profile
from tests import dom
from tests.factories import PASSWORD, ProfileFactory, UserFactory

SIGNUP = "/accounts/signup/"
SETTINGS = "/settings/"
USE_BROWSER_ZONE = "/settings/timezone/"
# 20:00 in London is already 11 March in Tokyo.
EVENING = datetime(2025, 3, 10, 20, 0, tzinfo=UTC)


def sign_up(client, **extra):
    data = {"email": "grace@example.com", "username": "grace", "password1": PASSWORD, "password2": PASSWORD}
    return client.post(SIGNUP, {**data, **extra})


def grace_zone() -> str:
    return Profile.objects.for_user(get_user_model().objects.get(username="grace")).timezone


@pytest.fixture
def frozen_evening():
    with patch("django.utils.timezone.now", return_value=EVENING):
        yield


@pytest.fixture
def ada(db):
    user = UserFactory(username="ada", email="ada@example.com")
    ProfileFactory(user=user, timezone="Europe/London", display_name="Ada")
    return user


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


# -- sign-up -----------------------------------------------------------------------------------------


def test_the_signup_form_has_a_hidden_time_zone_field_and_the_script_that_fills_it(client, db):
    response = client.get(SIGNUP)

    field = dom.select_one(response, "form input[name=timezone]")
    assert field["type"] == "hidden"
    assert field.has("data-browser-timezone")
    assert not field.get("value")  # empty until the script fills it
    [script] = dom.select(response, "head script[src$='js/timezone.js']")
    assert script.has("defer")


def test_signing_up_keeps_the_browsers_time_zone(client, db):
    response = sign_up(client, timezone="Asia/Tokyo")

    assert response.status_code == 302
    assert grace_zone() == "Asia/Tokyo"


@pytest.mark.parametrize("sent", ["", "Mars/Olympus_Mons", "asia/tokyo", "../../etc/passwd", "x" * 64])
def test_signing_up_without_a_known_time_zone_keeps_utc_and_still_signs_up(client, db, sent):
    # No JavaScript, or a browser that names a zone this server doesn't know: nobody is refused.
    response = sign_up(client, timezone=sent)

    assert response.status_code == 302
    assert get_user_model().objects.filter(username="grace").exists()
    assert grace_zone() == "UTC"


def test_signing_up_with_no_time_zone_field_at_all_keeps_utc(client, db):
    assert sign_up(client).status_code == 302
    assert grace_zone() == "UTC"


def test_a_signup_with_a_mistake_keeps_the_browsers_time_zone_for_the_retry(client, db):
    response = sign_up(client, timezone="Asia/Tokyo", password2="something else")

    assert response.status_code == 200
    assert dom.select_one(response, "input[name=timezone]")["value"] == "Asia/Tokyo"


# -- the settings page's offer -------------------------------------------------------------------------


def test_settings_carry_the_hidden_offer_with_the_saved_zone_for_the_script(ada_client):
    response = ada_client.get(SETTINGS)

    offer = dom.select_one(response, "form[data-timezone-offer]")
    assert offer.has("hidden")  # shown by the script, only when the browser's zone differs
    assert offer["data-saved-timezone"] == "Europe/London"
    assert offer["action"] == USE_BROWSER_ZONE
    assert offer["method"] == "post"
    assert dom.select(offer, "input[name=csrfmiddlewaretoken]")
    assert dom.select_one(offer, "input[name=timezone]")["type"] == "hidden"
    assert "Your browser says" in offer.text and "use it?" in offer.text
    assert dom.select(response, "head script[src$='js/timezone.js'][defer]")


def test_using_the_browsers_zone_saves_it_and_says_so(ada_client, ada):
    response = ada_client.post(USE_BROWSER_ZONE, {"timezone": "Asia/Tokyo"}, follow=True)

    assert response.redirect_chain == [(SETTINGS, 302)]
    profile = Profile.objects.get(user=ada)
    assert profile.timezone == "Asia/Tokyo"
    assert profile.display_name == "Ada"  # nothing else touched
    assert "Time zone set to Asia/Tokyo" in dom.select_one(response, "#flash .flash-success").text
    assert dom.select_one(response, "form[data-timezone-offer]")["data-saved-timezone"] == "Asia/Tokyo"


@pytest.mark.parametrize("sent", ["", "Mars/Olympus_Mons"])
def test_an_unknown_browser_zone_is_refused_with_a_message_and_changes_nothing(ada_client, ada, sent):
    response = ada_client.post(USE_BROWSER_ZONE, {"timezone": sent})

    assert response.status_code == 400
    assert Profile.objects.get(user=ada).timezone == "Europe/London"
    [error] = dom.select(response, "#flash .flash-error")
    assert "is not one we know: choose yours from the list" in error.text
    # The page's own form still shows the saved zone, not the refused one.
    assert dom.selected_options(response, "timezone") == ["Europe/London"]


def test_the_offer_takes_only_a_post(ada_client, ada):
    assert ada_client.get(USE_BROWSER_ZONE).status_code == 405
    assert Profile.objects.get(user=ada).timezone == "Europe/London"


def test_the_offer_needs_a_signed_in_learner(client, db):
    response = client.post(USE_BROWSER_ZONE, {"timezone": "Asia/Tokyo"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# -- the journey's start, in the learner's zone -------------------------------------------------------


def settings_post(**overrides) -> dict:
    return {"display_name": "Ada", "visibility": "private", "timezone": "Europe/London", **overrides}


@pytest.mark.usefixtures("frozen_evening")
def test_a_journey_cannot_start_after_today_in_the_learners_zone(ada_client, ada):
    response = ada_client.post(SETTINGS, settings_post(journey_start="2025-03-11", display_name="Ada L."))

    assert response.status_code == 400
    assert dom.field_errors(response) == [
        "11 March 2025 is in the future — today is 10 March 2025 in your time zone."
    ]
    assert Profile.objects.get(user=ada).journey_start is None
    # What was typed is kept for the retry.
    assert (
        dom.form_values(dom.select_one(response, "#profile form[action='/settings/']"))["display_name"]
        == "Ada L."
    )


@pytest.mark.usefixtures("frozen_evening")
def test_a_journey_may_start_today_in_the_zone_being_saved(ada_client, ada):
    # Already 11 March in Tokyo: moving there and starting "today" is fine.
    response = ada_client.post(SETTINGS, settings_post(journey_start="2025-03-11", timezone="Asia/Tokyo"))

    assert response.status_code == 302
    profile = Profile.objects.get(user=ada)
    assert (profile.timezone, profile.journey_start.isoformat()) == ("Asia/Tokyo", "2025-03-11")


@pytest.mark.usefixtures("frozen_evening")
def test_a_journey_may_start_today_or_before(ada_client, ada):
    for day in ("2025-03-10", "2024-01-01"):
        assert ada_client.post(SETTINGS, settings_post(journey_start=day)).status_code == 302
        assert Profile.objects.get(user=ada).journey_start.isoformat() == day


@pytest.mark.usefixtures("frozen_evening")
def test_today_follows_the_profiles_zone(db):
    assert ProfileFactory(timezone="Europe/London").today().isoformat() == "2025-03-10"
    assert ProfileFactory(timezone="Asia/Tokyo").today().isoformat() == "2025-03-11"


def test_an_unknown_zone_with_a_journey_start_is_refused_for_the_zone_alone(ada_client, ada):
    response = ada_client.post(
        SETTINGS, settings_post(journey_start="2025-03-01", timezone="Mars/Olympus_Mons")
    )

    assert response.status_code == 400
    assert [e for e in dom.field_errors(response) if "future" in e] == []
    assert Profile.objects.get(user=ada).timezone == "Europe/London"
