from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch, Q, Sum
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from accounts.models import Profile
from roadmap import map_views, page_cache, review, suggestions
from roadmap.dashboard import build_dashboard
from roadmap.forms import STATUS_CHOICES, GoalForm, ReviewForm, StatusForm
from roadmap.models import ROLE_ORDER, Prerequisite, Progress, Roadmap, Section, Status, Topic, group_by_role
from roadmap.progress import set_status
from roadmap.suggestion_forms import RATING_LABELS


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


@require_GET
def home(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
    owner = Profile.objects.for_user(request.user) if request.user.is_authenticated else None
    return page_cache.cached_page(
        request, roadmap=roadmap, owner=owner, render_page=lambda extra: _render_home(request, roadmap, extra)
    )


def _render_home(request: HtmxHttpRequest, roadmap: Roadmap, extra: dict):
    topics = list(Topic.objects.for_roadmap_page(roadmap))
    sections = list(
        Section.objects.filter(roadmap=roadmap)
        .annotate(
            topic_count=Count("topics", filter=Q(topics__is_archived=False)),
            hours=Sum("topics__estimated_hours", filter=Q(topics__is_archived=False)),
        )
        .filter(topic_count__gt=0)
        .order_by("order", "id")
    )
    by_section = {section.pk: section for section in sections}
    for section in sections:
        section.topic_list = []
        section.resource_groups = []
    statuses = _statuses_for(request.user, roadmap)
    for topic in topics:
        topic.learner_status = statuses.get(topic.pk)
        topic.learner_status_label = Status(topic.learner_status).label if topic.learner_status else ""
        by_section[topic.section_id].topic_list.append(topic)
    for section in sections:
        section.resource_groups = _section_resources(section.topic_list)
    # resource__pairs_with: resource.html shows each pairing, one query per paired resource otherwise.
    roadmap_resources = group_by_role(
        roadmap.resource_links.select_related("resource", "resource__pairs_with")
    )
    return render(
        request,
        "roadmap/home.html",
        {
            "roadmap": roadmap,
            "sections": sections,
            "roadmap_resources": roadmap_resources,
            "topic_count": len(topics),
            "total_hours": sum((s.hours for s in sections), 0),
            **extra,
        },
    )


def _section_resources(topics) -> list:
    """A section's resources, each once, under the strongest role it has there."""
    best = {}
    for topic in topics:
        for link in topic.resource_links.all():
            current = best.get(link.resource_id)
            if current is None or ROLE_ORDER[link.role] < ROLE_ORDER[current.role]:
                best[link.resource_id] = link
    return group_by_role(best.values())


def _statuses_for(user, roadmap) -> dict[int, str]:
    if not user.is_authenticated:
        return {}
    return dict(Progress.objects.for_learner(user, roadmap).values_list("topic_id", "status"))


@require_GET
def topic_detail(request: HtmxHttpRequest, slug: str):
    roadmap = Roadmap.objects.current()
    topic = get_object_or_404(
        Topic.objects.active()
        .select_related("section")
        .prefetch_related(
            Prefetch(
                "prerequisite_links",
                Prerequisite.objects.filter(prerequisite__is_archived=False).select_related("prerequisite"),
            ),
            Prefetch(
                "unlock_links",
                Prerequisite.objects.filter(topic__is_archived=False).select_related("topic"),
            ),
            "resource_links__resource__pairs_with",
        ),
        roadmap=roadmap,
        slug=slug,
    )
    progress = None
    if request.user.is_authenticated:
        progress = Progress.objects.filter(learner=request.user, topic=topic).first()
    links = list(topic.resource_links.all())
    suggestions.attach_ratings([link.resource for link in links], request.user)
    return render(
        request,
        "roadmap/topic_detail.html",
        {
            "roadmap": roadmap,
            "resource_groups": group_by_role(links),
            "rating_choices": RATING_LABELS,
            **_learner_status_context(request, topic, progress),
        },
    )


def _topic_status_fragment(request, topic: Topic, progress: Progress | None):
    """The topic page's "Your progress" card, answered to a change made on it."""
    return render(
        request,
        "roadmap/topic_detail.html#learner-status",
        _learner_status_context(request, topic, progress, saved=True),
    )


def _learner_status_context(request, topic: Topic, progress: Progress | None, *, saved: bool = False) -> dict:
    """What the "Your progress" panel of a topic page needs."""
    retention = review.retention(progress) if progress else None
    return {
        "topic": topic,
        "progress": progress,
        "status_choices": STATUS_CHOICES,
        "review_choices": review.ReviewRating.choices,
        "retention": round(100 * retention) if retention is not None else None,
        "review_is_due": bool(progress and progress.review_due and progress.review_due <= timezone.now()),
        "saved": saved,
    }


# Dashboard panels an htmx request can ask for on their own ("Show all" links).
DASHBOARD_PANELS = frozenset({"plan-body", "gaps", "next-up", "reviews"})


@login_required
@require_GET
def dashboard(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
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
    if fragment == "checklist-rows":
        rows = [row for row in data.sections if row.section.slug == section]
        if not rows:
            raise Http404("No such section.")
        context["row"] = rows[0]
    template = "roadmap/dashboard.html" + (f"#{fragment}" if fragment else "")
    return render(request, template, context)


def dashboard_context(data, **extra) -> dict:
    """What every rendering of dashboard.html (page or fragment) needs."""
    return {
        "dash": data,
        "roadmap": data.roadmap,
        "status_choices": STATUS_CHOICES,
        "here": reverse("dashboard"),
        "status_url": reverse("change_status"),
        # Built once: reversing a URL per checklist row is a real cost at 1,000 topics.
        "topic_prefix": reverse("topic_detail", args=["slug"]).removesuffix("slug/"),
        **extra,
    }


def _redirect_back(request, default: str, anchor: str = ""):
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(target + anchor)


def _invalid(request, form, status: int = 400):
    """A readable error fragment for htmx, or the page again for a plain POST."""
    if not request.htmx:
        return render(request, "roadmap/form_errors.html", {"form": form}, status=status)
    response = render(request, "roadmap/form_errors.html#errors", {"form": form}, status=status)
    return reswap(retarget(response, "#flash"), "innerHTML")


@login_required
@require_POST
def change_status(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
    form = StatusForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return _invalid(request, form)
    topic = form.cleaned_data["topic"]
    note = form.cleaned_data["note"] if "note" in request.POST else None
    change = set_status(learner=request.user, topic=topic, status=form.cleaned_data["status"], note=note)

    if not request.htmx:
        return _redirect_back(request, reverse("dashboard"), f"#topic-{topic.slug}")
    if _posted_from(request) in map_views.MAP_URL_NAMES:
        return map_views.status_changed(request, roadmap=roadmap, topic=topic)
    if _posted_from(request) == "topic_detail":
        progress = Progress.objects.filter(learner=request.user, topic=topic).first()
        return _topic_status_fragment(request, topic, progress)
    data = build_dashboard(learner=request.user, roadmap=roadmap, change=change)
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


def _posted_from(request) -> str:
    try:
        return resolve(request.POST.get("next", "").split("?")[0]).url_name or ""
    except Resolver404:
        return ""


@login_required
@require_POST
def review_topic(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
    form = ReviewForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return _invalid(request, form)
    topic = form.cleaned_data["topic"]
    try:
        progress = review.review_topic(
            learner=request.user, topic=topic, rating=review.ReviewRating(form.cleaned_data["rating"])
        )
    except review.NotMastered as exc:
        form.add_error("topic", str(exc))
        return _invalid(request, form)
    if not request.htmx:
        return _redirect_back(request, reverse("dashboard"), "#reviews")
    if _posted_from(request) == "topic_detail":
        return _topic_status_fragment(request, topic, progress)
    data = build_dashboard(learner=request.user, roadmap=roadmap)
    return render(
        request,
        "roadmap/dashboard.html#reviewed",
        dashboard_context(data, reviewed=topic, progress=progress),
    )


@login_required
@require_POST
def set_goal(request: HtmxHttpRequest):
    roadmap = Roadmap.objects.current()
    form = GoalForm(request.POST, roadmap=roadmap)
    if not form.is_valid():
        return _invalid(request, form)
    profile = Profile.objects.for_user(request.user)
    profile.goal = form.cleaned_data["goal"]
    profile.plan_free_only = form.cleaned_data["free_only"]
    profile.save(update_fields=["goal", "plan_free_only"])
    if not request.htmx:
        return redirect(reverse("dashboard") + "#plan")
    data = build_dashboard(learner=request.user, roadmap=roadmap, profile=profile)
    return render(request, "roadmap/dashboard.html#plan-body", dashboard_context(data))
