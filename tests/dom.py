"""HTML as a tree, for assertions that check elements rather than spelling.

A test that asks "is the mastered button pressed?" should not fail because a
template lists `aria-pressed` before `value`, or wraps a tag over two lines.
`parse()` reads a page or fragment with the standard library's parser into
`Element`s; `select()` finds elements with a small subset of CSS selectors:

    tag  *  #id  .class  [attr]  [attr=value]  [attr~=word]  [attr^=start]
    [attr$=end]  [attr*=part]  :not(simple selector)  descendant (space)
    child (>)  and groups (a, b)

Every helper takes markup as a str, bytes, an HttpResponse or an Element
already parsed, so `select(response, "li.panel-item")` works as it reads.
Below the generic ones (select, select_one, by_id, text, top_level,
root_element, form_values, …) are the questions mathpath's tests keep
asking: oob_ids(), pressed(), map_node_label(), covered(), log_stats(),
meta_tags(), field_errors().
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from html.parser import HTMLParser

# Elements that never have content, so never an end tag.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
}

# The end tags HTML lets a page leave out: an open element named on the left
# ends when one of the elements on the right starts.
_BLOCKS = {"address", "article", "aside", "blockquote", "details", "div", "dl", "fieldset", "figure"}
_BLOCKS |= {"footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "main", "nav", "ol"}
_BLOCKS |= {"p", "pre", "section", "table", "ul"}
IMPLIED_END = {
    "p": _BLOCKS,
    "li": {"li"},
    "option": {"option", "optgroup"},
    "dt": {"dt", "dd"},
    "dd": {"dt", "dd"},
    "tr": {"tr"},
    "td": {"td", "th", "tr"},
    "th": {"td", "th", "tr"},
}

# Text that is not shown.
HIDDEN_TEXT = {"script", "style", "template"}
# Elements a reader sees on lines of their own: their text never runs into their neighbours'.
BLOCK_TEXT = _BLOCKS | {"br", "dd", "dt", "li", "option", "td", "th", "tr", "summary", "legend"}


@dataclass(eq=False)
class Element:
    """One element: its tag, its attributes (a bare attribute has the value "") and children."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Element | str] = field(default_factory=list)
    parent: Element | None = field(default=None, repr=False)

    # -- attributes -----------------------------------------------------------

    def __getitem__(self, name: str) -> str:
        return self.attrs[name]

    def get(self, name: str, default: str | None = None) -> str | None:
        return self.attrs.get(name, default)

    def has(self, name: str) -> bool:
        """Whether the attribute is present, with or without a value."""
        return name in self.attrs

    @property
    def id(self) -> str | None:
        return self.attrs.get("id")

    @property
    def classes(self) -> list[str]:
        return self.attrs.get("class", "").split()

    # -- content --------------------------------------------------------------

    @property
    def elements(self) -> list[Element]:
        """The child elements, without the text between them."""
        return [child for child in self.children if isinstance(child, Element)]

    def descendants(self) -> Iterator[Element]:
        for child in self.elements:
            yield child
            yield from child.descendants()

    @property
    def raw_text(self) -> str:
        """All the text inside, exactly as written (entities decoded)."""
        return "".join(
            child if isinstance(child, str) else child.raw_text
            for child in self.children
            if isinstance(child, str) or child.tag not in HIDDEN_TEXT
        )

    @property
    def text(self) -> str:
        """The text inside as a reader sees it: white space collapsed, blocks apart.

        `<dt>Stage</dt><dd>grind</dd>` reads "Stage grind"; `Larson <b>2.4</b>,` reads "Larson 2.4,".
        """
        return " ".join(self._spaced_text().split())

    def _spaced_text(self) -> str:
        parts = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in BLOCK_TEXT:
                parts.append(f" {child._spaced_text()} ")
            elif child.tag not in HIDDEN_TEXT:
                parts.append(child._spaced_text())
        return "".join(parts)

    @property
    def start_tag(self) -> str:
        """The start tag, rebuilt (attributes in source order): for messages, not for comparing."""
        attrs = "".join(f' {name}="{value}"' if value else f" {name}" for name, value in self.attrs.items())
        return f"<{self.tag}{attrs}>"

    def markup(self) -> str:
        """The element rebuilt as HTML with its attributes sorted: equal for two renders that match."""
        attrs = "".join(f' {name}="{escape(value)}"' for name, value in sorted(self.attrs.items()))
        inner = "".join(
            escape(child, quote=False) if isinstance(child, str) else child.markup()
            for child in self.children
        )
        return f"<{self.tag}{attrs}>" if self.tag in VOID else f"<{self.tag}{attrs}>{inner}</{self.tag}>"

    def __repr__(self) -> str:
        return self.start_tag

    # -- finding --------------------------------------------------------------

    def select(self, selector: str) -> list[Element]:
        """The elements inside (not this one) that match selector, in document order."""
        groups = _compile(selector)
        return [element for element in self.descendants() if any(_matches(element, g) for g in groups)]

    def select_one(self, selector: str) -> Element:
        """The one element inside that matches selector; fails the test unless there is exactly one."""
        found = self.select(selector)
        if len(found) != 1:
            raise AssertionError(f"{selector!r} matched {len(found)} elements: {found[:5]}")
        return found[0]

    def first(self, selector: str) -> Element | None:
        """The first element inside that matches selector, or None."""
        return next(iter(self.select(selector)), None)

    def matches(self, selector: str) -> bool:
        return any(_matches(self, group) for group in _compile(selector))


