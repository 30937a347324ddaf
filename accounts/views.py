"""Account settings: display name, sharing, time zone, the secret link, and deleting the account."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import BrowserTimezoneForm, DeleteAccountForm, ProfileForm
from accounts.models import Profile
from accounts.settings_page import settings_page


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    profile = Profile.objects.for_user(request.user)
    if request.method == "GET":
        return settings_page(request, profile)
    form = ProfileForm(request.POST, instance=profile)
    if not form.is_valid():
        messages.error(request, "Nothing was saved: see what needs fixing below.")
        return settings_page(request, profile, form=form, status=400)
    if form.has_changed():  # else no write, and the learner's cached pages stay good
        form.instance.save_changes(list(form.cleaned_data))
    messages.success(request, form.saved_message())
    return redirect("account_settings")


@login_required
@require_POST
def use_browser_timezone(request):
    """The settings page's offer to take the browser's time zone (static/js/timezone.js)."""
    profile = Profile.objects.for_user(request.user)
    form = BrowserTimezoneForm(request.POST, instance=profile)
    if not form.is_valid():
        messages.error(
            request,
            f"Your browser's time zone, “{form.data.get('timezone', '')}”, is not one we know: choose yours from the list.",
        )
        profile.refresh_from_db(fields=["timezone"])  # validating set it on the instance
        return settings_page(request, profile, status=400)
    form.instance.save_changes(["timezone"])
    messages.success(
        request, f"Time zone set to {profile.timezone}: days, streaks and “today” follow it now."
    )
    return redirect("account_settings")  # the top, where the message is


@login_required
@require_http_methods(["GET", "POST"])
def rotate_share_link(request):
    """GET asks first, as a page or (htmx) in place of the settings' button; POST makes the new link."""
    if request.method == "GET":
        template = "accounts/rotate_share_link.html"
        return render(request, f"{template}#confirm" if request.htmx else template)
    Profile.objects.for_user(request.user).rotate_share_token()
    messages.success(
        request,
        "Made a new secret link. The old one no longer works: share the new one, under “Your progress page”.",
    )
    return redirect("account_settings")  # the top, where the message is


@login_required
@require_POST
def delete_account(request):
    profile = Profile.objects.for_user(request.user)
    form = DeleteAccountForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, "Nothing was deleted: see what needs fixing below.")
        return settings_page(request, profile, delete_form=form, status=400)
    user = request.user
    logout(request)
    user.delete()
    messages.success(request, "Your account and everything in it have been deleted.")
    return redirect("home")
