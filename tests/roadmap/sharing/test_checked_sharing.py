"""What others see of checked and self-reported mastery: the progress page, its unfurl and the badge."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest

from accounts.models import Profile, Visibility
from roadmap.checking.topic_check import Marked, check_problems, open_check, record_check
from roadmap.models import Progress, Status
from tests import dom
from tests.factories import ProblemFactory, ProfileFactory, UserFactory, bulk_roadmap
from tests.page_cache_queries import PAGE_CACHE_MISS
from tests.roadmap.sharing.sharers import NOW

pytestmark = pytest.mark.usefixtures("frozen_now")

SVG = "{http://www.w3.org/2000/svg}"
CHECKED_ON = datetime(2025, 3, 9, 8, 0, tzinfo=UTC)


def checked(profile, slug: str, score: str = "3/3") -> None:
    """Mark the sharer's record of `slug` as proven by a check (as record_check leaves it)."""
    Progress.objects.filter(learner=profile.user, topic__slug=slug).update(
        checked_at=CHECKED_ON, check_score=score
    )
    # A writer of learner data replaces their state token, or cached pages stay as they were.
    Profile.objects.learner_changed(profile.user_id)


@pytest.fixture
def page(client, sharer):
    """Ada's public page with functions (mastered) proven by a check, exponents (known) on her word."""
    checked(sharer, "functions")
    return client.get("/u/ada/").content.decode()


def badge_texts(svg: bytes) -> list[str]:
    return [text.text for text in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_page_counts_checked_topics_beside_covered_ones(page):
    assert dom.covered(page) == (2, 5)
    assert "2 of 5 topics covered · 1 checked" in dom.select_one(page, ".overall").text
    cards = [card.text for card in dom.select(page, "li.section-card")]
    assert "100% covered · 2/2 · 1 checked" in cards[0]
    assert "0% covered · 0/3 · 0 checked" in cards[1]


def test_covered_groups_say_how_many_are_checked_and_mark_each(page):
    groups = {
        group.select_one("h3").text: group.select('a.chip[class*="status-"]')
        for group in dom.select(page, "div.by-status > div")
    }

    assert list(groups) == [
        "Mastered (1 · 1 checked)",
        "Known (1 · 0 checked)",
        "Practised (1)",
        "Learning (1)",
    ]
    [functions] = groups["Mastered (1 · 1 checked)"]
    assert "is-checked" in functions.classes
    assert functions["title"] == "checked 9 Mar 2025, 3/3"
    assert functions.select_one(".chip-mark")["aria-hidden"] == "true"
    assert functions.text == "Functions ✓, checked 9 Mar 2025, 3/3"  # the hidden part is read aloud
    [exponents] = groups["Known (1 · 0 checked)"]
    assert "is-checked" not in exponents.classes
    assert exponents.text == "Exponents"


def test_the_page_says_what_checked_means(page):
    key = dom.select_one(page, ".evidence-key").text
    assert "ada passed a three-problem check of the topic on mathpath" in key
    assert "Other covered topics are self-reported." in key


def test_the_list_under_the_map_names_each_topics_evidence(page):
    overlay = dom.select_one(page, "details.overlay-list")
    labels = {chip["href"]: chip["aria-label"] for chip in overlay.select("a.chip")}

    assert labels["/topics/functions/"] == "Functions: mastered, checked 9 Mar 2025, 3/3"
    assert labels["/topics/exponents/"] == "Exponents: known, self-reported"
    assert labels["/topics/limits/"] == "Limits: practised"


def test_the_unfurl_counts_checked_topics(page):
    assert dom.meta_tags(page)["og:description"].startswith("2 of 5 topics covered (1 checked) · ")


def test_a_check_score_is_escaped_everywhere_it_shows(client, sharer):
    checked(sharer, "functions", score='"><b>x')

    html = client.get("/u/ada/").content.decode()

    assert dom.select(html, "b") == []
    chip = dom.select_one(html, "div.by-status a.chip.is-checked")
    assert chip["title"] == 'checked 9 Mar 2025, "><b>x'


def test_the_badge_says_covered_and_checked(client, sharer):
    checked(sharer, "functions")

    svg = client.get("/u/ada/badge.svg").content

    root = ET.fromstring(svg)
    assert root.find(f"{SVG}title").text == (
        "ada: 40% of Mathematics for Machine Learning covered, 1 topics checked"
    )
    assert badge_texts(svg)[:4] == [
        "ada",
        "Mathematics for Machine Learning",
        "2/5 covered · 1 checked",
        "40%",
    ]
    assert root.get("height") == str(76 + 22 * 2)


def test_passing_a_check_updates_the_cached_page_and_badge(client, sharer, topics):
    assert "0 checked" in badge_texts(client.get("/u/ada/badge.svg").content)[2]
    client.get("/u/ada/")  # both cached now
    ProblemFactory.create_batch(3, topic=topics["exponents"])
    check = open_check(sharer.user, topics["exponents"])

    record_check(check, [Marked(p, p.answer, True) for p in check_problems(check)])

    assert badge_texts(client.get("/u/ada/badge.svg").content)[2] == "2/5 covered · 1 checked"
    html = client.get("/u/ada/").content.decode()
    assert "2 of 5 topics covered · 1 checked" in dom.select_one(html, ".overall").text


def test_checked_rows_cost_the_public_page_no_query(db, client, django_assert_max_num_queries):
    topic_rows = bulk_roadmap(topics=120, edges=200)
    user = UserFactory(username="ada")
    ProfileFactory(user=user, visibility=Visibility.PUBLIC, goal=topic_rows[-1])
    Progress.objects.bulk_create(
        Progress(
            learner=user,
            topic=topic,
            status=Status.MASTERED,
            status_changed_at=NOW,
            checked_at=CHECKED_ON if i % 2 else None,
            check_score="3/3" if i % 2 else "",
        )
        for i, topic in enumerate(topic_rows[:100])
    )

    # As test_shared_pages.test_the_public_page_query_count_does_not_grow (with no log): the
    # dates and scores come with the progress rows the page reads anyway.
    with django_assert_max_num_queries(23 + PAGE_CACHE_MISS):
        response = client.get("/u/ada/")
    with django_assert_max_num_queries(11):  # the badge's pin in test_page_cache, on a miss
        badge = client.get("/u/ada/badge.svg")

    assert len(dom.select(response, "div.by-status a.chip.is-checked")) == 50
    assert badge_texts(badge.content)[2] == "100/120 covered · 50 checked"
