"""Account settings: display name, sharing, time zone, the secret link, and deleting the account;
the email page's rule for the primary address; and the admin's way in, which is the site's login."""

from allauth.account import views as allauth_views
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from accounts import email_addresses
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


@login_required
def email(request):
    """allauth's email page (/accounts/email/), where only a verified address can be made primary.

    allauth lets an account with no verified address make any of its addresses
    primary, which is how someone else's address used to be taken over.
    """
    address = request.POST.get("email", "")
    if "action_primary" in request.POST and not email_addresses.is_verified_on(request.user, address):
        messages.error(
            request,
            f"Verify {address} first: only a verified address can be your primary one. "
            "Follow the link we mailed to it, or send a new one with “Re-send Verification”.",
        )
        return redirect("account_email")
    return allauth_views.email(request)


def admin_login(request, extra_context=None):
    """The admin's login page (admin.site.login): never a password form, only a way to the site's.

    Django's admin login checks passwords with no rate limit. Staff sign in
    through allauth's login instead, whose limits (per address, and per account
    after 5 failures) hold for them too; this view reads no credentials, even
    when they are posted to it.
    """
    target = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        target = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect_to_login(target, settings.LOGIN_URL)
    if admin.site.has_permission(request):
        return redirect(target)
    # Signed in, but not staff: say so, with no form to try another account's password in.
    context = {**admin.site.each_context(request), "title": "Not authorised"}
    return render(request, "admin/not_authorised.html", context, status=403)
