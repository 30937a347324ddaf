"""The Open Graph card (roadmap/sharing/og_card.py): the PNG a shared page or report unfurls with."""

import io
import re

import pytest
from PIL import Image

from accounts.models import Visibility
from roadmap.models import Status
from roadmap.progress.status import set_status
from roadmap.sharing import og_card, text_fit
from roadmap.web import page_cache
from tests import dom
from tests.page_cache_queries import PAGE_CACHE_MISS
from tests.roadmap.sharing.sharers import DAY, address, make_sharer, set_visibility

pytestmark = pytest.mark.usefixtures("frozen_now")

CARDS = [
    "/u/{username}/card.png",
    "/s/{token}/card.png",
    "/u/{username}/log/{day}/card.png",
    "/s/{token}/log/{day}/card.png",
]


def png(response) -> Image.Image:
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    image.load()  # decodes every pixel: a truncated PNG fails here
    return image


@pytest.mark.parametrize("template", CARDS)
def test_every_card_is_a_1200_by_630_png(client, sharer, template):
    image = png(client.get(address(template, token=sharer.share_token)))

    assert image.format == "PNG"
    assert image.size == (1200, 630)


def test_the_card_is_cacheable_and_cannot_run_anything(client, sharer):
    response = client.get("/u/ada/card.png")

    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=300"} <= cache
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_a_second_request_is_served_from_the_cache(client, sharer, django_assert_max_num_queries):
    first = client.get("/u/ada/card.png")

    # The owner's profile and the roadmap; the picture comes from this process's memory.
    with django_assert_max_num_queries(2):
        again = client.get("/u/ada/card.png")
    page_cache.clear_memory()
    with django_assert_max_num_queries(3):  # another process: and the shared cache
        elsewhere = client.get("/u/ada/card.png")

    assert first.content == again.content == elsewhere.content
    png(again)


def test_a_miss_costs_a_bounded_number_of_queries(client, sharer, django_assert_max_num_queries):
    with django_assert_max_num_queries(12 + PAGE_CACHE_MISS):
        png(client.get("/u/ada/card.png"))


def test_the_card_changes_after_a_status_change(client, sharer, topics):
    before = client.get("/u/ada/card.png")

    set_status(learner=sharer.user, topic=topics["chain-rule"], status=Status.MASTERED)
    after = client.get("/u/ada/card.png")

    assert png(after).size == (1200, 630)
    assert after.content != before.content
    assert after["ETag"] != before["ETag"]


def test_the_report_card_is_not_the_progress_card(client, sharer):
    # Same bars, but the report's own day-N line.
    assert client.get(f"/u/ada/log/{DAY}/card.png").content != client.get("/u/ada/card.png").content


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED])
def test_the_owner_gets_no_username_card_for_a_page_that_is_not_public(client, topics, visibility):
    profile = make_sharer(topics, visibility=visibility)
    client.force_login(profile.user)

    assert client.get("/u/ada/card.png").status_code == 404
    assert client.get(f"/u/ada/log/{DAY}/card.png").status_code == 404


def test_a_card_for_a_day_without_a_report_is_refused(client, sharer):
    assert client.get("/u/ada/log/2025-03-01/card.png").status_code == 404
    assert client.get("/u/ada/log/not-a-date/card.png").status_code == 404


# -- The pages point at their cards ---------------------------------------------------------------


@pytest.mark.parametrize(
    "template", ["/u/{username}/", "/s/{token}/", "/u/{username}/log/{day}/", "/s/{token}/log/{day}/"]
)
def test_each_shared_page_unfurls_with_its_own_card(client, sharer, template):
    page = address(template, token=sharer.share_token)

    tags = dom.meta_tags(client.get(page))

    assert tags["twitter:card"] == "summary_large_image"
    assert tags["og:image"] == tags["twitter:image"]
    card, version = tags["og:image"].split("?v=")
    assert card == f"http://testserver{page}card.png"
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert png(client.get(tags["og:image"])).size == (1200, 630)


