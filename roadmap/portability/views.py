"""Your data from the settings page: download it as JSON or CSV, and import a JSON export back."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.forms import ImportForm
from accounts.models import Profile
from accounts.settings_page import settings_page
from roadmap.portability import data as portability
from roadmap.portability import spreadsheet


def _download(content: str, *, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _stamp(request) -> str:
    return f"mathpath-{request.user.get_username()}-{timezone.now():%Y%m%d}"


@login_required
@require_GET
def export_json(request):
    payload = json.dumps(portability.export_data(request.user), indent=2, ensure_ascii=False)
    return _download(payload, filename=f"{_stamp(request)}.json", content_type="application/json")


def _csv(request, content: str, name: str) -> HttpResponse:
    return _download(
        content, filename=f"{_stamp(request)}-{name}.csv", content_type="text/csv; charset=utf-8"
    )


@login_required
@require_GET
def export_progress_csv(request):
    return _csv(request, spreadsheet.export_progress_csv(request.user), "progress")


@login_required
@require_GET
def export_log_csv(request):
    return _csv(request, spreadsheet.export_log_csv(request.user), "log")


def _count(number: int, one: str, many: str | None = None) -> str:
    return f"{number} {one if number == 1 else many or one + 's'}"


@login_required
@require_POST
def import_json(request):
    profile = Profile.objects.for_user(request.user)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return settings_page(request, profile, import_form=form, status=400)
    try:
        payload = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
        counts = portability.import_data(request.user, payload)
    # RecursionError: json gives up on arrays nested thousands deep ("[[[[…"), a 500 otherwise.
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        form.add_error("file", "That file is not valid JSON.")
        return settings_page(request, profile, import_form=form, status=400)
    except portability.ImportRefused as refused:
        for error in refused.errors[:20]:
            form.add_error("file", error)
        if len(refused.errors) > 20:
            form.add_error("file", f"…and {len(refused.errors) - 20} more problems.")
        return settings_page(request, profile, import_form=form, status=400)
    parts = [_count(counts["progress"], "progress record"), _count(counts["log"], "log entry", "log entries")]
    optional = {
        "practice_done": ("practice task done", "practice tasks done"),
        "attempts": ("answer to check problems", "answers to check problems"),
        "ratings": ("resource rating", "resource ratings"),
        "suggestions": ("new resource suggestion", "new resource suggestions"),
    }
    parts += [_count(counts[name], *words) for name, words in optional.items() if counts[name]]
    imported = ", ".join(parts[:-1]) + " and " + parts[-1]
    messages.success(request, f"Imported {imported}. Nothing was duplicated.")
    for skipped in counts["skipped"]:
        messages.warning(request, f"Not imported: {skipped}")
    return redirect("account_settings")
