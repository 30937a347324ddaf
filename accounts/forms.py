import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from django import forms

from accounts import email_addresses
from accounts.bidi_controls import strip_bidi_controls
from accounts.models import Profile

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "visibility", "share_log_notes", "timezone", "journey_start"]
        labels = {
            "display_name": "Display name",
            "visibility": "Who can see your progress page",
            "share_log_notes": "Show my log notes on my shared page",
            "timezone": "Time zone",
            "journey_start": "Day 1 of my journey",
        }
        help_texts = {"display_name": "Shown on your progress page instead of your username."}
        widgets = {
            "visibility": forms.RadioSelect,
            "journey_start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "timezone": forms.Select(
                choices=[(name, name) for name in sorted(zoneinfo.available_timezones())]
            ),
        }

    def clean_display_name(self) -> str:
        return strip_bidi_controls(self.cleaned_data["display_name"])


class ImportForm(forms.Form):
    file = forms.FileField(label="Export file (JSON)", help_text="A file downloaded from “Export as JSON”.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError("That file is larger than 5 MB; it is not a mathpath export.")
        return upload


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password", widget=forms.PasswordInput, help_text="To confirm it's really you."
    )
    confirm = forms.BooleanField(
        label="I understand this deletes my progress, goal, learning log and account for good."
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That password is not right.")
        return password


class AddEmailForm(allauth_forms.AddEmailForm):
    """allauth's, refusing an address another account holds, verified or not (ACCOUNT_FORMS)."""

    def clean_email(self) -> str:
        if email_addresses.held_by_another_account(self.cleaned_data["email"], self.user):
            # The same words signup uses: the address being taken is no secret there either.
            raise get_adapter().validation_error("email_taken")
        return super().clean_email()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """allauth's, mailing a link only to accounts the address speaks for (ACCOUNT_FORMS).

    allauth prefers accounts that verified the address, but when none has, it
    mails one for every account holding it: a learner who added someone else's
    address would have a link to their own account sent to its owner.
    """

    def clean_email(self) -> str:
        email = super().clean_email()
        self.users = [user for user in self.users if email_addresses.speaks_for(user, email)]
        return email
