import pytest

from accounts.models import Profile, Visibility
from tests import dom
from tests.factories import ProfileFactory, UserFactory

SETTINGS = "/settings/"


@pytest.fixture
def user(db):
    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def user_client(client, user):
    client.force_login(user)
    return client


def checked_radio(html: str, name: str) -> list[str]:
    return [radio["value"] for radio in dom.select(html, f'input[type=radio][name="{name}"][checked]')]


def valid_post(**overrides) -> dict:
    return {"display_name": "Ada L.", "visibility": "public", "timezone": "Europe/London", **overrides}


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(SETTINGS)

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/settings/"


def test_anonymous_post_is_sent_to_login_and_saves_nothing(client, db):
    response = client.post(SETTINGS, valid_post())

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Profile.objects.exists()


def test_settings_page_shows_the_display_name_and_private_by_default(user_client, user):
    response = user_client.get(SETTINGS)

    assert response.status_code == 200
    html = response.content.decode()
    assert dom.select_one(html, 'label[for="id_display_name"]').text == "Display name"
    assert dom.select_one(html, "input[name=display_name]").id == "id_display_name"
    assert "Who can see your progress page" in html
    assert sorted(radio["value"] for radio in dom.select(html, "input[type=radio][name=visibility]")) == [
        "private",
        "public",
        "unlisted",
    ]
    assert checked_radio(html, "visibility") == ["private"]
    signed_in = dom.select_one(html, "p.lede")
    assert signed_in.text == "Signed in as ada (ada@example.com)."
    assert [strong.text for strong in signed_in.select("strong")] == ["ada"]


def test_the_profile_is_created_on_the_first_visit(user_client, user):
    assert not Profile.objects.filter(user=user).exists()

    user_client.get(SETTINGS)

    profile = Profile.objects.get(user=user)
    assert profile.visibility == Visibility.PRIVATE
    assert profile.display_name == ""


def test_saving_settings_stores_them_and_says_so(user_client, user):
    response = user_client.post(SETTINGS, valid_post())

    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.visibility, profile.timezone) == (
        "Ada L.",
        "public",
        "Europe/London",
    )
    html = user_client.get(SETTINGS).content.decode()
    assert dom.select_one(html, "#flash .flash-success").text == (
        "Settings saved: display name and time zone. "
        "Your page is now public: anyone can find it by your username."
    )
    assert dom.form_values(html)["display_name"] == "Ada L."
    assert checked_radio(html, "visibility") == ["public"]


def test_an_invalid_visibility_is_shown_and_what_was_typed_is_kept(user_client, user):
    ProfileFactory(user=user, display_name="Ada", visibility=Visibility.UNLISTED)

    response = user_client.post(SETTINGS, valid_post(display_name="Ada Lovelace", visibility="everyone"))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. everyone is not one of the available choices." in html
    assert dom.form_values(html)["display_name"] == "Ada Lovelace"  # the form comes back as typed
    profile = Profile.objects.get(user=user)
    assert (profile.display_name, profile.visibility) == ("Ada", "unlisted")


def test_an_unknown_time_zone_is_refused(user_client, user):
    response = user_client.post(SETTINGS, valid_post(timezone="Mars/Olympus_Mons"))

    assert response.status_code == 400
    assert Profile.objects.get(user=user).timezone == "UTC"


def test_saving_only_ever_touches_the_learners_own_profile(user_client, user):
    other = ProfileFactory(display_name="Grace", visibility=Visibility.PRIVATE)

    user_client.post(SETTINGS, valid_post(user=other.user.pk, id=other.pk))

    other.refresh_from_db()
    assert (other.display_name, other.visibility) == ("Grace", "private")
    assert Profile.objects.get(user=user).display_name == "Ada L."


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_not_allowed(user_client, method):
    assert getattr(user_client, method)(SETTINGS).status_code == 405


# -- what the learner is told ------------------------------------------------------------------------


def flash(response) -> list[str]:
    return [p.text for p in dom.select(response, "#flash p.flash")]


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"display_name": "Ada L."}, "Settings saved: display name."),
        (
            {"timezone": "Asia/Tokyo", "journey_start": "2025-01-01"},
            "Settings saved: time zone and day 1 of your journey.",
        ),
        ({"share_log_notes": "on"}, "Settings saved: showing your log notes."),
        (
            {"visibility": "unlisted"},
            "Settings saved. Your page is now unlisted: anyone with the secret link can see it.",
        ),
        (
            {"visibility": "private", "display_name": "Ada L."},
            "Settings saved: display name. Your page is now private: only you can see it.",
        ),
    ],
)
def test_every_change_is_confirmed_by_what_changed(user_client, user, changes, said):
    ProfileFactory(user=user, display_name="Ada", visibility=Visibility.PUBLIC, timezone="Europe/London")

    response = user_client.post(SETTINGS, {**valid_post(display_name="Ada"), **changes}, follow=True)

    assert flash(response) == [said]
    assert "flash-success" in dom.select_one(response, "#flash p.flash").classes


def test_saving_unchanged_settings_says_so_and_writes_nothing(user_client, user):
    profile = ProfileFactory(
        user=user, display_name="Ada L.", visibility=Visibility.PUBLIC, timezone="Europe/London"
    )
    token = profile.state_token

    response = user_client.post(SETTINGS, valid_post(), follow=True)

    assert flash(response) == ["Nothing to save: your settings were already like that."]
    assert Profile.objects.get(user=user).state_token == token  # cached pages stay good


def test_a_refused_save_says_nothing_was_saved_at_the_top(user_client, user):
    response = user_client.post(SETTINGS, valid_post(visibility="everyone"))

    assert response.status_code == 400
    assert flash(response) == ["Nothing was saved: see what needs fixing below."]


def test_a_refused_deletion_says_nothing_was_deleted(user_client, user):
    response = user_client.post("/settings/delete/", {"password": "wrong", "confirm": "on"})

    assert response.status_code == 400
    assert flash(response) == ["Nothing was deleted: see what needs fixing below."]
    assert type(user).objects.filter(pk=user.pk).exists()
