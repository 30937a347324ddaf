"""The learner's dashboard and every change made from it: status, review, goal, pace, practice done.

Each page's status and review controls post to the view that builds that
page's answer: the dashboard's here, the topic page's card here too (it is
the learner's progress), the map's in roadmap/map/views.py.
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from accounts.models import Profile
from roadmap.checking import diagnostic, placement
from roadmap.models import Progress, Roadmap
from roadmap.progress import review
from roadmap.progress.dashboard import build_dashboard, page_state
from roadmap.progress.forms import (
    STATUS_CHOICES,
    GoalForm,
    PaceForm,
    PracticeDoneForm,
    ReviewForm,
    StatusForm,
)
from roadmap.progress.practice import practice_by_section, set_practice_done
from roadmap.progress.topic_card import render_card
from roadmap.web import page_cache
from roadmap.web.htmx import HtmxHttpRequest, current_roadmap, invalid, redirect_back, with_topic

# Dashboard panels an htmx request can ask for on their own ("Show all" links).
DASHBOARD_PANELS = frozenset({"plan-body", "gaps", "next-up", "reviews"})


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest):
    roadmap = current_roadmap()
    profile = Profile.objects.for_user(request.user)
    section = request.GET.get("section", "")
    show_all = request.GET.get("all") == "1"
    fragment = ""
    if request.htmx and request.htmx.target in DASHBOARD_PANELS:
        fragment = request.htmx.target
    elif request.htmx and section and request.htmx.target == f"check-rows-{section}":
        fragment = "checklist-rows"
    return page_cache.cached_page(
        request,
        roadmap=roadmap,
        owner=profile,
        params={"section": section, "all": "1" if show_all else ""},
        fragment=fragment,
        render_page=lambda extra: _render_dashboard(
            request, roadmap, profile, section=section, show_all=show_all, fragment=fragment, extra=extra
        ),
    )


def _render_dashboard(
    request: HtmxHttpRequest,
    roadmap: Roadmap,
    profile: Profile,
    *,
    section: str,
    show_all: bool,
    fragment: str,
    extra: dict,
):
    data = build_dashboard(
        learner=request.user,
        roadmap=roadmap,
        show_all=show_all,
        open_sections=frozenset([section]) if section else frozenset(),
        profile=profile,
    )
    context = dashboard_context(data, **extra)
    if not fragment:
        # Its checklist section renders open: the learner asked for it by name.
        context["open_section"] = section
        practice = practice_by_section(roadmap, request.user)
        context["practice_sections"] = [
            (row.section, practice[row.section.pk]) for row in data.sections if row.section.pk in practice
        ]
        # "Find my level", or "Resume" while a run is unfinished. diagnostic.start and
        # its end replace the learner's state token, so a cached page never offers the wrong one.
        run = diagnostic.current(request.user, roadmap)
        context["placement_open"] = run is not None and not run.is_finished
        context["placement_limit"] = placement.MAX_QUESTIONS
    if fragment == "checklist-rows":
        rows = [row for row in data.sections if row.section.slug == section]
        if not rows:
            raise Http404("No such section.")
        context["row"] = rows[0]
    template = "roadmap/dashboard.html" + (f"#{fragment}" if fragment else "")
    return render(request, template, context, status=400 if context["pace_form"].errors else 200)


def dashboard_context(data, **extra) -> dict:
    """What every rendering of dashboard.html (page or fragment) needs."""
    # Built once: reversing a URL per checklist row is a real cost at 1,000 topics.
    topic_prefix = reverse("topic_detail", args=["slug"]).removesuffix("slug/")
    return {
        "dash": data,
        "roadmap": data.roadmap,
        "status_choices": STATUS_CHOICES,
        "here": reverse("dashboard"),
        "status_url": reverse("change_status"),
        "topic_prefix": topic_prefix,
        # A row's "Check yourself" link is topic_prefix, the slug, then this.
        "check_suffix": reverse("topic_check", args=["slug"]).removeprefix(topic_prefix + "slug"),
        # The plan panel's pace and target form; a refused one comes in `extra`, with its errors.
        "pace_form": PaceForm(profile=data.profile),
        **extra,
    }


@login_required
@require_POST
def change_status(request: HtmxHttpRequest):
    """A status change from the dashboard: the row, its section, the ring and the panels it altered."""
    roadmap = current_roadmap()
    form = StatusForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return invalid(request, form, about=form.topic_title)
    shown = page_shown(request.POST.get("page_state", ""), roadmap, Profile.objects.for_user(request.user))
    change = form.save(learner=request.user, shown=shown)
    topic = change.topic
    if not request.htmx:
        return redirect_back(request, reverse("dashboard"), f"#topic-{topic.slug}")
    # The plan's "Show all" sends plan_all along (hx-include), so its steps stay whole.
    plan_all = request.POST.get("plan_all") == "1"
    data = build_dashboard(learner=request.user, roadmap=roadmap, change=change, plan_all=plan_all)
    section = data.section_row(topic.section_id)
    return render(
        request,
        "roadmap/dashboard.html#status-changed",
        dashboard_context(
            data,
            changed=data.items[topic.pk],
            changed_section=section,
            # Rows of lazily loaded sections may not be on the page; forms send
            # the sections that are (hx-include), so no swap misses its target.
            changed_row_on_page=section.section.slug in request.POST.getlist("loaded_section"),
        ),
    )


def page_shown(sent: str, roadmap: Roadmap, profile: Profile) -> uuid.UUID | None:
    """The state token a dashboard says it was drawn for (its page_state), kept up to date
    by each status change's answer (in #overall); None when it did not say.

    A page drawn for another graph or another day is behind whatever its token:
    a token that never was stands for that (set_status then finds it behind).
    """
    if not sent:
        return None
    try:
        token = uuid.UUID(sent.partition(".")[0])
    except ValueError:
        return _NEVER
    return token if sent == page_state(token, roadmap, profile) else _NEVER


_NEVER = uuid.UUID(int=0)  # no learner's state token: uuid4 never makes it


@login_required
@require_POST
def topic_status(request: HtmxHttpRequest, slug: str):
    """A status change (or evidence note) from a topic page: its "Your progress" card."""
    form = StatusForm(with_topic(request, slug), roadmap=current_roadmap())
    if not form.is_valid():
        return invalid(request, form, about=form.topic_title)
    change = form.save(learner=request.user)
    if not request.htmx:
        return redirect_back(request, change.topic.get_absolute_url(), f"#topic-{slug}")
    return render_card(request, change.topic, change.progress)


@login_required
@require_POST
def review_topic(request: HtmxHttpRequest):
    """A review rated on the dashboard: the Review due panel and what the review moved."""
    form, progress = _review(request, request.POST)
    if progress is None:
        return invalid(request, form, about=form.topic_title)
    if not request.htmx:
        return redirect_back(request, reverse("dashboard"), "#reviews")
    data = build_dashboard(learner=request.user, roadmap=form.roadmap)
    return render(
        request,
        "roadmap/dashboard.html#reviewed",
        dashboard_context(data, reviewed=form.cleaned_data["topic"], progress=progress),
    )


@login_required
@require_POST
def topic_review(request: HtmxHttpRequest, slug: str):
    """A review rated on a topic page: its "Your progress" card."""
    form, progress = _review(request, with_topic(request, slug))
    if progress is None:
        return invalid(request, form, about=form.topic_title)
    topic = form.cleaned_data["topic"]
    if not request.htmx:
        return redirect_back(request, topic.get_absolute_url(), "#learner-status")
    return render_card(request, topic, progress)


def _review(request: HtmxHttpRequest, data) -> tuple[ReviewForm, Progress | None]:
    """Record the review; no record (and the reason on the form) when the form or the topic won't do."""
    form = ReviewForm(data, roadmap=current_roadmap())
    if not form.is_valid():
        return form, None
    try:
        return form, review.review_topic(
            learner=request.user,
            topic=form.cleaned_data["topic"],
            rating=review.ReviewRating(form.cleaned_data["rating"]),
        )
    except review.NotMastered as exc:
        form.add_error("topic", str(exc))
        return form, None