# -- parsing ----------------------------------------------------------------------


class _TreeBuilder(HTMLParser):
    # As in a browser, the content of <textarea> and <title> is text (with
    # entities), never elements: a textarea holding an HTML snippet shows it.
    CDATA_CONTENT_ELEMENTS = ("script", "style", "textarea", "title")
    RCDATA = {"textarea", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("#document")
        self.open: list[Element] = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        while (current := self.open[-1]).tag in IMPLIED_END and tag in IMPLIED_END[current.tag]:
            self.open.pop()
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # `<path … />` in SVG: an element with no content.
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.open[-1])
        self.open[-1].children.append(element)

    def handle_endtag(self, tag: str) -> None:
        # An end tag closes the innermost open element of that name and all
        # inside it; a stray end tag closes nothing.
        for depth in range(len(self.open) - 1, 0, -1):
            if self.open[depth].tag == tag:
                del self.open[depth:]
                return

    def handle_data(self, data: str) -> None:
        if self.open[-1].tag in self.RCDATA:
            data = unescape(data)
        self.open[-1].children.append(data)


def parse(markup) -> Element:
    """The markup as a tree under a "#document" element; markup may be a response or bytes."""
    if isinstance(markup, Element):
        return markup
    if hasattr(markup, "content"):  # an HttpResponse
        markup = markup.content
    if isinstance(markup, bytes):
        markup = markup.decode()
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


# -- selectors ----------------------------------------------------------------------

_IDENT = r"[\w-]+"
_VALUE = r"\"[^\"]*\"|'[^']*'|[^\]\s]+"
_SIMPLE = re.compile(
    rf"(?P<tag>{_IDENT}|\*)"
    rf"|\#(?P<id>{_IDENT})"
    rf"|\.(?P<cls>{_IDENT})"
    rf"|\[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[~^$*]?=)\s*(?P<value>{_VALUE})\s*)?\]"
    r"|:not\((?P<not>[^()]*)\)"
)


@dataclass(frozen=True)
class _Compound:
    tag: str | None
    tests: tuple  # (kind, name, op, value)
    negations: tuple  # _Compound, one simple selector each


def _compound(text: str) -> _Compound:
    tag, tests, negations, at = None, [], [], 0
    while at < len(text):
        found = _SIMPLE.match(text, at)
        if not found or found.end() == at:
            raise ValueError(f"cannot read selector {text!r} at {text[at:]!r}")
        if found["tag"]:
            if at:
                raise ValueError(f"a tag name must come first in {text!r}")
            tag = None if found["tag"] == "*" else found["tag"].lower()
        elif found["id"]:
            tests.append(("id", found["id"]))
        elif found["cls"]:
            tests.append(("class", found["cls"]))
        elif found["attr"]:
            value = found["value"]
            if value and value[0] in "\"'":
                value = value[1:-1]
            tests.append(("attr", found["attr"].lower(), found["op"], value))
        else:
            negations.append(_compound(found["not"].strip()))
        at = found.end()
    return _Compound(tag, tuple(tests), tuple(negations))


