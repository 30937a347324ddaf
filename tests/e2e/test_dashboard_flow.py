"""The dashboard scenario: sign up, mark a topic practised, close the gaps it reveals."""

import os
import re
from datetime import timedelta
from pathlib import Path

from playwright.sync_api import Locator, Page, expect

from accounts.models import Profile
from roadmap.models import Progress, Status, Topic

# Everything Gradient descent needs, transitively, in the curated roadmap.
GRADIENT_DESCENT_NEEDS = {
    "Arithmetic, fractions and order of operations",
    "Variables and algebraic expressions",
    "Sets, intervals and summation notation",
    "Exponents and radicals",
    "Linear equations and inequalities",
    "Polynomials and factoring",
    "Functions",
    "Python and NumPy for mathematics",
    "Vectors and vector operations",
    "Dot product",
    "Limits and continuity",
    "Derivatives",
    "Extrema, concavity and optimisation",
    "Functions of several variables",
    "Partial derivatives",
    "Gradient",
}
SCREENSHOTS = Path("/tmp/mp")


def status_control(page: Page, topic: str) -> Locator:
    return page.get_by_role("form", name=f"Status of {topic}", exact=True)


def gaps_panel(page: Page) -> Locator:
    return page.get_by_role("region", name=re.compile(r"^Gaps"))


def gaps_heading(page: Page) -> Locator:
    return page.get_by_role("heading", name=re.compile(r"^Gaps\b"), level=2)


def section_percent(page: Page, section: str) -> int:
    card = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name=section, exact=True))
    text = card.get_by_text(re.compile(r"% covered")).inner_text()
    return int(re.search(r"(\d+)% covered", text).group(1))


def sign_up(page: Page) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label(re.compile(r"^Email")).fill("grace@example.com")
    page.get_by_label(re.compile(r"^Username")).fill("grace")
    page.get_by_label(re.compile(r"^Password:?$")).fill("a long unguessable phrase")
    page.get_by_label(re.compile(r"^Password \(again\)")).fill("a long unguessable phrase")
    page.get_by_role("button", name=re.compile(r"^Sign up$", re.IGNORECASE)).click()
    # A new learner lands on "Find my level", which offers the dashboard instead.
    page.wait_for_url("**/placement/")
    page.get_by_role("link", name="Not now: go to my dashboard").click()
    page.wait_for_url("**/dashboard/")


def test_practising_a_topic_shows_its_gaps_and_closing_them_moves_progress(page: Page):
    sign_up(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hi grace")
    expect(gaps_panel(page)).to_contain_text("No gaps")
    calculus_before = section_percent(page, "Calculus")
    # Survives only if nothing below reloads the page.
    page.evaluate("window.__marker = 1")

    practised = status_control(page, "Gradient descent").get_by_role("button", name="Practised")
    expect(practised).to_have_attribute("aria-pressed", "false")
    practised.click()

    expect(practised).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("status")).to_contain_text("Gradient descent: practised")
    gaps = gaps_panel(page)
    expect(gaps_heading(page)).to_have_text(re.compile(rf"^Gaps\s*{len(GRADIENT_DESCENT_NEEDS)}$"))
    # The list shows its first eight gaps, in roadmap order, and hides the rest behind "Show 8 more gaps".
    for title in [
        "Arithmetic, fractions and order of operations",
        "Functions",
        "Python and NumPy for mathematics",
    ]:
        expect(gaps.get_by_role("link", name=title, exact=True)).to_be_visible()

    # A long gap list is cut short, so collect what it showed on the way down.
    shown = set()
    for remaining in reversed(range(len(GRADIENT_DESCENT_NEEDS))):
        links = gaps.get_by_role("listitem").get_by_role("link").all_inner_texts()
        shown.update(text for text in links if text != "Check yourself")  # each gap's offer of a check
        gaps.get_by_role("button", name=re.compile(r"^Mark .+ as mastered$")).first.click()
        expect(gaps_heading(page)).to_have_text(re.compile(rf"^Gaps\s*{remaining}$"))
    assert shown == set(GRADIENT_DESCENT_NEEDS)

    expect(gaps).to_contain_text("No gaps")
    expect(page.get_by_role("button", name="Mark Limits and continuity as mastered")).to_have_count(0)
    expect(
        status_control(page, "Limits and continuity").get_by_role("button", name="Mastered")
    ).to_have_attribute("aria-pressed", "true")
    assert section_percent(page, "Calculus") > calculus_before
    assert page.evaluate("window.__marker") == 1

    # What the browser showed is what was saved.
    statuses = dict(Progress.objects.filter(learner__username="grace").values_list("topic__title", "status"))
    assert statuses.pop("Gradient descent") == Status.PRACTISED
    assert statuses == dict.fromkeys(GRADIENT_DESCENT_NEEDS, Status.MASTERED)

    if os.environ.get("MATHPATH_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        # The header is sticky: scrolled, it would be painted mid-page in a full-page shot.
        page.evaluate("window.scrollTo(0, 0)")
        page.set_viewport_size({"width": 1366, "height": 900})
        page.screenshot(path=SCREENSHOTS / "e2e-dashboard.png", full_page=True)
        page.set_viewport_size({"width": 390, "height": 844})
        page.screenshot(path=SCREENSHOTS / "e2e-dashboard-phone.png", full_page=True)


def test_status_buttons_work_without_javascript(new_context, learner, log_in):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, learner)
    # Without JavaScript the checklist's sections start folded at any width (static/js/folds.js
    # opens them on wide screens): the learner opens one by its summary.
    page.locator("#check-ml-foundations > summary").click()

    learning = status_control(page, "Gradient descent").get_by_role("button", name="Learning")
    expect(learning).to_have_attribute("aria-pressed", "false")
    with page.expect_navigation():
        learning.click()

    # The plain POST redirected back to the topic's row (its section open) on a freshly rendered page.
    assert page.url.endswith("/dashboard/?section=ml-foundations#topic-gradient-descent")
    expect(learning).to_have_attribute("aria-pressed", "true")
    expect(status_control(page, "Gradient descent").get_by_role("button", pressed=True)).to_have_text(
        "Learning"
    )
    expect(gaps_panel(page)).to_contain_text("Gradient")
    assert Progress.objects.get(learner=learner, topic__slug="gradient-descent").status == Status.LEARNING