@login_required
@require_POST
def set_goal(request: HtmxHttpRequest):
    roadmap = current_roadmap()
    form = GoalForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return invalid(request, form)
    profile = Profile.objects.for_user(request.user)
    profile.goal = form.cleaned_data["goal"]
    profile.plan_free_only = form.cleaned_data["free_only"]
    profile.save_changes(["goal", "plan_free_only"])
    if not request.htmx:
        return redirect(reverse("dashboard") + "#plan")
    data = build_dashboard(learner=request.user, roadmap=roadmap, profile=profile)
    return render(request, "roadmap/dashboard.html#plan-body", dashboard_context(data))


@login_required
@require_POST
def set_pace(request: HtmxHttpRequest):
    """The learner's pace and target date, from the plan panel: the plan again, with its dates.

    A refused form comes back in place, with its errors and what was typed:
    the plan panel for htmx (as a 400), the whole dashboard without JavaScript.
    """
    roadmap = current_roadmap()
    profile = Profile.objects.for_user(request.user)
    form = PaceForm(request.POST, profile=profile)
    if form.is_valid():
        form.save(profile)
        if not request.htmx:
            return redirect(reverse("dashboard") + "#plan")
        data = build_dashboard(learner=request.user, roadmap=roadmap, profile=profile)
        return render(request, "roadmap/dashboard.html#plan-body", dashboard_context(data))
    if not request.htmx:
        return _render_dashboard(
            request, roadmap, profile, section="", show_all=False, fragment="", extra={"pace_form": form}
        )
    data = build_dashboard(learner=request.user, roadmap=roadmap, profile=profile)
    return render(
        request, "roadmap/dashboard.html#plan-body", dashboard_context(data, pace_form=form), status=400
    )


@login_required
@require_POST
def practice_done(request: HtmxHttpRequest):
    """A practice task marked done or not, from the home page or the dashboard: the task, swapped in place."""
    form = PracticeDoneForm(request.POST, roadmap=current_roadmap())
    if not form.is_valid():
        return invalid(request, form)
    item = set_practice_done(
        learner=request.user, task=form.cleaned_data["task"], done=form.cleaned_data["done"]
    )
    if not request.htmx:
        return redirect_back(request, reverse("dashboard"), f"#practice-{item.task.pk}")
    return render(
        request,
        "roadmap/includes/practice_tasks.html#practice-task",
        {"item": item, "next": request.POST.get("next", "")},
    )
