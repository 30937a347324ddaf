"""The Open Graph card: a learner's progress drawn as a 1200×630 PNG for link previews.

Social sites and chat apps show this picture when a shared progress page or
report is pasted: the name, the day-N line, the overall bar with its percent
and "42 of 113 topics", and a bar per section. Every text is measured and
ellipsized to its box (text_fit), so no name or title runs into a bar.

`card_figures` gathers what the card shows from the learner's progress; `draw`
turns those figures into PNG bytes and reads nothing else.
"""

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from accounts.models import Profile
from roadmap.progress import statuses
from roadmap.progress.analysis import SectionProgress
from roadmap.progress.dashboard import ProgressSummary
from roadmap.sharing.text_fit import ellipsize, font, width

WIDTH, HEIGHT = 1200, 630
MARGIN = 64
INNER = WIDTH - 2 * MARGIN

INK = "#1d1b2e"
MUTED = "#55536b"
ACCENT = "#4f46e5"
PAPER = "#ffffff"
TRACK = "#ececf3"
RULE = "#e3e2ee"

# Two columns of section rows under the overall bar; a longer roadmap's last
# slot says how many more sections there are.
COLUMNS, ROWS = 2, 4
COLUMN_GAP = 56
ROW_HEIGHT = 62
SECTIONS_TOP = 366


@dataclass(frozen=True)
class Bar:
    """One progress bar: its label, its count per status (BAR_ORDER) and its topic total."""

    title: str
    counts: tuple[tuple[str, int], ...]
    total: int
    percent: int
    covered: int
    checked: int

    @classmethod
    def of(cls, title: str, progress: SectionProgress) -> "Bar":
        counts = tuple((status, progress.counts[status]) for status in statuses.BAR_ORDER)
        return cls(title, counts, progress.total, progress.percent, progress.covered, progress.checked)


@dataclass(frozen=True)
class CardFigures:
    """Everything the card shows, and nothing else: a page's private parts never reach it."""

    name: str
    roadmap_title: str
    headline: str  # the day-N line
    overall: Bar
    sections: tuple[Bar, ...]


def card_figures(
    profile: Profile, progress: ProgressSummary, roadmap_title: str, headline: str
) -> CardFigures:
    return CardFigures(
        name=profile.name,
        roadmap_title=roadmap_title,
        headline=headline,
        overall=Bar.of(roadmap_title, progress.overall),
        sections=tuple(Bar.of(row.section.title, row.progress) for row in progress.sections),
    )


def draw(figures: CardFigures) -> bytes:
    """The card as PNG bytes."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    canvas = ImageDraw.Draw(image)
    canvas.rectangle((0, 0, WIDTH, 12), fill=ACCENT)  # the site's colour along the top edge
    _heading(canvas, figures)
    _overall(image, figures.overall)
    _sections(image, figures.sections)
    out = io.BytesIO()
    # A 256-colour palette: flat colours and anti-aliased text need no more, and the PNG
    # is a third of the size (~17 kB) for no more time than saving it in full colour
    # (~60 ms here; optimize=True would triple that for a few per cent less).
    image.quantize(256, method=Image.Quantize.FASTOCTREE).save(out, format="PNG")
    return out.getvalue()


def _heading(canvas: ImageDraw.ImageDraw, figures: CardFigures) -> None:
    percent = f"{figures.overall.percent}%"
    big = font(104, bold=True)
    percent_width = width(percent, big)
    canvas.text((WIDTH - MARGIN, 40), percent, font=big, fill=ACCENT, anchor="ra")
    # The site line and the name share the space left of the percent.
    text_width = INNER - percent_width - 40
    site = font(26)
    canvas.text(
        (MARGIN, 48),
        ellipsize(f"mathpath · {figures.roadmap_title}", site, text_width),
        font=site,
        fill=MUTED,
    )
    name = font(60, bold=True)
    canvas.text((MARGIN, 88), ellipsize(figures.name, name, text_width), font=name, fill=INK)
    covered = font(24)
    canvas.text((WIDTH - MARGIN, 148), "covered", font=covered, fill=MUTED, anchor="ra")
    # The day line runs under the percent too: the widest line gets the whole card.
    day = font(32)
    canvas.text((MARGIN, 184), ellipsize(figures.headline, day, INNER), font=day, fill=ACCENT)


def _overall(image: Image.Image, overall: Bar) -> None:
    canvas = ImageDraw.Draw(image)
    _bar(image, (MARGIN, 244, WIDTH - MARGIN, 276), overall)
    figures = font(28)
    summary = f"{overall.covered} of {overall.total} topics covered · {overall.checked} checked"
    canvas.text((MARGIN, 296), ellipsize(summary, figures, INNER), font=figures, fill=INK)
    canvas.line((MARGIN, 344, WIDTH - MARGIN, 344), fill=RULE, width=2)


def _sections(image: Image.Image, sections: tuple[Bar, ...]) -> None:
    """A slot per section: its title and percent on one line, its bar under them."""
    canvas = ImageDraw.Draw(image)
    slots = COLUMNS * ROWS
    shown = sections if len(sections) <= slots else sections[: slots - 1]
    column_width = (INNER - COLUMN_GAP * (COLUMNS - 1)) // COLUMNS
    label, figure = font(22), font(22, bold=True)
    title_width = column_width - width("100%", figure) - 16
    for index, section in enumerate(shown):
        left, top = _slot(index, column_width)
        canvas.text((left, top), ellipsize(section.title, label, title_width), font=label, fill=INK)
        canvas.text((left + column_width, top), f"{section.percent}%", font=figure, fill=MUTED, anchor="ra")
        _bar(image, (left, top + 34, left + column_width, top + 46), section)
    if len(shown) < len(sections):
        left, top = _slot(slots - 1, column_width)
        canvas.text((left, top), f"+ {len(sections) - len(shown)} more sections", font=label, fill=MUTED)


def _slot(index: int, column_width: int) -> tuple[int, int]:
    """The top-left corner of the index-th section slot: down the first column, then the next."""
    column, row = divmod(index, ROWS)
    return MARGIN + column * (column_width + COLUMN_GAP), SECTIONS_TOP + row * ROW_HEIGHT


def _bar(image: Image.Image, box: tuple[int, int, int, int], bar: Bar) -> None:
    """A rounded track with a stripe per status, covered first (as the pages draw it)."""
    left, top, right, bottom = box
    radius = (bottom - top) // 2
    ImageDraw.Draw(image).rounded_rectangle(box, radius=radius, fill=TRACK)
    if not bar.total:
        return
    # A mask in the track's shape clips the square stripes to its rounded ends.
    stripes = Image.new("RGB", (right - left, bottom - top), TRACK)
    stripe_canvas = ImageDraw.Draw(stripes)
    start = 0.0
    for status, count in bar.counts:
        end = start + (right - left) * count / bar.total
        if round(end) > round(start):
            stripe_canvas.rectangle(
                (round(start), 0, round(end) - 1, bottom - top), fill=statuses.info(status).colour
            )
        start = end
    mask = Image.new("L", stripes.size, 0)
    ImageDraw.Draw(mask).rounded_rectangle(
        (0, 0, right - left - 1, bottom - top - 1), radius=radius, fill=255
    )
    image.paste(stripes, (left, top), mask)