def test_status_buttons_work_from_the_keyboard(page: Page, learner, log_in):
    log_in(page, learner)
    control = status_control(page, "Derivatives")
    learning = control.get_by_role("button", name="Learning")
    practised = control.get_by_role("button", name="Practised")

    # Start on the topic's link in its checklist row and move on with Tab.
    checklist = page.get_by_role("region", name="Checklist")
    checklist.get_by_role("link", name="Derivatives", exact=True).focus()
    page.keyboard.press("Tab")
    expect(checklist.get_by_role("link", name="Check yourself on Derivatives", exact=True)).to_be_focused()
    page.keyboard.press("Tab")
    expect(control.get_by_role("button", name="Not started")).to_be_focused()
    page.keyboard.press("Tab")
    expect(learning).to_be_focused()
    page.keyboard.press("Enter")
    expect(learning).to_have_attribute("aria-pressed", "true")

    # The swap replaced the row; focus must come back to the same button, not
    # fall to <body>, so the next Tab continues from where the learner was.
    expect(learning).to_be_focused()
    page.keyboard.press("Tab")
    expect(practised).to_be_focused()
    page.keyboard.press("Space")
    expect(practised).to_have_attribute("aria-pressed", "true")
    expect(learning).to_have_attribute("aria-pressed", "false")
    expect(practised).to_be_focused()
    assert Progress.objects.get(learner=learner, topic__slug="derivatives").status == Status.PRACTISED


