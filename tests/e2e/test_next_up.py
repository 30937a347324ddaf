"""Next up and Gaps in the browser: they never name the same topic, and follow each click in place."""

import re

from playwright.sync_api import Page, expect

FUNCTIONS_NEEDS = [
    "Arithmetic, fractions and order of operations",
    "Variables and algebraic expressions",
    "Linear equations and inequalities",
]


def test_next_up_waits_for_the_gaps_under_a_mastered_topic_then_moves_on(page: Page, learner, log_in):
    log_in(page, learner)
    gaps = page.get_by_role("region", name=re.compile(r"^Gaps"))
    next_up = page.get_by_role("region", name=re.compile(r"^Next up"))
    expect(next_up.get_by_role("link", name=FUNCTIONS_NEEDS[0], exact=True)).to_be_visible()
    page.evaluate("window.__marker = 1")

    page.get_by_role("form", name="Status of Functions", exact=True).get_by_role(
        "button", name="Mastered"
    ).click()

    # Functions rests on three uncovered topics: they are gaps, and nothing built on it is offered.
    expect(page.get_by_role("status")).to_contain_text("Functions: mastered")
    for title in FUNCTIONS_NEEDS:
        expect(gaps.get_by_role("link", name=title, exact=True)).to_be_visible()
    expect(next_up).to_contain_text("everything left builds on a gap")
    expect(next_up.get_by_role("listitem")).to_have_count(0)

    for title in FUNCTIONS_NEEDS:
        gaps.get_by_role("button", name=f"Mark {title} as known").click()
        expect(gaps.get_by_role("link", name=title, exact=True)).to_have_count(0)

    expect(gaps).to_contain_text("No gaps")
    expect(next_up.get_by_role("link", name="Composition and inverse functions", exact=True)).to_be_visible()
    expect(
        next_up.get_by_role("link", name="Trigonometric functions and the unit circle", exact=True)
    ).to_be_visible()
    assert page.evaluate("window.__marker") == 1