def _compile(selector: str) -> list[list[tuple[str, _Compound]]]:
    """Each group as [(combinator, compound), …], the leftmost with combinator ""."""
    groups = []
    for group in selector.split(","):
        tokens = re.findall(r">|(?:[^\s>\[]|\[[^\]]*\])+", group)
        if not tokens or tokens[0] == ">" or tokens[-1] == ">":
            raise ValueError(f"cannot read selector {selector!r}")
        parts, combinator = [], ""
        for token in tokens:
            if token == ">":
                combinator = ">"
                continue
            parts.append((combinator, _compound(token)))
            combinator = " "
        groups.append(parts)
    return groups


def _simple_match(element: Element, compound: _Compound) -> bool:
    if compound.tag and element.tag != compound.tag:
        return False
    for test in compound.tests:
        if test[0] == "id":
            if element.id != test[1]:
                return False
        elif test[0] == "class":
            if test[1] not in element.classes:
                return False
        else:
            _, name, op, value = test
            if name not in element.attrs:
                return False
            actual = element.attrs[name]
            if op == "=" and actual != value:
                return False
            if op == "~=" and value not in actual.split():
                return False
            if op == "^=" and not (value and actual.startswith(value)):
                return False
            if op == "$=" and not (value and actual.endswith(value)):
                return False
            if op == "*=" and not (value and value in actual):
                return False
    return not any(_simple_match(element, negation) for negation in compound.negations)


def _matches(element: Element, parts: list[tuple[str, _Compound]]) -> bool:
    """Whether element matches the compound selectors, read right to left."""
    combinator, compound = parts[-1]
    if not _simple_match(element, compound):
        return False
    if len(parts) == 1:
        return True
    rest = parts[:-1]
    ancestor = element.parent
    while ancestor is not None and ancestor.tag != "#document":
        if _matches(ancestor, rest):
            return True
        if combinator == ">":
            return False
        ancestor = ancestor.parent
    return False


# -- what the tests ask of mathpath's pages -------------------------------------------


def select(markup, selector: str) -> list[Element]:
    """The elements of markup that match selector, in document order."""
    return parse(markup).select(selector)


def select_one(markup, selector: str) -> Element:
    """The one element of markup that matches selector (the test fails unless there is one)."""
    return parse(markup).select_one(selector)


def by_id(markup, element_id: str) -> Element:
    """The element with this id (the test fails unless there is exactly one)."""
    return parse(markup).select_one(f'[id="{element_id}"]')


def id_suffixes(markup, prefix: str, tag: str = "li") -> list[str]:
    """The ids of the <tag>s whose id starts with prefix, without it, in document order.

    `id_suffixes(html, "gap-")` lists the slugs of the gaps panel's rows.
    """
    return [element["id"].removeprefix(prefix) for element in select(markup, f'{tag}[id^="{prefix}"]')]


_CSRF_VALUES = re.compile(r'("X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]*')


def without_csrf_tokens(markup) -> str:
    """The markup with every CSRF token blanked out.

    Django masks the token afresh for each response, so two answers that say the
    same thing (a 404 for a private page and one for nobody at all) differ in it alone.
    """
    if not isinstance(markup, str):
        markup = markup.content.decode() if hasattr(markup, "content") else markup.decode()
    return _CSRF_VALUES.sub(r"\1", markup)


def text(markup) -> str:
    """The visible text of markup, white space collapsed."""
    return parse(markup).text


def top_level(markup) -> list[Element]:
    """The outermost elements of a fragment, e.g. what an htmx response swaps in."""
    return parse(markup).elements


def root_element(markup) -> Element:
    """The first outermost element of a fragment (what the response starts with)."""
    found = top_level(markup)
    assert found, "no element in the markup"
    return found[0]


