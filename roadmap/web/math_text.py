"""Curated Markdown with LaTeX math, rendered on the server to HTML with MathML.

Check problems write math as `$...$` (inline) and `$$...$$` (display). The math
becomes MathML here, with latex2mathml, so browsers typeset it natively and no
script (MathJax, KaTeX) has to be allowed by the content security policy.

The math spans are cut out before Markdown runs (so `_` and `*` inside a formula
are not read as emphasis) and put back afterwards; then nh3 cleans the whole
result with the Markdown tags plus MathML's, because latex2mathml copies
`\\text{...}` through unescaped.
"""

import re
from functools import lru_cache

import latex2mathml.converter
import markdown
import nh3
from django.utils.safestring import SafeString, mark_safe

from roadmap.web.safe_markdown import ALLOWED_ATTRIBUTES, ALLOWED_SCHEMES, ALLOWED_TAGS, drop_dead_links

# $$...$$ first, then $...$; "\$" is a literal dollar sign.
MATH = re.compile(r"\$\$(?P<display>.+?)\$\$|(?<![\\$])\$(?!\$)(?P<inline>.+?)(?<!\\)\$", re.S)

MATHML_TAGS = {
    "math", "mi", "mn", "mo", "ms", "mtext", "mrow", "mfrac", "msqrt", "mroot", "msup", "msub",
    "msubsup", "mover", "munder", "munderover", "mtable", "mtr", "mtd", "mstyle", "mspace",
    "mpadded", "mphantom", "menclose", "semantics", "annotation",
}  # fmt: skip
MATHML_ATTRIBUTES = {
    "display", "xmlns", "mathvariant", "stretchy", "fence", "separator", "lspace", "rspace",
    "columnalign", "rowspacing", "columnspacing", "columnlines", "rowlines", "frame",
    "displaystyle", "scriptlevel", "accent", "accentunder", "movablelimits", "form", "width",
    "height", "depth", "linethickness", "minsize", "maxsize", "symmetric", "notation", "encoding",
}  # fmt: skip
TAGS = ALLOWED_TAGS | MATHML_TAGS
ATTRIBUTES = {**ALLOWED_ATTRIBUTES, **dict.fromkeys(MATHML_TAGS, MATHML_ATTRIBUTES)}
# Private-use characters: Markdown keeps them, and uses \x02/\x03 for its own placeholders.
_PLACEHOLDER = "\ue000{}\ue001"
_PLACED = re.compile("\ue000(\\d+)\ue001")


class MathError(ValueError):
    """A formula latex2mathml cannot read; the message names it."""


def to_mathml(latex: str, *, display: bool = False) -> str:
    try:
        return latex2mathml.converter.convert(latex.strip(), display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises many types, all meaning "cannot read this"
        reason = str(exc) or type(exc).__name__
        raise MathError(f"The formula ${latex.strip()}$ could not be read ({reason}).") from None


def math_errors(text: str) -> list[str]:
    """Every formula in the text that cannot be converted, as messages (empty when all convert)."""
    errors = []
    for match in MATH.finditer(text or ""):
        display = match.group("display")
        try:
            to_mathml(display if display is not None else match.group("inline"), display=display is not None)
        except MathError as exc:
            errors.append(str(exc))
    return errors


@lru_cache(maxsize=4096)
def _render(text: str, inline: bool) -> str:
    formulas: list[str] = []

    def cut(match: re.Match) -> str:
        display = match.group("display")
        formulas.append(
            to_mathml(display if display is not None else match.group("inline"), display=display is not None)
        )
        return _PLACEHOLDER.format(len(formulas) - 1)

    try:
        marked = MATH.sub(cut, text)
    except MathError as exc:
        # Shown to curators in the admin preview; a shipped file never gets here (import refuses it).
        return f"<p>{nh3.clean(str(exc), tags=set())}</p>"
    marked = marked.replace("\\$", "$")
    html = markdown.markdown(marked, extensions=["sane_lists", "tables"], output_format="html")
    if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]  # a choice is one line: no paragraph around it
    html = _PLACED.sub(lambda m: formulas[int(m.group(1))], html)
    return drop_dead_links(nh3.clean(html, tags=TAGS, attributes=ATTRIBUTES, url_schemes=ALLOWED_SCHEMES))


def render_math_markdown(text: str, *, inline: bool = False) -> SafeString:
    """Markdown with `$` math as sanitised HTML with MathML; `inline` drops the paragraph around one line."""
    # Safe: nh3 has just sanitised it.
    return mark_safe(_render(text or "", inline))
