"""Where every text and bar of the README badge goes, measured so none runs into another.

The badge is an SVG shown by whatever font the reader's browser picks, so a
label's width can't be known from its characters alone. Each text is measured
in DejaVu Sans (text_fit: wide, Verdana-like metrics, as shields.io measures
in Verdana), ellipsized to its column, and given that width as its
`textLength` with lengthAdjust="spacingAndGlyphs": the browser then squeezes
or stretches whatever font it has to exactly the measured box. Columns, left
to right in a row: the section's title, a gap, the bar, a gap, the percent.
"""

from dataclasses import dataclass

from roadmap.progress.analysis import SectionProgress
from roadmap.sharing.text_fit import ellipsize, font, width

WIDTH = 360
PADDING = 16
INNER = WIDTH - 2 * PADDING
GAP = 8
BAR_WIDTH = 112
ROW_HEIGHT = 22
HEADING_HEIGHT = 76  # the name, the roadmap's title and the counts, above the first row

# The sizes the template's styles give each kind of text (bold for 600 and 700:
# a heavier face measures at least as wide).
TITLE, SMALL, BIG = font(14, bold=True), font(11), font(22, bold=True)


@dataclass(frozen=True)
class Text:
    """A measured text: what it says, where it is anchored, and its width (its textLength)."""

    text: str
    x: float
    length: float

    @classmethod
    def fitted(cls, text: str, face, x: float, available: float) -> "Text":
        shown = ellipsize(text, face, available)
        return cls(shown, x, round(width(shown, face), 1))


@dataclass(frozen=True)
class Row:
    """One section: its title, its bar (mastered then known, as fractions of the track) and its percent."""

    label: Text
    percent: Text  # anchored at its end (text-anchor="end"): x is the column's right edge
    bar_x: float
    mastered: float
    known: float

    @property
    def covered(self) -> float:
        """The pixels of mastered and known together: the known stripe is drawn under the mastered one."""
        return round(self.mastered + self.known, 1)


@dataclass(frozen=True)
class BadgeLayout:
    name: Text
    roadmap_title: Text
    counts: Text
    percent: Text  # anchored at its end
    rows: tuple[Row, ...]
    height: int
    bar_width: int = BAR_WIDTH


def percent_column() -> float:
    """The width of the widest percent a row can show."""
    return width("100%", SMALL)


def lay_out(*, name: str, roadmap_title: str, overall: SectionProgress, sections) -> BadgeLayout:
    """The badge for `overall` and each (title, SectionProgress) in `sections`; x in the badge's pixels."""
    big = f"{overall.percent}%"
    big_width = width(big, BIG)
    # The heading's lines stop short of the big percent on their right.
    heading_width = INNER - big_width - 12
    counts = f"{overall.covered}/{overall.total} covered · {overall.checked} checked"
    bar_x = WIDTH - PADDING - percent_column() - GAP - BAR_WIDTH
    label_width = bar_x - GAP - PADDING
    rows = tuple(
        Row(
            label=Text.fitted(title, SMALL, PADDING, label_width),
            percent=Text.fitted(f"{progress.percent}%", SMALL, WIDTH - PADDING, percent_column()),
            bar_x=round(bar_x, 1),
            mastered=_share(progress.counts["mastered"], progress.total),
            known=_share(progress.counts["skipped"], progress.total),
        )
        for title, progress in sections
    )
    return BadgeLayout(
        name=Text.fitted(name, TITLE, PADDING, heading_width),
        roadmap_title=Text.fitted(roadmap_title, SMALL, PADDING, heading_width),
        counts=Text.fitted(counts, SMALL, PADDING, INNER),  # under the big percent: the whole width
        percent=Text(big, WIDTH - PADDING, round(big_width, 1)),
        rows=rows,
        height=HEADING_HEIGHT + ROW_HEIGHT * len(rows),
    )


def _share(count: int, total: int) -> float:
    """How many of the bar's pixels `count` of `total` topics take."""
    return round(BAR_WIDTH * count / total, 1) if total else 0.0
