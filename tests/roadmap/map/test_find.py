"""Finding a topic on the map: what a typed text names, and the map's ?find= answer to it."""

from decimal import Decimal

import pytest
from django.core.cache import cache

from roadmap.curriculum.graph import TopicNode
from roadmap.map.find import Search, find_topics
from tests import dom
from tests.factories import PrerequisiteFactory, SectionFactory, TopicFactory, UserFactory

# -- what a text names ---------------------------------------------------------------

TITLES = [
    "Eigenvalues and eigenvectors",
    "Eigendecomposition and diagonalisation",
    "Cauchy–Schwarz inequality",
    "Gradient",
    "Gradient descent",
    "Stochastic gradient descent and momentum",
    "Bayes' theorem",
    "Probabilistic PCA",
]


def topics() -> list[TopicNode]:
    return [
        TopicNode(id=pk, slug=f"topic-{pk}", title=title, section_id=1, hours=Decimal(1), position=pk)
        for pk, title in enumerate(TITLES)
    ]


def titles(text: str) -> list[str]:
    return [topic.title for topic in find_topics(topics(), text)]


def test_a_title_picked_from_the_suggestions_names_that_topic_alone():
    # "Gradient" is in three titles, but it is one of them whole.
    assert titles("Gradient") == ["Gradient"]
    assert titles("  gradient DESCENT ") == ["Gradient descent"]


def test_a_slug_names_its_topic():
    assert titles("topic-6") == ["Bayes' theorem"]


def test_the_start_of_a_word_finds_every_title_with_it_in_roadmap_order():
    assert titles("eigen") == ["Eigenvalues and eigenvectors", "Eigendecomposition and diagonalisation"]
    assert titles("desc grad") == ["Gradient descent", "Stochastic gradient descent and momentum"]


def test_case_accents_and_punctuation_do_not_matter():
    assert titles("cauchy schwarz") == ["Cauchy–Schwarz inequality"]
    assert titles("CAUCHY-SCHWÁRZ") == ["Cauchy–Schwarz inequality"]
    assert titles("bayes theorem") == ["Bayes' theorem"]


def test_four_letters_or_more_may_come_from_inside_a_word_but_fewer_may_not():
    assert titles("values") == ["Eigenvalues and eigenvectors"]
    assert titles("ian") == []  # in "gradient"? no: inside words, "ian" would be noise
    assert titles("pca") == ["Probabilistic PCA"]


def test_nothing_typed_or_nothing_like_a_title_finds_nothing():
    assert titles("") == []
    assert titles(" ,;– ") == []
    assert titles("astrology") == []


def test_a_search_lists_a_few_matches_and_counts_the_rest():
    many = [topic for topic in topics() for _ in range(2)]

    search = Search("e", many)

    assert len(search.listed) == Search.SHOWN and search.more == len(many) - Search.SHOWN
    assert Search("eigen", many[:2]).more == 0


# -- the map's answer ----------------------------------------------------------------

MAP = "/map/"


@pytest.fixture
def gradients(db):
    """Algebra: functions; calculus: limits (needs functions), gradient, gradient descent."""
    algebra = SectionFactory(slug="algebra", title="Algebra")
    calculus = SectionFactory(slug="calculus", title="Calculus")
    functions = TopicFactory(section=algebra, slug="functions", title="Functions")
    limits = TopicFactory(section=calculus, slug="limits", title="Limits")
    gradient = TopicFactory(section=calculus, slug="gradient", title="Gradient")
    descent = TopicFactory(section=calculus, slug="gradient-descent", title="Gradient descent")
    PrerequisiteFactory(topic=limits, prerequisite=functions)
    PrerequisiteFactory(topic=descent, prerequisite=gradient)
    cache.clear()
    return descent


def test_finding_a_topic_opens_the_map_on_it_with_its_panel(client, gradients):
    response = client.get(MAP, {"find": "gradient descent"})

    # The fragment scrolls the map to the box where no JavaScript centres it.
    assert response.status_code == 302
    assert response.url == "/map/topic/gradient-descent/#map-node-gradient-descent"
    html = client.get(response.url).content.decode()
    assert dom.by_id(html, "map-panel-title").text == "Gradient descent"
    assert "is-selected" in dom.map_node(html, "gradient-descent").classes


