"""Keyboard only: a learner with no mouse signs in, changes a status on the dashboard,
answers a check, logs a day and opens a topic on the map.

Nothing here clicks, fills or focuses an element: every step is a key press through
page.keyboard (Tab, Shift+Tab, Enter, Space, arrows, Escape, typing), and every control
reached shows a focus ring. After each htmx swap, focus is somewhere useful, never
dropped to <body>, and axe finds nothing wrong with what was swapped in.
"""

import re

import pytest
from playwright.sync_api import Locator, Page, expect

from accounts.models import Profile
from roadmap.models import LogEntry, Problem, ProblemKind, Progress, Status, Topic
from tests.factories import PASSWORD, ProgressFactory, TopicCheckFactory

ACTIVE = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return "<body>";
  const name = el.getAttribute("aria-label") || el.textContent.trim().slice(0, 40) || el.getAttribute("name") || "";
  return `${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""} ${name}`.trim();
}"""
# The focused control's ring: the outline, or for a map box (SVG) its focus stroke.
FOCUS_RING = """() => {
  const el = document.activeElement;
  const box = el.matches(".map-node") ? el.querySelector(".map-box") : null;
  const style = getComputedStyle(box || el);
  return {
    visible: el.matches(":focus-visible"),
    ring: box ? parseFloat(style.strokeWidth) : (style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth)),
  };
}"""


def tab_to(page: Page, target: Locator, *, key: str = "Tab", limit: int = 300) -> None:
    """Press `key` until `target` has focus, as a keyboard user would, and check its focus ring."""
    passed = []
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("el => el === document.activeElement"):
            assert_focus_visible(page)
            return
        passed.append(page.evaluate(ACTIVE))
    pytest.fail(f"{limit} presses of {key} never reached {target}; the last ones reached {passed[-12:]}")


def assert_focus_visible(page: Page) -> None:
    ring = page.evaluate(FOCUS_RING)
    assert ring["visible"] and ring["ring"] >= 2, (
        f"{page.evaluate(ACTIVE)} has focus but no visible ring: {ring}"
    )


def assert_focus_kept(page: Page, where: Locator) -> None:
    """Focus is inside `where` (or on it), not dropped to <body> by a swap."""
    expect(where).to_be_visible()
    assert where.evaluate("el => el.contains(document.activeElement)"), (
        f"focus is on {page.evaluate(ACTIVE)}, not in {where}"
    )


def test_a_keyboard_user_signs_in_and_marks_their_gaps_on_the_dashboard(page: Page, learner, axe):
    profile = Profile.objects.for_user(learner)
    profile.goal = Topic.objects.get(slug="gradient-descent")
    profile.save()
    ProgressFactory(learner=learner, topic=profile.goal, status=Status.PRACTISED)  # so its needs are gaps
    Profile.objects.learner_changed(learner.pk)

    page.goto("/accounts/login/")
    tab_to(page, page.get_by_label(re.compile(r"^Email")))
    page.keyboard.type(learner.email)
    tab_to(page, page.get_by_label(re.compile(r"^Password")))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/dashboard/")

    gaps = page.get_by_role("region", name=re.compile(r"^Gaps"))
    first, second = [
        Topic.objects.get(slug=s).title for s in ("arithmetic-and-fractions", "algebraic-expressions")
    ]
    tab_to(page, gaps.get_by_role("button", name=f"Mark {first} as mastered"))
    page.keyboard.press("Enter")

    expect(page.locator("#flash")).to_contain_text(f"{first}: mastered")
    expect(gaps.get_by_role("button", name=f"Mark {first} as mastered")).to_have_count(0)
    # The row went with the swap; focus went to the same button of the gap now in its place.
    expect(gaps.get_by_role("button", name=f"Mark {second} as mastered")).to_be_focused()
    page.keyboard.press("Space")

    expect(page.locator("#flash")).to_contain_text(f"{second}: mastered")
    assert_focus_kept(page, page.locator("#gaps"))
    assert set(
        Progress.objects.filter(learner=learner, status=Status.MASTERED).values_list(
            "topic__title", flat=True
        )
    ) == {first, second}
    axe.assert_clean(page, "the dashboard after two status changes")


def _check_of(learner, slug: str, kinds) -> list[Problem]:
    bank = Problem.objects.active().filter(topic__slug=slug).order_by("order")
    problems = [bank.filter(kind=kind).first() for kind in kinds]
    TopicCheckFactory(learner=learner, topic=Topic.objects.get(slug=slug), problems=problems)
    return problems


def test_a_keyboard_user_answers_a_check_and_sees_the_result(page: Page, learner, log_in, axe):
    choice, multiple, expression = _check_of(
        learner, "taylor-series", [ProblemKind.CHOICE, ProblemKind.MULTIPLE, ProblemKind.EXPRESSION]
    )
    log_in(page, learner)
    page.goto("/topics/taylor-series/check/")
    letters = "ABCDEFGH"

    # A radio group is one Tab stop: Space picks the first choice, arrows move the pick.
    tab_to(page, page.locator(f'input[name="answer_{choice.pk}"]').first)
    page.keyboard.press("Space")
    for _ in range(letters.index(choice.answer)):
        page.keyboard.press("ArrowDown")
    expect(page.locator(f'input[name="answer_{choice.pk}"][value="{choice.answer}"]')).to_be_checked()
    # Checkboxes are a Tab stop each; Space ticks the right ones.
    for letter, _text in multiple.lettered_choices:
        box = page.locator(f'input[name="answer_{multiple.pk}"][value="{letter}"]')
        tab_to(page, box)
        if letter in multiple.keyed_letters:
            page.keyboard.press("Space")
    tab_to(page, page.locator(f'input[name="answer_{expression.pk}"]'))
    page.keyboard.type(expression.answer)
    tab_to(page, page.get_by_role("button", name="Check my answers"))
    page.keyboard.press("Enter")

    result = page.get_by_role("region", name="Passed: 3/3")
    expect(result).to_be_visible()
    assert_focus_kept(page, result)
    assert Progress.objects.get(learner=learner, topic__slug="taylor-series").status == Status.MASTERED
    axe.assert_clean(page, "a check's result")


def test_a_keyboard_user_logs_a_day_finding_its_topic_with_the_filter(page: Page, learner, log_in):
    log_in(page, learner)
    page.goto("/log/")
    form = page.get_by_role("region", name="Log a day")

    learned_for = form.get_by_role("group", name="Learned for")
    tab_to(page, learned_for.get_by_role("spinbutton").nth(0))
    page.keyboard.press("Control+A")
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.press("Control+A")
    page.keyboard.type("30")
    tab_to(page, form.get_by_label("Current stage"))
    page.keyboard.type("Limits by epsilon and delta")
    tab_to(page, form.get_by_role("radio").first)  # "Satisfied?": arrows pick within the group
    page.keyboard.press("Space")
    topics = form.get_by_role("group", name="Topics studied")
    tab_to(page, topics.get_by_label("Filter topics"))
    page.keyboard.type("limits")
    expect(topics.get_by_role("checkbox")).not_to_have_count(0)
    limits = topics.get_by_role("checkbox", name="Limits and continuity")
    tab_to(page, limits)  # the filter hid the rest: a Tab or two, not a hundred
    page.keyboard.press("Space")
    expect(limits).to_be_checked()
    # Enter in the filter box must not send the form half-written.
    tab_to(page, topics.get_by_label("Filter topics"), key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(form.get_by_role("button", name="Save entry")).to_be_visible()
    assert not LogEntry.objects.filter(learner=learner).exists()
    tab_to(page, form.get_by_label("Note"))
    page.keyboard.type("Epsilon-delta finally clicked.")
    tab_to(page, form.get_by_role("button", name="Save entry"))
    page.keyboard.press("Enter")

    today = Profile.objects.for_user(learner).today()
    page.wait_for_url(f"**/log/#entry-{today.isoformat()}")
    expect(page.get_by_role("status")).to_contain_text(f"Logged 1h 30m for {today.day} {today:%b %Y}.")
    entry = LogEntry.objects.get(learner=learner)
    assert (entry.date, entry.minutes, entry.stage, [t.slug for t in entry.topics.all()]) == (
        today,
        90,
        "Limits by epsilon and delta",
        ["limits"],
    )


def test_a_keyboard_user_opens_a_topic_on_the_map_and_closes_it(page: Page, learner, log_in, axe):
    log_in(page, learner)
    page.goto("/map/")
    first = page.locator("#map-node-arithmetic-and-fractions")

    tab_to(page, first)
    page.keyboard.press("Enter")

    panel = page.get_by_role("complementary", name="Arithmetic, fractions and order of operations")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", level=2)).to_be_focused()
    # Its status, from the keyboard, keeps focus on the pressed button.
    tab_to(page, panel.get_by_role("button", name="Learning"))
    page.keyboard.press("Space")
    expect(page.locator("#flash")).to_contain_text("learning")
    expect(panel.get_by_role("button", name="Learning")).to_have_attribute("aria-pressed", "true")
    expect(panel.get_by_role("button", name="Learning")).to_be_focused()
    axe.assert_clean(page, "the map with a topic's panel open")
    # Back to the close link (above the status buttons), and out.
    tab_to(page, panel.get_by_role("link", name=re.compile(r"^Close ")), key="Shift+Tab")
    page.keyboard.press("Enter")
    expect(panel).to_be_hidden()
    expect(first).to_be_focused()

    # Find a topic by name; Escape closes its panel and puts focus back on its box.
    tab_to(page, page.get_by_label("Find", exact=True), key="Shift+Tab")
    page.keyboard.type("Gradient descent")
    page.keyboard.press("Enter")
    found = page.get_by_role("complementary", name="Gradient descent")
    expect(found).to_be_visible()
    expect(found.get_by_role("heading", level=2)).to_be_focused()
    page.keyboard.press("Escape")
    expect(found).to_be_hidden()
    expect(page.locator("#map-node-gradient-descent")).to_be_focused()
    assert_focus_visible(page)


def test_marking_a_practice_task_done_from_the_keyboard_keeps_focus_on_its_task(page: Page, learner, log_in):
    log_in(page, learner)
    page.goto("/")
    task = page.locator(".practice-task").first
    title = task.get_by_role("heading").inner_text()

    tab_to(page, task.get_by_role("button", name=f"Mark done: “{title}”"))
    page.keyboard.press("Enter")

    # The task is swapped for its done version; focus moves to that version's button.
    expect(task.get_by_role("button", name=f"Not done: “{title}”")).to_be_focused()
    assert_focus_visible(page)
