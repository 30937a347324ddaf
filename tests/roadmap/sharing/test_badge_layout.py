"""The badge lays out its texts (roadmap/sharing/badge_layout.py): no label runs into a bar, in any font."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from accounts.models import Visibility
from roadmap.models import Status
from tests.factories import (
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

SVG = "{http://www.w3.org/2000/svg}"
LONG_TITLE = "Machine Learning Foundations: Perceptron to Adaline, and a Great Deal More Besides " * 2
FIXTURE_TITLES = [
    section["title"]
    for section in yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "math-for-ml.yaml").read_text())[
        "sections"
    ]
]


@pytest.fixture
def badge(client, db):
    """The badge of a learner on a roadmap with every shipped section title and a very long one."""
    roadmap = RoadmapFactory()
    user = UserFactory(username="ada")
    # As long as a display name may be (80 characters).
    ProfileFactory(user=user, visibility=Visibility.PUBLIC, display_name=("Ada " + LONG_TITLE)[:80])
    for order, title in enumerate([*FIXTURE_TITLES, LONG_TITLE]):
        section = SectionFactory(roadmap=roadmap, slug=f"section-{order}", title=title, order=order)
        for n in range(3):
            topic = TopicFactory(section=section, slug=f"topic-{order}-{n}", title=f"Topic {n}")
            if n < order % 4:  # 0 to 3 of 3 covered: 0%, 33%, 67% and 100% rows
                ProgressFactory(learner=user, topic=topic, status=Status.MASTERED if n else Status.SKIPPED)
    response = client.get("/u/ada/badge.svg")
    assert response.status_code == 200
    return ET.fromstring(response.content)


def rows(root) -> list[tuple[ET.Element, ET.Element, ET.Element]]:
    """Each section's (label, track, percent)."""
    found = []
    for group in root.iter(f"{SVG}g"):
        label, percent = group.findall(f"{SVG}text")
        found.append((label, group.find(f"{SVG}rect[@class='track']"), percent))
    return found


def box(text: ET.Element) -> tuple[float, float]:
    """The (left, right) of a text's box: its textLength from where it is anchored."""
    x, length = float(text.get("x")), float(text.get("textLength"))
    return (x - length, x) if text.get("text-anchor") == "end" else (x, x + length)


def test_every_text_fixes_its_length_so_any_font_fits(badge):
    texts = list(badge.iter(f"{SVG}text"))

    assert len(texts) == 4 + 2 * (len(FIXTURE_TITLES) + 1)
    for text in texts:
        assert float(text.get("textLength")) > 0
        assert text.get("lengthAdjust") == "spacingAndGlyphs"


def test_no_section_title_runs_into_its_bar_and_every_percent_stays_in_its_column(badge):
    found = rows(badge)
    for (label, _, _), title in zip(found, [*FIXTURE_TITLES, LONG_TITLE], strict=True):
        # The whole title, or as much of it as fits and an ellipsis.
        assert label.text == title or (label.text.endswith("…") and title.startswith(label.text[:-1]))
    for label, track, percent in found:
        bar_start = float(track.get("x"))
        bar_end = bar_start + float(track.get("width"))
        assert box(label)[0] >= 16
        assert box(label)[1] <= bar_start - 4, label.text
        assert box(percent)[0] >= bar_end + 4, percent.text
        assert box(percent)[1] <= 360 - 16
    assert found[-1][0].text.endswith("…")  # the very long title was cut


def test_the_heading_stops_short_of_the_big_percent(badge):
    name, roadmap_title, counts, big = list(badge.iter(f"{SVG}text"))[:4]

    assert name.text.startswith("Ada Machine Learning") and name.text.endswith("…")
    assert box(name)[1] <= box(big)[0] - 4
    assert box(roadmap_title)[1] <= box(big)[0] - 4
    assert box(big)[1] <= 360 - 16
    assert box(counts)[1] <= 360 - 16


def test_100_percent_fits_the_percent_column(badge):
    percents = [percent.text for _, _, percent in rows(badge)]

    assert {"0%", "33%", "67%", "100%"} <= set(percents)
