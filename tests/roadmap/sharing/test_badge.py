"""The README badge: an SVG of section progress, cacheable, only for shared pages."""

import re
import xml.etree.ElementTree as ET

import pytest

from accounts.models import Visibility
from roadmap.models import Status
from tests import dom
from tests.factories import (
    ProfileFactory,
    ProgressFactory,
    RoadmapFactory,
    SectionFactory,
    TopicFactory,
    UserFactory,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def topics(db):
    roadmap = RoadmapFactory()
    algebra = SectionFactory(roadmap=roadmap, slug="algebra", title="Algebra", order=0)
    calculus = SectionFactory(roadmap=roadmap, slug="calculus", title="Calculus", order=1)
    return {
        "functions": TopicFactory(section=algebra, slug="functions", title="Functions"),
        "exponents": TopicFactory(section=algebra, slug="exponents", title="Exponents"),
        "limits": TopicFactory(section=calculus, slug="limits", title="Limits"),
        "derivatives": TopicFactory(section=calculus, slug="derivatives", title="Derivatives"),
    }


def make_learner(topics, visibility, **profile):
    user = UserFactory(username="ada", email="ada@example.com")
    ProgressFactory(learner=user, topic=topics["functions"], status=Status.MASTERED, note="Evidence: ex 1-40")
    ProgressFactory(learner=user, topic=topics["exponents"], status=Status.SKIPPED)
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.MASTERED)
    return ProfileFactory(user=user, visibility=visibility, **profile)


def badge_texts(svg: bytes) -> list[str]:
    root = ET.fromstring(svg)
    return [text.text for text in root.iter(f"{SVG}text")]


@pytest.mark.parametrize(
    ("visibility", "by_username", "by_token"),
    [
        (Visibility.PRIVATE, 404, 404),
        (Visibility.UNLISTED, 404, 200),
        (Visibility.PUBLIC, 200, 200),
    ],
)
def test_the_badge_is_served_only_for_shared_pages(client, topics, visibility, by_username, by_token):
    profile = make_learner(topics, visibility)

    assert client.get("/u/ada/badge.svg").status_code == by_username
    assert client.get(f"/s/{profile.share_token}/badge.svg").status_code == by_token


@pytest.mark.parametrize("visibility", [Visibility.PRIVATE, Visibility.UNLISTED])
def test_the_owner_gets_no_username_badge_for_a_page_that_is_not_public(client, topics, visibility):
    profile = make_learner(topics, visibility)
    client.force_login(profile.user)

    assert client.get("/u/ada/badge.svg").status_code == 404


def test_the_badge_is_cacheable_svg(client, topics):
    make_learner(topics, Visibility.PUBLIC)

    response = client.get("/u/ada/badge.svg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    cache = {part.strip() for part in response["Cache-Control"].split(",")}
    assert "public" in cache
    assert "max-age=300" in cache
    # Opened directly, the SVG cannot run or load anything.
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


def test_the_badge_shows_name_overall_and_each_sections_progress(client, topics):
    make_learner(topics, Visibility.PUBLIC)

    svg = client.get("/u/ada/badge.svg").content

    root = ET.fromstring(svg)  # well-formed XML, or browsers show nothing
    assert root.tag == f"{SVG}svg"
    assert root.get("height") == str(76 + 22 * 2)
    assert root.find(f"{SVG}title").text == (
        "ada: 75% of Mathematics for Machine Learning covered, 0 topics checked"
    )
    assert badge_texts(svg) == [
        "ada",
        "Mathematics for Machine Learning",
        "3/4 covered · 0 checked",
        "75%",
        "Algebra",
        "100%",
        "Calculus",
        "50%",
    ]


def test_light_and_dark_badges_differ(client, topics):
    make_learner(topics, Visibility.PUBLIC)

    light = client.get("/u/ada/badge.svg").content.decode()
    dark = client.get("/u/ada/badge.svg?theme=dark").content.decode()
    unknown = client.get("/u/ada/badge.svg?theme=neon").content.decode()

    assert light != dark
    assert "#ffffff" in light
    assert "#0d1117" in dark
    assert "#0d1117" not in light
    assert unknown == light
    assert badge_texts(light.encode()) == badge_texts(dark.encode())


def test_the_badge_escapes_the_display_name_and_leaks_nothing_private(client, topics):
    make_learner(topics, Visibility.PUBLIC, display_name='Ada "<script>" & co')

    svg = client.get("/u/ada/badge.svg").content

    assert badge_texts(svg)[0] == 'Ada "<script>" & co'
    assert b"<script>" not in svg
    assert b"ada@example.com" not in svg
    assert b"Evidence" not in svg


def test_an_empty_roadmap_badge_is_still_valid_svg(client, db):
    RoadmapFactory()
    ProfileFactory(user=UserFactory(username="ada"), visibility=Visibility.PUBLIC)

    response = client.get("/u/ada/badge.svg?theme=dark")

    assert response.status_code == 200
    assert ET.fromstring(response.content).get("height") == "76"


def test_the_badge_needs_get(client, topics):
    make_learner(topics, Visibility.PUBLIC)

    assert client.post("/u/ada/badge.svg").status_code == 405


def textarea(html: str, element_id: str) -> str:
    """The snippet a learner copies from the settings page."""
    return dom.select_one(html, f"textarea#{element_id}").raw_text


def test_settings_offer_markdown_and_html_snippets_for_a_public_page(client, topics):
    profile = make_learner(topics, Visibility.PUBLIC)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    badge, page = "http://testserver/u/ada/badge.svg", "http://testserver/u/ada/"
    assert textarea(html, "badge-md") == f"[![Math for ML progress]({badge})]({page})"
    assert textarea(html, "badge-md-dark") == f"[![Math for ML progress]({badge}?theme=dark)]({page})"
    assert textarea(html, "badge-html") == (
        f'<a href="{page}"><picture><source media="(prefers-color-scheme: dark)" '
        f'srcset="{badge}?theme=dark"><img src="{badge}" alt="Math for ML progress"></picture></a>'
    )
    assert dom.select(html, f'img[src="{badge}"]')  # the preview


def test_settings_snippets_for_an_unlisted_page_use_the_secret_link(client, topics):
    profile = make_learner(topics, Visibility.UNLISTED)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    token = profile.share_token
    assert textarea(html, "badge-md") == (
        f"[![Math for ML progress](http://testserver/s/{token}/badge.svg)](http://testserver/s/{token}/)"
    )
    assert "/u/ada/badge.svg" not in html
    for snippet in ("badge-md", "badge-md-dark", "badge-html"):
        badge_url = re.search(r"http://testserver/s/[^/]+/badge\.svg", textarea(html, snippet)).group(0)
        client.logout()
        assert client.get(badge_url).status_code == 200
        client.force_login(profile.user)


def test_settings_offer_no_badge_while_private(client, topics):
    profile = make_learner(topics, Visibility.PRIVATE)
    client.force_login(profile.user)

    html = client.get("/settings/").content.decode()

    assert "badge-md" not in html
    assert "badge.svg" not in html
    assert "Make your page public or unlisted to get a badge for your README." in html
