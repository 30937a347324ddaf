"""Map boxes: the name of each box link holds everything it shows, a cut title too."""

import re

from roadmap.models import Topic
from tests import dom

MAP = "/map/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def node_tags(html: str) -> dict[str, dom.Element]:
    """Each map node's <a> element, by topic slug."""
    return {node.id.removeprefix("map-node-"): node for node in dom.select(html, 'a[id^="map-node-"]')}


def label(node: dom.Element) -> str:
    return node["aria-label"]


def spoken(text: str) -> str:
    """Text as axe's label-content-name-mismatch compares it: no punctuation, spaces collapsed, any case."""
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def test_a_cut_title_shows_a_part_of_the_boxes_name_and_the_whole_in_a_tooltip(learner_client, calculus):
    title = "Derivatives of exponential, logarithmic and trigonometric functions"
    Topic.objects.filter(slug="limits").update(title=title)

    html = learner_client.get(MAP).content.decode()

    tag = node_tags(html)["limits"]
    shown = " ".join(line.text for line in tag.select("tspan"))
    assert shown.endswith("…") and shown != title
    assert label(tag).startswith(title + " — ")
    # Everything a box shows is part of what it is called (WCAG 2.5.3, label in name),
    # so nothing but the drawn lines may sit inside the link: no <title> either.
    assert tag.select("title") == []
    for node in node_tags(html).values():
        assert spoken(node.text) in spoken(label(node)), node
    # The whole title is the tooltip of a wrapper that adds nothing to the accessibility tree.
    assert tag.parent.matches('g[role="none"]')
    assert [child.tag for child in tag.parent.elements] == ["title", "a"]
    assert tag.parent.select_one("title").text == title


def test_a_cut_title_keeps_its_tooltip_when_a_status_change_swaps_its_box(learner_client, calculus):
    Topic.objects.filter(slug="limits").update(
        title="Limits, continuity and the formal epsilon–delta definition of a limit"
    )
    learner_client.get(MAP)

    html = learner_client.post(
        "/map/topic/limits/status/", {"status": "mastered", "next": "/map/topic/limits/"}, **HTMX
    ).content.decode()

    # Only the link is swapped: the wrapper holding the tooltip stays in the page.
    [swapped] = [tag for tag in dom.select(html, "svg.map-oob > a") if tag.id == "map-node-limits"]
    assert swapped.select("tspan")[-1].text.endswith("…")
    assert swapped.select("title") == []
