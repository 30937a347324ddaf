"""Browser tests: Debian's Chromium driving the app behind pytest-django's live server.

Every test here is marked `e2e` (deselect with `-m "not e2e"`) and is skipped, with
the reason shown by `-ra`, when /usr/bin/chromium is missing. Playwright's own
browser downloads are never used.
"""

import os
import re
from pathlib import Path

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from tests.factories import PASSWORD, UserFactory

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
HERE = Path(__file__).resolve().parent

# Playwright's sync API keeps an event loop running in the test thread, so
# Django's async-safety check would refuse every ORM call made by a fixture.
# Nothing here is actually async: the live server answers on its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


def pytest_collection_modifyitems(config, items):
    # This hook sees the whole session's items, not only this folder's.
    missing = None
    if not CHROMIUM.exists():
        missing = pytest.mark.skip(reason=f"browser tests need Chromium at {CHROMIUM}; it is not installed")
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing:
            item.add_marker(missing)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": str(CHROMIUM), "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session", autouse=True)
def base_url(live_server) -> str:
    """Lets tests write page.goto("/dashboard/") against the live server.

    Autouse, so the server starts before the browser and stops after it: Chromium
    drops its keep-alive connections only when it closes, and the request threads
    still serving them close the (shared, in-memory SQLite) database connection.
    """
    return live_server.url


@pytest.fixture(autouse=True)
def _e2e_database(transactional_db, seeded_roadmap):
    """The live server reads committed data, so each test gets a flushed
    (transactional) database with the curated roadmap imported into it."""
    # The cache table is not flushed between tests, and allauth keeps its
    # rate-limit counters there: one test's logins must not throttle the next.
    cache.clear()


@pytest.fixture
def learner():
    return UserFactory(username="ada", email="ada@example.com")


@pytest.fixture
def log_in():
    """Logs a user in through allauth's real form, as a learner would."""

    def _log_in(page: Page, user) -> None:
        page.goto("/accounts/login/")
        page.get_by_label(re.compile(r"^Email")).fill(user.email)
        page.get_by_label(re.compile(r"^Password")).fill(PASSWORD)
        page.get_by_role("button", name=re.compile(r"^Sign in$", re.IGNORECASE)).click()
        page.wait_for_url("**/dashboard/")
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Hi {user.username}")

    return _log_in


# -- axe-core ------------------------------------------------------------------
# axe-core (tests/e2e/vendor/, see its README) checks what a browser renders against
# WCAG 2.x A and AA and Deque's best practices.
AXE_SOURCE = HERE / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa", "best-practice"]
# label-content-name-mismatch compares a control's name with the part of its text that is on
# screen: a map box half scrolled out of the map's viewport (its title's middle line out of
# sight) fails although its name holds its whole title. For such a clipped box this judges
# the rule on its whole text instead, so a real mismatch still fails.
AXE_RUN = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const curate = (text) => (text || "").toLowerCase().replace(/[^\\p{L}\\p{N}\\s]/gu, "").replace(/\\s+/g, " ").trim();
  const clipped = (el) => {
    const box = el.getBoundingClientRect();
    for (let up = el.parentElement; up; up = up.parentElement) {
      if (getComputedStyle(up).overflow === "visible") continue;
      const view = up.getBoundingClientRect();
      if (box.left < view.left || box.right > view.right || box.top < view.top || box.bottom > view.bottom) return true;
    }
    return false;
  };
  const judgedWhole = (node) => {
    const el = node.target.length === 1 && document.querySelector(node.target[0]);
    return el && clipped(el) && curate(el.getAttribute("aria-label")).includes(curate(el.textContent));
  };
  for (const v of results.violations) {
    if (v.id === "label-content-name-mismatch") v.nodes = v.nodes.filter((node) => !judgedWhole(node));
  }
  return results.violations.filter((v) => v.nodes.length).map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


class Axe:
    """Runs axe-core in a page; `assert_clean` fails with each violation's id, impact, help and nodes."""

    def __init__(self, source: str):
        self.source = source

    def violations(self, page: Page) -> list[dict]:
        # Evaluated over the devtools protocol, so the site's CSP (no inline scripts) does not block it.
        if not page.evaluate("() => typeof window.axe === 'object'"):
            page.evaluate(self.source)
        return page.evaluate(AXE_RUN, AXE_TAGS)

    def assert_clean(self, page: Page, where: str = "") -> None:
        found = self.violations(page)
        if found:
            pytest.fail(f"axe found {len(found)} violation(s) on {where or page.url}:\n" + describe(found))


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:10]:
            summary = " ".join(node["summary"].split())
            lines.append(f"    {node['target']}\n      {summary}")
        if len(v["nodes"]) > 10:
            lines.append(f"    … and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


@pytest.fixture(scope="session")
def axe() -> Axe:
    return Axe(AXE_SOURCE.read_text())
