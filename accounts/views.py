from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import ProfileForm
from accounts.models import Profile


@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request):
    profile = Profile.objects.for_user(request.user)
    form = ProfileForm(request.POST or None, instance=profile)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("account_settings")
    return render(request, "accounts/settings.html", {"form": form, "profile": profile})
