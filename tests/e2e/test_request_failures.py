"""A failed htmx request, in a real browser: the page stays, and the flash region says what happened.

Each failure is injected for real: a topic archived between page load and
click (a 4xx from the server), an over-long note (the input's maxlength taken
off, as an old page or another client would send it), a 500 and a network
failure (Playwright's route interception). After each, the site header and its
navigation, the page's heading and controls, and a marker set in the window
(gone on any reload) are all still there. Screenshots land in /tmp/mp/.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from roadmap.models import Progress, Status, Topic

SCREENSHOTS = Path("/tmp/mp")
STATUS_URL = "**/topics/functions/status/"
UNREACHABLE = "Couldn't reach mathpath — check your connection and try again."
SERVER_FAILED = "Something went wrong on our side; nothing was changed — try again."


def flash(page: Page) -> Locator:
    return page.locator("#flash")


def status_button(page: Page, topic: str, label: str) -> Locator:
    return page.get_by_role("form", name=f"Status of {topic}", exact=True).get_by_role(
        "button", name=label, exact=True
    )


def open_page(page: Page, path: str) -> None:
    page.goto(path)
    page.evaluate("window.__marker = 1")  # survives only if nothing reloads or replaces the page


def assert_page_intact(page: Page, heading: str) -> None:
    """The site around the failed request is all there: header, navigation, the page itself, no reload."""
    expect(page.get_by_role("banner")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Main")
    for link in ("Roadmap", "Map", "Dashboard", "Log", "Settings"):
        expect(navigation.get_by_role("link", name=link, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.get_by_role("contentinfo")).to_be_attached()
    assert page.evaluate("window.__marker") == 1
    assert page.evaluate("document.querySelectorAll('html').length") == 1
    assert page.evaluate("document.querySelectorAll('.site-header').length") == 1


def archive(slug: str) -> None:
    Topic.objects.filter(slug=slug).update(is_archived=True)


@pytest.mark.parametrize("debug", [False, True], ids=["production", "debug server"])
def test_a_status_click_on_a_topic_archived_meanwhile_says_so_and_keeps_the_page(
    page: Page, learner, log_in, settings, debug
):
    # DEBUG is where the whole document used to be replaced: django-htmx's debug script did it.
    settings.DEBUG = debug
    log_in(page, learner)
    open_page(page, "/topics/functions/")
    archive("functions")

    status_button(page, "Functions", "Learning").click()

    expect(flash(page).get_by_role("alert")).to_contain_text(
        "“Functions” is no longer on the roadmap — reload the page."
    )
    assert_page_intact(page, "Functions")
    expect(status_button(page, "Functions", "Not started")).to_have_attribute("aria-pressed", "true")
    assert not Progress.objects.exists()
    if not debug:
        page.screenshot(path=str(SCREENSHOTS / "request-failure-archived-1280.png"))


def test_an_over_long_note_is_refused_in_the_flash_and_stays_in_its_field(page: Page, learner, log_in):
    log_in(page, learner)
    open_page(page, "/topics/functions/")
    note = page.get_by_label("Evidence note")
    note.evaluate("field => field.removeAttribute('maxlength')")
    long_note = "Worked through Larson 1.1–1.9 and every odd exercise, then " + "x" * 190
    note.fill(long_note)

    page.get_by_role("button", name="Save note").click()

    alert = flash(page).get_by_role("alert")
    expect(alert).to_contain_text("Nothing was changed for Functions.")
    expect(alert).to_contain_text(
        f"An evidence note can be at most 200 characters; this one has {len(long_note)}."
    )
    assert_page_intact(page, "Functions")
    expect(note).to_have_value(long_note)  # nothing lost: shorten it and save again
    assert not Progress.objects.exists()


def test_a_server_error_says_try_again_and_the_retry_works(page: Page, learner, log_in):
    log_in(page, learner)
    open_page(page, "/topics/functions/")
    page.route(
        STATUS_URL,
        lambda route: route.fulfill(
            status=500,
            content_type="text/html",
            body="<!doctype html><html><h1>Server Error (500)</h1></html>",
        ),
    )

    status_button(page, "Functions", "Practised").click()

    expect(flash(page).get_by_role("alert")).to_have_text(re.compile(re.escape(SERVER_FAILED)))
    assert_page_intact(page, "Functions")
    expect(page.get_by_text("Server Error (500)")).to_have_count(0)
    expect(status_button(page, "Functions", "Practised")).to_have_attribute("aria-pressed", "false")

    page.unroute(STATUS_URL)
    status_button(page, "Functions", "Practised").click()

    expect(status_button(page, "Functions", "Practised")).to_have_attribute("aria-pressed", "true")
    expect(flash(page).get_by_role("alert")).to_have_count(0)  # the retry cleared the stale message
    assert Progress.objects.get(learner=learner).status == Status.PRACTISED


def test_a_network_failure_far_down_the_dashboard_shows_where_the_learner_is(page: Page, learner, log_in):
    log_in(page, learner)
    open_page(page, "/dashboard/")
    page.route("**/progress/", lambda route: route.abort())
    button = status_button(page, "Gradient descent", "Practised")
    button.scroll_into_view_if_needed()

    button.click()

    alert = flash(page).get_by_role("alert")
    expect(alert).to_contain_text(UNREACHABLE)
    expect(alert).to_be_in_viewport()  # the flash region is at the top; its failures float in sight
    assert_page_intact(page, f"Hi {learner.username}")
    expect(button).to_have_attribute("aria-pressed", "false")
    page.screenshot(path=str(SCREENSHOTS / "request-failure-offline-1280.png"))
    page.set_viewport_size({"width": 360, "height": 740})
    page.screenshot(path=str(SCREENSHOTS / "request-failure-offline-360.png"))

    alert.get_by_role("button", name="Dismiss").click()

    expect(alert).to_have_count(0)
    assert not Progress.objects.exists()


def test_a_map_topic_archived_meanwhile_says_so_and_keeps_the_map(page: Page, learner, log_in):
    log_in(page, learner)
    open_page(page, "/map/")
    archive("gradient-descent")

    page.locator("#map-node-gradient-descent").click()

    expect(flash(page).get_by_role("alert")).to_contain_text(
        "“Gradient descent” is no longer on the roadmap — reload the page."
    )
    assert_page_intact(page, "The map")
    expect(page.locator("#map-svg")).to_be_visible()
    expect(page.locator("#map-panel")).to_be_hidden()
