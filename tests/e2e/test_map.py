"""The roadmap map in a real browser: open a topic from the map, change its status, and
check the drawing on a laptop and a phone (screenshots land in /tmp/mp/)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from roadmap.models import Progress, Status, Topic
from tests.factories import ProgressFactory

SCREENSHOTS = Path("/tmp/mp")
LAPTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}

# Title lines that spill out of their box, and boxes that overlap, as drawn by the browser.
DRAWING_JS = """() => {
  const spills = [];
  for (const node of document.querySelectorAll("#map-svg .map-node")) {
    const box = node.querySelector(".map-box").getBBox();
    for (const line of node.querySelectorAll(".map-title tspan")) {
      const text = line.getBBox();
      if (text.x + text.width > box.width - 2) spills.push(line.textContent);
    }
  }
  const rects = [...document.querySelectorAll("#map-svg .map-box")].map((b) => b.getBoundingClientRect());
  let overlaps = 0;
  for (let i = 0; i < rects.length; i++) {
    for (let j = i + 1; j < rects.length; j++) {
      const a = rects[i], b = rects[j];
      if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlaps++;
    }
  }
  return {spills, overlaps, pageWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth};
}"""


def node(page: Page, title: str) -> Locator:
    """A topic on the map: a link named by its title, then (for a learner) " — <status, flags>"."""
    return page.locator("#map-svg").get_by_role("link", name=re.compile(rf"^{re.escape(title)}( — .*)?$"))


def test_clicking_a_node_opens_it_and_a_status_change_updates_the_map_in_place(page: Page, learner, log_in):
    log_in(page, learner)
    page.goto("/map/")
    # Survives only if nothing below reloads the page.
    page.evaluate("window.__marker = 1")
    expect(node(page, "Gradient descent")).to_have_accessible_name("Gradient descent — not started")
    expect(node(page, "Derivatives")).to_have_accessible_name("Derivatives — not started")

    node(page, "Gradient descent").click()

    panel = page.get_by_role("complementary", name="Gradient descent")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Gradient descent")).to_be_focused()
    expect(panel.get_by_role("link", name="Gradient", exact=True)).to_be_visible()  # what it needs
    panel.get_by_role("form", name="Status of Gradient descent").get_by_role(
        "button", name="Practised"
    ).click()

    expect(node(page, "Gradient descent")).to_have_accessible_name("Gradient descent — practised")
    # Practising it reveals everything it builds on as gaps, on the map too.
    expect(node(page, "Derivatives")).to_have_accessible_name("Derivatives — not started, gap")
    expect(page.locator("#map-node-derivatives")).to_have_class(re.compile(r"\bis-gap\b"))
    expect(page.locator("#flash")).to_contain_text("Gradient descent: practised")
    expect(page.locator("#map-summary")).to_contain_text("16 gaps")
    pressed = panel.get_by_role("button", name="Practised")
    expect(pressed).to_have_attribute("aria-pressed", "true")
    expect(pressed).to_be_focused()
    assert page.evaluate("window.__marker") == 1
    assert Progress.objects.get(learner=learner, topic__slug="gradient-descent").status == Status.PRACTISED

    # A prerequisite in the panel opens in the panel; Escape closes it and returns to the map.
    panel.get_by_role("link", name="Gradient", exact=True).click()
    expect(page.get_by_role("complementary", name="Gradient", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("#map-panel")).to_be_hidden()
    expect(page.locator("#map-node-gradient")).to_be_focused()


def test_the_map_works_from_the_keyboard(page: Page):
    page.goto("/map/")
    first = node(page, "Arithmetic, fractions and order of operations")
    expect(first).to_have_accessible_name("Arithmetic, fractions and order of operations")  # logged out

    # The scrollable map takes focus (arrow keys pan it); the next Tab is its first topic.
    page.locator("#map-scroller").focus()
    page.keyboard.press("Tab")
    expect(first).to_be_focused()
    page.keyboard.press("Enter")

    panel = page.get_by_role("complementary", name="Arithmetic, fractions and order of operations")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Log in")).to_be_visible()
    panel.get_by_role("link", name=re.compile(r"^Close ")).click()
    expect(panel).to_be_hidden()
    expect(first).to_be_focused()


def test_a_section_filter_shows_that_section_with_its_outside_prerequisites(page: Page):
    page.goto("/map/")

    page.get_by_label("Show", exact=True).select_option(label="Calculus")

    page.wait_for_url("**/map/?section=calculus")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calculus")
    expect(node(page, "Derivatives")).to_be_visible()
    expect(page.locator("#map-node-functions")).to_have_class(re.compile(r"\bis-context\b"))
    expect(page.locator("#map-node-eigenvalues-and-eigenvectors")).to_have_count(0)


def test_zoom_fits_the_whole_map_and_comes_back(page: Page):
    page.set_viewport_size(LAPTOP)
    page.goto("/map/")
    svg = page.locator("#map-svg")
    natural = int(svg.get_attribute("width"))

    page.get_by_role("button", name="Fit").click()

    scroller_width = page.locator("#map-scroller").evaluate("el => el.clientWidth")
    assert int(svg.get_attribute("width")) <= scroller_width < natural
    expect(page.locator(".map-zoom-level")).not_to_have_text("100%")
    # The shipped map fits a laptop at a little over 50%: three steps up (65%, 80%) reach 100%.
    for _ in range(3):
        page.get_by_role("button", name="Zoom in").click()
    expect(page.locator(".map-zoom-level")).to_have_text("100%")
    assert int(svg.get_attribute("width")) == natural


@pytest.mark.parametrize(("viewport", "name"), [(LAPTOP, "laptop"), (PHONE, "phone")])
def test_the_map_reads_well_on_a_laptop_and_a_phone(new_context, learner, log_in, viewport, name):
    phone = viewport is PHONE
    page = new_context(viewport=viewport, is_mobile=phone, has_touch=phone).new_page()
    ProgressFactory(
        learner=learner, topic=Topic.objects.get(slug="gradient-descent"), status=Status.PRACTISED
    )
    log_in(page, learner)

    page.goto("/map/")

    expect(page.get_by_role("heading", level=1)).to_have_text("The map")
    # The map opens on its first topic, in view, at full size.
    expect(node(page, "Arithmetic, fractions and order of operations")).to_be_in_viewport()
    title_size = page.locator(".map-title").first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert title_size >= 12
    drawing = page.evaluate(DRAWING_JS)
    assert drawing["spills"] == [], f"titles wider than their box: {drawing['spills']}"
    assert drawing["overlaps"] == 0
    assert drawing["pageWidth"] <= drawing["innerWidth"], "the page scrolls sideways; only the map should"
    # Scrolled to, the map fills most of the window.
    page.locator("#map-scroller").scroll_into_view_if_needed()
    height = page.locator("#map-scroller").evaluate("el => el.getBoundingClientRect().height")
    assert height >= 0.75 * viewport["height"]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=SCREENSHOTS / f"map-{name}.png")

    # The panel fits beside (laptop) or under (phone) the map, inside the window.
    node(page, "Gradient descent").click()
    panel = page.get_by_role("complementary", name="Gradient descent")
    expect(panel).to_be_in_viewport()
    box = panel.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    page.screenshot(path=SCREENSHOTS / f"map-{name}-panel.png")


# -- finding a topic, fitting a phone, the way to the goal, box names -------------------

WIDE = {"width": 1280, "height": 860}
NARROW = {"width": 360, "height": 760}


def clear_of(inner: dict, outer: dict) -> bool:
    """Whether two boxes (Playwright bounding boxes) do not overlap."""
    return (
        inner["x"] + inner["width"] <= outer["x"]
        or outer["x"] + outer["width"] <= inner["x"]
        or inner["y"] + inner["height"] <= outer["y"]
        or outer["y"] + outer["height"] <= inner["y"]
    )


@pytest.mark.parametrize(("viewport", "name"), [(WIDE, "1280"), (NARROW, "360")])
def test_finding_a_topic_centres_it_and_opens_its_panel_in_place(new_context, viewport, name):
    phone = viewport is NARROW
    page = new_context(viewport=viewport, is_mobile=phone, has_touch=phone).new_page()
    page.goto("/map/")
    page.evaluate("window.__marker = 1")
    find = page.get_by_role("search", name="Find a topic on the map")

    find.get_by_label("Find", exact=True).fill("Gradient descent")  # a suggestion, as picked
    find.get_by_label("Find", exact=True).press("Enter")

    panel = page.get_by_role("complementary", name="Gradient descent")
    expect(panel.get_by_role("heading", name="Gradient descent")).to_be_focused()
    box = page.locator("#map-node-gradient-descent")
    expect(box).to_have_class(re.compile(r"\bis-selected\b"))
    expect(box).to_be_in_viewport()
    assert clear_of(box.bounding_box(), panel.bounding_box()), "the found topic is under its panel"
    assert page.evaluate("window.__marker") == 1  # no reload
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"map-find-{name}.png")


def test_text_that_is_not_a_title_is_looked_up_and_what_matched_is_listed(page: Page):
    page.set_viewport_size(WIDE)
    page.goto("/map/")
    box = page.get_by_label("Find", exact=True)

    box.fill("nothing like a topic")
    box.press("Enter")
    expect(page.locator("#map-find-message")).to_contain_text("No topic matches “nothing like a topic”")
    expect(box).to_have_value("nothing like a topic")
    expect(box).to_be_focused()

    box.fill("eigen")
    box.press("Enter")
    message = page.locator("#map-find-message")
    expect(message).to_contain_text("“eigen” matches 2 topics")
    message.get_by_role("link", name="Eigendecomposition and diagonalisation").click()
    expect(page.get_by_role("complementary", name="Eigendecomposition and diagonalisation")).to_be_visible()
    expect(page.locator("#map-node-eigendecomposition")).to_be_in_viewport()


@pytest.mark.parametrize(("viewport", "name"), [(WIDE, "1280"), (NARROW, "360")])
def test_finding_a_topic_works_without_javascript(browser, live_server, viewport, name):
    page = browser.new_context(
        viewport=viewport, java_script_enabled=False, base_url=live_server.url
    ).new_page()
    page.goto("/map/?section=calculus")

    page.get_by_label("Find", exact=True).fill("derivatives")
    page.get_by_role("button", name="Find", exact=True).click()

    page.wait_for_url("**/map/topic/derivatives/?section=calculus#map-node-derivatives")
    panel = page.get_by_role("complementary", name="Derivatives", exact=True)
    expect(panel).to_be_visible()
    box = page.locator("#map-node-derivatives")
    expect(box).to_be_in_viewport()
    # Anchored clear of the sticky header and of the panel.
    header = page.locator(".site-header").bounding_box()
    assert box.bounding_box()["y"] >= header["y"] + header["height"]
    assert clear_of(box.bounding_box(), panel.bounding_box())
    page.screenshot(path=SCREENSHOTS / f"map-find-nojs-{name}.png")


def test_fit_on_a_phone_stops_where_titles_are_readable_and_says_how_to_see_the_rest(new_context):
    page = new_context(viewport=NARROW, is_mobile=True, has_touch=True).new_page()
    page.goto("/map/")
    svg = page.locator("#map-svg")
    natural = int(svg.get_attribute("width"))
    note = page.locator("#map-fit-note")
    expect(note).to_be_hidden()

    page.get_by_role("button", name="Fit").click()

    # Fitting all 2,400 px into 360 would take 15%; Fit stops at half size.
    expect(page.locator(".map-zoom-level")).to_have_text("50%")
    assert abs(int(svg.get_attribute("width")) - natural / 2) <= 0.5
    title = page.locator(".map-title").first.evaluate("el => el.getBoundingClientRect().height")
    assert title >= 6 * 2  # a line of two or three: ~6 px type, not 2
    expect(note).to_be_visible()
    expect(note).to_contain_text("swipe sideways")
    expect(note).to_contain_text("“Show”")
    page.locator("#map-scroller").scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "map-fit-360.png")
    # Past Fit, the zoom buttons still go anywhere, and the note goes.
    page.get_by_role("button", name="Zoom out").click()
    expect(page.locator(".map-zoom-level")).to_have_text("40%")
    expect(note).to_be_hidden()


def test_fit_on_a_laptop_still_shows_the_whole_map(page: Page):
    page.set_viewport_size(WIDE)
    page.goto("/map/")

    page.get_by_role("button", name="Fit").click()

    svg_width = int(page.locator("#map-svg").get_attribute("width"))
    assert svg_width <= page.locator("#map-scroller").evaluate("el => el.clientWidth")
    expect(page.locator("#map-fit-note")).to_be_hidden()
    page.screenshot(path=SCREENSHOTS / "map-fit-1280.png")


def test_the_way_to_the_goal_is_what_is_left_and_shrinks_as_steps_are_done(page: Page, learner, log_in):
    from accounts.models import Profile

    goal = Topic.objects.get(slug="gradient-descent")
    Profile.objects.update_or_create(user=learner, defaults={"goal": goal})
    for slug in ("arithmetic-and-fractions", "algebraic-expressions"):
        ProgressFactory(learner=learner, topic=Topic.objects.get(slug=slug), status=Status.MASTERED)
    log_in(page, learner)
    page.set_viewport_size(WIDE)
    page.goto("/map/")
    path = page.locator("#map-path .map-edge")
    every = page.locator(".map-edges .map-edge").count()
    before = path.count()
    assert 0 < before < every / 2, f"{before} of {every} edges drawn as the way to the goal"
    expect(node(page, "Arithmetic, fractions and order of operations")).to_have_accessible_name(
        "Arithmetic, fractions and order of operations — mastered"
    )

    node(page, "Sets, intervals and summation notation").click()
    page.get_by_role("complementary", name="Sets, intervals and summation notation").get_by_role(
        "button", name="Mastered"
    ).click()

    expect(node(page, "Sets, intervals and summation notation")).to_have_accessible_name(
        re.compile(r"— mastered$")
    )
    expect(path).not_to_have_count(before)
    assert path.count() < before
    page.screenshot(path=SCREENSHOTS / "map-goal-path-1280.png")


# Each box link's text as axe's label-content-name-mismatch reads it (all text in the
# link, a <title> too), beside its accessible name, and the tooltip it shows.
BOX_NAMES_JS = """() => [...document.querySelectorAll("#map-svg a.map-node")].map((a) => ({
  name: a.getAttribute("aria-label"),
  text: a.textContent,
  cut: a.querySelector("tspan:last-of-type").textContent.endsWith("…"),
  tooltip: a.parentElement.matches("g[role=none]") ? a.parentElement.querySelector(":scope > title").textContent : null,
}))"""


def spoken(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def test_every_box_is_named_by_all_it_shows_and_a_cut_title_shows_whole_in_a_tooltip(page: Page):
    page.goto("/map/")

    boxes = page.evaluate(BOX_NAMES_JS)

    assert len(boxes) == 113
    assert [box for box in boxes if spoken(box["text"]) not in spoken(box["name"])] == []
    cut = [box for box in boxes if box["cut"]]
    assert cut, "the shipped map has a title too long for its box"
    assert all(box["tooltip"] == box["name"] for box in cut)
    # The wrapper that holds the tooltip is not a group of its own to a screen reader.
    snapshot = page.locator("#map-svg").aria_snapshot()
    assert f'group "{cut[0]["name"]}"' not in snapshot
    expect(page.locator("#map-svg").get_by_role("link", name=cut[0]["name"], exact=True)).to_have_count(1)
