"""Every refusal of a shared page is the same response, headers included (security finding 2).

A private user's 404 used to say `Vary: Cookie` (the view read the session to
check for the owner) while an unknown user's did not, so the headers told which
usernames exist. Compared here byte for byte, headers and all.
"""

import pytest

from accounts.models import Visibility
from tests import dom
from tests.factories import ProfileFactory, RoadmapFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    RoadmapFactory()
    private = ProfileFactory(user=UserFactory(username="hidden"), visibility=Visibility.PRIVATE)
    unlisted = ProfileFactory(user=UserFactory(username="halfway"), visibility=Visibility.UNLISTED)
    old_token = unlisted.share_token
    unlisted.rotate_share_token()
    return {"private": private, "unlisted": unlisted, "old_token": old_token}


def refusal(response) -> tuple:
    # The page's CSRF token is masked afresh for every response; everything else must match.
    return response.status_code, dom.without_csrf_tokens(response), sorted(response.headers.items())


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("suffix", ["", "badge.svg", "log/2025-03-01/"], ids=["page", "badge", "log entry"])
def test_a_private_or_unlisted_user_is_refused_exactly_as_an_unknown_one(client, people, signed_in, suffix):
    if signed_in:
        client.force_login(UserFactory(username="someone-else"))
    unknown = refusal(client.get(f"/u/nobody-at-all/{suffix}"))

    assert unknown[0] == 404
    assert refusal(client.get(f"/u/hidden/{suffix}")) == unknown
    assert refusal(client.get(f"/u/halfway/{suffix}")) == unknown


@pytest.mark.parametrize("signed_in", [False, True])
@pytest.mark.parametrize("suffix", ["", "badge.svg", "log/2025-03-01/"], ids=["page", "badge", "log entry"])
def test_a_rotated_token_is_refused_exactly_as_a_made_up_one(client, people, signed_in, suffix):
    if signed_in:
        client.force_login(UserFactory(username="someone-else"))
    made_up = refusal(client.get(f"/s/not-a-token-at-all/{suffix}"))

    assert made_up[0] == 404
    assert refusal(client.get(f"/s/{people['old_token']}/{suffix}")) == made_up
