from itertools import groupby

from django import forms
from django.db import transaction
from django.forms.boundfield import BoundWidget

from accounts.bidi_controls import strip_bidi_controls
from accounts.models import Profile
from roadmap.journal.stats import format_day
from roadmap.models import LogEntry, Roadmap, Satisfaction, Section, Topic
from roadmap.models.journal import MAX_MINUTES_PER_DAY, MAX_NOTE_LENGTH

MAX_ID = 2**63 - 1  # the largest id a (big) integer column holds


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics by id, where an id past the integer range is just an invalid choice.

    Django would send it to the database, where SQLite raises OverflowError (a 500).
    """

    def _check_values(self, value):
        for pk in value:
            digits = str(pk).strip().lstrip("+-")
            # isascii: "²" is a digit to str.isdigit() but not to int().
            if digits.isascii() and digits.isdigit() and (len(digits) > 19 or int(digits) > MAX_ID):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": pk}
                )
        return super()._check_values(value)


class LogEntryForm(forms.ModelForm):
    clash_day = None  # the day of the learner's other entry, when the date chosen has one
    hours = forms.IntegerField(label="Hours", initial=0, min_value=0, max_value=24)
    extra_minutes = forms.IntegerField(label="Minutes", initial=0, min_value=0, max_value=59)

    class Meta:
        model = LogEntry
        fields = ["date", "hours", "extra_minutes", "stage", "topics", "satisfied", "note"]
        field_classes = {"topics": TopicChoiceField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "satisfied": forms.RadioSelect,
            "note": forms.Textarea(attrs={"rows": 5}),
            # A checklist grouped by section (topic_groups), not a 113-row Ctrl-click <select>.
            "topics": forms.CheckboxSelectMultiple,
        }
        labels = {"stage": "Current stage", "topics": "Topics studied", "satisfied": "Satisfied?"}
        help_texts = {
            "note": "Markdown. Links, lists, emphasis and code work; HTML is stripped.",
            "topics": "Tick each topic you worked on.",
        }

    def __init__(self, *args, learner, today, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner = learner
        self.today = today
        self.fields["topics"].queryset = (
            Topic.objects.active().filter(roadmap=roadmap).in_roadmap_order().select_related("section")
        )
        self.fields["satisfied"].choices = Satisfaction.choices
        self.fields["note"].max_length = MAX_NOTE_LENGTH
        self.fields["note"].widget.attrs["maxlength"] = MAX_NOTE_LENGTH
        if self.instance.pk:
            self.initial["hours"], self.initial["extra_minutes"] = divmod(self.instance.minutes, 60)
        else:
            self.initial.setdefault("date", today)

    def topic_groups(self) -> list[tuple[Section, list[BoundWidget]]]:
        """The topic checkboxes by section, in roadmap order (the one query of the choices)."""
        boxes = self["topics"].subwidgets
        return [
            (section, list(group))
            for section, group in groupby(boxes, key=lambda box: box.data["value"].instance.section)
        ]

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > self.today:
            raise forms.ValidationError(
                f"{format_day(day)} is in the future — today is {format_day(self.today)} in your time zone."
            )
        clash = LogEntry.objects.filter(learner=self.learner, date=day).exclude(pk=self.instance.pk)
        if clash.exists():
            self.clash_day = day  # the form links to that entry (log_entry_form.html)
            raise forms.ValidationError(
                f"You already have an entry for {format_day(day)}. Edit that one instead."
            )
        return day

    def clean_stage(self) -> str:
        return strip_bidi_controls(self.cleaned_data["stage"])  # shown on the shared page and card

    def clean(self):
        cleaned = super().clean()
        hours, minutes = cleaned.get("hours"), cleaned.get("extra_minutes")
        if hours is None or minutes is None:
            return cleaned
        total = hours * 60 + minutes
        if total <= 0:
            self.add_error("hours", "Log the time you studied: at least one minute.")
        elif total > MAX_MINUTES_PER_DAY:
            self.add_error("hours", "A day has 24 hours; log at most 24h 00m.")
        else:
            self.instance.minutes = total
        return cleaned

    def save(self, commit=True):
        self.instance.learner = self.learner
        # The entry and its topics are one write: a crash between the two must not
        # keep an entry without its topics (and then refuse the retry as a second entry).
        with transaction.atomic():
            entry = super().save(commit)
            Profile.objects.learner_changed(self.learner.pk)
        return entry
