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

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.progress import analysis as gaps


@dataclass(frozen=True)
class PanelLists:
    """What the panels list, before capping: computed only for the panels asked for."""

    found_gaps: Sequence[gaps.Gap]
    stale: list[TopicNode]
    fading: list[tuple[int, str, bool]]  # (topic id, reason, failing), in the order shown
    due_ids: list[int]
    next_up: list[TopicNode]
    plan: gaps.Plan | None
    complete: bool  # every topic covered: Next up then says so instead of listing


Shown = Callable[[list, int | None], list]  # a list capped at a limit (None: no cap)


def signature(
    panel: str,
    lists: PanelLists,
    statuses: Mapping[int, str],
    *,
    shown: Shown,
    limits: Mapping[str, int | None],
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
    limits: Mapping[str, int | None],
) -> frozenset[str]:
    """Of `panels`, those whose visible content differs between before and after.

    The plan is sent whole ("plan-body") when its steps moved; when only its
    summary did, "plan-summary" stands in for it: the summary, the dates and the
    "Show more" link, without re-rendering the steps and their resources.
    """

    def changed(panel: str) -> bool:
        return differs(panel, before, after, shown=shown, limits=limits)

    sent = {panel for panel in panels if changed(panel)}
    if "plan-body" in panels and "plan-body" not in sent and changed("plan-summary"):
        sent.add("plan-summary")
    return frozenset(sent)


def differs(
    panel: str,
    before: tuple[PanelLists, Mapping[int, str]],
    after: tuple[PanelLists, Mapping[int, str]],
    *,
    shown: Shown,
    limits: Mapping[str, int | None],
) -> bool:
    return signature(panel, *before, shown=shown, limits=limits) != signature(
        panel, *after, shown=shown, limits=limits
    )


@dataclass(frozen=True)
class StepChanges:
    """How the plan's shown steps moved, as a patch: applied in this order, it turns before into after."""

    removed: tuple[int, ...]  # steps no longer shown
    restated: tuple[int, ...]  # steps shown before and after, with another status
    # Steps newly shown, in order, each with the step it follows (None: it comes first).
    added: tuple[tuple[int, int | None], ...]


def step_changes(
    before: tuple[PanelLists, Mapping[int, str]],
    after: tuple[PanelLists, Mapping[int, str]],
    *,
    shown: Shown,
    limit: int | None,
) -> StepChanges | None:
    """The patch from the shown steps before to those after; None when only a whole new list will do.

    That is when there is no plan on either side, the goal is reached on
    either side, or the steps kept changed their order (a study order is
    recomputed for the steps left, so a covered step can let a later one
    move up past others).
    """
    (lists_before, statuses_before), (lists_after, statuses_after) = before, after
    plan_before, plan_after = lists_before.plan, lists_after.plan
    if plan_before is None or plan_after is None or plan_before.is_reached or plan_after.is_reached:
        return None
    if plan_before.goal != plan_after.goal:
        return None
    old = [t.id for t in shown(plan_before.steps, limit)]
    new = [t.id for t in shown(plan_after.steps, limit)]
    old_set, new_set = set(old), set(new)
    if [pk for pk in old if pk in new_set] != [pk for pk in new if pk in old_set]:
        return None
    return StepChanges(
        removed=tuple(pk for pk in old if pk not in new_set),
        restated=tuple(
            pk for pk in new if pk in old_set and statuses_before.get(pk) != statuses_after.get(pk)
        ),
        added=tuple((pk, new[at - 1] if at else None) for at, pk in enumerate(new) if pk not in old_set),
    )


def all_covered(graph: RoadmapGraph, statuses: Mapping[int, str]) -> bool:
    return all(gaps.is_covered(statuses.get(pk)) for pk in graph.topics)
