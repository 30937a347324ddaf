"""Learners' Markdown notes are rendered, then sanitised: no payload that runs script survives."""

import re

import pytest

from roadmap.web.safe_markdown import ALLOWED_TAGS, render_markdown
from tests import dom

SAFE_SCHEMES = {"http", "https", "mailto"}


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    """Every element with its attributes, values already entity-decoded, in document order."""
    return [(element.tag, element.attrs) for element in dom.parse(html).descendants()]


def scheme(url: str) -> str | None:
    """The scheme a browser would see: it drops tabs and newlines and trims control characters."""
    cleaned = re.sub(r"[\t\n\r]", "", url).strip("\x00- ").lower()
    found = re.match(r"([a-z][a-z0-9+.\-]*):", cleaned)
    return found.group(1) if found else None


def assert_harmless(html: str) -> None:
    assert "<script" not in html.lower()
    for tag, attrs in tags(html):
        assert tag in ALLOWED_TAGS, f"<{tag}> survived in {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= survived in {html!r}"
            assert name not in {"style", "src", "srcset", "action", "formaction", "background"}, html
            if name == "href":
                assert scheme(value or "") in SAFE_SCHEMES | {None}, f"href={value!r} survived"


XSS_PAYLOADS = {
    "script": "<script>alert(1)</script>",
    "script-split": "<scr<script>ipt>alert(1)</scr</script>ipt>",
    "script-nested": "<<script>script>alert(1)<</script>/script>",
    "img-onerror": "<img src=x onerror=alert(1)>",
    "markdown-image-onerror": '![i](x" onerror="alert(1))',
    "markdown-javascript-link": "[x](javascript:alert(1))",
    "markdown-javascript-link-spaced": "[x]( javascript:alert(1))",
    "html-javascript-link": '<a href="javascript:alert(1)">x</a>',
    "mixed-case-scheme": "[x](JaVaScRiPt:alert(1))",
    "mixed-case-html-scheme": '<a href="JAVASCRIPT:alert(1)">x</a>',
    "entity-encoded-scheme": "[x](&#106;avascript:alert(1))",
    "entity-encoded-html-scheme": '<a href="&#106;avascript:alert(1)">x</a>',
    "hex-entity-scheme": '<a href="&#x6A;&#x61;vascript:alert(1)">x</a>',
    "padded-entity-scheme": '<a href="&#0000106avascript:alert(1)">x</a>',
    "colon-entity": '<a href="javascript&colon;alert(1)">x</a>',
    "tab-in-scheme": '<a href="java&#9;script:alert(1)">x</a>',
    "newline-in-scheme": '<a href="java&#x0A;script:alert(1)">x</a>',
    "control-char-prefix": '<a href=" &#14; javascript:alert(1)">x</a>',
    "vbscript": "[x](vbscript:msgbox(1))",
    "svg-onload": "<svg onload=alert(1)>",
    "svg-script": "<svg><script>alert(1)</script></svg>",
    "math-xlink": '<math><a xlink:href="javascript:alert(1)">x</a></math>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "iframe-srcdoc": '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    "object": '<object data="javascript:alert(1)"></object>',
    "embed": '<embed src="javascript:alert(1)">',
    "data-url-link": "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "data-url-html-link": '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "data-url-image": "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "style-attribute": '<p style="background:url(javascript:alert(1))">hi</p>',
    "style-tag": "<style>body{background:url(javascript:alert(1))}</style>x",
    "onclick": '<b onclick="alert(1)">x</b>',
    "onmouseover-div": '<div onmouseover="alert(1)">hover</div>',
    "onfocus-autofocus": '<a href="#" onfocus="alert(1)" autofocus>x</a>',
    "link-title-handler": '[x](https://example.com "t" onmouseover=alert(1))',
    "table-cell-handler": '<table><tr><td background="javascript:alert(1)" onclick="x">c</td></tr></table>',
    "form-action": '<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">x</button></form>',
    "base-href": '<base href="javascript:alert(1)//">',
    "meta-refresh": '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "input-onfocus": "<input onfocus=alert(1) autofocus>",
    "body-onload": "<body onload=alert(1)>",
    "details-ontoggle": "<details open ontoggle=alert(1)>",
}


@pytest.mark.parametrize("payload", XSS_PAYLOADS.values(), ids=XSS_PAYLOADS.keys())
def test_no_script_survives_rendering(payload):
    html = render_markdown(payload)

    assert_harmless(html)
    assert "alert(1)" not in "".join(str(v) for _, attrs in tags(html) for v in attrs.values())


def test_payloads_hidden_in_a_real_note_are_removed_and_the_note_kept():
    note = "Did **Larson 2.4**.\n\n" + "\n\n".join(XSS_PAYLOADS.values())

    html = render_markdown(note)

    assert_harmless(html)
    assert "Larson 2.4" in [strong.text for strong in dom.select(html, "p > strong")]


def test_bold_and_emphasis_survive():
    [paragraph] = dom.top_level(render_markdown("**bold** and *slanted*"))
    assert paragraph.markup() == "<p><strong>bold</strong> and <em>slanted</em></p>"


@pytest.mark.parametrize(
    "url", ["https://example.com/a?b=1", "http://example.com/", "mailto:ada@example.com"]
)
def test_safe_links_survive_with_rel_nofollow_noopener(url):
    html = render_markdown(f"[read this]({url})")

    [link] = dom.select(html, "p > a")
    assert link["href"] == url
    assert {"nofollow", "noopener"} <= set(link["rel"].split())
    assert link.text == "read this"


def test_a_learners_rel_and_target_are_replaced():
    html = render_markdown('<a href="https://example.com" target="_blank" rel="opener">x</a>')

    [(_, attrs)] = tags(html)[1:]
    assert "target" not in attrs
    assert "opener" not in attrs["rel"].split()
    assert {"nofollow", "noopener"} <= set(attrs["rel"].split())


def test_lists_survive():
    html = render_markdown("Today:\n\n- limits\n- derivatives\n\n1. first\n2. second")

    assert [item.text for item in dom.select(html, "ul > li")] == ["limits", "derivatives"]
    assert [item.text for item in dom.select(html, "ol > li")] == ["first", "second"]
    assert all(item.elements == [] for item in dom.select(html, "li"))


def test_code_survives_and_html_inside_it_is_shown_as_text():
    html = render_markdown("Use `x <- 1`, not `<script>`.\n\n```\nfor i in range(3):\n    print(i)\n```")

    inline = dom.select(html, "p > code")
    assert [code.raw_text for code in inline] == ["x <- 1", "<script>"]
    assert all(code.elements == [] for code in inline)  # escaped: shown as text, not parsed into a tag
    [block] = dom.select(html, "pre > code")
    assert block.raw_text == "for i in range(3):\n    print(i)\n"


def test_a_code_block_takes_keyboard_focus_so_its_sideways_scroll_can_be_reached():
    html = render_markdown(
        '```\nA = np.array([[2, 1], [1, 3]])\n```\n\n<pre tabindex="-1" onfocus="x()">raw</pre>'
    )

    assert [pre.attrs for pre in dom.select(html, "pre")] == [{"tabindex": "0"}] * 2


def test_an_empty_note_renders_to_nothing():
    assert render_markdown("") == ""


def test_a_link_whose_address_was_refused_is_plain_text_not_a_dead_link():
    html = str(render_markdown("[click](javascript:alert(1)) and [ok](https://example.org)"))

    assert "<a" not in html.split("and")[0]  # no link-looking <a> that does nothing
    assert "click" in html
    assert '<a href="https://example.org"' in html
