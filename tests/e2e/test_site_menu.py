"""The sticky header is one line on a phone; links that don't fit fold behind a Menu button."""

import pytest
from playwright.sync_api import Page, expect

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
# One row of the header: 3rem plus its border at 360 px. Two rows of links would be 90 px or more.
ONE_LINE = 60
SIGNED_IN_LINKS = ["Roadmap", "Map", "Dashboard", "Log", "Settings"]


def header_height(page: Page) -> float:
    return page.locator(".site-header").bounding_box()["height"]


def menu_button(page: Page):
    return page.get_by_role("navigation", name="Main").get_by_role("button", name="Menu")


def nav_link(page: Page, name: str):
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.fixture
def signed_in_phone(new_context, log_in, learner) -> Page:
    page = new_context(viewport=PHONE).new_page()
    log_in(page, learner)
    return page


def test_signed_in_on_a_phone_the_links_fold_behind_a_menu_button(signed_in_phone):
    page = signed_in_phone
    button = menu_button(page)

    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav_link(page, "Settings")).to_be_hidden()
    assert header_height(page) <= ONE_LINE

    button.click()

    expect(button).to_have_attribute("aria-expanded", "true")
    for name in SIGNED_IN_LINKS:
        expect(nav_link(page, name)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    # The list drops over the page; the header itself stays one line.
    assert header_height(page) <= ONE_LINE
    assert no_sideways_scroll(page)

    button.click()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav_link(page, "Settings")).to_be_hidden()

    # A click elsewhere on the page closes it too.
    button.click()
    page.mouse.click(PHONE["width"] / 2, PHONE["height"] - 20)
    expect(button).to_have_attribute("aria-expanded", "false")


def test_the_menu_works_from_the_keyboard(signed_in_phone):
    page = signed_in_phone
    button = menu_button(page)
    button.focus()

    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_be_focused()
    page.keyboard.press("Tab")
    expect(nav_link(page, "Roadmap")).to_be_focused()
    page.keyboard.press("Tab")
    expect(nav_link(page, "Map")).to_be_focused()

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()

    page.keyboard.press("Space")
    expect(button).to_have_attribute("aria-expanded", "true")
    # Tabbing out of the last item (Log out) leaves the menu, and closes it.
    for _ in range(len(SIGNED_IN_LINKS) + 2):
        page.keyboard.press("Tab")
    expect(button).to_have_attribute("aria-expanded", "false")
    assert page.evaluate("!document.querySelector('.site-nav').contains(document.activeElement)")

    button.focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # follows "Roadmap"
    page.wait_for_url("**/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_signed_out_on_a_phone_the_links_fit_one_line_without_a_menu(new_context):
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")

    expect(menu_button(page)).to_be_hidden()
    for name in ["Roadmap", "Map", "Log in", "Sign up"]:
        expect(nav_link(page, name)).to_be_in_viewport(ratio=1)
    assert header_height(page) <= ONE_LINE
    assert no_sideways_scroll(page)


def test_a_narrower_phone_folds_the_signed_out_links_too(new_context):
    page = new_context(viewport={"width": 320, "height": 640}).new_page()
    page.goto("/")

    expect(menu_button(page)).to_be_visible()
    assert header_height(page) <= ONE_LINE
    menu_button(page).click()
    expect(nav_link(page, "Sign up")).to_be_visible()


def test_on_a_wide_screen_every_link_shows_and_there_is_no_menu(new_context, log_in, learner):
    page = new_context(viewport=DESKTOP).new_page()
    log_in(page, learner)

    expect(menu_button(page)).to_be_hidden()
    for name in SIGNED_IN_LINKS:
        expect(nav_link(page, name)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def test_turning_a_phone_sideways_unfolds_the_links(signed_in_phone):
    page = signed_in_phone
    menu_button(page).click()

    page.set_viewport_size({"width": 740, "height": 360})

    expect(menu_button(page)).to_be_hidden()
    expect(nav_link(page, "Settings")).to_be_visible()
    page.set_viewport_size(PHONE)
    expect(menu_button(page)).to_have_attribute("aria-expanded", "false")
    expect(nav_link(page, "Settings")).to_be_hidden()


def test_without_javascript_the_links_scroll_inside_the_one_line_header(new_context, log_in, learner):
    page = new_context(viewport=PHONE).new_page()
    log_in(page, learner)
    page = new_context(
        viewport=PHONE, java_script_enabled=False, storage_state=page.context.storage_state()
    ).new_page()
    page.goto("/dashboard/")

    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    assert header_height(page) <= ONE_LINE
    assert no_sideways_scroll(page)
    settings = nav_link(page, "Settings")
    settings.scroll_into_view_if_needed()
    expect(settings).to_be_in_viewport()


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_topic_pages_section_link_lands_clear_of_the_header(new_context, log_in, learner, signed_in):
    page = new_context(viewport=PHONE).new_page()
    if signed_in:
        log_in(page, learner)
    page.goto("/topics/derivatives/")

    page.get_by_role("navigation", name="Breadcrumb").get_by_role("link", name="Calculus").click()

    page.wait_for_url("**/#section-calculus")
    heading = page.locator("#section-calculus h2")
    expect(heading).to_be_in_viewport()
    header = page.locator(".site-header").bounding_box()
    assert heading.bounding_box()["y"] >= header["y"] + header["height"]
