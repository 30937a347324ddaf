"""Every error answered to an htmx request is a fragment for the flash region, never a page.

The endpoints' own refusals (roadmap/web/htmx.py `invalid()`, `Gone`) name the
topic by its title; the middleware (roadmap/web/htmx_errors.py) turns any other
4xx answer (Django's 404 and CSRF pages, debug pages, an empty 405, the login
redirect) into one. The browser side, with 5xx and network failures, is
tests/e2e/test_request_failures.py.
"""

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django_htmx.middleware import HtmxMiddleware

from accounts.models import Profile
from roadmap.models import Progress, ResourceRating, Status
from roadmap.web.htmx_errors import HtmxErrorMiddleware
from tests import dom
from tests.factories import (
    MasteredProgressFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
)

HTMX = {"HTTP_HX_REQUEST": "true"}
GONE = "“Limits” is no longer on the roadmap — reload the page."
NOTE_TOO_LONG = "An evidence note can be at most 200 characters; this one has 201."


@pytest.fixture
def topics(db):
    calculus = SectionFactory(slug="calculus", title="Calculus")
    return {
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits"),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives"),
    }


@pytest.fixture
def book(topics):
    resource = ResourceFactory(slug="calculus-book", title="Calculus book")
    TopicResourceFactory(topic=topics["limits"], resource=resource)
    return resource


def archive(topic) -> None:
    topic.is_archived = True
    topic.save()


def flash_fragment(response, status: int) -> str:
    """The fragment's text, once it is shown to be one: right status, no page, aimed at #flash."""
    html = response.content.decode()
    assert response.status_code == status, html[:500]
    assert "<html" not in html.lower()
    assert "site-header" not in html
    assert response["HX-Retarget"] == "#flash"
    assert response["HX-Reswap"] == "innerHTML"
    box = dom.select_one(response, "div.flash-error[role=alert]")
    assert box.has("data-request-error")
    assert dom.select(response, "button[data-dismiss-flash]")
    return dom.text(box)


# -- a topic archived between page load and click -----------------------------------------------------

ARCHIVED_TOPIC_REQUESTS = {
    "dashboard status": ("post", "/progress/", {"topic": "limits", "status": "learning"}, 400),
    "topic page status": ("post", "/topics/limits/status/", {"status": "learning"}, 400),
    "topic page note": ("post", "/topics/limits/status/", {"status": "learning", "note": "Ex. 1-9"}, 400),
    "map status": ("post", "/map/topic/limits/status/", {"status": "practised"}, 400),
    "dashboard review": ("post", "/review/", {"topic": "limits", "rating": "3"}, 400),
    "topic page review": ("post", "/topics/limits/review/", {"rating": "3"}, 400),
    "resource rating": ("post", "/topics/limits/resources/calculus-book/rate/", {"rating": "4"}, 404),
    "map panel": ("get", "/map/topic/limits/", {}, 404),
}


@pytest.mark.parametrize("request_name", ARCHIVED_TOPIC_REQUESTS)
def test_a_topic_archived_since_the_page_loaded_is_named_by_its_title(
    learner_client, learner, topics, book, request_name
):
    method, path, data, status = ARCHIVED_TOPIC_REQUESTS[request_name]
    MasteredProgressFactory(learner=learner, topic=topics["limits"])
    archive(topics["limits"])
    before = list(Progress.objects.values_list("status", "note", "review_due"))

    response = getattr(learner_client, method)(path, data, **HTMX)

    text = flash_fragment(response, status)
    assert GONE in text
    assert "limits" not in response.content.decode()  # the slug is no name for it
    assert ("Nothing was changed." in text) == (method == "post")
    assert list(Progress.objects.values_list("status", "note", "review_due")) == before
    assert not ResourceRating.objects.exists()


def test_a_topic_that_never_was_on_the_roadmap_is_gone_in_words(learner_client, topics):
    response = learner_client.post("/topics/no-such-topic/status/", {"status": "learning"}, **HTMX)

    text = flash_fragment(response, 400)
    assert "That topic is no longer on the roadmap — reload the page." in text
    assert "no-such-topic" not in response.content.decode()


