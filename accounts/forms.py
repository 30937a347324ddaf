from django import forms

from accounts.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "visibility"]
        labels = {"display_name": "Display name", "visibility": "Who can see your progress page"}
        help_texts = {"display_name": "Shown on your progress page instead of your username."}
        widgets = {"visibility": forms.RadioSelect}
