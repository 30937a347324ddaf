"""The dashboard's plan panel: its steps with their resources, its pace, and a step patch.

A status change on the way to the goal used to re-render every shown step
with its resources: the dearest part of the answer. Most such changes move
one or two steps (one drops out when covered, the next one in line comes in,
or a step's status chip changes), so the answer patches the list in place:
it deletes, re-states and inserts those steps alone, and fetches resources
only for the steps it inserts. panel_changes.step_changes says when that is
possible.
"""

from dataclasses import dataclass

from accounts.models import Profile
from roadmap.community.ratings import attach_ratings
from roadmap.curriculum.graph import TopicNode
from roadmap.models import Access, LogEntry, TopicResource, group_by_role
from roadmap.progress import analysis as gaps
from roadmap.progress import pace, panel_changes
from roadmap.progress.items import TopicItem

PLAN_STEPS_SHOWN = 15


@dataclass
class PlanStep:
    item: TopicItem
    resources: list  # [(role label, [TopicResource, …]), …]


@dataclass
class StepPatch:
    """A patch of the shown steps, as the template sends it: each as a TopicItem or a PlanStep."""

    removed: list[TopicItem]  # steps no longer shown
    restated: list[TopicItem]  # steps still shown, with a new status
    added: list[tuple[PlanStep, str]]  # each with the slug of the step it follows ("" for the first)


def plan_pace(profile: Profile, plan: gaps.Plan) -> pace.PlanPace:
    """The plan's hours left against the learner's pace, with "today" and the week in their time zone."""
    today = profile.today()
    first, window, this_week = LogEntry.objects.for_learner(profile.user_id).pace_totals(
        today=today, since=pace.window_start(today), week_start=pace.week_start(today)
    )
    return pace.PlanPace(
        today=today,
        minutes_left=pace.minutes_of(plan.hours),
        this_week=this_week,
        logged=pace.logged_pace(window_minutes=window, first_logged=first, today=today),
        chosen=profile.weekly_minutes,
        target=profile.target_date,
    )


def plan_steps(steps: list[TopicNode], items: dict[int, TopicItem], *, free_only: bool) -> list[PlanStep]:
    """The steps with their resources by role: two queries, however many steps."""
    if not steps:
        return []
    # resource__pairs_with: the resource template shows each pairing; without it, one query per pair.
    links = TopicResource.objects.filter(topic_id__in=[t.id for t in steps]).select_related(
        "resource", "resource__pairs_with"
    )
    if free_only:
        links = links.exclude(resource__access=Access.PAID)
    links = list(links)
    attach_ratings([link.resource for link in links])
    by_topic: dict[int, list] = {}
    for link in links:
        by_topic.setdefault(link.topic_id, []).append(link)
    return [PlanStep(items[t.id], group_by_role(by_topic.get(t.id, []), rank=_plan_rank)) for t in steps]


def step_patch(
    changes: panel_changes.StepChanges,
    graph_topics: dict[int, TopicNode],
    items: dict[int, TopicItem],
    *,
    free_only: bool,
) -> StepPatch:
    """The patch for `changes`, with resources for the inserted steps only."""
    added = plan_steps([graph_topics[pk] for pk, _ in changes.added], items, free_only=free_only)
    return StepPatch(
        removed=[items[pk] for pk in changes.removed],
        restated=[items[pk] for pk in changes.restated],
        added=[
            (step, items[after].topic.slug if after is not None else "")
            for step, (_, after) in zip(added, changes.added, strict=True)
        ],
    )


# An unrated resource ranks as if rated this: below one learners found helpful,
# above one they found didn't help.
UNRATED = 2.5


def _plan_rank(link: TopicResource) -> tuple:
    """Within a role, the plan prefers free resources, then well-rated ones, then curated order."""
    resource = link.resource
    rating = resource.rating_average if resource.rating_average is not None else UNRATED
    return (not resource.is_free, -rating, link.order)
