"""The map page: the layout cache, the views, status changes from the map and their query counts."""

from datetime import UTC, datetime

import pytest
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Profile
from roadmap.curriculum.loading import load_graph
from roadmap.map import page as map_data
from roadmap.map.layout import layout_graph
from roadmap.models import Prerequisite, Progress, Roadmap, Section, Status, Topic
from tests import dom
from tests.factories import (
    CheckedProgressFactory,
    ProfileFactory,
    ProgressFactory,
    UserFactory,
    bulk_roadmap,
)
from tests.page_cache_queries import PAGE_CACHE_MISS

MAP = "/map/"
HTMX = {"HTTP_HX_REQUEST": "true"}


# -- the layout cache --------------------------------------------------------------
# Marked `cache`: .ci/run runs these again with CACHE_URL=redis://….


def current_layout(section=None):
    roadmap = Roadmap.objects.current()
    graph = load_graph(roadmap)
    sections = list(Section.objects.filter(roadmap=roadmap).order_by("order", "id"))
    return map_data.cached_layout(roadmap, graph, sections, section=section)


@pytest.mark.cache
def test_the_layout_is_computed_once_per_version_of_the_graph(calculus, monkeypatch):
    calls = []
    monkeypatch.setattr(map_data, "layout_graph", lambda *a, **k: calls.append(1) or layout_graph(*a, **k))

    first, second = current_layout(), current_layout()

    assert first == second
    assert len(calls) == 1


@pytest.mark.cache
def test_a_new_release_never_reads_a_layout_pickled_by_another(calculus, monkeypatch):
    """A layout is a pickle: another release's may name a class that no longer exists.

    The deploy that moved Layout to roadmap.map.layout met old entries in the shared
    cache and failed every map page until they expired.
    """
    from roadmap.web import page_cache

    calls = []
    monkeypatch.setattr(map_data, "layout_graph", lambda *a, **k: calls.append(1) or layout_graph(*a, **k))
    monkeypatch.setattr(page_cache, "RELEASE", "release-one")
    current_layout()
    monkeypatch.setattr(page_cache, "RELEASE", "release-two")
    current_layout()

    assert len(calls) == 2


@pytest.mark.cache
def test_adding_a_prerequisite_in_the_admin_gives_a_new_layout(calculus, admin_client):
    before = current_layout()

    url = reverse("admin:roadmap_prerequisite_add")
    form = admin_client.get(url).content.decode()
    defaults = {
        field["name"]: field["value"]
        for field in dom.select(form, "input[name][value]")
        if field.get("type") in {"text", "number"}
    }

    response = admin_client.post(
        url,
        defaults
        | {"topic": calculus["gradient"].pk, "prerequisite": calculus["functions"].pk, "reason": "f(x, y)"},
    )

    assert response.status_code == 302
    after = current_layout()
    assert len(after.edges) == len(before.edges) + 1
    assert (calculus["gradient"].pk, calculus["functions"].pk) in {
        (e.topic_id, e.prerequisite_id) for e in after.edges
    }


@pytest.mark.cache
def test_renaming_moving_or_archiving_a_topic_gives_a_new_layout(calculus):
    before = current_layout()
    limits = calculus["limits"]

    limits.title = "Limits and continuity"
    limits.save()
    renamed = current_layout()
    gradient = calculus["gradient"]
    gradient.is_archived = True
    gradient.save()
    archived = current_layout()

    assert [b.title for b in renamed.nodes if b.id == limits.pk] == ["Limits and continuity"]
    assert renamed != before
    assert calculus["gradient"].pk not in {b.id for b in archived.nodes}


@pytest.mark.cache
def test_deleting_an_edge_gives_a_new_layout(calculus):
    before = current_layout()

    Prerequisite.objects.filter(topic=calculus["gradient"]).delete()

    after = current_layout()
    assert len(after.edges) == len(before.edges) - 1