def oob_ids(markup) -> set[str]:
    """The ids of the elements an htmx response swaps out of band (`hx-swap-oob`)."""
    return {element.id for element in select(markup, "[hx-swap-oob][id]") if element.id}


def pressed(markup) -> list[str]:
    """The values of the status buttons shown as pressed (`aria-pressed="true"`), in order."""
    return [button.get("value", "") for button in select(markup, 'button[aria-pressed="true"]')]


def map_node(markup, slug: str) -> Element:
    """The link that is the map's node for a topic."""
    return by_id(markup, f"map-node-{slug}")


def map_node_label(markup, slug: str) -> str:
    """What a screen reader says for a topic's node on the map (its aria-label)."""
    return map_node(markup, slug)["aria-label"]


def covered(markup) -> tuple[int, int]:
    """(covered, total) from the line under the progress ring: "<strong>N</strong> of M topics covered"."""
    [line] = [p for p in select(markup, "p") if re.match(r"\d+ of \d+ topics covered", p.text)]
    found = re.match(r"(\d+) of (\d+) topics covered", line.text)
    strong = line.elements[0] if line.elements else None
    assert strong is not None and strong.tag == "strong" and strong.text == found[1], line
    return int(found[1]), int(found[2])


def log_stats(markup) -> dict[str, str]:
    """A learning log's headline figures, {label: figure}: `<li><strong>2</strong><span>day streak</span>`."""
    figures = {}
    for item in select(markup, "ul.log-stats > li"):
        strong, span = item.select_one("strong"), item.select_one("span")
        figures[span.text] = strong.text
    return figures


def meta_tags(markup) -> dict[str, str]:
    """The page's <meta> tags as {property or name: content}."""
    return {
        meta.get("property") or meta.get("name") or "": meta.get("content", "")
        for meta in select(markup, "meta[content]")
        if meta.has("property") or meta.has("name")
    }


def field_errors(markup) -> list[str]:
    """The texts of the form errors shown (`<p class="field-errors" role="alert">`)."""
    return [p.text for p in select(markup, "p.field-errors[role=alert]")]


def form_values(markup) -> dict[str, str | list[str]]:
    """What a form would send: {name: value}, or {name: [values]} for a multiple select
    or a group of checkboxes sharing a name.

    Text-like inputs give their value, checked radios and checkboxes theirs
    ("on" without one), a textarea its text, a select its selected options
    (the first option when none is marked, as a browser does).
    """
    values: dict[str, str | list[str]] = {}
    root = parse(markup)
    boxes = [element["name"] for element in root.select("input[name][type=checkbox]")]
    for name in {name for name in boxes if boxes.count(name) > 1}:
        values[name] = checked(root, name)
    for element in root.select("input[name], textarea[name], select[name]"):
        name = element["name"]
        if isinstance(values.get(name), list) and element.get("type") == "checkbox":
            continue  # a checkbox group, read above
        if element.tag == "textarea":
            values[name] = element.raw_text.removeprefix("\n")
        elif element.tag == "select":
            options = element.select("option")
            chosen = [option for option in options if option.has("selected")]
            if element.has("multiple"):
                values[name] = [option_value(option) for option in chosen]
            elif chosen or options:
                values[name] = option_value((chosen or options)[0])
        elif element.get("type", "text") in {"radio", "checkbox"}:
            if element.has("checked"):
                values[name] = element.get("value") or "on"
        elif element.get("type") not in {"submit", "button", "reset", "image", "file"}:
            values[name] = element.get("value", "")
    return values


def option_value(option: Element) -> str:
    """An <option>'s value: its value attribute, or else its text."""
    return option["value"] if option.has("value") else option.text


def selected_options(markup, name: str) -> list[str]:
    """The values of the options marked selected in the <select> named name."""
    select_element = select_one(markup, f'select[name="{name}"]')
    return [option_value(option) for option in select_element.select("option[selected]")]


def checked(markup, name: str) -> list[str]:
    """The values of the checked radios or checkboxes named name."""
    return [element.get("value") or "on" for element in select(markup, f'input[name="{name}"][checked]')]