def test_without_htmx_an_archived_topics_map_panel_is_still_a_404_page(learner_client, topics):
    archive(topics["limits"])

    response = learner_client.get("/map/topic/limits/")

    assert response.status_code == 404
    assert not response.has_header("HX-Retarget")


def test_a_resource_no_longer_listed_for_the_topic_is_named_with_the_topic(learner_client, topics, book):
    response = learner_client.post(
        "/topics/derivatives/resources/calculus-book/rate/", {"rating": "4"}, **HTMX
    )

    text = flash_fragment(response, 404)
    assert "That resource is no longer listed for “Derivatives” — reload the page." in text
    assert not ResourceRating.objects.exists()


# -- over-long and other bad input: the topic's title, and nothing lost -------------------------------

NOTE_REQUESTS = {
    "dashboard": ("/progress/", {"topic": "limits"}),
    "topic page": ("/topics/limits/status/", {}),
    "map": ("/map/topic/limits/status/", {}),
}


@pytest.mark.parametrize("page", NOTE_REQUESTS)
def test_an_over_long_note_is_refused_in_the_flash_naming_the_topic(learner_client, learner, topics, page):
    path, data = NOTE_REQUESTS[page]
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.LEARNING, note="Khan")

    response = learner_client.post(path, {**data, "status": "practised", "note": "x" * 201}, **HTMX)

    text = flash_fragment(response, 400)
    assert "Nothing was changed for Limits." in text
    assert NOTE_TOO_LONG in text
    assert list(Progress.objects.values_list("status", "note")) == [(Status.LEARNING, "Khan")]


@pytest.mark.parametrize("page", NOTE_REQUESTS)
def test_an_unknown_status_is_refused_in_the_flash_naming_the_topic(learner_client, topics, page):
    path, data = NOTE_REQUESTS[page]

    response = learner_client.post(path, {**data, "status": "bored"}, **HTMX)

    text = flash_fragment(response, 400)
    assert "Nothing was changed for Limits." in text
    assert "“bored” is not a status." in text
    assert not Progress.objects.exists()


@pytest.mark.parametrize("path", ["/review/", "/topics/limits/review/"])
def test_reviewing_a_topic_not_mastered_is_refused_in_the_flash_naming_it(
    learner_client, learner, topics, path
):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.LEARNING)

    response = learner_client.post(path, {"topic": "limits", "rating": "3"}, **HTMX)

    text = flash_fragment(response, 400)
    assert "Nothing was changed." in text
    assert "“Limits” is not mastered, so there is nothing to review." in text


def test_a_rating_out_of_range_is_refused_in_the_flash_naming_resource_and_topic(learner_client, book):
    response = learner_client.post("/topics/limits/resources/calculus-book/rate/", {"rating": "9"}, **HTMX)

    text = flash_fragment(response, 400)
    assert "Nothing was changed for your rating of “Calculus book” on Limits." in text
    assert "Rate it from 1 to 5, or just mark it used." in text


def test_a_goal_archived_since_the_page_loaded_is_refused_in_the_flash(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])
    archive(topics["limits"])

    response = learner_client.post("/dashboard/goal/", {"goal": topics["limits"].pk}, **HTMX)

    text = flash_fragment(response, 400)
    assert "That topic is no longer on the roadmap — reload the page and pick another goal." in text
    assert Profile.objects.get(user=learner).goal == topics["derivatives"]


def test_a_practice_task_gone_since_the_page_loaded_is_refused_in_the_flash(learner_client, topics):
    response = learner_client.post("/practice/", {"task": "12345", "done": "on"}, **HTMX)

    text = flash_fragment(response, 400)
    assert "That practice task is no longer on the roadmap — reload the page." in text


def test_a_dashboard_section_gone_since_the_page_loaded_is_refused_in_the_flash(learner_client, topics):
    response = learner_client.get(
        "/dashboard/", {"section": "statistics"}, HTTP_HX_TARGET="check-rows-statistics", **HTMX
    )

    text = flash_fragment(response, 404)
    assert "That is no longer on the roadmap — reload the page." in text
    assert "Nothing was changed." not in text


# -- the middleware: any other 4xx page, whatever its view ---------------------------------------------