def test_the_card_address_changes_with_progress(client, sharer, topics):
    before = dom.meta_tags(client.get("/u/ada/"))["og:image"]

    set_status(learner=sharer.user, topic=topics["chain-rule"], status=Status.MASTERED)
    after = dom.meta_tags(client.get("/u/ada/"))["og:image"]

    # Social sites keep a picture by its address: a new one makes them fetch the new card.
    assert after != before
    assert after.split("?")[0] == before.split("?")[0]


def test_a_private_page_previewed_by_its_owner_names_no_card(client, topics):
    profile = make_sharer(topics, visibility=Visibility.PRIVATE)
    client.force_login(profile.user)

    tags = dom.meta_tags(client.get("/u/ada/"))

    assert "og:image" not in tags
    assert tags["twitter:card"] == "summary"
    set_visibility(profile, Visibility.UNLISTED)
    # Unlisted, the owner's /u/ preview still names none: /u/ada/card.png is refused.
    assert "og:image" not in dom.meta_tags(client.get("/u/ada/"))


# -- Drawing: every text stays inside its box ---------------------------------------------------


LONG = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Welchevoralternwarengewissenhaft " * 2


def figures(
    name: str, titles: list[str], headline: str = "Day 40 of the journey · 40-day streak"
) -> og_card.CardFigures:
    def bar(title: str, total: int = 10, done: int = 4) -> og_card.Bar:
        counts = (("mastered", done), ("skipped", 1), ("practised", 1), ("learning", 1))
        return og_card.Bar(title, counts, total, 50, done + 1, 1)

    return og_card.CardFigures(
        name, "Mathematics for Machine Learning", headline, bar("all", 113, 50), tuple(map(bar, titles))
    )


def drawn(card: og_card.CardFigures) -> Image.Image:
    return Image.open(io.BytesIO(og_card.draw(card))).convert("RGB")


def blank(image: Image.Image, box: tuple[int, int, int, int]) -> bool:
    """Whether nothing but the card's paper (its bottom-left corner's colour) is drawn in `box`."""
    region = image.crop(box)
    paper = image.getpixel((0, image.height - 1))
    return region.getcolors() == [(region.width * region.height, paper)]


def test_long_names_titles_and_day_lines_stay_inside_the_card():
    card = drawn(figures(LONG, [LONG] * 7 + ["Short"], headline=LONG))

    assert card.size == (1200, 630)
    # The right and left margins, under the coloured top edge, stay empty...
    assert blank(card, (1136 + 1, 13, 1200, 630))
    assert blank(card, (0, 13, 64, 630))
    # ...and so does the gutter between the two columns of sections.
    assert blank(card, (og_card.MARGIN + 508 + 1, og_card.SECTIONS_TOP, og_card.MARGIN + 508 + 56, 630))


def test_a_long_name_stops_before_the_percent():
    card = drawn(figures(LONG, ["Algebra"]))
    percent_left = og_card.WIDTH - og_card.MARGIN - text_fit.width("50%", text_fit.font(104, bold=True))

    # A strip left of the big percent, as tall as the name's line: nothing of the name there.
    assert blank(card, (int(percent_left) - 30, 88, int(percent_left) - 2, 160))


def test_more_sections_than_fit_say_how_many_more():
    many = figures("Ada", [f"Section {n}" for n in range(11)])
    few = figures("Ada", [f"Section {n}" for n in range(8)])

    # Eight slots: eight sections fill them; eleven show seven and "+ 4 more sections".
    assert drawn(many).tobytes() != drawn(few).tobytes()
    assert drawn(figures("Ada", [])).size == (1200, 630)


@pytest.mark.parametrize("size", [11, 22, 60])
def test_ellipsize_fits_the_width_and_leaves_short_text_alone(size):
    face = text_fit.font(size)

    assert text_fit.ellipsize("Calculus", face, 1000) == "Calculus"
    fitted = text_fit.ellipsize(LONG, face, 300)
    assert fitted.endswith("…")
    assert not fitted.endswith(" …")
    assert text_fit.width(fitted, face) <= 300
    assert LONG.startswith(fitted.removesuffix("…"))
    assert text_fit.ellipsize("two\nlines", face, 1000) == "two lines"
    assert text_fit.ellipsize("Calculus", face, 1) == "…"
