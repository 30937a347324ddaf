"""tests/dom.py reads HTML the way a browser would, whatever the attribute order or wrapping."""

import pytest

from tests import dom

PAGE = """
<section class="card panel" hx-swap-oob="true" id="reviews" aria-labelledby="reviews-heading">
  <ul>
    <li class="panel-item" id="next-limits"><a href="/topics/limits/">Limits</a>
    <li id="next-derivatives"
        class="panel-item is-goal"><a href="/topics/derivatives/">Derivatives</a></li>
  </ul>
  <p>Due <span class="count">2</span>
  <div class="status-control">
    <button aria-pressed="false" value="learning">Learning</button>
    <button
      aria-pressed="true"
      value="mastered">Mastered</button>
  </div>
</section>
<div id="gaps" hx-swap-oob="outerHTML"><p>No gaps.</p></div>
<svg id="map-svg"><a id="map-node-limits" aria-label="Limits — mastered"><rect /></a></svg>
<form>
  <input type="hidden" name="topic" value="limits"><input name="note" value="Stewart &amp; Larson">
  <input type="radio" name="status" value="learning"><input type="radio" checked name="status" value="mastered">
  <select name="rating"><option value="3">3</option><option selected value="4">4</option></select>
  <textarea name="text">
Day 3 &lt;ok&gt;</textarea>
</form>
<script>document.querySelector("<p>not an element</p>")</script>
"""


def test_selectors_ignore_attribute_order_and_line_breaks():
    assert [li.id for li in dom.select(PAGE, "li.panel-item")] == ["next-limits", "next-derivatives"]
    assert dom.select_one(PAGE, "li.is-goal.panel-item").id == "next-derivatives"
    assert dom.select_one(PAGE, 'section#reviews[aria-labelledby="reviews-heading"]').classes == [
        "card",
        "panel",
    ]
    assert [a.text for a in dom.select(PAGE, "ul > li > a[href^='/topics/']")] == ["Limits", "Derivatives"]
    assert dom.select(PAGE, "section > a") == []  # child, not descendant
    assert len(dom.select(PAGE, "section a, #gaps p")) == 3
    assert [b["value"] for b in dom.select(PAGE, "button:not([aria-pressed=true])")] == ["learning"]


def test_left_out_end_tags_close_where_a_browser_closes_them():
    # The first <li> and the <p> have no end tag.
    first = dom.by_id(PAGE, "next-limits")
    assert first.text == "Limits"
    assert dom.select_one(PAGE, "#reviews p").text == "Due 2"
    assert dom.select_one(PAGE, "#reviews .status-control").parent.id == "reviews"


def test_the_helpers_for_mathpaths_pages():
    assert dom.oob_ids(PAGE) == {"reviews", "gaps"}
    assert dom.pressed(PAGE) == ["mastered"]
    assert dom.map_node_label(PAGE, "limits") == "Limits — mastered"
    assert [element.id for element in dom.top_level(PAGE)][:2] == ["reviews", "gaps"]
    assert dom.root_element(PAGE).id == "reviews"
    assert dom.form_values(PAGE) == {
        "topic": "limits",
        "note": "Stewart & Larson",
        "status": "mastered",
        "rating": "4",
        "text": "Day 3 <ok>",
    }
    assert dom.selected_options(PAGE, "rating") == ["4"]
    assert dom.checked(PAGE, "status") == ["mastered"]


def test_form_values_send_every_ticked_box_of_a_group_and_a_lone_box_as_one_value():
    form = """<form>
      <input type="checkbox" name="topics" value="1" checked><input type="checkbox" name="topics" value="2">
      <input type="checkbox" name="topics" value="3" checked><input type="checkbox" name="none" value="1">
      <input type="checkbox" name="none" value="2"><input type="checkbox" name="remember" checked>
    </form>"""

    assert dom.form_values(form) == {"topics": ["1", "3"], "none": [], "remember": "on"}


def test_text_is_what_a_reader_sees():
    assert dom.text(dom.by_id(PAGE, "reviews")).startswith("Limits Derivatives Due 2 Learning Mastered")
    assert "not an element" not in dom.text(PAGE)  # script is not text
    assert dom.select(PAGE, "script p") == []


def test_text_keeps_blocks_apart_and_inline_elements_in_the_line():
    report = dom.parse("<dl><dt>Stage</dt><dd>grind</dd></dl><p>Larson <strong>2.4</strong>, ex. 1<br>40</p>")

    assert report.select_one("dl").text == "Stage grind"
    assert report.select_one("p").text == "Larson 2.4, ex. 1 40"
    assert report.select_one("p").raw_text == "Larson 2.4, ex. 140"


def test_markup_rebuilds_an_element_with_sorted_attributes():
    one = dom.select_one('<p id="a" class="b">x &amp; <br>y</p>', "p")
    other = dom.select_one('<p class="b"\n   id="a">x &amp; <br>y</p>', "p")

    assert one.markup() == other.markup() == '<p class="b" id="a">x &amp; <br>y</p>'


def test_a_textarea_holds_text_even_when_it_reads_like_html():
    snippet = dom.select_one(
        '<textarea id="s"><a href="/u/ada/">Ada &amp; co</a></textarea><p>after</p>', "#s"
    )

    assert snippet.elements == []
    assert snippet.raw_text == '<a href="/u/ada/">Ada & co</a>'
    assert (
        dom.select_one('<textarea id="s"><a href="/u/ada/">Ada</a></textarea><p>after</p>', "p").text
        == "after"
    )


def test_select_one_fails_unless_exactly_one_matches():
    with pytest.raises(AssertionError, match="matched 2 elements"):
        dom.select_one(PAGE, "li")
    with pytest.raises(AssertionError, match="matched 0 elements"):
        dom.by_id(PAGE, "nowhere")


def test_a_response_or_bytes_can_be_given_directly():
    class Response:
        content = PAGE.encode()

    assert dom.oob_ids(Response()) == dom.oob_ids(PAGE.encode()) == {"reviews", "gaps"}
