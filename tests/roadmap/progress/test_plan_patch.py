"""A status change on the way to the goal patches the plan's shown steps in place.

progress/panel_changes.step_changes says how the steps moved, progress/plan.py
turns that into steps to delete, re-state and insert, and the status-changed
answer carries them as out-of-band swaps. test_panel_changes.py applies such
patches after random changes and compares them with a fresh rendering; here
are the cases by name, and when the whole plan is sent instead.
"""

from decimal import Decimal

import pytest

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.progress import analysis, panel_changes
from tests import dom, oob
from tests.factories import PrerequisiteFactory, ProfileFactory, TopicFactory

PROGRESS = "/progress/"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def chain(topics, learner):
    """limits → derivatives → step-0 → … → step-17, the goal: 20 steps, of which the plan shows 15."""
    slugs = ["limits", "derivatives"]
    previous = topics["derivatives"]
    for i in range(18):
        topic = TopicFactory(section=previous.section, slug=f"step-{i}", title=f"Step {i}")
        PrerequisiteFactory(topic=topic, prerequisite=previous)
        slugs.append(topic.slug)
        previous = topic
    ProfileFactory(user=learner, goal=previous)
    return slugs


def post(client, slug: str, status: str, page=None, **extra) -> str:
    """A status change from the dashboard as it stands (or from `page`, parsed), as its controls send it."""
    page = page if page is not None else dom.parse(client.get("/dashboard/"))
    state = page.select_one("#overall input[name=page_state]")["value"]
    data = {"topic": slug, "status": status, "next": "/dashboard/", "page_state": state, **extra}
    response = client.post(PROGRESS, data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def shown_steps(client) -> list[str]:
    page = client.get("/dashboard/")
    return [li.id.removeprefix("plan-step-") for li in dom.select(page, "#plan-steps > li")]


def patched(client, slug: str, status: str, **extra) -> list[str]:
    """The dashboard's plan steps, with the answer to a status change applied as htmx would."""
    page = dom.parse(client.get("/dashboard/"))
    oob.apply(page, post(client, slug, status, page=page, **extra))
    return [li.id.removeprefix("plan-step-") for li in page.select("#plan-steps > li")]


def test_covering_a_shown_step_drops_it_and_brings_in_the_next_in_line(learner_client, chain):
    html = post(learner_client, "limits", "mastered")

    assert dom.select_one(html, "#plan-step-limits")["hx-swap-oob"] == "delete"
    inserted = dom.select_one(html, "[hx-swap-oob='afterend:#plan-step-step-12']")
    assert [li.id for li in inserted.elements] == ["plan-step-step-13"]
    assert "plan-body" not in dom.oob_ids(html)
    assert "19</strong> topics to go" in html  # and the summary moved with it


def test_the_patch_turns_the_page_into_the_new_plan(learner_client, chain):
    before = shown_steps(learner_client)
    assert before == chain[:15]

    assert patched(learner_client, "step-3", "mastered") == shown_steps(learner_client)
    assert shown_steps(learner_client) == [s for s in chain if s != "step-3"][:15]
    # Uncovered again, it goes back to its place, and the last shown step leaves.
    assert patched(learner_client, "step-3", "not_started") == chain[:15] == shown_steps(learner_client)
    assert patched(learner_client, "limits", "skipped") == chain[1:16] == shown_steps(learner_client)
    assert patched(learner_client, "limits", "not_started") == chain[:15]


def test_starting_a_shown_step_sends_only_its_head(learner_client, chain):
    html = post(learner_client, "step-2", "learning")

    head = dom.select_one(html, "#plan-head-step-2")
    assert head["hx-swap-oob"] == "true"
    assert "Learning" in head.text
    assert not dom.select(html, "#plan-steps, [id^=plan-step-step], #plan-summary")


def test_a_plan_shown_whole_stays_whole(learner_client, chain):
    everything = learner_client.get("/dashboard/?all=1", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="plan-body")
    assert dom.select_one(everything, "#plan-more input[name=plan_all]")["value"] == "1"

    html = post(learner_client, "limits", "mastered", plan_all="1")

    assert dom.select_one(html, "#plan-step-limits")["hx-swap-oob"] == "delete"
    assert not dom.select(html, "[hx-swap-oob^=afterend]")  # every other step is on the page already
    assert dom.select_one(html, "#plan-more input[name=plan_all]")["value"] == "1"
    assert "more step" not in html


def test_the_status_controls_send_the_pages_context(learner_client, chain):
    page = learner_client.get("/dashboard/")
    forms = dom.select(page, "form[hx-post='/progress/']")
    assert forms
    assert {form["hx-include"] for form in forms} == {".status-context"}


# -- step_changes, on plain data ----------------------------------------------


def graph(*topics: tuple[str, int], needs: dict[str, list[str]]) -> tuple[RoadmapGraph, dict[str, int]]:
    ids = {slug: i for i, (slug, _) in enumerate(topics, start=1)}
    nodes = [TopicNode(ids[slug], slug, slug, 1, Decimal(1), position) for slug, position in topics]
    edges = [(ids[topic], ids[need]) for topic, wanted in needs.items() for need in wanted]
    return RoadmapGraph.build(nodes, edges), ids


def sides(g: RoadmapGraph, goal: int, before: dict[int, str], after: dict[int, str]):
    def lists(statuses):
        plan = analysis.plan_to(g, statuses, goal)
        return panel_changes.PanelLists([], [], [], [], [], plan, complete=False), statuses

    return lists(before), lists(after)


def first(values: list, limit: int | None) -> list:
    return values if limit is None else values[:limit]


def test_steps_kept_in_a_new_order_need_the_whole_list():
    # x needs y; z is free. Study order puts z, then y, then x; with y covered,
    # x (earlier in the roadmap) comes before z: the same steps, reordered.
    g, ids = graph(("x", 0), ("z", 1), ("y", 3), ("goal", 4), needs={"x": ["y"], "goal": ["x", "z"]})
    before, after = sides(g, ids["goal"], {}, {ids["y"]: "mastered"})
    assert [t.slug for t in before[0].plan.steps] == ["z", "y", "x", "goal"]
    assert [t.slug for t in after[0].plan.steps] == ["x", "z", "goal"]

    assert panel_changes.step_changes(before, after, shown=first, limit=15) is None


def test_a_goal_reached_or_no_plan_needs_the_whole_panel():
    g, ids = graph(("a", 0), ("goal", 1), needs={"goal": ["a"]})
    covered = {ids["a"]: "mastered", ids["goal"]: "mastered"}
    assert (
        panel_changes.step_changes(
            *sides(g, ids["goal"], {ids["a"]: "mastered"}, covered), shown=first, limit=15
        )
        is None
    )
    nothing = panel_changes.PanelLists([], [], [], [], [], None, complete=False), {}
    assert panel_changes.step_changes(nothing, nothing, shown=first, limit=15) is None


def test_step_changes_in_order():
    g, ids = graph(("a", 0), ("b", 1), ("c", 2), ("goal", 3), needs={"goal": ["a", "b", "c"]})
    changes = panel_changes.step_changes(
        *sides(
            g,
            ids["goal"],
            {ids["b"]: "mastered"},
            {ids["a"]: "mastered", ids["b"]: "mastered", ids["c"]: "learning"},
        ),
        shown=first,
        limit=2,
    )
    # Shown before: a, c. After: c, goal.
    assert changes == panel_changes.StepChanges(
        removed=(ids["a"],), restated=(ids["c"],), added=((ids["goal"], ids["c"]),)
    )


def test_one_step_past_the_cap_reads_in_the_singular(learner_client, chain):
    for slug in chain[:4]:
        post(learner_client, slug, "mastered")  # 16 steps left, 15 shown

    link = dom.select_one(learner_client.get("/dashboard/"), "#plan-more a")
    assert link.text == "Show 1 more step"
