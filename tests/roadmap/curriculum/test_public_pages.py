"""The public roadmap at / and the topic pages: visible logged out, archived topics gone."""

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from roadmap.models import Prerequisite, Resource, Roadmap, Role, Status, Topic
from tests import dom
from tests.factories import (
    CheckedProgressFactory,
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    RoadmapFactory,
    RoadmapResourceFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.page_cache_queries import PAGE_CACHE_MISS

HOME = "/"


def topic_url(slug: str) -> str:
    return f"/topics/{slug}/"


@pytest.fixture
def roadmap(db) -> Roadmap:
    """Algebra (Functions) then Calculus (Limits, Derivatives), plus archived leftovers.

    Calculus is created first with the higher order, so page order must come from `order`.
    """
    roadmap = RoadmapFactory(description="The maths behind machine learning.")
    calculus = SectionFactory(
        roadmap=roadmap, slug="calculus", title="Calculus", order=1, summary="Limits first."
    )
    algebra = SectionFactory(roadmap=roadmap, slug="algebra", title="Algebra", order=0)
    retired = SectionFactory(roadmap=roadmap, slug="retired", title="Retired section", order=2)
    functions = TopicFactory(
        section=algebra, slug="functions", title="Functions", estimated_hours=Decimal(2), order=0
    )
    limits = TopicFactory(
        section=calculus, slug="limits", title="Limits", estimated_hours=Decimal("2.5"), order=0
    )
    derivatives = TopicFactory(
        section=calculus, slug="derivatives", title="Derivatives", estimated_hours=Decimal("4.5"), order=1
    )
    infinitesimals = TopicFactory(
        section=calculus,
        slug="infinitesimals",
        title="Infinitesimals",
        estimated_hours=Decimal(9),
        is_archived=True,
    )
    TopicFactory(section=retired, slug="slide-rules", title="Slide rules", is_archived=True)
    PrerequisiteFactory(
        topic=limits, prerequisite=functions, reason="a limit describes where a function heads"
    )
    PrerequisiteFactory(topic=derivatives, prerequisite=limits, reason="the derivative is defined as a limit")
    PrerequisiteFactory(topic=derivatives, prerequisite=infinitesimals)

    larson = ResourceFactory(title="Larson Calculus", author="Ron Larson", access=Resource.Access.PAID)
    stewart = ResourceFactory(title="Stewart Calculus", access=Resource.Access.PAID)
    leonard = ResourceFactory(title="Leonard lectures", kind=Resource.Kind.VIDEO_SERIES, pairs_with=larson)
    khan = ResourceFactory(
        title="Khan Academy Calculus", kind=Resource.Kind.COURSE, recommended_by="Siddhant"
    )
    TopicResourceFactory(topic=limits, resource=leonard, role=Role.PRIMARY, order=0)
    TopicResourceFactory(topic=limits, resource=larson, role=Role.PICK_ONE, order=1)
    TopicResourceFactory(topic=limits, resource=stewart, role=Role.PICK_ONE, order=2)
    TopicResourceFactory(topic=limits, resource=khan, role=Role.SUPPLEMENTAL, order=3)
    TopicResourceFactory(topic=derivatives, resource=larson, role=Role.PICK_ONE)
    TopicResourceFactory(topic=infinitesimals, resource=ResourceFactory(title="Nonstandard Analysis"))
    RoadmapResourceFactory(
        roadmap=roadmap,
        resource=ResourceFactory(title="Mathematics for Machine Learning", kind=Resource.Kind.TEXTBOOK),
    )
    return roadmap


def section_block(html: str, slug: str) -> dom.Element:
    return dom.select_one(html, f"section.section-block#section-{slug}")


def topic_item(html: str, slug: str) -> dom.Element:
    return dom.select_one(html, f"li.topic-item#topic-{slug}")


def resource_groups(element: dom.Element) -> list[tuple[str, list[tuple[str, str]]]]:
    """[(role label, [(resource title, access badge), …]), …] as rendered, in order."""
    groups = []
    for group in element.select("div.resource-group"):
        heading = group.select_one(".role-label")
        role = "".join(child for child in heading.children if isinstance(child, str))  # not "— either works"
        resources = [
            (head.select_one("a.resource-title").text, head.select_one('span.badge[class*="access-"]').text)
            for head in group.select("li.resource > .resource-head")
        ]
        groups.append((role.strip(), resources))
    return groups


def edges(section: dom.Element) -> list[tuple[str, str, str]]:
    """A topic page's "needs" or "unlocks" list: [(link, title, reason), …]."""
    return [
        (
            item.select_one("a")["href"],
            item.select_one("a").text,
            reason.text if (reason := item.first(".reason")) else "",
        )
        for item in section.select("ul.edge-list > li")
    ]


# -- The roadmap at / -----------------------------------------------------------------------------


def test_home_is_public_and_shows_sections_in_order(client, roadmap):
    response = client.get(HOME)

    assert response.status_code == 200
    html = response.content.decode()
    assert [block.id for block in dom.select(html, "section.section-block")] == [
        "section-algebra",
        "section-calculus",
    ]
    assert "Mathematics for Machine Learning" in html
    assert "Log in" in html
    # The retired section has only archived topics, so it is not a section of the roadmap.
    assert "Retired section" not in html


def test_home_shows_topic_counts_and_hours_without_archived_topics(client, roadmap):
    html = client.get(HOME).content.decode()

    stats = dom.select_one(html, "ul.stats").select("li")
    assert [item.text for item in stats] == ["2 sections", "3 topics", "~9 hours of study"]
    assert [item.select_one("strong").text for item in stats] == ["2", "3", "~9"]
    assert "1 topic · 2h" in section_block(html, "algebra").text
    calculus = section_block(html, "calculus")
    assert "2 topics · 7h" in calculus.text
    assert "Limits first." in calculus.text
    assert "4h 30m" in [hours.text for hours in calculus.select("span.hours")]
    assert "Infinitesimals" not in html
    assert "Slide rules" not in html


def test_home_lists_each_topics_prerequisites(client, roadmap):
    html = client.get(HOME).content.decode()

    for slug, needs in [
        ("derivatives", ("/topics/limits/", "Limits")),
        ("limits", ("/topics/functions/", "Functions")),
    ]:
        line = topic_item(html, slug).select_one("p.needs")
        assert line.text == f"Needs {needs[1]}"
        assert [(link["href"], link.text) for link in line.select("a")] == [needs]
    functions = topic_item(html, "functions")
    assert functions.select("p.needs") == []
    assert "Needs" not in functions.text


def test_home_groups_section_resources_by_role_with_access_badges(client, roadmap):
    html = client.get(HOME).content.decode()

    aside = section_block(html, "calculus").select_one("aside.section-resources")
    # Larson is pick-one for both topics; each resource appears once, under its strongest role.
    assert resource_groups(aside) == [
        ("Primary", [("Leonard lectures", "Free")]),
        ("Pick one of", [("Larson Calculus", "Paid"), ("Stewart Calculus", "Paid")]),
        ("Supplemental", [("Khan Academy Calculus", "Free")]),
    ]
    assert [pair.text for pair in aside.select("p.resource-pair")] == ["Pairs with Larson Calculus"]
    assert aside.select("p.resource-pair > a")
    assert "recommended by Siddhant" in aside.text
    assert "Nonstandard Analysis" not in html
    assert section_block(html, "algebra").select(".section-resources") == []


def test_home_shows_resources_for_the_whole_plan(client, roadmap):
    html = client.get(HOME).content.decode()

    plan = dom.select_one(html, "section.card.plan-resources")
    assert resource_groups(plan) == [("Primary", [("Mathematics for Machine Learning", "Free")])]


def test_home_refuses_post(client, roadmap):
    response = client.post(HOME)

    assert response.status_code == 405


def test_home_is_404_until_a_roadmap_is_imported(client, db):
    RoadmapFactory(slug="some-other-plan")

    assert client.get(HOME).status_code == 404


def test_home_shows_a_learner_their_own_status_chips(client, roadmap):
    learner, someone_else = UserFactory(), UserFactory()
    ProgressFactory(learner=learner, topic=Topic.objects.get(slug="limits"), status=Status.MASTERED)
    ProgressFactory(learner=someone_else, topic=Topic.objects.get(slug="functions"), status=Status.LEARNING)
    client.force_login(learner)

    html = client.get(HOME).content.decode()

    assert topic_item(html, "limits").select_one("span.chip.status-mastered").text == "Mastered"
    assert topic_item(html, "functions").select(".chip") == []
    assert len(dom.select(html, ".chip")) == 1
    assert "Open your dashboard" in html


def test_home_says_which_covered_topics_a_check_proves(client, roadmap):
    learner = UserFactory()
    CheckedProgressFactory(
        learner=learner, topic=Topic.objects.get(slug="limits"), mastered_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    ProgressFactory(learner=learner, topic=Topic.objects.get(slug="functions"), status=Status.SKIPPED)
    ProgressFactory(learner=learner, topic=Topic.objects.get(slug="derivatives"), status=Status.PRACTISED)
    client.force_login(learner)

    html = client.get(HOME).content.decode()

    assert topic_item(html, "limits").select_one(".evidence.is-checked").text == "✓ checked 1 Dec 2026, 3/3"
    assert topic_item(html, "functions").select_one(".evidence.is-self-reported").text == "self-reported"
    assert topic_item(html, "derivatives").select(".evidence") == []


def test_home_hides_status_chips_when_logged_out(client, roadmap):
    ProgressFactory(topic=Topic.objects.get(slug="limits"), status=Status.MASTERED)

    html = client.get(HOME).content.decode()

    assert dom.select(html, ".chip") == []


# -- Topic pages ------------------------------------------------------------------------------------


def test_topic_page_shows_what_it_needs_with_reasons(client, roadmap):
    response = client.get(topic_url("derivatives"))

    assert response.status_code == 200
    html = response.content.decode()
    assert dom.select_one(html, "h1").text == "Derivatives"
    needs = dom.select_one(html, "section.card[aria-labelledby=needs-heading]")
    assert edges(needs) == [("/topics/limits/", "Limits", "the derivative is defined as a limit")]
    # The archived prerequisite is gone from the page, though its edge is kept.
    assert "Infinitesimals" not in html
    assert Prerequisite.objects.filter(
        topic__slug="derivatives", prerequisite__slug="infinitesimals"
    ).exists()
    assert "About 4h 30m of study" in html


def test_topic_page_shows_what_it_unlocks(client, roadmap):
    html = client.get(topic_url("limits")).content.decode()

    unlocks = dom.select_one(html, "section.card[aria-labelledby=unlocks-heading]")
    assert edges(unlocks) == [("/topics/derivatives/", "Derivatives", "the derivative is defined as a limit")]
    needs = dom.select_one(html, "section.card[aria-labelledby=needs-heading]")
    assert "a limit describes where a function heads" in needs.text


def test_topic_page_says_when_it_needs_or_unlocks_nothing(client, roadmap):
    html = client.get(topic_url("functions")).content.decode()

    assert "Nothing — a good place to start." in html
    assert "Nothing else in the roadmap builds on it yet." not in html

    html = client.get(topic_url("derivatives")).content.decode()

    assert "Nothing else in the roadmap builds on it yet." in html


def test_topic_page_groups_resources_by_role(client, roadmap):
    html = client.get(topic_url("limits")).content.decode()

    resources = dom.select_one(html, "section.card[aria-labelledby=resources-heading]")
    assert [role for role, _ in resource_groups(resources)] == ["Primary", "Pick one of", "Supplemental"]
    assert resource_groups(resources)[1][1] == [("Larson Calculus", "Paid"), ("Stewart Calculus", "Paid")]
    assert "Pairs with" in resources.text
    assert "No resources linked yet." in client.get(topic_url("functions")).content.decode()


def test_topic_page_asks_a_visitor_to_log_in_to_track_it(client, roadmap):
    html = client.get(topic_url("limits")).content.decode()

    assert "to track this topic" in html
    assert "/accounts/login/?next=/topics/limits/" in html
    assert dom.select(html, ".status-control") == []


def test_topic_page_shows_a_learner_their_status(client, roadmap):
    learner = UserFactory()
    ProgressFactory(
        learner=learner, topic=Topic.objects.get(slug="limits"), status=Status.PRACTISED, note="Larson 1.2"
    )
    client.force_login(learner)

    html = client.get(topic_url("limits")).content.decode()

    assert dom.pressed(html) == ["practised"]
    assert dom.select_one(html, "input[name=note]")["value"] == "Larson 1.2"


def test_topic_page_offers_check_yourself_near_your_progress(client, roadmap):
    client.force_login(UserFactory())

    html = client.get(topic_url("limits")).content.decode()

    card = dom.by_id(html, "learner-status")
    [link] = card.select("#check-offer a")
    assert (link.text, link["href"]) == ("Check yourself", "/topics/limits/check/")
    assert card.select(".evidence") == []  # not started: nothing to prove yet
    assert dom.select(client.get(topic_url("functions")), "#check-offer a[href='/topics/functions/check/']")


def test_topic_page_says_when_and_how_well_a_topic_was_checked(client, roadmap):
    learner = UserFactory()
    CheckedProgressFactory(
        learner=learner, topic=Topic.objects.get(slug="limits"), mastered_at=datetime(2026, 12, 1, tzinfo=UTC)
    )
    ProgressFactory(learner=learner, topic=Topic.objects.get(slug="functions"), status=Status.SKIPPED)
    client.force_login(learner)

    checked = dom.by_id(client.get(topic_url("limits")), "check-offer")
    mine = dom.by_id(client.get(topic_url("functions")), "check-offer")

    assert checked.select_one(".evidence.is-checked").text == "✓ Mastered · checked 1 Dec 2026, 3/3"
    assert mine.select_one(".evidence.is-self-reported").text == "Known · self-reported"
    assert "records the topic as mastered and checked" in mine.text


def test_topic_page_card_after_a_change_keeps_the_check_offer(client, roadmap):
    learner = UserFactory()
    client.force_login(learner)

    response = client.post(
        "/topics/limits/status/", {"status": "mastered", "next": "/topics/limits/"}, HTTP_HX_REQUEST="true"
    )

    card = dom.root_element(response.content.decode())
    assert card.select_one("#check-offer .evidence").text == "Mastered · self-reported"
    assert card.select("#check-offer a[href='/topics/limits/check/']")


def test_topic_page_offers_no_check_to_a_visitor(client, roadmap):
    assert dom.select(client.get(topic_url("limits")), "#check-offer") == []


@pytest.mark.parametrize("slug", ["no-such-topic", "infinitesimals", "slide-rules"])
def test_topic_page_is_404_for_unknown_and_archived_topics(client, roadmap, slug):
    assert client.get(topic_url(slug)).status_code == 404


def test_topic_page_is_404_for_a_topic_of_another_roadmap(client, roadmap):
    TopicFactory(
        section=SectionFactory(roadmap=RoadmapFactory(slug="other", title="Other")), slug="elsewhere"
    )

    assert client.get(topic_url("elsewhere")).status_code == 404


def test_topic_page_refuses_post(client, roadmap):
    response = client.post(topic_url("limits"))

    assert response.status_code == 405


# -- Query counts: the same bound whatever the size of the roadmap ---------------------------------


# current roadmap, topics (+ section), their prerequisites (+ topic), their resource links
# (+ resource and pairing), sections with counts and hours, roadmap resources (+ pairing),
# practice tasks (+ section); and the page cache's lookup and store.
HOME_QUERIES = 7 + PAGE_CACHE_MISS
# as HOME_QUERIES, plus the session, the user (+ profile) and the learner's statuses.
HOME_QUERIES_LOGGED_IN = HOME_QUERIES + 3
# current roadmap, topic (+ section), what it needs (+ topic), what it unlocks (+ topic),
# resource links, their resources, the resources they pair with, the resources' rating summary.
TOPIC_QUERIES = 8
# as TOPIC_QUERIES, plus the session, the user, the learner's progress on the topic
# and the learner's own ratings of its resources.
TOPIC_QUERIES_LOGGED_IN = TOPIC_QUERIES + 4


def sized_roadmap(topics: int, edges: int) -> list[Topic]:
    """bulk_roadmap plus what the pages must also fetch in bulk: archived topics and plan resources."""
    rows = bulk_roadmap(topics=topics, edges=edges)
    roadmap = rows[0].roadmap
    archived = TopicFactory(section=rows[-1].section, is_archived=True)
    Prerequisite.objects.create(topic=rows[-1], prerequisite=archived)
    for _ in range(3):
        book = ResourceFactory(access=Resource.Access.PAID)
        RoadmapResourceFactory(roadmap=roadmap, resource=ResourceFactory(pairs_with=book), role=Role.PRIMARY)
    return rows


SIZES = [pytest.param(3, 2, id="3-topics"), pytest.param(200, 400, id="200-topics-400-edges")]


@pytest.mark.parametrize(("size", "edges"), SIZES)
def test_home_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    sized_roadmap(size, edges)

    with django_assert_max_num_queries(HOME_QUERIES):
        response = client.get(HOME)

    assert len(dom.select(response, "li.topic-item")) == size


@pytest.mark.parametrize(("size", "edges"), SIZES)
def test_home_query_count_for_a_learner_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    rows = sized_roadmap(size, edges)
    learner = UserFactory()
    ProfileFactory(user=learner)  # made on their first visit to any learner page
    for topic in rows[::2]:
        ProgressFactory(learner=learner, topic=topic, status=Status.MASTERED)
    client.force_login(learner)

    with django_assert_max_num_queries(HOME_QUERIES_LOGGED_IN):
        response = client.get(HOME)

    assert len(dom.select(response, ".chip.status-mastered")) == len(rows[::2])


@pytest.mark.parametrize(("size", "edges"), SIZES)
@pytest.mark.parametrize("logged_in", [False, True], ids=["visitor", "learner"])
def test_topic_page_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges, logged_in
):
    rows = sized_roadmap(size, edges)
    # The first topic is needed by many others and has a paid resource paired with a free one.
    topic = rows[0]
    if logged_in:
        learner = UserFactory()
        ProgressFactory(learner=learner, topic=topic)
        client.force_login(learner)

    with django_assert_max_num_queries(TOPIC_QUERIES_LOGGED_IN if logged_in else TOPIC_QUERIES):
        response = client.get(topic_url(topic.slug))

    assert response.status_code == 200
    assert "Pairs with" in response.content.decode()


def test_home_renders_the_real_roadmap_within_the_same_bound(
    client, seeded_roadmap, django_assert_max_num_queries
):
    # The shipped roadmap has practice tasks: two more, the topics they exercise and the
    # sections' task lists, however many there are (tests/roadmap/progress/test_practice.py).
    with django_assert_max_num_queries(HOME_QUERIES + 2):
        response = client.get(HOME)

    html = response.content.decode()
    assert (
        len(dom.select(html, "li.topic-item"))
        == Topic.objects.active().filter(roadmap=seeded_roadmap).count()
    )
    assert len(dom.select(html, "section.section-block")) == seeded_roadmap.sections.count()
    assert "Machine Learning Foundations: Perceptron to Adaline" in html