def test_a_csrf_failure_is_a_fragment_not_djangos_page(learner, topics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post("/topics/limits/status/", {"status": "learning"}, **HTMX)

    text = flash_fragment(response, 403)
    assert "This page is out of date" in text
    assert not Progress.objects.exists()


def test_the_wrong_method_is_a_fragment_not_an_empty_answer(learner_client, topics):
    # An empty answer would empty (or, swapped outerHTML, remove) what the request targeted.
    response = learner_client.get("/topics/limits/status/", **HTMX)

    flash_fragment(response, 405)


def test_a_lapsed_session_links_to_the_login_page_and_back(client, topics):
    response = client.post(
        "/topics/limits/status/",
        {"status": "learning"},
        HTTP_HX_CURRENT_URL="http://testserver/topics/limits/",
        **HTMX,
    )

    text = flash_fragment(response, 403)
    assert "You're logged out (your session ended), so nothing could be saved." in text
    link = dom.select_one(response, "a")
    assert dom.text(link) == "Log in again"
    assert link.attrs["href"] == "/accounts/login/?next=%2Ftopics%2Flimits%2F"


def test_a_lapsed_session_never_links_back_to_another_site(client, topics):
    response = client.post(
        "/topics/limits/status/", {"status": "learning"}, HTTP_HX_CURRENT_URL="https://evil.example/", **HTMX
    )

    flash_fragment(response, 403)
    assert dom.select_one(response, "a").attrs["href"] == "/accounts/login/"


def test_a_debug_server_answers_htmx_as_production_does(settings, learner_client, topics):
    settings.DEBUG = True  # Django's technical 404 page, instead of handler404's
    archive(topics["limits"])

    gone = learner_client.get("/map/topic/limits/", **HTMX)
    missing = learner_client.get("/dashboard/", {"section": "nope"}, HTTP_HX_TARGET="check-rows-nope", **HTMX)

    assert GONE in flash_fragment(gone, 404)
    assert "That is no longer on the roadmap" in flash_fragment(missing, 404)


def middleware_answer(response: HttpResponse, *, htmx: bool = True) -> HttpResponse:
    request = RequestFactory().get("/", **(HTMX if htmx else {}))
    return HtmxMiddleware(HtmxErrorMiddleware(lambda request: response))(request)


def test_a_panels_own_error_fragment_is_left_to_swap_into_the_panel():
    panel = HttpResponse('<section id="check-panel"><p>Fix the answers below.</p></section>', status=422)

    assert middleware_answer(panel) is panel


def test_a_page_answered_to_a_plain_request_is_left_alone():
    page = HttpResponse("<!doctype html><html><body>Not Found</body></html>", status=404)

    assert middleware_answer(page, htmx=False) is page


@pytest.mark.parametrize(
    ("status", "words"),
    [(400, "couldn't read"), (413, "shorten it"), (429, "wait a minute"), (418, "That didn't work")],
)
def test_every_other_4xx_page_becomes_a_fragment_saying_what_to_do(status, words):
    answer = middleware_answer(HttpResponse("<!DOCTYPE html>\n<html lang=en>…</html>", status=status))

    assert words in flash_fragment(answer, status)


def test_a_non_html_4xx_becomes_a_fragment():
    answer = middleware_answer(HttpResponse("Bad request", content_type="text/plain", status=400))

    flash_fragment(answer, 400)


def test_2xx_and_5xx_answers_are_left_to_htmx_and_the_browser_script():
    ok = HttpResponse("<!doctype html><html></html>")
    failed = HttpResponse("<!doctype html><html>Server Error</html>", status=500)

    assert middleware_answer(ok) is ok
    assert middleware_answer(failed) is failed


# -- the scripts every page loads ---------------------------------------------------------------------


def test_pages_load_htmx_and_the_request_errors_script_but_not_django_htmx_debug(settings, client, db):
    settings.DEBUG = True  # when {% htmx_script %} would add django-htmx.js, which replaces the document

    page = client.get("/accounts/login/")

    sources = [script.attrs["src"] for script in dom.select(page, "script[src]")]
    assert "/static/django_htmx/htmx-2.min.js" in sources
    assert "/static/js/request-errors.js" in sources
    assert not [src for src in sources if "django-htmx.js" in src]
