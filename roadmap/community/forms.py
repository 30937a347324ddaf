from django import forms

from accounts.bidi_controls import strip_bidi_controls
from roadmap.community import suggestions
from roadmap.models import ResourceSuggestion


class SuggestionForm(forms.ModelForm):
    url = forms.URLField(label="Link", max_length=500, assume_scheme="https")

    class Meta:
        model = ResourceSuggestion
        fields = ["title", "url", "kind", "access", "why"]
        labels = {"url": "Link", "why": "Why it helped"}
        widgets = {
            "why": forms.Textarea(attrs={"rows": 4}),
            "url": forms.URLInput(attrs={"placeholder": "https://"}),
        }

    def __init__(self, *args, learner, joins_queue: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        # False for a suggestion a curator already decided, restored from the learner's
        # export (roadmap/portability/community.py): it is history, not new work for the
        # queue: the rules for what enters the queue (a link not on the roadmap nor
        # waiting already, the day's allowance) do not apply to it; every field's rules do.
        self.joins_queue = joins_queue
        self.fields["why"].widget.attrs["maxlength"] = 1000

    # Title and reason are read by curators, and the title by every learner once approved.
    def clean_title(self) -> str:
        title = strip_bidi_controls(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(self.fields["title"].error_messages["required"], code="required")
        return title

    def clean_why(self) -> str:
        why = strip_bidi_controls(self.cleaned_data["why"])
        if not why:
            raise forms.ValidationError(self.fields["why"].error_messages["required"], code="required")
        return why

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if not url.lower().startswith(("http://", "https://")):
            raise forms.ValidationError("Enter a web address starting with http:// or https://.")
        if not self.joins_queue:
            return url
        if resource := suggestions.existing_resource_for(url):
            raise forms.ValidationError(f"That link is already on the roadmap as “{resource.title}”.")
        if suggestions.pending_suggestion_for(url):
            raise forms.ValidationError("Someone has already suggested that link; it is waiting for review.")
        return url

    def clean(self):
        cleaned = super().clean()
        if self.joins_queue and suggestions.suggestions_left_today(self.learner) <= 0:
            raise forms.ValidationError(
                f"You can suggest {suggestions.SUGGESTIONS_PER_DAY} resources a day. Thanks — please come back tomorrow."
            )
        return cleaned


RATING_LABELS = [
    (1, "didn't help"),
    (2, "helped a little"),
    (3, "helped"),
    (4, "helped a lot"),
    (5, "essential"),
]


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "Used it"), *((n, f"{n} – {label}") for n, label in RATING_LABELS)],
        error_messages={"invalid_choice": "Rate it from 1 to 5, or just mark it used."},
    )
