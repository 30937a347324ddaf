"""The settings page, as every form on it renders it: with its own errors, or fresh."""

from django.shortcuts import render
from django.urls import reverse

from accounts.forms import DeleteAccountForm, ImportForm, ProfileForm
from accounts.models import Visibility


def settings_page(request, profile, *, form=None, import_form=None, delete_form=None, status=200):
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
