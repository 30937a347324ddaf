"""Random graphs and status changes against dashboard.panels_changed_by.

After a status change the dashboard sends only the panels the change can have
altered. Leaving one out would show a stale panel until the next reload, so
this compares what every panel would list before and after the change, computed
from scratch, and demands that any panel whose content moved is sent.
"""

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap.models import Status
from roadmap.progress import analysis as gaps
from roadmap.progress.dashboard import PANELS, panels_changed_by
from roadmap.progress.status import StatusChange
from tests.property.test_graph_properties import STATUS_OR_NONE, roadmaps_with_statuses

MASTERED = Status.MASTERED.value


def panel_contents(graph: gaps.RoadmapGraph, statuses: dict, goal_id: int | None, *, not_due=()) -> dict:
    """What each panel lists, with the status each item shows.

    Dates are left out by assuming the worst: every topic at "learning" is stale
    and every mastered topic is due (so fading), except one mastered just now,
    whose first review is days away.
    """
    mastered = sorted(pk for pk, status in statuses.items() if status == MASTERED and pk not in not_due)
    plan = gaps.plan_to(graph, statuses, goal_id) if goal_id else None
    return {
        "gaps": (
            [
                (
                    gap.topic.id,
                    statuses.get(gap.topic.id),
                    [t.id for t in gap.decode(gap.mask, len(graph.topics))],
                )
                for gap in gaps.find_gaps(graph, statuses)
            ],
            sorted(pk for pk, status in statuses.items() if status == Status.LEARNING.value),
            mastered,
        ),
        "next-up": [(topic.id, statuses.get(topic.id)) for topic in gaps.next_up(graph, statuses)],
        "reviews": mastered,
        "plan-body": plan and ([(t.id, statuses.get(t.id)) for t in plan.steps], plan.covered, plan.total),
    }


# More examples than the default: some rules only matter for rarer transitions
# (skipping a topic that is a gap, say).
@settings(max_examples=400)
@given(roadmaps_with_statuses(), st.data())
def test_every_panel_a_status_change_alters_is_sent(case, data):
    graph, before = case
    if not graph.topics:
        return
    topic_id = data.draw(st.sampled_from(list(graph.topics)))
    status = data.draw(st.sampled_from(STATUS_OR_NONE))
    goal_id = data.draw(st.none() | st.sampled_from(list(graph.topics)))
    after = {pk: s for pk, s in before.items() if pk != topic_id} | ({topic_id: status} if status else {})
    change = StatusChange(
        topic=SimpleNamespace(pk=topic_id),
        progress=SimpleNamespace(status=status) if status else None,
        previous=before.get(topic_id),
    )

    sent = panels_changed_by(graph, after, goal_id, change)

    just_mastered = {topic_id} if status == MASTERED and before.get(topic_id) != MASTERED else set()
    old = panel_contents(graph, before, goal_id)
    new = panel_contents(graph, after, goal_id, not_due=just_mastered)
    assert sent <= PANELS
    for panel in PANELS:
        if old[panel] != new[panel]:
            assert panel in sent, f"{panel} changed but was not sent"
