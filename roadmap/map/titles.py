"""Topic titles fitted into map boxes, measured without fonts on the server."""

NODE_W = 176  # a topic box's width: its title wraps inside it
TEXT_X = 14  # past the section band
TEXT_WIDTH = NODE_W - TEXT_X - 8
FONT_SIZE = 12
LINE_HEIGHT = 15
MAX_LINES = 3

# Advance widths (em) per kind of character, fitted to DejaVu Sans Bold, the
# widest sans a browser is likely to fall back to, so titles wrap to fit the box
# without measuring fonts on the server (narrower fonts just leave more room).
_NARROW = frozenset("ijlI.,:;'!|()[]/")
_SEMI = frozenset("frt -")
_WIDE = frozenset("mwMW—")


def text_width(text: str) -> float:
    """Approximate rendered width in px of a node title line."""
    ems = 0.0
    for char in text:
        if char in _NARROW:
            ems += 0.37
        elif char in _SEMI:
            ems += 0.45
        elif char in _WIDE:
            ems += 1.02
        elif char.isupper() or char.isdigit():
            ems += 0.72
        else:
            ems += 0.69
    return ems * FONT_SIZE


def wrap_title(
    title: str, width: float = TEXT_WIDTH, max_lines: int = MAX_LINES
) -> tuple[tuple[str, ...], bool]:
    """The title in at most `max_lines` lines of `width` px, and whether some was cut."""
    lines: list[str] = []
    for word in title.split():
        if lines and text_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    truncated = len(lines) > max_lines
    lines = lines[:max_lines]
    for i, line in enumerate(lines):
        if text_width(line) > width or (truncated and i == len(lines) - 1):
            lines[i] = _ellipsize(line, width)
            truncated = True
    return tuple(lines), truncated


def _ellipsize(line: str, width: float) -> str:
    while line and text_width(line + "…") > width:
        line = line[:-1]
    return line.rstrip(" ,–-") + "…"
