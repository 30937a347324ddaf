"""The dashboard on a phone: what to do first, the section cards and the checklist folded after.

Before this layout, a 360 px dashboard put seven section cards above Gaps and
opened every checklist section: 24,000 px for a new learner, 27,000 px half way.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Profile
from roadmap.models import Status, Topic
from tests.factories import ProgressFactory

PHONE = {"width": 360, "height": 800}
DESKTOP = {"width": 1280, "height": 900}
ACTION_PANELS = ["#gaps", "#next-up", "#reviews", "#plan"]
# A learner half way with a goal measures about 5,000 px at 360 (a new one 3,500), down from 27,000.
MAX_PHONE_HEIGHT = 8000


@pytest.fixture
def halfway(learner):
    """Half the first sections covered, a few topics started beyond, and a goal."""
    topics = list(Topic.objects.order_by("section__order", "order"))
    for topic in topics[:40]:
        ProgressFactory(learner=learner, topic=topic, status=Status.MASTERED)
    for topic in topics[50:54]:
        ProgressFactory(learner=learner, topic=topic, status=Status.LEARNING)
    profile = Profile.objects.for_user(learner)
    profile.goal = Topic.objects.get(slug="principal-component-analysis")
    profile.save_changes(["goal"])
    return learner


def open_dashboard(new_context, log_in, learner, viewport, **options) -> Page:
    page = new_context(viewport=viewport, **options).new_page()
    log_in(page, learner)
    return page


def header_bottom(page: Page) -> float:
    box = page.locator(".site-header").bounding_box()
    return box["y"] + box["height"]


@pytest.mark.parametrize("state", ["new", "halfway"])
def test_on_a_phone_what_to_do_comes_before_the_sections_and_the_page_is_short(
    new_context, log_in, learner, request, state
):
    if state == "halfway":
        request.getfixturevalue("halfway")
    page = open_dashboard(new_context, log_in, learner, PHONE)

    sections_top = page.locator("#sections").bounding_box()["y"]
    checklist_top = page.locator(".checklist-section").first.bounding_box()["y"]
    for panel in ACTION_PANELS:
        box = page.locator(panel).bounding_box()
        assert box["y"] + box["height"] <= sections_top, f"{panel} ends below the section cards"
    assert sections_top < checklist_top
    # Folded: no section card and no checklist row takes room yet.
    expect(page.locator(".section-card").first).to_be_hidden()
    expect(page.locator(".checklist-row").first).to_be_hidden()
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= MAX_PHONE_HEIGHT, f"the dashboard is {height}px long at 360px"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_the_section_cards_and_checklist_sections_open_and_close(new_context, log_in, learner):
    page = open_dashboard(new_context, log_in, learner, PHONE)
    sections = page.locator("#sections")
    card = page.locator("#section-card-calculus")

    page.get_by_role("heading", name="Sections", exact=True).click()
    expect(sections).to_have_attribute("open", "")
    expect(card).to_be_visible()
    page.get_by_role("heading", name="Sections", exact=True).click()
    expect(card).to_be_hidden()

    calculus = page.locator("#check-calculus")
    row = page.locator("#topic-derivatives")
    expect(row).to_be_hidden()
    calculus.locator("summary").click()
    expect(row).to_be_visible()


def jumped_into_view(page: Page, selector: str) -> None:
    """`selector` is on screen, its top clear of the sticky header (app.css's scroll-margin-top)."""
    target = page.locator(selector)
    expect(target).to_be_in_viewport()
    assert target.bounding_box()["y"] >= header_bottom(page) - 0.5, f"{selector} is under the header"


def test_a_section_card_link_opens_its_checklist_section_clear_of_the_header(new_context, log_in, learner):
    page = open_dashboard(new_context, log_in, learner, PHONE)
    page.get_by_role("heading", name="Sections", exact=True).click()

    page.locator("#section-card-calculus").get_by_role("link", name="Calculus").click()

    calculus = page.locator("#check-calculus")
    expect(calculus).to_have_attribute("open", "")
    expect(page.locator("#topic-derivatives")).to_be_visible()
    jumped_into_view(page, "#check-calculus")
    heading = calculus.locator("summary h3")
    assert heading.bounding_box()["y"] >= header_bottom(page)

    # Folded again, the same link (no hashchange now) opens it again.
    calculus.locator("summary").click()
    expect(page.locator("#topic-derivatives")).to_be_hidden()
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#section-card-calculus").get_by_role("link", name="Calculus").click()
    expect(calculus).to_have_attribute("open", "")
    jumped_into_view(page, "#check-calculus")


@pytest.mark.parametrize(
    ("fragment", "opened"),
    [
        ("#section-card-linear-algebra", "#sections"),
        ("#check-probability-statistics", "#check-probability-statistics"),
        ("#topic-derivatives", "#check-calculus"),
    ],
)
def test_arriving_at_a_folded_anchor_opens_its_fold(new_context, log_in, learner, fragment, opened):
    page = open_dashboard(new_context, log_in, learner, PHONE)

    page.goto("/dashboard/" + fragment)

    expect(page.locator(opened)).to_have_attribute("open", "")
    jumped_into_view(page, fragment)


def test_a_hash_change_opens_the_fold_it_points_into(new_context, log_in, learner):
    page = open_dashboard(new_context, log_in, learner, PHONE)

    page.evaluate("location.hash = '#check-applying-the-math'")

    expect(page.locator("#check-applying-the-math")).to_have_attribute("open", "")
    jumped_into_view(page, "#check-applying-the-math")


def test_a_status_change_leaves_every_fold_as_it_was(new_context, log_in, learner):
    page = open_dashboard(new_context, log_in, learner, PHONE)
    page.locator("#check-calculus > summary").click()
    page.evaluate("window.__marker = 1")

    practised = page.get_by_role("form", name="Status of Derivatives", exact=True).get_by_role(
        "button", name="Practised"
    )
    practised.click()

    expect(page.get_by_role("status")).to_contain_text("Derivatives: practised")
    expect(practised).to_have_attribute("aria-pressed", "true")
    # The section card (inside the closed Sections fold) and Gaps were swapped out of band.
    expect(page.locator("#section-card-calculus")).to_contain_text("1 practised")
    expect(page.locator("#gaps")).not_to_contain_text("No gaps")
    open_folds = page.evaluate("[...document.querySelectorAll('details[open]')].map(d => d.id)")
    assert "check-calculus" in open_folds and "sections" not in open_folds
    assert page.evaluate("window.__marker") == 1


def test_on_a_wide_screen_the_folds_start_open_after_the_panels(new_context, log_in, halfway):
    page = open_dashboard(new_context, log_in, halfway, DESKTOP)

    expect(page.locator("#sections")).to_have_attribute("open", "")
    expect(page.locator("#section-card-calculus")).to_be_visible()
    # Unfinished sections' rows are on the page, open; a finished one stays folded.
    expect(page.locator("#check-calculus")).to_have_attribute("open", "")
    expect(page.locator("#check-foundations")).not_to_have_attribute("open", re.compile(".*"))
    gaps, next_up = page.locator("#gaps").bounding_box(), page.locator("#next-up").bounding_box()
    assert gaps["y"] == next_up["y"] and gaps["x"] < next_up["x"], "Gaps and Next up side by side"
    # Review due stacks under Next up, beside a long Gaps, not below it.
    reviews = page.locator("#reviews").bounding_box()
    assert reviews["x"] == next_up["x"] and reviews["y"] < gaps["y"] + gaps["height"]
    plan_bottom = page.locator("#plan").bounding_box()
    assert plan_bottom["y"] + plan_bottom["height"] <= page.locator("#sections").bounding_box()["y"]
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_without_javascript_the_folds_open_by_hand_and_a_named_section_opens(new_context, log_in, learner):
    page = open_dashboard(new_context, log_in, learner, PHONE)
    context = new_context(
        viewport=PHONE, java_script_enabled=False, storage_state=page.context.storage_state()
    )
    page = context.new_page()
    page.goto("/dashboard/")

    expect(page.locator("#topic-derivatives")).to_be_hidden()
    page.locator("#check-calculus summary").click()
    expect(page.locator("#topic-derivatives")).to_be_visible()

    # Where a status change without JavaScript sends the learner back to.
    page.goto("/dashboard/?section=calculus#topic-derivatives")
    expect(page.locator("#check-calculus")).to_have_attribute("open", "")
    expect(page.locator("#check-linear-algebra")).not_to_have_attribute("open", re.compile(".*"))
