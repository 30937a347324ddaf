"""Who sees a learner's shared pages: visibility, the owner's preview, the secret link, the settings."""

import pytest

from accounts.models import Visibility
from tests import dom
from tests.factories import UserFactory
from tests.roadmap.sharing.sharers import (
    BY_TOKEN,
    BY_USERNAME,
    DAY,
    address,
    make_sharer,
    unknown,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


# -- Who sees what -------------------------------------------------------------------------------

VISIBLE_TO_OTHERS = {
    Visibility.PRIVATE: [],
    Visibility.UNLISTED: BY_TOKEN,
    Visibility.PUBLIC: BY_USERNAME + BY_TOKEN,
}


@pytest.mark.parametrize("visibility", Visibility.values)
@pytest.mark.parametrize("viewer", ["anonymous", "another learner"])
@pytest.mark.parametrize("template", BY_USERNAME + BY_TOKEN)
def test_each_way_in_follows_the_visibility(client, topics, visibility, viewer, template):
    profile = make_sharer(topics, visibility=visibility)
    if viewer == "another learner":
        client.force_login(UserFactory(username="grace"))

    response = client.get(address(template, token=profile.share_token))

    if template in VISIBLE_TO_OTHERS[visibility]:
        assert response.status_code == 200
    else:
        assert response.status_code == 404
        # The same answer as for an account that does not exist, so nobody can probe usernames.
        nobody = client.get(unknown(template))
        assert nobody.status_code == 404
        assert dom.without_csrf_tokens(response) == dom.without_csrf_tokens(nobody)
        # Without the CSRF token: a random one spells "ada" now and then.
        assert "ada" not in dom.without_csrf_tokens(response)


@pytest.mark.parametrize("day", ["2025-03-01", "2025-02-30", "not-a-date"])
@pytest.mark.parametrize("template", ["/u/{username}/log/{day}/", "/s/{token}/log/{day}/"])
def test_a_shared_page_has_no_report_for_a_day_without_an_entry_nor_a_bad_date(client, sharer, template, day):
    response = client.get(address(template, token=sharer.share_token, day=day))

    assert response.status_code == 404
    assert dom.without_csrf_tokens(response) == dom.without_csrf_tokens(client.get(unknown(template)))


def test_the_owner_previews_their_private_page_with_a_banner(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    response = client.get("/u/ada/")

    assert response.status_code == 200
    html = response.content.decode()
    banner = dom.select_one(html, "div.owner-banner[role=note]")
    assert "Preview: this is exactly what others see." in banner.text
    assert [strong.text for strong in banner.select("strong")] == ["Preview:"]
    assert "Your page is private, so right now nobody else can." in banner.text
    assert client.get(f"/u/ada/log/{DAY}/").status_code == 200


def test_the_owner_gets_no_badge_or_token_page_while_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    assert client.get("/u/ada/badge.svg").status_code == 404
    for template in BY_TOKEN:
        assert client.get(address(template, token=profile.share_token)).status_code == 404


@pytest.mark.parametrize(
    ("visibility", "says"),
    [
        (Visibility.UNLISTED, "Your page is unlisted: only people with your secret link can."),
        (Visibility.PUBLIC, "Your page is public."),
    ],
)
def test_the_owner_banner_says_who_else_can_see(client, topics, visibility, says):
    profile = make_sharer(topics, visibility=visibility)
    client.force_login(profile.user)

    assert says in client.get("/u/ada/").content.decode()


def test_visitors_see_no_preview_banner(client, sharer):
    html = client.get("/u/ada/").content.decode()

    assert "owner-banner" not in html
    assert "Preview:" not in html


def test_rotating_the_secret_link_kills_the_old_one(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    old = profile.share_token
    client.force_login(profile.user)

    response = client.post("/settings/share-link/rotate/", follow=True)

    assert response.redirect_chain == [("/settings/", 302)]
    assert "Made a new secret link. The old one no longer works" in response.content.decode()
    profile.refresh_from_db()
    assert profile.share_token != old
    assert len(profile.share_token) >= 32
    client.logout()
    for template in BY_TOKEN:
        assert client.get(address(template, token=old)).status_code == 404
        assert client.get(address(template, token=profile.share_token)).status_code == 200


def test_rotating_needs_a_post_and_a_login(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    token = profile.share_token

    anonymous = client.post("/settings/share-link/rotate/")
    client.force_login(profile.user)
    get = client.get("/settings/share-link/rotate/")

    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/accounts/login/")
    assert get.status_code == 200  # it only asks (tests/accounts/test_share_link.py)
    profile.refresh_from_db()
    assert profile.share_token == token


def settings_form(**overrides) -> dict:
    return {
        "display_name": "",
        "visibility": Visibility.PRIVATE,
        "timezone": "UTC",
        "journey_start": "",
        **overrides,
    }


def test_switching_back_to_private_kills_the_secret_link(client, topics):
    profile = make_sharer(topics, visibility=Visibility.UNLISTED)
    token_pages = [address(template, token=profile.share_token) for template in BY_TOKEN]
    assert [client.get(page).status_code for page in token_pages] == [200, 200, 200]
    client.force_login(profile.user)

    response = client.post("/settings/", settings_form(visibility=Visibility.PRIVATE))

    assert response.status_code == 302
    client.logout()
    assert [client.get(page).status_code for page in token_pages] == [404, 404, 404]


def test_making_the_page_public_in_settings_lists_it_by_username(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    client.post("/settings/", settings_form(visibility=Visibility.PUBLIC))

    client.logout()
    assert client.get("/u/ada/").status_code == 200


def test_a_bad_visibility_is_refused_and_the_page_stays_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    response = client.post("/settings/", settings_form(visibility="everyone", display_name="Ada L."))

    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice. everyone is not one of the available choices." in html
    assert dom.form_values(html)["display_name"] == "Ada L."
    profile.refresh_from_db()
    assert (profile.visibility, profile.display_name) == (Visibility.PRIVATE, "")


@pytest.mark.parametrize(
    ("visibility", "link"),
    [
        (Visibility.PUBLIC, "http://testserver/u/ada/"),
        (Visibility.UNLISTED, "http://testserver/s/{token}/"),
    ],
)
def test_settings_show_the_link_to_share(client, topics, visibility, link):
    profile = make_sharer(topics, visibility=visibility)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    share_url = dom.by_id(html, "share-url")
    assert share_url.tag == "input" and share_url.has("readonly")
    assert share_url["value"] == link.format(token=profile.share_token)
    if visibility == Visibility.UNLISTED:
        assert "Make a new secret link" in html


def test_settings_show_no_link_while_private(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    assert dom.select(html, "#share-url") == []
    assert profile.share_token not in html
    [says] = [p for p in dom.select(html, "p") if p.text.startswith("Your page is private")]
    assert [strong.text for strong in says.select("strong")] == ["private"]