def test_finding_a_topic_stays_on_the_section_that_draws_it(client, gradients):
    on_it = client.get(MAP, {"find": "Limits", "section": "calculus"})
    faded_on_it = client.get(MAP, {"find": "Functions", "section": "calculus"})  # limits needs it
    elsewhere = client.get(MAP, {"find": "Gradient", "section": "algebra"})

    assert on_it.url == "/map/topic/limits/?section=calculus#map-node-limits"
    assert faded_on_it.url == "/map/topic/functions/?section=calculus#map-node-functions"
    assert elsewhere.url == "/map/topic/gradient/#map-node-gradient"


def test_several_matches_are_listed_with_the_text_kept(client, gradients):
    response = client.get(MAP, {"find": "grad", "section": "calculus"})

    html = response.content.decode()
    assert response.status_code == 200
    message = dom.by_id(html, "map-find-message")
    assert message.select_one("p").text == "“grad” matches 2 topics:"
    links = message.select("a")
    assert [link.text for link in links] == ["Gradient", "Gradient descent"]
    assert links[0]["href"] == "/map/?find=gradient&section=calculus"
    box = dom.by_id(html, "map-find")
    assert box["value"] == "grad" and box["aria-describedby"] == "map-find-message"
    assert not box.has("aria-invalid")
    # The map is still there, on its section.
    assert dom.select_one(html, "input[type=hidden][name=section]")["value"] == "calculus"
    assert dom.map_node(html, "limits")


def test_text_that_matches_nothing_says_so_and_keeps_the_text(client, gradients):
    response = client.get(MAP, {"find": "<b>astrology</b>"})

    html = response.content.decode()
    assert response.status_code == 200
    message = dom.by_id(html, "map-find-message")
    assert message.text.startswith("No topic matches “<b>astrology</b>”.")
    assert message.select("b") == []  # escaped, not markup
    box = dom.by_id(html, "map-find")
    assert box["value"] == "<b>astrology</b>"
    assert box["aria-invalid"] == "true" and box.has("autofocus")


def test_every_topic_is_a_suggestion_and_the_form_works_without_javascript(client, gradients):
    html = client.get(MAP).content.decode()

    form = dom.select_one(html, "form.map-find")
    assert form["method"] == "get" and form["action"] == "/map/" and form["role"] == "search"
    box = form.select_one("input#map-find")
    assert box["name"] == "find" and box["list"] == "map-find-topics"
    assert dom.select_one(html, 'label[for="map-find"]').text == "Find"
    options = form.select("datalist#map-find-topics option")
    assert [(o["value"], o["data-slug"]) for o in options] == [
        ("Functions", "functions"),
        ("Limits", "limits"),
        ("Gradient", "gradient"),
        ("Gradient descent", "gradient-descent"),
    ]
    assert dom.select(html, "#map-find-message") == []


def test_an_empty_find_is_the_plain_map(client, gradients):
    response = client.get(MAP, {"find": "   "})

    assert response.status_code == 200
    assert dom.select(response.content.decode(), "#map-find-message") == []


def test_finding_on_an_unknown_section_is_not_found_unless_it_finds_one_topic(client, gradients):
    assert client.get(MAP, {"find": "zzz", "section": "astrology"}).status_code == 404
    assert (
        client.get(MAP, {"find": "Limits", "section": "astrology"}).url
        == "/map/topic/limits/#map-node-limits"
    )


def test_finding_costs_no_more_queries_than_the_map(client, gradients, django_assert_max_num_queries):
    client.force_login(UserFactory())
    client.get(MAP)  # this process has the graph

    # The current roadmap, and nothing else: this process keeps the graph, with its
    # sections, and the redirect never looks at who is asking.
    with django_assert_max_num_queries(1):
        assert client.get(MAP, {"find": "Limits"}).status_code == 302
    # Then the map as it is drawn, past the page cache (the answer names what was typed):
    # the roadmap, the cached layout, session, user, their progress rows, their goal.
    with django_assert_max_num_queries(6):
        assert client.get(MAP, {"find": "zzz"}).status_code == 200


def test_finding_only_answers_get(client, gradients):
    assert client.post(MAP, {"find": "Limits"}).status_code == 405
