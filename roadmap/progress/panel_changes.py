"""Which dashboard panels a status change altered, as the learner sees them.

dashboard.panels_changed_by says which panels a change *can* alter, from the
rules of what each lists. On a big roadmap nearly every change can alter the
gaps, Next up and the plan, yet few alter what they show: the first few rows
and a count. Rendering them costs more than the rest of the request, the
plan's resources most of all, so the dashboard computes each candidate panel
as it was before the change too (cheap: plain data) and sends only the panels
whose visible content moved.

A panel's signature is everything its template shows, taken from plain data,
so two equal signatures render the same HTML. tests/roadmap/progress/
test_panel_changes.py renders every panel before and after random changes and
holds any panel left out to an identical rendering.

Imports nothing from the models, so it stays plain data.
"""

from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.progress import analysis as gaps


@dataclass(frozen=True)
class PanelLists:
    """What the panels list, before capping: computed only for the panels asked for."""

    found_gaps: list[gaps.Gap]
    stale: list[TopicNode]
    fading: list[tuple[int, str, bool]]  # (topic id, reason, failing), in the order shown
    due_ids: list[int]
    next_up: list[TopicNode]
    plan: gaps.Plan | None
    complete: bool  # every topic covered: Next up then says so instead of listing


Shown = Callable[[list, int], list]


def signature(
    panel: str,
    lists: PanelLists,
    statuses: Mapping[int, str],
    *,
    shown: Shown,
    limits: Mapping[str, int],
) -> Hashable:
    """What `panel` shows, as plain data: equal signatures render the same."""
    status = statuses.get
    if panel == "gaps":
        return (
            len(lists.found_gaps),
            tuple(
                (gap.topic.id, status(gap.topic.id), tuple(t.id for t in gap.blocks), gap.blocks_count)
                for gap in shown(lists.found_gaps, limits["gaps"])
            ),
            tuple(shown(lists.fading, limits["gaps"])),
            len(lists.stale),
            tuple(t.id for t in shown(lists.stale, limits["stale"])),
        )
    if panel == "next-up":
        return (
            len(lists.next_up),
            tuple((t.id, status(t.id)) for t in shown(lists.next_up, limits["next-up"])),
            not lists.next_up and lists.complete,
        )
    if panel == "reviews":
        return len(lists.due_ids), tuple(shown(lists.due_ids, limits["reviews"]))
    if panel == "plan-body":
        # The steps shown, and what the plan's layout hangs on: whether there is
        # a plan, and whether its goal is reached.
        plan = lists.plan
        if plan is None:
            return None
        return (
            plan.is_reached,
            tuple((t.id, status(t.id)) for t in shown(plan.steps, limits["plan-body"])),
        )
    if panel == "plan-summary":
        # The plan's summary line, its dates at the learner's pace and the count
        # of steps not shown: all follow from these.
        plan = lists.plan
        if plan is None:
            return None
        return len(plan.steps), Decimal(plan.hours), plan.covered, plan.total
    raise ValueError(f"no such panel: {panel}")


def moved(
    panels: frozenset[str],
    before: tuple[PanelLists, Mapping[int, str]],
    after: tuple[PanelLists, Mapping[int, str]],
    *,
    shown: Shown,
    limits: Mapping[str, int],
) -> frozenset[str]:
    """Of `panels`, those whose visible content differs between before and after.

    The plan is sent whole ("plan-body") when its steps moved; when only its
    summary did, "plan-summary" stands in for it: the summary, the dates and the
    "Show more" link, without re-rendering the steps and their resources.
    """

    def differs(panel: str) -> bool:
        return signature(panel, *before, shown=shown, limits=limits) != signature(
            panel, *after, shown=shown, limits=limits
        )

    sent = {panel for panel in panels if differs(panel)}
    if "plan-body" in panels and "plan-body" not in sent and differs("plan-summary"):
        sent.add("plan-summary")
    return frozenset(sent)


def all_covered(graph: RoadmapGraph, statuses: Mapping[int, str]) -> bool:
    return all(gaps.is_covered(statuses.get(pk)) for pk in graph.topics)
