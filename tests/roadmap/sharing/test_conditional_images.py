"""The badge and the card answer conditional requests (#16): what GitHub's camo and unfurlers send."""

import time

import pytest
from django.test import Client
from django.utils.http import http_date

from roadmap.models import Status
from roadmap.progress.status import set_status
from tests.roadmap.sharing.sharers import address

pytestmark = pytest.mark.usefixtures("frozen_now")

IMAGES = [
    "/u/{username}/badge.svg",
    "/u/{username}/badge.svg?theme=dark",
    "/s/{token}/badge.svg",
    "/u/{username}/card.png",
    "/s/{token}/log/{day}/card.png",
]


@pytest.fixture(params=IMAGES)
def image(request, sharer) -> str:
    return address(request.param, token=sharer.share_token)


def test_200_then_304_then_a_new_etag_after_a_status_change(client, sharer, topics, image):
    first = client.get(image)
    assert first.status_code == 200
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')

    again = client.get(image, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # The proxy keeps what the 304 says: the same freshness as the full answer.
    assert again["Cache-Control"] == first["Cache-Control"]

    set_status(learner=sharer.user, topic=topics["chain-rule"], status=Status.MASTERED)
    changed = client.get(image, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.content != first.content
    assert client.get(image, HTTP_IF_NONE_MATCH=changed["ETag"]).status_code == 304


def test_a_revalidation_is_answered_without_rendering_in_two_queries(
    client, sharer, image, django_assert_max_num_queries
):
    etag = client.get(image)["ETag"]

    # The owner's profile and the roadmap (and, for a report's card, that the report exists).
    queries = 3 if "/log/" in image else 2
    with django_assert_max_num_queries(queries) as captured:
        assert client.get(image, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert not any("cache" in query["sql"] for query in captured.captured_queries)


def test_if_modified_since_is_answered_from_last_modified(client, sharer, topics, image, monkeypatch):
    first = client.get(image)
    last_modified = first["Last-Modified"]

    assert client.get(image, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    # A changed learner's image is rendered anew, here a few seconds later (HTTP dates
    # count whole seconds): a later Last-Modified, so a full answer.
    set_status(learner=sharer.user, topic=topics["chain-rule"], status=Status.MASTERED)
    later = time.time() + 5
    monkeypatch.setattr(time, "time", lambda: later)
    changed = client.get(image, HTTP_IF_MODIFIED_SINCE=last_modified)
    assert changed.status_code == 200
    assert changed["Last-Modified"] == http_date(int(later))


def test_an_etag_that_does_not_match_gets_the_image(client, sharer, image):
    response = client.get(image, HTTP_IF_NONE_MATCH='"something-else"')

    assert response.status_code == 200
    assert response.content
    assert response["ETag"] != '"something-else"'


def test_the_etag_is_the_same_for_every_anonymous_fetch(client, sharer, image):
    # camo fetches from many machines: one ETag for everyone not signed in.
    assert client.get(image)["ETag"] == Client().get(image)["ETag"]


def test_head_answers_like_get_without_the_body(client, sharer, image):
    got = client.get(image)
    head = client.head(image)

    assert head.status_code == 200
    assert head["Content-Type"] == got["Content-Type"]
    assert head["ETag"] == got["ETag"]
    assert client.head(image, HTTP_IF_NONE_MATCH=got["ETag"]).status_code == 304
