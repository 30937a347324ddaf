"""The log form's "Topics studied" checklist in a real browser: filter as you type, tick, save."""

import re

from playwright.sync_api import Page, expect

from roadmap.models import LogEntry, Topic


def _titles_holding(word: str) -> list[str]:
    return [
        title for title in Topic.objects.active().values_list("title", flat=True) if word in title.lower()
    ]


def test_typing_in_the_filter_narrows_the_topics_and_ticks_survive_it(page: Page, learner, log_in):
    total = Topic.objects.active().count()
    gradient_topics = _titles_holding("gradient")
    log_in(page, learner)
    page.goto("/log/")
    form = page.get_by_role("region", name="Log a day")
    topics = form.get_by_role("group", name="Topics studied")
    search = topics.get_by_role("searchbox", name="Filter topics")
    expect(topics.get_by_role("checkbox")).to_have_count(total)
    expect(search).to_have_accessible_description(f"{total} topics · 0 ticked")

    search.fill("GRADIENT")  # case doesn't count

    expect(topics.get_by_role("checkbox")).to_have_count(len(gradient_topics))
    for title in gradient_topics:
        expect(topics.get_by_role("checkbox", name=title, exact=True)).to_be_visible()
    expect(topics.get_by_role("group", name="Linear Algebra")).to_be_hidden()
    expect(search).to_have_accessible_description(
        f"{len(gradient_topics)} of {total} topics shown · 0 ticked"
    )

    # From the filter box the keyboard goes straight to the first topic left.
    search.press("Enter")  # does not send the half-written entry
    search.press("Tab")
    first = topics.get_by_role("checkbox", name=gradient_topics[0], exact=True)
    expect(first).to_be_focused()
    page.keyboard.press("Space")
    expect(first).to_be_checked()

    search.fill("eigenvalues")
    expect(topics.get_by_role("checkbox")).to_have_count(1)
    topics.get_by_role("checkbox", name="Eigenvalues and eigenvectors").check()
    search.fill("no such topic")
    expect(topics.get_by_text("No topic matches that filter.")).to_be_visible()
    expect(topics.get_by_role("checkbox")).to_have_count(0)

    search.fill("")
    expect(topics.get_by_role("checkbox")).to_have_count(total)
    expect(search).to_have_accessible_description(f"{total} topics · 2 ticked")
    expect(topics.get_by_role("checkbox", name=gradient_topics[0], exact=True)).to_be_checked()
    assert LogEntry.objects.count() == 0

    form.get_by_role("group", name="Learned for").get_by_role("spinbutton").nth(1).fill("40")
    form.get_by_role("radio", name="Somewhat").check()
    form.get_by_role("button", name="Save entry").click()

    page.wait_for_url(re.compile(r"/log/#entry-"))
    studied = page.get_by_role("region", name="Entries").get_by_text(re.compile(r"^Studied: "))
    expect(studied).to_have_text(f"Studied: Eigenvalues and eigenvectors, {gradient_topics[0]}")


def test_without_javascript_every_topic_shows_and_the_filter_does_not(new_context, learner, log_in):
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, learner)
    page.goto("/log/")

    topics = page.get_by_role("group", name="Topics studied")
    expect(topics.get_by_role("checkbox")).to_have_count(Topic.objects.active().count())
    expect(topics.get_by_role("searchbox")).to_have_count(0)