def test_the_plan_follows_changes_on_the_way_to_the_goal_and_ignores_the_rest(page: Page, learner, log_in):
    Profile.objects.update_or_create(
        user=learner, defaults={"goal": Topic.objects.get(slug="gradient-descent")}
    )
    log_in(page, learner)
    summary = page.locator(".plan-summary")
    to_go = len(GRADIENT_DESCENT_NEEDS) + 1  # the goal itself too
    expect(summary).to_contain_text(f"{to_go} topics to go")
    page.evaluate("window.__marker = 1")

    # Off the way: the plan is not sent again, and stays as it was.
    status_control(page, "Logarithms").get_by_role("button", name="Mastered").click()
    expect(page.get_by_role("status")).to_contain_text("Logarithms: mastered")
    expect(summary).to_contain_text(f"{to_go} topics to go")

    # On the way: the plan loses the step in place.
    status_control(page, "Functions").get_by_role("button", name="Mastered").click()
    expect(page.get_by_role("status")).to_contain_text("Functions: mastered")
    expect(summary).to_contain_text(f"{to_go - 1} topics to go")
    expect(page.locator(".plan-steps").get_by_role("link", name="Functions", exact=True)).to_have_count(0)
    assert page.evaluate("window.__marker") == 1
    # The steps were patched (progress/plan.py), not sent whole: each time, the
    # page reads as the plan drawn afresh, the step that came into view included.
    assert plan_as_shown(page) == plan_drawn_afresh(page)

    status_control(page, "Derivatives").get_by_role("button", name="Learning").click()
    expect(page.locator("#plan-head-derivatives")).to_contain_text("Learning")
    assert plan_as_shown(page) == plan_drawn_afresh(page)

    status_control(page, "Functions").get_by_role("button", name="Not started").click()
    expect(summary).to_contain_text(f"{to_go} topics to go")
    expect(page.locator(".plan-steps").get_by_role("link", name="Functions", exact=True)).to_have_count(1)
    assert plan_as_shown(page) == plan_drawn_afresh(page)

    # Shown whole, the plan stays whole.
    page.get_by_role("link", name=re.compile(r"^Show \d+ more steps?$")).click()
    expect(page.locator("#plan-steps > li")).to_have_count(to_go)
    status_control(page, "Vectors and vector operations").get_by_role("button", name="Mastered").click()
    expect(page.locator("#plan-steps > li")).to_have_count(to_go - 1)
    assert plan_as_shown(page) == plan_drawn_afresh(page, "?all=1")
    assert page.evaluate("window.__marker") == 1


def plan_as_shown(page: Page) -> list[tuple[str, str]]:
    return [
        tuple(step)
        for step in page.locator("#plan-steps > li").evaluate_all("els => els.map(e => [e.id, e.innerText])")
    ]


def plan_drawn_afresh(page: Page, query: str = "") -> list[tuple[str, str]]:
    fresh = page.context.new_page()
    fresh.goto(f"/dashboard/{query}")
    steps = plan_as_shown(fresh)
    fresh.close()
    return steps


def test_setting_a_pace_and_a_target_dates_the_plan_in_place(page: Page, learner, log_in):
    profile, _ = Profile.objects.update_or_create(
        user=learner, defaults={"goal": Topic.objects.get(slug="gradient-descent")}
    )
    today = profile.today()
    log_in(page, learner)
    plan = page.get_by_role("region", name="Plan to a goal")
    expect(plan).to_contain_text("No study logged yet: log some study, or set a pace, to see a date.")
    page.evaluate("window.__marker = 1")

    # A target in the past is refused where it was typed, and what was typed stays.
    plan.get_by_label("Hours a week").fill("5")
    plan.get_by_label("Target date").fill((today - timedelta(days=1)).isoformat())
    plan.get_by_role("button", name="Save pace and target").click()
    expect(plan.get_by_role("alert")).to_contain_text("is in the past — pick today")
    expect(plan.get_by_label("Hours a week")).to_have_value("5")
    assert Profile.objects.get(user=learner).weekly_minutes is None

    # A week away is far too soon for the whole plan: a date, and the warning.
    plan.get_by_label("Target date").fill((today + timedelta(days=7)).isoformat())
    plan.get_by_role("button", name="Save pace and target").click()
    expect(plan).to_contain_text("At the pace you set, 5h a week, you reach Gradient descent around")
    expect(plan).to_contain_text("This week: 0m of 5h")
    expect(plan).to_contain_text("Not realistic: that is more than")
    expect(plan.get_by_role("alert")).to_have_count(0)
    assert page.evaluate("window.__marker") == 1
    saved = Profile.objects.get(user=learner)
    assert (saved.weekly_minutes, saved.target_date) == (300, today + timedelta(days=7))


def test_a_pace_can_be_set_without_javascript(new_context, learner, log_in):
    Profile.objects.update_or_create(
        user=learner, defaults={"goal": Topic.objects.get(slug="gradient-descent")}
    )
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, learner)
    plan = page.get_by_role("region", name="Plan to a goal")

    plan.get_by_label("Hours a week").fill("2")
    plan.get_by_label("Minutes a week").fill("30")
    with page.expect_navigation():
        plan.get_by_role("button", name="Save pace and target").click()

    assert page.url.endswith("/dashboard/#plan")
    expect(plan).to_contain_text("At the pace you set, 2h 30m a week")
    assert Profile.objects.get(user=learner).weekly_minutes == 150
