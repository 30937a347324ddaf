"""The public roadmap, as a visitor sees it (test_page_widths.py checks that every page fits a phone)."""

from playwright.sync_api import Page, expect


def test_visitor_reads_the_roadmap_and_opens_a_topic(page: Page, seeded_roadmap):
    page.goto("/")

    expect(page.get_by_role("heading", level=1)).to_have_text(seeded_roadmap.title)
    toc = page.get_by_role("navigation", name="Sections")
    for section in seeded_roadmap.sections.all():
        expect(toc.get_by_role("link", name=section.title, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=section.title, exact=True, level=2)).to_be_visible()
    expect(page.get_by_role("link", name="Sign up", exact=True)).to_be_visible()

    calculus = page.get_by_role("region", name="Calculus", exact=True)
    # Later topics link back to Derivatives in their "Needs" line; its own title comes first.
    calculus.get_by_role("link", name="Derivatives", exact=True).first.click()

    page.wait_for_url("**/topics/derivatives/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Derivatives")
    needs = page.get_by_role("region", name="What it needs")
    expect(needs.get_by_role("link", name="Limits and continuity", exact=True)).to_be_visible()
    expect(page.get_by_role("region", name="Resources", exact=True).get_by_role("link").first).to_be_visible()
    # Logged out, the page invites a sign-in instead of showing status buttons.
    expect(page.get_by_role("form", name="Status of Derivatives")).to_have_count(0)
    expect(
        page.get_by_role("region", name="Your progress").get_by_role("link", name="Log in")
    ).to_be_visible()