@pytest.mark.cache
def test_reordering_sections_recolours_the_map(calculus):
    before = {b.slug: b.colour for b in current_layout().nodes}

    algebra = Section.objects.get(slug="algebra")
    algebra.order = Section.objects.get(slug="calculus").order + 1
    algebra.save()

    after = {b.slug: b.colour for b in current_layout().nodes}
    assert before["limits"] != after["limits"]


# -- the page ------------------------------------------------------------------------


def node_tags(html: str) -> dict[str, dom.Element]:
    """Each map node's <a> element, by topic slug."""
    return {node.id.removeprefix("map-node-"): node for node in dom.select(html, 'a[id^="map-node-"]')}


def label(node: dom.Element) -> str:
    """What a screen reader says for the node."""
    return node["aria-label"]


def svg(html: str) -> str:
    """The map's drawing, rebuilt from the parsed page."""
    return dom.by_id(html, "map-svg").markup()


def panel_title(html: str) -> str:
    """The topic panel's heading, which takes the focus when the panel opens."""
    title = dom.by_id(html, "map-panel-title")
    assert title.matches('h2[tabindex="-1"]'), title
    return title.text


def test_the_map_draws_every_topic_as_a_link_to_its_page_for_anyone(client, calculus):
    response = client.get(MAP)

    html = response.content.decode()
    assert response.status_code == 200
    nodes = node_tags(html)
    assert set(nodes) == set(calculus)
    tag = nodes["limits"]
    assert tag["href"] == "/topics/limits/"
    assert tag["hx-get"] == "/map/topic/limits/" and tag["hx-target"] == "#map-panel"
    assert label(tag) == "Limits"  # nobody logged in: no status
    assert len(dom.select(html, "path.map-edge")) == 4
    # The list views stay the text alternative, linked from the map.
    assert [link.text for link in dom.select(html, 'a[href="/"]')].count("a list") == 1
    [here] = [link for link in dom.select(html, 'a[aria-current="page"]') if link.text == "Map"]
    assert here["href"] == "/map/"


def test_the_map_shows_the_learners_statuses_gaps_and_way_to_the_goal(learner_client, calculus):
    html = learner_client.get(MAP).content.decode()

    nodes = node_tags(html)
    assert label(nodes["exponents"]) == "Exponents — mastered"  # covered: behind, not on the way
    assert label(nodes["derivatives"]) == "Derivatives — learning, on the way to your goal"
    assert label(nodes["limits"]) == "Limits — not started, gap, on the way to your goal"
    assert label(nodes["functions"]) == "Functions — not started, gap, on the way to your goal"
    assert label(nodes["gradient"]) == "Gradient — not started, your goal"
    assert "is-gap" in nodes["limits"].classes and "status-learning" in nodes["derivatives"].classes
    # functions → limits → derivatives → gradient, drawn over the four edges; not exponents → functions.
    assert len(dom.select(html, "#map-path .map-edge.on-path")) == 3
    assert len(dom.select(html, ".map-edges .map-edge")) == 4
    assert dom.select(html, ".map-edges .on-path") == []
    summary = dom.by_id(html, "map-summary")
    assert summary.matches("p.map-summary")
    assert summary.text == "1/5 covered · 2 gaps · goal Gradient: 4 to go"


def test_the_map_never_shows_another_learners_progress(client, learner, calculus):
    other = UserFactory()
    client.force_login(other)

    html = client.get(MAP).content.decode()

    assert all(" — not started" in label(tag) for tag in node_tags(html).values())
    assert "is-gap" not in html and "on-path" not in html


def test_the_map_page_only_answers_get(client, calculus):
    assert client.post(MAP).status_code == 405
    assert client.post("/map/topic/limits/").status_code == 405


