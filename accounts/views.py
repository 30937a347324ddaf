import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts import portability
from accounts.forms import DeleteAccountForm, ImportForm, ProfileForm
from accounts.models import Profile, Visibility


def _settings_page(request, profile, *, form=None, import_form=None, delete_form=None, status=200):
    share_url = None
    badge_url = None
    if profile.visibility == Visibility.PUBLIC:
        share_url = request.build_absolute_uri(reverse("public_profile", args=[request.user.get_username()]))
        badge_url = request.build_absolute_uri(reverse("badge", args=[request.user.get_username()]))
    elif profile.visibility == Visibility.UNLISTED:
        share_url = request.build_absolute_uri(reverse("unlisted_profile", args=[profile.share_token]))
        badge_url = request.build_absolute_uri(reverse("unlisted_badge", args=[profile.share_token]))
    return render(
        request,
        "accounts/settings.html",
        {
            "profile": profile,
            "form": form or ProfileForm(instance=profile),
            "import_form": import_form or ImportForm(),
            "delete_form": delete_form or DeleteAccountForm(user=request.user),
            "share_url": share_url,
            "badge_url": badge_url,
            "preview_url": reverse("public_profile", args=[request.user.get_username()]),
            "suggestions": request.user.resource_suggestions.select_related("topic").order_by("-created_at")[
                :20
            ],
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    profile = Profile.objects.for_user(request.user)
    if request.method == "GET":
        return _settings_page(request, profile)
    form = ProfileForm(request.POST, instance=profile)
    if not form.is_valid():
        return _settings_page(request, profile, form=form, status=400)
    form.save()
    messages.success(request, "Settings saved.")
    return redirect("account_settings")


@login_required
@require_POST
def rotate_share_link(request):
    profile = Profile.objects.for_user(request.user)
    profile.rotate_share_token()
    messages.success(request, "Made a new secret link. The old one no longer works.")
    return redirect(reverse("account_settings") + "#sharing")


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


@login_required
@require_GET
def export_progress_csv(request):
    return _download(
        portability.export_progress_csv(request.user),
        filename=f"{_stamp(request)}-progress.csv",
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_GET
def export_log_csv(request):
    return _download(
        portability.export_log_csv(request.user),
        filename=f"{_stamp(request)}-log.csv",
        content_type="text/csv; charset=utf-8",
    )


@login_required
@require_POST
def import_json(request):
    profile = Profile.objects.for_user(request.user)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _settings_page(request, profile, import_form=form, status=400)
    try:
        payload = json.loads(form.cleaned_data["file"].read().decode("utf-8"))
        counts = portability.import_data(request.user, payload)
    # RecursionError: json gives up on arrays nested thousands deep ("[[[[…"), a 500 otherwise.
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        form.add_error("file", "That file is not valid JSON.")
        return _settings_page(request, profile, import_form=form, status=400)
    except portability.ImportRefused as refused:
        for error in refused.errors[:20]:
            form.add_error("file", error)
        if len(refused.errors) > 20:
            form.add_error("file", f"…and {len(refused.errors) - 20} more problems.")
        return _settings_page(request, profile, import_form=form, status=400)
    messages.success(
        request,
        f"Imported {counts['progress']} progress records and {counts['log']} log entries. Nothing was duplicated.",
    )
    return redirect("account_settings")


@login_required
@require_POST
def delete_account(request):
    profile = Profile.objects.for_user(request.user)
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        return _settings_page(request, profile, delete_form=form, status=400)
    user = request.user
    logout(request)
    user.delete()
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("home")
