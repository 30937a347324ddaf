"""The learning log scenario: write a day, make the page public, and a stranger reads the report."""

import re

from django.utils import timezone
from playwright.sync_api import Page, expect

from roadmap.models import Status, Topic
from tests.factories import ProgressFactory


def test_a_logged_day_shows_on_the_public_page_once_it_is_made_public(
    page: Page, new_context, learner, log_in
):
    ProgressFactory(learner=learner, topic=Topic.objects.get(slug="limits"), status=Status.MASTERED)
    today = timezone.now().date()
    log_in(page, learner)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Log", exact=True).click()
    page.wait_for_url("**/log/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Start your log")
    form = page.get_by_role("region", name="Log a day")
    expect(form.get_by_label("Date")).to_have_value(today.isoformat())
    learned_for = form.get_by_role("group", name="Learned for")
    learned_for.get_by_role("spinbutton").nth(0).fill("1")
    learned_for.get_by_role("spinbutton").nth(1).fill("30")
    form.get_by_label("Current stage").fill("noob-level math grind")
    form.get_by_role("radio", name="Yes", exact=True).check()
    topics = form.get_by_role("group", name="Topics studied")
    topics.get_by_role("checkbox", name="Limits and continuity").check()
    form.get_by_label("Note").fill("Epsilon-delta finally **clicked**.")
    form.get_by_role("button", name="Save entry").click()

    page.wait_for_url(f"**/log/#entry-{today.isoformat()}")
    expect(page.get_by_role("status")).to_contain_text(f"Logged 1h 30m for {today.day} {today:%b %Y}.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Day 1")
    entry = page.locator(f"#entry-{today.isoformat()}")
    expect(entry.get_by_role("heading", level=3)).to_contain_text("Day 1")
    expect(entry.get_by_text("clicked", exact=True)).to_have_js_property("tagName", "STRONG")
    entry.get_by_text("Share this report").click()
    report = entry.get_by_label("Report for day 1")
    expect(report).to_have_value(re.compile(r"^ML progress report \(day 1\)\nCurrent stage: noob-level"))
    expect(entry.get_by_role("button", name="Copy report")).to_be_visible()
    expect(entry.get_by_role("link", name="Share link")).to_have_count(0)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Settings").click()
    page.get_by_role("radio", name=re.compile(r"^Public")).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_role("status")).to_contain_text("Settings saved.")
    expect(page.get_by_label("Link to share")).to_have_value(re.compile(r"/u/ada/$"))

    visitor = new_context().new_page()
    response = visitor.goto("/u/ada/")
    assert response is not None and response.status == 200
    expect(visitor.get_by_role("heading", level=1)).to_have_text("ada")
    expect(visitor.get_by_role("navigation", name="Main").get_by_role("link", name="Log in")).to_be_visible()
    sections = visitor.get_by_role("region", name="Sections")
    calculus = sections.get_by_role("listitem").filter(
        has=visitor.get_by_role("heading", name="Calculus", exact=True)
    )
    expect(calculus).to_contain_text(re.compile(r"[1-9]\d*% covered"))
    recent = visitor.get_by_role("region", name="Recent reports")
    expect(recent).to_contain_text("1h 30m · noob-level math grind")
    expect(recent).to_contain_text("Studied: Limits and continuity")
    # Notes stay private until the learner chooses to share them.
    expect(visitor.get_by_text("Epsilon-delta")).to_have_count(0)

    recent.get_by_role("link", name=re.compile(r"^Day 1 · ")).click()
    visitor.wait_for_url(f"**/u/ada/log/{today.isoformat()}/")
    expect(visitor.get_by_role("heading", level=1)).to_have_text("ML progress report (day 1)")
    expect(visitor.locator("dl.report")).to_contain_text(re.compile(r"Satisfied\?\s*Yes"))
    expect(visitor.locator("dl.report")).to_contain_text("1h 30m")


def test_a_private_page_is_not_found_for_visitors(page: Page, new_context, learner, log_in):
    log_in(page, learner)
    response = page.goto("/u/ada/")
    assert response is not None and response.status == 200
    expect(page.get_by_role("note")).to_contain_text("Your page is private")

    visitor = new_context().new_page()
    response = visitor.goto("/u/ada/")

    assert response is not None and response.status == 404
    expect(visitor.get_by_text("ada", exact=True)).to_have_count(0)
