"""Text that fits its box: the vendored DejaVu Sans, measured with Pillow, and ellipsized.

The Open Graph card draws with these fonts; the badge measures its labels with
them. DejaVu Sans is vendored (fonts/, with its licence) rather than Pillow's
built-in default because it has a bold weight for headings and covers Latin,
Greek, Cyrillic and the mathematical symbols that learners' names and section
titles use, and because its wide, Verdana-like metrics make a width measured
with it a safe upper bound for the narrower system fonts that show the badge.
"""

from functools import lru_cache
from pathlib import Path

from PIL import ImageFont

FONTS = Path(__file__).resolve().parent / "fonts"
ELLIPSIS = "…"


@lru_cache(maxsize=32)
def font(size: int, *, bold: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu Sans (or its bold) at `size` pixels; loaded once per process and size."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def width(text: str, face: ImageFont.FreeTypeFont) -> float:
    """How many pixels `text` advances in `face`."""
    return face.getlength(text)


def ellipsize(text: str, face: ImageFont.FreeTypeFont, available: float) -> str:
    """`text`, or its longest prefix that fits in `available` pixels with an ellipsis after it.

    Whitespace is collapsed first (a name with a newline would otherwise draw on
    two lines), and the cut never leaves a space before the ellipsis.
    """
    text = " ".join(text.split())
    if width(text, face) <= available:
        return text
    # Binary search on the prefix length: widths only grow as characters are added.
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if width(text[:middle].rstrip() + ELLIPSIS, face) <= available:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ELLIPSIS if low else ELLIPSIS