def test_a_section_map_shows_its_topics_and_fades_prerequisites_from_other_sections(client, calculus):
    html = client.get(MAP, {"section": "calculus"}).content.decode()

    nodes = node_tags(html)
    assert set(nodes) == {"functions", "limits", "derivatives", "gradient"}
    assert "is-context" in nodes["functions"].classes
    assert label(nodes["functions"]) == "Functions — from another section"
    assert "is-context" not in nodes["limits"].classes
    assert nodes["limits"]["hx-get"] == "/map/topic/limits/?section=calculus"
    assert dom.select_one(html, 'option[value="calculus"]').has("selected")


def test_an_unknown_section_is_not_found(client, calculus):
    assert client.get(MAP, {"section": "astrology"}).status_code == 404


def test_the_svg_needs_no_inline_style_or_script(client, calculus):
    html = client.get(MAP).content.decode()

    assert " style=" not in html
    assert dom.select(html, "[style], style") == []
    scripts = dom.select(html, "script")
    assert scripts and all(script.get("src") and not script.raw_text.strip() for script in scripts)


def test_a_node_opens_the_topic_panel_with_htmx(learner_client, calculus):
    response = learner_client.get("/map/topic/limits/", **HTMX)

    html = response.content.decode()
    assert response.status_code == 200
    assert dom.root_element(html).matches("aside#map-panel")
    assert "<html" not in html
    assert panel_title(html) == "Limits"
    assert dom.select(html, '[hx-get="/map/topic/functions/"]')  # needs
    assert dom.select(html, '[hx-get="/map/topic/derivatives/"]')  # unlocks
    assert "limits builds on functions" in html.lower()
    assert dom.select(html, '[aria-label="Status of Limits"]')
    assert dom.select(html, '[name=next][value="/map/topic/limits/"]')
    assert dom.select(html, '[hx-target="#map-panel"]')


def test_the_panel_says_whether_a_covered_topic_was_checked_and_offers_a_check(
    learner_client, learner, calculus
):
    CheckedProgressFactory(
        learner=learner, topic=calculus["limits"], mastered_at=datetime(2026, 12, 1, tzinfo=UTC)
    )

    checked = dom.root_element(learner_client.get("/map/topic/limits/", **HTMX).content.decode())
    mine = dom.root_element(learner_client.get("/map/topic/exponents/", **HTMX).content.decode())
    learning = dom.root_element(learner_client.get("/map/topic/derivatives/", **HTMX).content.decode())

    assert checked.select_one(".evidence").text == "✓ Mastered · checked 1 Dec 2026, 3/3"
    assert mine.select_one(".evidence").text == "Mastered · self-reported"
    assert learning.select(".evidence") == []
    for panel, slug in [(checked, "limits"), (mine, "exponents"), (learning, "derivatives")]:
        [link] = panel.select(".map-panel-evidence a")
        assert (link.text, link["href"]) == ("Check yourself", f"/topics/{slug}/check/")


