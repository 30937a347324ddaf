"""Everything the learner's dashboard shows, from a fixed number of queries.

Queries, however large the roadmap: topics, prerequisite edges, sections, the
learner's progress rows, the profile (with goal), the plan's resources and, while
the plan has steps left, the log's totals for its pace.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.db.models import Case, When
from django.utils import timezone

from accounts.models import Profile
from roadmap.curriculum import loading
from roadmap.curriculum.graph import RoadmapGraph, TopicNode
from roadmap.models import (
    FADES_AFTER_FAILED_REVIEWS,
    Problem,
    Progress,
    Roadmap,
    Section,
    Status,
)
from roadmap.progress import analysis as gaps
from roadmap.progress import pace, panel_changes, review
from roadmap.progress.items import TopicItem
from roadmap.progress.plan import PLAN_STEPS_SHOWN, PlanStep, StepPatch, plan_pace, plan_steps, step_patch
from roadmap.progress.status import StatusChange

# Panels show the first few items; rendering hundreds of rows on every status
# change would cost more than the whole gap analysis. "Show all" lifts the caps.
NEXT_UP_SHOWN = 6
GAPS_SHOWN = 8
STALE_SHOWN = 8
REVIEWS_SHOWN = 8
# The checklist renders unfinished sections inline until this many rows; beyond
# it (roadmaps of hundreds of topics) sections load their rows when opened.
CHECKLIST_INLINE_ROWS = 120
# The panels a status change may swap in place; the topic's row, its section's
# card and the overall ring always change, and are always sent.
PANELS = frozenset({"gaps", "next-up", "reviews", "plan-body"})
_LISTED_IN_GAPS = (Status.LEARNING.value, Status.MASTERED.value)  # as stale and as fading topics
# (status, since when at "learning", when a mastered topic's review is due, when it passed a
# check, the check's score, its reviews failed in a row)
LearnerRow = tuple[str, datetime | None, datetime | None, datetime | None, str, int]


def learner_progress(learner, graph: RoadmapGraph) -> dict[int, LearnerRow]:
    """{topic id: LearnerRow} for the graph's topics, in one query.

    Only the values the dashboard reads come back: since when a topic has been at
    "learning" (stale learning), when a mastered one is due for review and how
    many of its reviews failed in a row (fading), and when it passed a check (set
    only on covered topics, so mostly NULL). The rest are None: on a big roadmap,
    decoding hundreds of unused timestamps costs more than the query. Rows are
    kept only for the graph's (active) topics here rather than by joining topics
    in SQL, which costs more; and unordered, since Progress's default ordering
    would join topics and sections.
    """
    rows = (
        Progress.objects.filter(learner=learner)
        .order_by()
        .values_list(
            "topic_id",
            "status",
            Case(When(status=Status.LEARNING, then="status_changed_at")),
            Case(When(status=Status.MASTERED, then="review_due")),
            "checked_at",
            "check_score",
            Case(When(status=Status.MASTERED, then="review_failures")),
        )
    )
    topics = graph.topics
    return {
        topic_id: (status, changed, due, checked_at, score, failures or 0)
        for topic_id, status, changed, due, checked_at, score, failures in rows
        if topic_id in topics
    }


@dataclass
class FadingItem:
    """A mastered topic that is fading, and why: reviews failed in a row, or a review long overdue."""

    item: TopicItem
    reason: str
    failing: bool  # failed its reviews: offered for re-study rather than another review


@dataclass
class SectionRow:
    section: Section
    progress: gaps.SectionProgress
    items: list[TopicItem] = field(default_factory=list)
    loaded: bool = False  # whether the checklist renders its rows now, or on demand


@dataclass
class GapRow:
    item: TopicItem
    gap: gaps.Gap

    @property
    def more_blocked(self) -> int:
        return self.gap.blocks_count - len(self.gap.blocks)


@dataclass
class Dashboard:
    roadmap: Roadmap
    profile: Profile
    sections: list[SectionRow]
    overall: gaps.SectionProgress
    gaps: list[GapRow]
    gaps_total: int
    stale: list[TopicItem]
    stale_total: int
    reviews_due: list[TopicItem]
    reviews_due_total: int
    fading: list[FadingItem]
    next_up: list[TopicItem]
    next_up_total: int
    plan: gaps.Plan | None
    plan_steps: list[PlanStep]
    plan_pace: pace.PlanPace | None
    items: dict[int, TopicItem]
    show_all: bool
    # After a status change, the plan's steps patched in place rather than sent whole.
    plan_patch: StepPatch | None = None
    plan_all: bool = False  # the page shows every step (see build_dashboard)
    panels: frozenset[str] = PANELS  # the panels computed (all, except after a status change)
    # Shown due reviews whose topic has problems: those ask one; the others keep the rating buttons.
    reviews_with_problems: frozenset[int] = frozenset()

    @property
    def page_state(self) -> str:
        """What the page shows (see page_state); it sends it with each status change."""
        return page_state(self.profile.state_token, self.roadmap, self.profile)

    @property
    def is_new(self) -> bool:
        """No status on any topic yet: the page invites the placement diagnostic first."""
        return not any(self.overall.counts.values())

    @property
    def gaps_hidden(self) -> int:
        return self.gaps_total - len(self.gaps)

    @property
    def stale_hidden(self) -> int:
        return self.stale_total - len(self.stale)

    @property
    def reviews_hidden(self) -> int:
        return self.reviews_due_total - len(self.reviews_due)

    @property
    def next_up_hidden(self) -> int:
        return self.next_up_total - len(self.next_up)

    @property
    def plan_steps_hidden(self) -> int:
        # From the cap, not from plan_steps: those are left out when only the summary is sent.
        if not self.plan or self.show_all or self.plan_all:
            return 0
        return max(0, len(self.plan.steps) - PLAN_STEPS_SHOWN)

    def section_row(self, section_id: int) -> SectionRow:
        return next(row for row in self.sections if row.section.pk == section_id)


@dataclass
class ProgressSummary:
    """Per-section and overall progress: what the badge shows (four queries)."""

    graph: RoadmapGraph
    progress: dict[int, LearnerRow]
    statuses: dict[int, str]
    items: dict[int, TopicItem]
    sections: list[SectionRow]
    overall: gaps.SectionProgress


def page_state(token, roadmap: Roadmap, profile: Profile) -> str:
    """A dashboard's state as the page cache keys it: the learner's state token, the graph, the day.

    Written in the page, and read back by progress/views.py page_shown.
    """
    return f"{token}.{roadmap.graph_token}.{profile.today().isoformat()}"


def summarise_progress(*, learner, roadmap: Roadmap, every_item: bool = True) -> ProgressSummary:
    """The learner's progress on the roadmap, by section and overall.

    `every_item=False`: the sections' item lists are left empty and `items`
    makes each TopicItem when first asked for. A status change shows a few
    topics of a thousand, and making them all was a tenth of its time.
    """
    loaded = loading.load(roadmap)
    graph, sections = loaded.graph, loaded.sections
    progress = learner_progress(learner, graph)
    statuses = {pk: row[0] for pk, row in progress.items()}
    checked = [pk for pk, row in progress.items() if row[3] is not None]
    per_section = gaps.section_progress(graph, statuses, checked)
    rows = [
        SectionRow(section, per_section.get(section.pk) or gaps.SectionProgress(section.pk))
        for section in sections
        if section.pk in graph.section_totals  # a section with no active topic is not shown
    ]
    items = _ItemsOnDemand(graph.topics, progress)
    if every_item:
        by_id = {row.section.pk: row for row in rows}
        for pk in graph.topics:
            item = items[pk]
            by_id[item.topic.section_id].items.append(item)
    return ProgressSummary(
        graph=graph,
        progress=progress,
        statuses=statuses,
        items=items,
        sections=rows,
        overall=gaps.overall_progress(per_section.values()),
    )


class _ItemsOnDemand(dict):
    """{topic id: TopicItem}, each made when first asked for by [] or get().

    Iterating it gives only the items made so far: summarise_progress makes them
    all unless every_item is False (a status change's answer, which reads by id).
    """

    def get(self, pk, default=None):
        return self[pk] if pk in self._topics else default

    def __init__(self, topics: dict[int, TopicNode], progress: dict[int, LearnerRow]):
        super().__init__()
        self._topics, self._progress = topics, progress

    def __missing__(self, pk: int) -> TopicItem:
        row = self._progress.get(pk)
        topic = self._topics[pk]  # KeyError for a topic not on the roadmap, as a dict would
        item = TopicItem(topic, row[0], row[3], row[4]) if row else TopicItem(topic, None)
        self[pk] = item
        return item


def build_dashboard(
    *,
    learner,
    roadmap: Roadmap,
    show_all: bool = False,
    open_sections: frozenset[str] = frozenset(),
    profile: Profile | None = None,
    change: StatusChange | None = None,
    plan_all: bool = False,
) -> Dashboard:
    """The dashboard; after a status `change`, only the panels whose content it moved.

    `plan_all`: the page shows every step of the plan ("Show all"), so a patch
    of the steps or a new list covers them all. The change says whether the
    page that sent it showed the learner's state just before (`page_current`).
    """
    # After a change, only its section's card and count are sent: no checklist rows.
    summary = summarise_progress(learner=learner, roadmap=roadmap, every_item=change is None)
    graph, progress, statuses = summary.graph, summary.progress, summary.statuses
    items, rows = summary.items, summary.sections
    profile = profile or Profile.objects.for_user(learner)
    if change is None:
        _choose_loaded_sections(rows, open_sections)
    now = timezone.now()
    limits = {**PANEL_LIMITS, "plan-body": None} if plan_all else PANEL_LIMITS

    def shown(values: list, limit: int | None) -> list:
        return values if show_all or limit is None else values[:limit]

    panels = PANELS if change is None else panels_changed_by(graph, statuses, profile.goal_id, change)
    lists = _panel_lists(graph, progress, statuses, profile.goal_id, panels, now)
    steps_moved = None
    # A page known to be behind needs every panel, whatever they showed before.
    if (
        change is not None
        and panels
        and change.previous != change.status
        and change.page_current is not False
    ):
        before = _progress_before(progress, change)
        before_statuses = {pk: row[0] for pk, row in before.items()}  # as summarise_progress derives them
        sides = (
            (_panel_lists(graph, before, before_statuses, profile.goal_id, panels, now), before_statuses),
            (
                lists,
                statuses,
            ),
        )
        panels = panel_changes.moved(panels, *sides, shown=shown, limits=limits)
        # Patched only on a page known to show the steps before: one drawn before
        # the patch existed, or one that does not say, gets them whole.
        if "plan-body" in panels and change.page_current:
            steps_moved = panel_changes.step_changes(*sides, shown=shown, limit=limits["plan-body"])
        if steps_moved is not None:
            # A patch of the steps instead of all of them, and the summary if it moved too.
            summary_moved = panel_changes.differs("plan-summary", *sides, shown=shown, limits=limits)
            panels = panels - {"plan-body"} | {"plan-patch"} | ({"plan-summary"} if summary_moved else set())
    plan = lists.plan if panels & {"plan-body", "plan-summary", "plan-patch"} else None
    reviews_due = shown(lists.due_ids, REVIEWS_SHOWN) if "reviews" in panels else []
    free_only = profile.plan_free_only

    return Dashboard(
        roadmap=roadmap,
        profile=profile,
        sections=rows,
        overall=summary.overall,
        gaps=[GapRow(items[g.topic.id], g) for g in shown(lists.found_gaps, GAPS_SHOWN)],
        gaps_total=len(lists.found_gaps),
        stale=[items[t.id] for t in shown(lists.stale, STALE_SHOWN)],
        stale_total=len(lists.stale),
        reviews_due=[items[pk] for pk in reviews_due],
        reviews_due_total=len(lists.due_ids),
        fading=[
            FadingItem(items[pk], reason, failing) for pk, reason, failing in shown(lists.fading, GAPS_SHOWN)
        ],
        next_up=[items[t.id] for t in shown(lists.next_up, NEXT_UP_SHOWN)],
        next_up_total=len(lists.next_up),
        plan=plan,
        plan_pace=plan_pace(profile, plan)
        if plan and not plan.is_reached and panels & {"plan-body", "plan-summary"}
        else None,
        # The steps and their resources, unless only the plan's summary is sent.
        plan_steps=plan_steps(shown(plan.steps, limits["plan-body"]), items, free_only=free_only)
        if plan and "plan-body" in panels
        else [],
        plan_patch=step_patch(steps_moved, graph.topics, items, free_only=free_only) if steps_moved else None,
        plan_all=plan_all,
        items=items,
        show_all=show_all,
        panels=panels,
        reviews_with_problems=_with_problems(reviews_due),
    )


# Each panel's cap, by panel id, for panel_changes.signature.
PANEL_LIMITS = {
    "gaps": GAPS_SHOWN,
    "stale": STALE_SHOWN,
    "next-up": NEXT_UP_SHOWN,
    "reviews": REVIEWS_SHOWN,
    "plan-body": PLAN_STEPS_SHOWN,
}


def _panel_lists(
    graph: RoadmapGraph,
    progress: dict[int, LearnerRow],
    statuses: gaps.Statuses,
    goal_id: int | None,
    panels: frozenset[str],
    now: datetime,
) -> panel_changes.PanelLists:
    """What the given panels list for these statuses; the others' lists are left empty."""
    next_up = gaps.next_up(graph, statuses) if "next-up" in panels else []
    return panel_changes.PanelLists(
        found_gaps=gaps.find_gaps(graph, statuses) if "gaps" in panels else [],
        stale=gaps.stale_learning(graph, progress, now=now, days=settings.MATHPATH_STALE_LEARNING_DAYS)
        if "gaps" in panels
        else [],
        fading=_fading(progress, now) if "gaps" in panels else [],
        due_ids=_due_for_review(progress, now) if "reviews" in panels else [],
        next_up=next_up,
        plan=gaps.plan_to(graph, statuses, goal_id) if goal_id and "plan-body" in panels else None,
        complete="next-up" in panels and not next_up and panel_changes.all_covered(graph, statuses),
    )


def _progress_before(progress: dict[int, LearnerRow], change: StatusChange) -> dict[int, LearnerRow]:
    """The learner's rows as they were before `change`, from the record it replaced."""
    before = dict(progress)
    topic_id, record = change.topic.pk, change.before
    if record is None:
        before.pop(topic_id, None)
    else:
        status = record.status
        before[topic_id] = (
            status,
            record.status_changed_at if status == Status.LEARNING else None,
            record.review_due if status == Status.MASTERED else None,
            record.checked_at,
            record.check_score,
            record.review_failures if status == Status.MASTERED else 0,
        )
    return before


def _with_problems(topic_ids: list[int]) -> frozenset[int]:
    """Of these topics, those with problems in their bank: one query, and only when reviews are due."""
    if not topic_ids:
        return frozenset()
    return frozenset(
        Problem.objects.active().filter(topic_id__in=topic_ids).order_by().values_list("topic_id", flat=True)
    )


def _fading(progress: dict[int, LearnerRow], now: datetime) -> list[tuple[int, str, bool]]:
    """Mastered topics that are fading, as (topic id, reason, failing): failed reviews first
    (they want re-study), then the longest overdue."""
    rows = []
    for pk, (status, _, due, _checked, _score, failures) in progress.items():
        reason = review.fading_reason(due, failures, now=now) if status == Status.MASTERED else None
        if reason is not None:
            failing = failures >= FADES_AFTER_FAILED_REVIEWS
            rows.append(((not failing, due or now, pk), (pk, reason, failing)))
    rows.sort(key=lambda row: row[0])
    return [row for _, row in rows]


def _due_for_review(progress: dict[int, LearnerRow], now: datetime) -> list[int]:
    """The mastered topics whose review is due, the longest overdue first."""
    due = sorted(
        (row[2], pk) for pk, row in progress.items() if row[0] == Status.MASTERED and row[2] and row[2] <= now
    )
    return [pk for _, pk in due]


def panels_changed_by(
    graph: RoadmapGraph,
    statuses: gaps.Statuses,
    goal_id: int | None,
    change: StatusChange,
) -> frozenset[str]:
    """The panels that `change` can have altered, given the statuses after it.

    Re-rendering every panel after each click cost more than all the rest of
    the request on a big roadmap (the plan, with its resources, most of all).
    Each rule follows from what the panel lists. A page that is behind
    (change.page_current False: something changed since it was drawn) gets every panel.
    """
    previous, current, topic_id = change.previous, change.status, change.topic.pk
    page_current = change.page_current
    if page_current is False:
        return PANELS
    if previous == current:
        # Nothing changed. A page that showed the state before has nothing to
        # update (a second click); one that did not say may be behind (the change
        # was made in another tab), so bring all of it up to date.
        return frozenset() if page_current else PANELS
    panels = set()
    # Gaps are uncovered topics that something started builds on: whether the
    # topic is started decides that for what it builds on, and the topic itself
    # is listed (with its status) only if something started builds on it. The
    # panel also lists topics at "learning" for long (stale) and mastered ones
    # overdue for review (fading).
    if (
        gaps.is_started(previous) != gaps.is_started(current)
        or previous in _LISTED_IN_GAPS
        or current in _LISTED_IN_GAPS
        or gaps.has_started_dependent(graph, statuses, topic_id)
    ):
        panels.add("gaps")
    # Next up (analysis.next_up_ids) hangs on what is covered, anywhere below the
    # topic, and on what is started, among what the topic builds on: only an
    # uncovered one there can stop or start being a gap. The topic itself shows
    # its status there.
    if (
        gaps.is_covered(previous) != gaps.is_covered(current)
        or (
            gaps.is_started(previous) != gaps.is_started(current)
            and not gaps.covered_ids(statuses).issuperset(graph.ancestors(topic_id))
        )
        or gaps.is_next_up(graph, statuses, topic_id)
    ):
        panels.add("next-up")
    # A topic just mastered is not due for days; one no longer mastered may have been.
    if previous == Status.MASTERED:
        panels.add("reviews")
    # The plan lists what is left on the way to the goal, with each step's status.
    if goal_id in graph.topics and (topic_id == goal_id or topic_id in graph.ancestors(goal_id)):
        panels.add("plan-body")
    return frozenset(panels)


def _choose_loaded_sections(rows: list[SectionRow], open_sections: frozenset[str]) -> None:
    budget = CHECKLIST_INLINE_ROWS
    for row in rows:
        if row.section.slug in open_sections:
            row.loaded = True
        elif not row.progress.is_finished and len(row.items) <= budget:
            row.loaded = True
            budget -= len(row.items)
