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


SUFFIXES = pytest.mark.parametrize(
    "suffix",
    ["", "badge.svg", "card.png", "log/2025-03-01/", "log/2025-03-01/card.png"],
    ids=["page", "badge", "card", "log entry", "log entry card"],
)
# What image proxies and unfurlers send: a refusal must not answer them differently (no 304, no ETag).
CONDITIONAL = {"HTTP_IF_NONE_MATCH": "*", "HTTP_IF_MODIFIED_SINCE": "Sat, 01 Mar 2025 00:00:00 GMT"}


@pytest.mark.parametrize("signed_in", [False, True])
@SUFFIXES
def test_a_private_or_unlisted_user_is_refused_exactly_as_an_unknown_one(client, people, signed_in, suffix):
    if signed_in:
        client.force_login(UserFactory(username="someone-else"))
    unknown = refusal(client.get(f"/u/nobody-at-all/{suffix}"))

    assert unknown[0] == 404
    assert refusal(client.get(f"/u/hidden/{suffix}")) == unknown
    assert refusal(client.get(f"/u/halfway/{suffix}")) == unknown


@pytest.mark.parametrize("signed_in", [False, True])
@SUFFIXES
def test_a_rotated_token_is_refused_exactly_as_a_made_up_one(client, people, signed_in, suffix):
    if signed_in:
        client.force_login(UserFactory(username="someone-else"))
    made_up = refusal(client.get(f"/s/not-a-token-at-all/{suffix}"))

    assert made_up[0] == 404
    assert refusal(client.get(f"/s/{people['old_token']}/{suffix}")) == made_up


@SUFFIXES
def test_conditional_requests_are_refused_exactly_as_plain_ones(client, people, suffix):
    refusals = [
        (
            refusal(client.get(f"/u/nobody-at-all/{suffix}")),
            ["/u/hidden/", "/u/halfway/", "/u/nobody-at-all/"],
        ),
        (
            refusal(client.get(f"/s/not-a-token-at-all/{suffix}")),
            [f"/s/{people['old_token']}/", "/s/made-up/"],
        ),
    ]

    for plain, prefixes in refusals:
        assert plain[0] == 404
        for prefix in prefixes:
            refused = client.get(prefix + suffix, **CONDITIONAL)
            assert refusal(refused) == plain, prefix
            assert "ETag" not in refused
            assert "Last-Modified" not in refused


@pytest.mark.parametrize("suffix", ["badge.svg", "card.png", "log/2025-03-01/card.png"])
def test_head_is_refused_exactly_as_for_an_unknown_user(client, people, suffix):
    unknown = refusal(client.head(f"/u/nobody-at-all/{suffix}"))

    assert unknown[0] == 404
    assert refusal(client.head(f"/u/hidden/{suffix}")) == unknown
    assert refusal(client.head(f"/u/halfway/{suffix}")) == unknown