def test_without_htmx_the_panel_url_is_the_map_with_that_panel_open(client, calculus):
    response = client.get("/map/topic/limits/", {"section": "calculus"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and dom.by_id(html, "map-svg").tag == "svg"
    assert panel_title(html) == "Limits"
    assert "is-selected" in node_tags(html)["limits"].classes
    [invite] = [p for p in dom.select(html, "#map-panel p") if "to track this topic" in p.text]
    assert invite.text == "Log in to track this topic."
    assert [link.text for link in invite.select("a")] == ["Log in"]


def test_an_unknown_or_archived_topic_has_no_panel(client, calculus):
    Topic.objects.filter(slug="gradient").update(is_archived=True)

    assert client.get("/map/topic/nope/", **HTMX).status_code == 404
    assert client.get("/map/topic/gradient/", **HTMX).status_code == 404


# -- changing a status from the map ------------------------------------------------


def test_a_status_change_from_the_map_swaps_the_panel_and_the_boxes_it_changed(
    learner_client, learner, calculus
):
    response = learner_client.post(
        "/map/topic/limits/status/", {"status": "mastered", "next": "/map/topic/limits/"}, **HTMX
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert Progress.objects.get(learner=learner, topic=calculus["limits"]).status == Status.MASTERED
    assert dom.root_element(html).matches("aside#map-panel")
    assert dom.pressed(html) == ["mastered"]
    # Limits itself, and nothing else: functions stays a gap (derivatives is still started).
    # Limits is on the way to the goal, so the way is drawn again: without it now.
    assert dom.oob_ids(html) == {"map-node-limits", "map-path", "map-summary", "flash"}
    assert label(node_tags(html)["limits"]) == "Limits — mastered"
    assert "on-path" not in node_tags(html)["limits"].classes
    [path] = dom.select(html, "svg.map-oob > g#map-path")
    assert len(path.select(".map-edge.on-path")) == 1  # derivatives → gradient; functions → limits is behind
    assert "Limits: mastered." in html


def test_a_topic_that_is_no_longer_covered_goes_back_on_the_way(learner_client, calculus):
    html = learner_client.post(
        "/map/topic/exponents/status/", {"status": "learning", "next": "/map/topic/exponents/"}, **HTMX
    ).content.decode()

    assert "on-path" in node_tags(html)["exponents"].classes
    [path] = dom.select(html, "svg.map-oob > g#map-path")
    assert len(path.select(".map-edge.on-path")) == 4  # exponents → functions too


def test_a_status_change_off_the_way_to_the_goal_leaves_the_path_alone(learner_client, learner, calculus):
    Profile.objects.filter(user=learner).update(goal=calculus["limits"])

    html = learner_client.post(
        "/map/topic/gradient/status/", {"status": "learning", "next": "/map/topic/gradient/"}, **HTMX
    ).content.decode()

    assert "map-path" not in dom.oob_ids(html)
    assert "map-node-gradient" in dom.oob_ids(html)


def test_starting_a_topic_on_the_map_swaps_in_the_gaps_it_opens(learner_client, learner, calculus):
    Progress.objects.filter(learner=learner, topic=calculus["derivatives"]).delete()

    response = learner_client.post(
        "/map/topic/gradient/status/", {"status": "learning", "next": "/map/topic/gradient/"}, **HTMX
    )

    html = response.content.decode()
    nodes = node_tags(html)
    assert set(nodes) == {"gradient", "derivatives", "limits", "functions"}  # exponents is mastered
    assert all("is-gap" in nodes[slug].classes for slug in ("derivatives", "limits", "functions"))
    assert all(tag.get("hx-swap-oob") == "true" for tag in nodes.values())


def test_a_status_change_on_a_section_map_only_swaps_boxes_on_that_map(learner_client, learner, calculus):
    Progress.objects.filter(learner=learner, topic=calculus["derivatives"]).delete()

    html = learner_client.post(
        "/map/topic/gradient/status/?section=calculus",
        {"status": "learning", "next": "/map/topic/gradient/?section=calculus"},
        **HTMX,
    ).content.decode()

    assert set(node_tags(html)) == {"gradient", "derivatives", "limits", "functions"}
    assert "exponents" not in html
    assert dom.select(html, '[hx-get="/map/topic/limits/?section=calculus"]')
    assert dom.select(html, '[name=next][value="/map/topic/gradient/?section=calculus"]')


def test_a_status_change_from_the_map_without_javascript_goes_back_to_the_map(
    learner_client, learner, calculus
):
    response = learner_client.post(
        "/map/topic/limits/status/?section=calculus",
        {"status": "practised", "next": "/map/topic/limits/?section=calculus"},
    )

    assert response.status_code == 302
    assert response.url == "/map/topic/limits/?section=calculus#map-node-limits"
    assert Progress.objects.get(learner=learner, topic=calculus["limits"]).status == Status.PRACTISED


def test_a_bad_status_from_the_map_shows_the_error_and_changes_nothing(learner_client, learner, calculus):
    response = learner_client.post(
        "/map/topic/limits/status/", {"status": "bored", "next": "/map/topic/limits/"}, **HTMX
    )

    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#flash"
    assert "is not a status" in response.content.decode()
    assert not Progress.objects.filter(learner=learner, topic=calculus["limits"]).exists()


def test_changing_a_status_from_the_map_needs_a_login(client, calculus):
    response = client.post("/map/topic/limits/status/", {"status": "mastered", "next": "/map/"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Progress.objects.exists()


def test_over_htmx_a_status_change_without_a_login_says_so_in_the_flash(client, calculus):
    response = client.post(
        "/map/topic/limits/status/",
        {"status": "mastered", "next": "/map/"},
        HTTP_HX_CURRENT_URL="http://testserver/map/?section=calculus",
        **HTMX,
    )

    # Not the login page swapped into the panel (htmx follows the redirect).
    assert response.status_code == 403
    assert response["HX-Retarget"] == "#flash"
    assert "<html" not in response.content.decode()
    assert "You're logged out" in dom.text(response)
    link = dom.select_one(response, "a")
    assert link.attrs["href"] == "/accounts/login/?next=%2Fmap%2F%3Fsection%3Dcalculus"
    assert not Progress.objects.exists()


# -- query counts ----------------------------------------------------------------------

# current roadmap (plus its graph token, topics, edges and sections when this process has
# not loaded that version of the graph yet), sections, the cached layout (on a miss, storing it
# too: count, savepoint, existing key, insert, release), then the learner: session,
# user, their progress rows, their profile (+ goal); and the page cache's lookup and store.
MAP_QUERIES = 16 + PAGE_CACHE_MISS


@pytest.mark.parametrize(("size", "edges"), [(113, 274), (1000, 3000)])
def test_map_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    topics = bulk_roadmap(topics=size, edges=edges)
    learner = UserFactory()
    for topic in topics[size // 2 : size // 2 + 5]:
        ProgressFactory(learner=learner, topic=topic, status=Status.LEARNING)
    ProfileFactory(user=learner, goal=topics[-1])
    client.force_login(learner)
    cache.clear()

    with django_assert_max_num_queries(MAP_QUERIES):
        cold = client.get(MAP)
    # A second visit is served from the page cache: session, user, roadmap, page.
    with django_assert_max_num_queries(4):
        warm = client.get(MAP)

    html = cold.content.decode()
    assert svg(html) == svg(warm.content.decode())
    assert len(node_tags(html)) == size
    assert "is-gap" in html and "on-path" in html


@pytest.mark.parametrize(("size", "edges"), [(113, 274), (1000, 3000)])
def test_status_change_from_the_map_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    topics = bulk_roadmap(topics=size, edges=edges)
    learner = UserFactory()
    ProfileFactory(user=learner, goal=topics[-1])
    client.force_login(learner)
    client.get(MAP)  # the layout is cached
    changed = topics[size // 2]

    # session, user, current roadmap, the topic; set_status: savepoint, the lock (which
    # also replaces the state token), select for update, insert, release; the map:
    # (graph token, topics, edges and sections if not loaded yet), sections, cached layout,
    # progress, goal; the panel: topic (+ section), its prerequisites, its unlocks, the
    # learner's status on it.
    with django_assert_max_num_queries(16):
        response = client.post(
            f"/map/topic/{changed.slug}/status/", {"status": "learning", "next": "/map/"}, **HTMX
        )

    assert response.status_code == 200
    assert f"map-node-{changed.slug}" in dom.oob_ids(response)


def test_the_shipped_map_keeps_the_same_query_count(client, seeded_roadmap, django_assert_max_num_queries):
    cache.clear()

    # Nobody logged in: no session, user, progress or goal.
    with django_assert_max_num_queries(MAP_QUERIES - 4):
        response = client.get(MAP)

    assert response.status_code == 200
    assert len(node_tags(response.content.decode())) == 113
