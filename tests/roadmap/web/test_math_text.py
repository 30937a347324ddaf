"""Curated Markdown with $LaTeX$: MathML on the server, Markdown around it, nothing that runs."""

import pytest

from roadmap.web.math_text import TAGS, MathError, math_errors, render_math_markdown, to_mathml
from tests import dom
from tests.roadmap.web.test_safe_markdown import XSS_PAYLOADS, scheme


def render(text: str, **kwargs) -> str:
    return str(render_math_markdown(text, **kwargs))


def maths(html: str) -> list[dom.Element]:
    return dom.select(html, "math")


def test_inline_math_becomes_inline_mathml():
    html = render("Compute $x^2 + 1$ now.")

    [formula] = maths(html)
    assert formula["display"] == "inline"
    assert formula.select_one("msup") and [mi.text for mi in formula.select("mi")] == ["x"]
    assert dom.text(html).startswith("Compute") and dom.text(html).endswith("now.")


def test_display_math_becomes_block_mathml():
    [formula] = maths(render("The mean:\n\n$$\\frac{1}{n} \\sum_i x_i$$"))

    assert formula["display"] == "block"
    assert formula.select_one("mfrac") and formula.select("munderover, munder")


def test_several_formulas_keep_their_order():
    html = render("First $a$, then $b$, then $$c$$.")

    assert [m.select_one("mi").text for m in maths(html)] == ["a", "b", "c"]
    assert [m["display"] for m in maths(html)] == ["inline", "inline", "block"]


def test_markdown_around_the_math_still_works():
    html = render("**Bold** and *emphasis* with $x$.\n\n- one $a$\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |")

    assert dom.select_one(html, "strong").text == "Bold"
    assert dom.select_one(html, "em").text == "emphasis"
    assert [li.text.strip() for li in dom.select(html, "ul > li")][1] == "two"
    assert len(maths(html)) == 2
    assert dom.select(html, "table td")


def test_underscores_and_stars_in_a_formula_are_not_emphasis():
    html = render("Sum $a_1 * b_1 + a_2 * b_2$ and *this* is emphasis.")

    assert [em.text for em in dom.select(html, "em")] == ["this"]
    assert len(dom.select(html, "math msub")) == 4


def test_an_escaped_dollar_is_a_literal_dollar():
    html = render("It costs \\$5, or \\$7 with $x$ shipping.")

    assert dom.text(html).startswith("It costs $5, or $7 with")
    assert len(maths(html)) == 1
    assert "\\$" not in html


def test_a_lone_dollar_is_text():
    assert maths(render("Five $ only.")) == []
    assert "Five $ only." in dom.text(render("Five $ only."))


def test_inline_mode_drops_the_paragraph_of_a_one_line_choice():
    html = render("$\\frac{1}{2}$ of it", inline=True)

    assert not html.startswith("<p>") and html.startswith("<math")
    assert render("one\n\ntwo", inline=True).count("<p>") == 2  # two paragraphs stay paragraphs


@pytest.mark.parametrize("formula", ["x^", "\\frac{", "\\left( x", "{", "\\begin{matrix}"])
def test_a_formula_that_cannot_be_read_gives_a_readable_error(formula):
    text = f"Solve ${formula}$ please."

    [error] = math_errors(text)

    assert error.startswith(f"The formula ${formula}$ could not be read (")
    with pytest.raises(MathError, match="could not be read"):
        to_mathml(formula)
    # The admin's preview shows the error rather than failing.
    assert dom.text(render(text)) == error


def test_formulas_that_convert_have_no_errors():
    assert math_errors("All fine: $x^2$, $$\\sqrt{2}$$ and \\$5.") == []
    assert math_errors("") == [] and math_errors(None) == []


def assert_harmless(html: str) -> None:
    assert "<script" not in html.lower()
    for element in dom.parse(html).descendants():
        assert element.tag in TAGS, f"<{element.tag}> survived in {html!r}"
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"{name}= survived in {html!r}"
            assert name not in {"style", "src", "srcset", "action", "formaction", "xlink:href"}, html
            if name == "href":
                assert scheme(value or "") in {"http", "https", "mailto", None}, f"href={value!r} survived"


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_dangerous_html_around_math_is_stripped(payload):
    for text in (payload, f"$x$ {payload} $y$", f"- {payload}\n- $z$"):
        assert_harmless(render(text))
        assert_harmless(render(text, inline=True))


MATH_PAYLOADS = {
    "text-img": "$\\text{<img src=x onerror=alert(1)>}$",
    "text-script": "$$\\text{<script>alert(1)</script>}$$",
    "mbox-svg": "$\\mbox{<svg onload=alert(1)>}$",
    "fbox-iframe": "$\\fbox{<iframe src=javascript:alert(1)>}$",
    "href": "$\\href{javascript:alert(1)}{x}$",
    "style": "$\\style{background:url(javascript:alert(1))}{x}$",
    "operatorname": "$\\operatorname{<img src=x onerror=alert(1)>}$",
    "text-closing-math": "$\\text{</math><img src=x onerror=alert(1)>}$",
    "text-attribute-breakout": '$\\text{" onmouseover="alert(1)}$',
}


@pytest.mark.parametrize("payload", MATH_PAYLOADS.values(), ids=MATH_PAYLOADS.keys())
def test_markup_smuggled_through_latex_renders_inert(payload):
    for inline in (False, True):
        html = render(payload, inline=inline)

        assert_harmless(html)
        assert not dom.select(html, "img, svg, iframe, script")
        assert "javascript:" not in html


def test_the_result_is_marked_safe_for_templates():
    assert hasattr(render_math_markdown("$x$"), "__html__")
    assert render_math_markdown(None) == ""
