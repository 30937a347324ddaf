"""The checking pages: "Check yourself" on a topic, a review's problem, and the placement diagnostic.

Each view serves the whole page and, for htmx, the fragment it replaces. Keys
and solutions reach the page only in the result, after the answers are in.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from roadmap.checking import diagnostic, placement, recall, result_page, topic_check
from roadmap.checking.forms import AnswersForm, RecallForm
from roadmap.curriculum import loading
from roadmap.models import Progress, Topic, TopicCheck
from roadmap.progress import review
from roadmap.web.htmx import HtmxHttpRequest, current_roadmap


def _render(request: HtmxHttpRequest, context: dict, status: int = 200):
    # htmx swaps only the check's panel; a failure re-renders the panel, never the page.
    template = "roadmap/check.html#check-body" if request.htmx else "roadmap/check.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def topic_check_view(request: HtmxHttpRequest, slug: str):
    roadmap = current_roadmap()
    topic = get_object_or_404(Topic.objects.active().select_related("section"), roadmap=roadmap, slug=slug)
    progress = Progress.objects.filter(learner=request.user, topic=topic).first()
    context = {"topic": topic, "progress": progress}
    if request.method == "GET":
        check = topic_check.open_check(request.user, topic)
        if check is None:
            return _render(request, {**context, "no_problems": True}, status=404)
        form = AnswersForm(topic_check.check_problems(check))
        return _render(request, {**context, "check": check, "form": form})
    # The check the form was drawn for, and only the learner's own; with what grading it reads
    # (its learner, its topic's roadmap for the likely causes) in the same query.
    check = get_object_or_404(
        TopicCheck.objects.select_related("learner", "topic__roadmap"),
        pk=_int(request.POST.get("check")),
        learner=request.user,
        topic=topic,
    )
    if check.finished_at is not None:  # answered already (a second click, a resent form)
        return _render(request, {**context, "result": topic_check.result_of(check)})
    form = AnswersForm(topic_check.check_problems(check), request.POST)
    context.update(check=check, form=form)
    if not form.is_valid():
        return _render(request, context, status=422)
    try:
        topic_check.check_rate(request.user, adding=len(form.marked))
    except topic_check.TooManyAnswers as exc:
        return _render(request, {**context, "limited": str(exc)}, status=429)
    result = topic_check.record_check(check, form.marked)
    return _render(request, {**context, "result": result, "progress": None})


# -- A review's problem ------------------------------------------------------


def _recall_page(request: HtmxHttpRequest, context: dict, status: int = 200):
    # htmx loads the panel into the review box (topic page) or the due review's entry (dashboard).
    inline = bool(request.htmx)
    template = "roadmap/recall.html#recall-body" if inline else "roadmap/recall.html"
    return render(request, template, {**context, "heading": "h3" if inline else "h2"}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def topic_recall(request: HtmxHttpRequest, slug: str):
    """A review of a mastered topic: its problem (GET), or the answer to it (POST), graded here."""
    # The roadmap too: rating the review credits prerequisites along the roadmap's graph.
    topic = get_object_or_404(
        Topic.objects.active().select_related("section", "roadmap"), roadmap=current_roadmap(), slug=slug
    )
    # Opened from the dashboard's Review due panel, whose "Done" then brings the panel up to date.
    from_dashboard = request.GET.get("from", request.POST.get("from")) == "dashboard"
    context = {
        "topic": topic,
        "recall_url": reverse("topic_recall", args=[slug]),
        "from_dashboard": from_dashboard,
    }
    try:
        current = recall.open_recall(request.user, topic)
    except review.NotMastered as exc:  # not mastered, by this learner: nothing of theirs to review
        return _recall_page(request, {**context, "refused": str(exc)}, status=404)
    context.update(recall=current, progress=current.progress, problem=current.problem)
    if current.problem is None:  # no problems: the learner rates the review on the topic page
        return _recall_page(
            request, {**context, "no_problems": True}, 200 if request.method == "GET" else 400
        )
    if request.method == "GET":
        return _recall_page(request, {**context, "form": RecallForm(current.problem)})
    posted = _int(request.POST.get("problem"))
    if posted != current.problem.pk or request.POST.get("review") != current.token:
        if current.is_answered(posted):  # sent again: the result, not a second review
            return _recall_page(request, {**context, "result": recall.result_again(current)})
        # The review moved on (answered in another tab, or credited): its problem now.
        return _recall_page(request, {**context, "form": RecallForm(current.problem), "stale": True}, 409)
    form = RecallForm(current.problem, request.POST)
    context["form"] = form
    if not form.is_valid():
        return _recall_page(request, context, status=422)
    try:
        topic_check.check_rate(request.user)
        result = recall.record_recall(
            learner=request.user, recall=current, marked=form.marked[0], feel=form.feeling
        )
    except topic_check.TooManyAnswers as exc:
        return _recall_page(request, {**context, "limited": str(exc)}, status=429)
    except review.NotMastered as exc:  # un-mastered in another tab since the problem was shown
        return _recall_page(request, {**context, "refused": str(exc)}, status=404)
    return _recall_page(request, {**context, "result": result, "progress": result.progress})


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() and len(value) < 12 else 0


# -- The placement diagnostic ------------------------------------------------


def _placement_page(request: HtmxHttpRequest, template: str, context: dict, status: int = 200):
    partial = {"roadmap/placement_question.html": "#question-body"}.get(template, "")
    return render(
        request, template + partial if request.htmx and partial else template, context, status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_intro(request: HtmxHttpRequest):
    """ "Find my level": start a run, or resume the open one. POST starts a new run."""
    roadmap = current_roadmap()
    if request.method == "POST":
        diagnostic.start(request.user, roadmap)
        return redirect("placement_question")
    run = diagnostic.current(request.user, roadmap)
    return render(
        request,
        "roadmap/placement_intro.html",
        {"run": run, "asked": run.attempts.count() if run else 0, "limit": placement.MAX_QUESTIONS},
    )


@login_required
@require_http_methods(["GET", "POST"])
def placement_question(request: HtmxHttpRequest):
    """The problem on screen (GET), or its answer (POST): one problem per page, plain forms."""
    roadmap = current_roadmap()
    run = diagnostic.current(request.user, roadmap)
    if run is None:
        return redirect("placement")
    if run.current is None and not run.is_finished:
        # Its problem was deleted in the admin (the run lets go of it), or a run restored from
        # an export names a problem this site lacks: put up the next one.
        diagnostic.advance(run, roadmap)
    if run.is_finished or run.current is None:
        return redirect("placement_result")
    problem = run.current
    # Counted once here: the title and the panel both show it.
    asked = run.attempts.count()
    context = {"run": run, "problem": problem, "asked": asked, "limit": placement.MAX_QUESTIONS}
    if request.method == "GET" or _int(request.POST.get("problem")) != problem.pk:
        # A second tab, or a resent form, answered this one already: show the one on screen now.
        stale = request.method == "POST"
        form = AnswersForm([problem])
        return _placement_page(
            request, "roadmap/placement_question.html", {**context, "form": form, "stale": stale}
        )
    form = AnswersForm([problem], request.POST)
    if not form.is_valid():
        return _placement_page(request, "roadmap/placement_question.html", {**context, "form": form}, 422)
    try:
        _, following = diagnostic.answer(run, roadmap, form.marked[0].answer)
    except topic_check.TooManyAnswers as exc:
        return _placement_page(
            request, "roadmap/placement_question.html", {**context, "form": form, "limited": str(exc)}, 429
        )
    except diagnostic.AlreadyAnswered:  # by a request that came in at the same moment
        return _htmx_redirect(request, "placement_question")
    if following is None:
        return _htmx_redirect(request, "placement_result")
    if not request.htmx:
        return redirect("placement_question")
    context.update(
        problem=following, form=AnswersForm([following]), answered=form.marked[0].correct, asked=asked + 1
    )
    return _placement_page(request, "roadmap/placement_question.html", context)


@login_required
@require_POST
def placement_stop(request: HtmxHttpRequest):
    run = diagnostic.current(request.user, current_roadmap())
    if run is not None:
        diagnostic.stop(run)
    return redirect("placement_result")


@login_required
@require_http_methods(["GET", "POST"])
def placement_result(request: HtmxHttpRequest):
    """What the answers say of every topic; POST takes the proposal for the ticked topics."""
    roadmap = current_roadmap()
    run = diagnostic.current(request.user, roadmap)
    if run is None:
        return redirect("placement")
    if not run.is_finished:
        return redirect("placement_question")
    if request.method == "POST":
        chosen = {_int(value) for value in request.POST.getlist("topic")}
        changed = diagnostic.accept(run, roadmap, chosen)
        messages.success(
            request,
            f"Placement taken: {changed} topic{'s' if changed != 1 else ''} updated. "
            "Your gaps and next up now follow from it.",
        )
        return redirect("dashboard")
    answered = diagnostic.answers_of(run)
    items = diagnostic.proposal(run, roadmap, answered)
    sections = loading.load(roadmap).sections
    by_section = [(s, [i for i in items if i.topic.section_id == s.pk]) for s in sections]
    by_section = [(s, result_page.topic_rows(rows)) for s, rows in by_section if rows]
    return render(
        request,
        "roadmap/placement_result.html",
        {
            "run": run,
            "sections": by_section,
            "asked": len(answered),
            "known": sum(i.known for i in items),
            "gaps": sum(not i.known for i in items),
            "changes": sum(i.changes for i in items),
        },
    )


def _htmx_redirect(request: HtmxHttpRequest, name: str):
    if request.htmx:
        return HttpResponseClientRedirect(reverse(name))
    return redirect(name)
