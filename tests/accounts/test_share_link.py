"""Making a new secret link (accounts/views.py rotate_share_link): it asks first, then says it was done.

What the old and new links then reach is tested with the shared pages
(tests/roadmap/sharing/test_sharing.py).
"""

import pytest

from accounts.models import Profile, Visibility
from tests import dom
from tests.factories import ProfileFactory, UserFactory

ROTATE = "/settings/share-link/rotate/"


@pytest.fixture
def ada(db):
    user = UserFactory(username="ada")
    ProfileFactory(user=user, visibility=Visibility.UNLISTED)
    return user


@pytest.fixture
def ada_client(client, ada):
    client.force_login(ada)
    return client


def token_of(user) -> str:
    return Profile.objects.get(user=user).share_token


def test_settings_offer_the_new_link_as_a_question_not_a_button_that_acts(ada_client):
    response = ada_client.get("/settings/")

    link = dom.select_one(response, "#rotate-link a")
    assert link.text == "Make a new secret link…"
    assert link["href"] == ROTATE  # a page that asks, without JavaScript
    assert (link["hx-get"], link["hx-target"], link["hx-swap"]) == (ROTATE, "#rotate-link", "outerHTML")
    assert not [f for f in dom.select(response, "form") if f.get("action") == ROTATE]


def test_asking_first_is_a_page_that_says_the_old_link_stops_working(ada_client, ada):
    before = token_of(ada)

    response = ada_client.get(ROTATE)

    assert response.status_code == 200
    assert dom.select_one(response, "main h1").text == "Make a new secret link?"
    assert "The old link stops working at once." in dom.text(response)
    form = dom.select_one(response, f"form[action='{ROTATE}']")
    assert form["method"] == "post"
    assert dom.select(form, "input[name=csrfmiddlewaretoken]")
    assert dom.select_one(form, "button[type=submit]").text == "Make a new secret link"
    assert dom.select_one(form, "a")["href"] == "/settings/#sharing"  # keep the current one
    assert token_of(ada) == before  # asking changes nothing


def test_asking_first_with_htmx_is_the_question_alone_in_place_of_the_button(ada_client, ada):
    before = token_of(ada)

    response = ada_client.get(ROTATE, headers={"HX-Request": "true", "HX-Target": "rotate-link"})

    assert response.status_code == 200
    [root] = dom.top_level(response)
    assert root.id == "rotate-link"  # what hx-swap="outerHTML" replaces
    assert "<html" not in response.content.decode()
    assert "The old link stops working at once." in root.text
    assert dom.select(root, f"form[action='{ROTATE}'][method=post] input[name=csrfmiddlewaretoken]")
    assert token_of(ada) == before


def test_confirming_makes_the_new_link_and_says_so(ada_client, ada):
    before = token_of(ada)

    response = ada_client.post(ROTATE, follow=True)

    assert response.redirect_chain == [("/settings/", 302)]
    after = token_of(ada)
    assert after != before
    [said] = dom.select(response, "#flash p.flash-success")
    assert said.text.startswith("Made a new secret link. The old one no longer works")
    assert dom.by_id(response, "share-url")["value"] == f"http://testserver/s/{after}/"


def test_asking_needs_a_login(client, db):
    response = client.get(ROTATE)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused(ada_client, ada, method):
    before = token_of(ada)

    assert getattr(ada_client, method)(ROTATE).status_code == 405
    assert token_of(ada) == before
