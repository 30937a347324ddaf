"""The badge and the unfurl card in a real browser: Chromium's own fonts, its own layout."""

from django.utils import timezone
from playwright.sync_api import Page

from accounts.models import Visibility
from roadmap.models import Progress, Status, Topic
from tests.factories import ProfileFactory

LONG_NAME = "Maximiliana Wolfeschlegelsteinhausenbergerdorff-Welchevoralternwarengewissenhaft"

# Each text's box as Chromium lays it out, beside the track of its row.
MEASURE = """() => {
  const box = (el) => { const b = el.getBBox(); return [b.x, b.x + b.width]; };
  const svg = document.querySelector("svg");
  const texts = [...svg.querySelectorAll(":scope > text")].map(box);
  const rows = [...svg.querySelectorAll("g")].map((g) => {
    const [label, percent] = g.querySelectorAll("text");
    const track = g.querySelector("rect.track");
    const x = track.x.baseVal.value;
    return {label: box(label), percent: box(percent), track: [x, x + track.width.baseVal.value]};
  });
  return {texts, rows};
}"""


def share(learner, fraction: float) -> None:
    ProfileFactory(user=learner, visibility=Visibility.PUBLIC, display_name=LONG_NAME)
    topics = list(Topic.objects.order_by("pk"))
    Progress.objects.bulk_create(
        Progress(learner=learner, topic=topic, status=Status.MASTERED, status_changed_at=timezone.now())
        for topic in topics[: int(len(topics) * fraction)]
    )


def test_no_badge_text_runs_into_a_bar_in_chromiums_fonts(page: Page, learner):
    share(learner, 1.0)  # every row at 100%: the widest percents
    svg = page.request.get("/u/ada/badge.svg").text()

    page.set_content(f"<!doctype html><body style='margin:0'>{svg}</body>")
    measured = page.evaluate(MEASURE)

    name, roadmap_title, counts, big = measured["texts"]
    assert name[1] <= big[0]
    assert roadmap_title[1] <= big[0]
    assert big[1] <= 360 - 16 + 0.5
    assert counts[1] <= 360 - 16
    assert len(measured["rows"]) == 7
    for row in measured["rows"]:
        assert row["label"][1] <= row["track"][0] - 4
        assert row["percent"][0] >= row["track"][1] + 4
        assert row["percent"][1] <= 360 - 16 + 0.5


def test_the_shared_page_names_a_card_the_browser_can_show(page: Page, learner):
    share(learner, 0.4)
    page.goto("/u/ada/")

    card = page.locator('meta[property="og:image"]').get_attribute("content")
    page.set_content(f"<img src='{card}'>")
    page.wait_for_function("document.images[0].complete")

    assert page.evaluate("[document.images[0].naturalWidth, document.images[0].naturalHeight]") == [1200, 630]
