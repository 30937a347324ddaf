"""The strict Content Security Policy, enforced by a real browser: nothing on any page trips it.

The server-side scan (tests/security/test_headers.py) finds inline scripts and
style attributes in the HTML; only a browser sees what JavaScript does at run
time: htmx injecting a <style> for its indicators, evaluating hx-on or trigger
filters, or our scripts setting innerHTML with styles. Every main page is
loaded, and the htmx interactions that swap content are driven, while a
listener records `securitypolicyviolation` events and the console is watched.
"""

import contextlib
import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Profile, Visibility
from tests.factories import LogEntryFactory

LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} at ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


class Watch:
    """CSP violations (from every page the tab showed) and console errors."""

    def __init__(self, page: Page):
        self.page = page
        self.violations: list[str] = []
        self.console: list[str] = []
        page.add_init_script(LISTEN)  # runs in every document before its own scripts
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"uncaught: {error}"))

    def _console(self, message) -> None:
        self.console.append(f"{message.type}: {message.text}")

    def collect(self) -> None:
        """Take the violations of the document now showing (each document has its own list)."""
        self.violations += self.page.evaluate("window.__cspViolations || []")

    def visit(self, path: str) -> None:
        self.collect_before_leaving()
        response = self.page.goto(path)
        assert response.ok, f"{path}: {response.status}"
        self.page.wait_for_load_state("load")

    def collect_before_leaving(self) -> None:
        # about:blank, before the first page, has no list to read.
        with contextlib.suppress(Exception):
            self.collect()

    def assert_clean(self) -> None:
        self.collect()
        assert self.violations == []
        # Chromium also reports each blocked script or style on the console; and a script that
        # throws (say, eval refused) shows as uncaught. Other console noise is not this test's business.
        assert [m for m in self.console if "Content Security Policy" in m or m.startswith("uncaught")] == []


@pytest.fixture
def watch(page: Page) -> Watch:
    return Watch(page)


def test_public_pages_break_no_csp_rule(page: Page, watch: Watch, learner):
    Profile.objects.filter(pk=Profile.objects.for_user(learner).pk).update(
        visibility=Visibility.PUBLIC, share_log_notes=True
    )
    entry = LogEntryFactory(learner=learner, note="**Bold** and [a link](https://example.com)")

    for path in [
        "/",
        "/topics/gradient-descent/",
        "/map/",
        "/map/?section=calculus",
        "/map/topic/derivatives/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/u/ada/",
        f"/u/ada/log/{entry.date.isoformat()}/",
    ]:
        watch.visit(path)

    watch.assert_clean()


def test_the_map_panel_opens_and_closes_without_breaking_the_csp(page: Page, watch: Watch):
    watch.visit("/map/")

    page.locator("#map-svg").get_by_role("link", name=re.compile(r"^Derivatives( — .*)?$")).click()
    panel = page.get_by_role("complementary", name="Derivatives")
    expect(panel).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#map-panel")).to_be_hidden()
    page.get_by_role("button", name="Zoom in").click()

    watch.assert_clean()


def test_a_learners_pages_and_htmx_swaps_break_no_csp_rule(page: Page, watch: Watch, learner, log_in):
    log_in(page, learner)
    LogEntryFactory(learner=learner, note="A note with `code`")

    # The dashboard: a status change swaps a row, the section card, the ring and the panels in place.
    watch.visit("/dashboard/")
    control = page.get_by_role("form", name="Status of Gradient descent", exact=True)
    control.get_by_role("button", name="Practised").click()
    expect(control.get_by_role("button", name="Practised")).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status")).to_contain_text("Gradient descent: practised")
    page.get_by_label("Your goal").select_option(label="Gradient descent")
    page.get_by_role("button", name=re.compile(r"^Show (the )?plan", re.IGNORECASE)).click()
    expect(page.locator("#plan-body")).to_contain_text("Gradient descent")

    # The topic page's own status card, and a bad request answered into the flash region.
    watch.visit("/topics/derivatives/")
    card = page.get_by_role("form", name="Status of Derivatives", exact=True)
    card.get_by_role("button", name="Learning").click()
    expect(card.get_by_role("button", name="Learning")).to_have_attribute("aria-pressed", "true")

    # The map with a learner's statuses, and a change made from its panel.
    watch.visit("/map/topic/gradient-descent/")
    panel = page.get_by_role("complementary", name="Gradient descent")
    panel.get_by_role("form", name="Status of Gradient descent").get_by_role(
        "button", name="Mastered"
    ).click()
    expect(page.locator("#flash")).to_contain_text("Gradient descent: mastered")

    for path in ["/log/", "/settings/", "/topics/derivatives/suggest/", "/u/ada/", "/accounts/email/"]:
        watch.visit(path)
    # The log's copy button (clipboard access may be refused headless; either way no CSP breach).
    watch.visit("/log/")
    page.get_by_text("Share this report").first.click()
    page.get_by_role("button", name="Copy report").first.click()

    watch.assert_clean()
