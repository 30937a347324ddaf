import zoneinfo

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.utils import filter_users_by_username
from django import forms

from accounts import email_addresses
from accounts.bidi_controls import strip_bidi_controls
from accounts.models import Profile, Visibility, today_in

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class ProfileForm(forms.ModelForm):
    # What the message after saving calls each setting ("Settings saved: time zone.").
    NAMES = {
        "display_name": "display name",
        "share_log_notes": "showing your log notes",
        "timezone": "time zone",
        "journey_start": "day 1 of your journey",
    }
    # …and what a new visibility means, said in full (it decides who sees the page).
    VISIBILITY_NOW = {
        Visibility.PRIVATE: "Your page is now private: only you can see it.",
        Visibility.UNLISTED: "Your page is now unlisted: anyone with the secret link can see it.",
        Visibility.PUBLIC: "Your page is now public: anyone can find it by your username.",
    }

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

    def clean(self):
        cleaned = super().clean()
        start, zone = cleaned.get("journey_start"), cleaned.get("timezone")
        # In the zone being saved: a learner moving to Tokyo may start on Tokyo's today.
        # (A zone name is only checked after clean(), by the model's validator.)
        if start and zone in zoneinfo.available_timezones() and start > (today := today_in(zone)):
            self.add_error(
                "journey_start",
                f"{start.day} {start:%B %Y} is in the future — today is {today.day} {today:%B %Y} in your time zone.",
            )
        return cleaned

    def saved_message(self) -> str:
        """What the learner is told once the form is saved: what changed, if anything."""
        if not self.has_changed():
            return "Nothing to save: your settings were already like that."
        changed = [self.NAMES[name] for name in self.changed_data if name in self.NAMES]
        said = f"Settings saved: {_and(changed)}." if changed else "Settings saved."
        if "visibility" in self.changed_data:
            said += " " + self.VISIBILITY_NOW[self.cleaned_data["visibility"]]
        return said


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


class BrowserTimezoneForm(forms.ModelForm):
    """The settings page's offer: "Your browser says Asia/Tokyo — use it?" (static/js/timezone.js)."""

    class Meta:
        model = Profile
        fields = ["timezone"]


class LoginForm(AllauthLoginForm):
    """allauth's login form (ACCOUNT_FORMS), by email or username, and labelled so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = "Email or username"
        # "username" is the autofill token for whatever name an account signs in with.
        login.widget.attrs.update(placeholder="Email or username", autocomplete="username")

    def user_credentials(self) -> dict:
        credentials = super().user_credentials()
        # allauth counts failed logins per account by the name typed (5 in 5 minutes):
        # "ada" and "ada@example.com" would be two counters, and twice the guesses.
        # A username is signed in with as its account's email, so both share one.
        if "email" not in credentials and "username" in credentials:
            user = filter_users_by_username(credentials["username"]).first()
            if user is not None and user.email:
                credentials = {"email": user.email} | {
                    k: v for k, v in credentials.items() if k != "username"
                }
        return credentials


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form (ACCOUNT_FORMS), plus the browser's time zone.

    static/js/timezone.js fills the hidden field. Without JavaScript, or with a
    name this server doesn't know, it stays empty and the profile keeps UTC,
    which the learner can change in settings: nobody is refused for a field
    they cannot see.
    """

    timezone = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-browser-timezone": ""}), max_length=64
    )

    class Media:
        js = [forms.Script("js/timezone.js", defer=True)]

    def clean_timezone(self) -> str:
        zone = self.cleaned_data["timezone"].strip()
        return zone if zone in zoneinfo.available_timezones() else ""

    def save(self, request):
        user = super().save(request)
        if zone := self.cleaned_data.get("timezone"):
            profile = Profile.objects.for_user(user)
            profile.timezone = zone
            profile.save_changes(["timezone"])
        return user


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
