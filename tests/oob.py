"""htmx's out-of-band swaps, applied to a parsed page as htmx 2 applies them.

For tests that hold a patch to its promise: the page before, with the
response's `hx-swap-oob` elements applied in document order, must read as the
page rendered afresh. Covers the swaps mathpath sends: "true" (outerHTML),
"delete", "innerHTML", and "<style>:#id" for afterbegin, beforeend and afterend, where
htmx inserts the children of the swapped element rather than the element.
"""

from collections import Counter

from tests import dom


def apply(page: dom.Element, response) -> dom.Element:
    """Apply every out-of-band swap in `response` to `page` (a tree from dom.parse), in place."""
    for element in dom.select(response, "[hx-swap-oob]"):
        value = element.attrs.pop("hx-swap-oob")
        style, _, selector = value.partition(":") if ":" in value else (value, "", "")
        target = _target(page, selector or f"#{element.id}")
        if style in ("true", "outerHTML"):
            _replace(target, [element])
        elif style == "delete":
            _replace(target, [])
        elif style == "innerHTML":
            target.children = []
            _insert(target, 0, element.children)
        elif style == "afterbegin":
            _insert(target, 0, element.children)
        elif style == "beforeend":
            _insert(target, len(target.children), element.children)
        elif style == "afterend":
            parent = target.parent
            _insert(parent, parent.children.index(target) + 1, element.children)
        else:
            raise ValueError(f"swap style {style!r} is not modelled here")
    counts = Counter(element.id for element in page.descendants() if element.id)
    twice = sorted(i for i, n in counts.items() if n > 1)
    assert not twice, f"after the swaps, ids stand twice on the page: {twice}"
    return page


def _target(page: dom.Element, selector: str) -> dom.Element:
    found = page.select(selector)
    assert len(found) == 1, f"an out-of-band swap targets {selector!r}, found {len(found)} on the page"
    return found[0]


def _replace(target: dom.Element, elements: list) -> None:
    parent = target.parent
    at = parent.children.index(target)
    parent.children[at : at + 1] = elements
    for element in elements:
        element.parent = parent


def _insert(parent: dom.Element, at: int, children: list) -> None:
    children = list(children)
    parent.children[at:at] = children
    for child in children:
        if isinstance(child, dom.Element):
            child.parent = parent
