"""Learner-written Markdown, rendered and then sanitised with nh3.

Markdown's own HTML pass-through is left on: nh3 runs last on everything, with
an allow-list of tags, attributes and URL schemes, so raw HTML, event
handlers and javascript: links never survive whatever Markdown produced.
"""

import re

import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "b", "i", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td", "del",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}
# nh3 drops a `javascript:` (or other refused) href but keeps the <a>, which would still
# look like a link that does nothing; its text is kept as plain text instead.
DEAD_LINK = re.compile(r"<a(?![^>]*\shref=)[^>]*>(.*?)</a>", re.S)


def drop_dead_links(html: str) -> str:
    return DEAD_LINK.sub(r"\1", html)


def render_markdown(text: str) -> SafeString:
    html = markdown.markdown(text, extensions=["fenced_code", "tables", "sane_lists"], output_format="html")
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer ugc",
        # A code block scrolls sideways inside its own box; a keyboard user can only scroll
        # what can take focus (axe: scrollable-region-focusable).
        set_tag_attribute_values={"pre": {"tabindex": "0"}},
    )
    # Safe: nh3 has just sanitised it (and dropping a tag adds nothing).
    return mark_safe(drop_dead_links(clean))
