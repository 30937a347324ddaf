"""The learner's own learning log: write, edit, delete, and share day-N reports."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import Profile
from roadmap.journal import summary as learning_log
from roadmap.journal.forms import LogEntryForm
from roadmap.journal.stats import format_day
from roadmap.models import LogEntry
from roadmap.sharing import cards
from roadmap.web.htmx import current_roadmap


def _own_entry(request, day: str) -> LogEntry:
    """The signed-in learner's entry for that date; 404 for anyone else's or a bad date."""
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date.") from None
    return get_object_or_404(LogEntry.objects.prefetch_related("topics"), learner=request.user, date=parsed)


@login_required
@require_http_methods(["GET", "POST"])
def log(request):
    profile = Profile.objects.for_user(request.user)
    roadmap = current_roadmap()
    # Not `request.POST or None`: an empty POST must be validated (and refused), not shown as a GET.
    data = request.POST if request.method == "POST" else None
    form = LogEntryForm(data, learner=request.user, today=profile.today(), roadmap=roadmap)
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, f"Logged {entry.duration} for {format_day(entry.date)}.")
        return redirect(reverse("log") + f"#entry-{entry.date.isoformat()}")
    summary = learning_log.summarise(profile, recent=60)
    cards = [(entry, _share_card(request, profile, entry)) for entry in summary.recent]
    return render(
        request,
        "roadmap/log.html",
        {"form": form, "summary": summary, "cards": cards, "profile": profile},
        status=400 if form.errors else 200,
    )


def _share_card(request, profile: Profile, entry: LogEntry) -> dict:
    path = cards.share_url(profile, entry)
    # Share text leaves the site, so it carries a full URL (the host is
    # already validated against ALLOWED_HOSTS).
    url = request.build_absolute_uri(path) if path else ""
    # The copied report follows the same rule as the shared page: notes only if the learner shares them.
    text = cards.share_text(entry, day=entry.day_number, url=url, include_note=profile.share_log_notes)
    return {"url": url, "text": text}


@login_required
@require_http_methods(["GET", "POST"])
def log_entry_edit(request, day: str):
    entry = _own_entry(request, day)
    profile = Profile.objects.for_user(request.user)
    form = LogEntryForm(
        request.POST if request.method == "POST" else None,
        instance=entry,
        learner=request.user,
        today=profile.today(),
        roadmap=current_roadmap(),
    )
    if request.method == "POST" and form.is_valid():
        entry = form.save()
        messages.success(request, f"Saved your entry for {format_day(entry.date)}.")
        return redirect(reverse("log") + f"#entry-{entry.date.isoformat()}")
    return render(
        request,
        "roadmap/log_entry_edit.html",
        {"form": form, "entry": entry},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def log_entry_delete(request, day: str):
    entry = _own_entry(request, day)
    entry.delete()
    Profile.objects.learner_changed(request.user.pk)
    messages.success(request, f"Deleted your entry for {format_day(entry.date)}.")
    return redirect("log")
