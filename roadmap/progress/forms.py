import uuid
from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from accounts.models import Profile, validate_target_date, validate_weekly_minutes
from roadmap.models import PracticeTask, Problem, Progress, Roadmap, Status, Topic
from roadmap.progress.review import ReviewRating
from roadmap.progress.status import StatusChange, set_status
from roadmap.web.htmx import topic_gone_message

NOT_STARTED = "not_started"
STATUS_CHOICES = [(NOT_STARTED, "Not started"), *Status.choices]


class RoadmapTopicForm(forms.Form):
    """A form about one active topic of the given roadmap, sent by slug."""

    topic = forms.CharField(max_length=80)

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap

    def clean_topic(self) -> Topic:
        slug = self.cleaned_data["topic"]
        try:
            return Topic.objects.active().get(roadmap=self.roadmap, slug=slug)
        except Topic.DoesNotExist:
            # Usually archived since the page was drawn: say so by its title, never its slug.
            raise forms.ValidationError(topic_gone_message(self.roadmap, slug)) from None

    @property
    def topic_title(self) -> str:
        """The topic's title once it validated (after is_valid()), for an error about the rest; else ""."""
        topic = getattr(self, "cleaned_data", {}).get("topic")
        return topic.title if isinstance(topic, Topic) else ""


class StatusForm(RoadmapTopicForm):
    """The desired status of one topic of the current roadmap."""

    status = forms.CharField(max_length=20)
    note = forms.CharField(
        max_length=Progress._meta.get_field("note").max_length,
        required=False,
        help_text=Progress._meta.get_field("note").help_text,
        error_messages={
            "max_length": "An evidence note can be at most %(limit_value)d characters; this one has %(show_value)d."
        },
    )

    def clean_status(self) -> Status | None:
        value = self.cleaned_data["status"]
        if value == NOT_STARTED:
            return None
        if value not in Status.values:
            labels = ", ".join(label for _, label in STATUS_CHOICES)
            raise forms.ValidationError(f"“{value}” is not a status. Choose one of: {labels}.")
        return Status(value)

    def save(self, *, learner, shown: uuid.UUID | None = None) -> StatusChange:
        """Set the status; the evidence note only when the form sent one (the buttons don't).

        `shown`: the state token of the page that sent it (see set_status).
        """
        note = self.cleaned_data["note"] if "note" in self.data else None
        return set_status(
            learner=learner,
            topic=self.cleaned_data["topic"],
            status=self.cleaned_data["status"],
            note=note,
            shown=shown,
        )


class GoalForm(forms.Form):
    goal = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        empty_label="No goal yet",
        # The likely cause: the topic left the roadmap since the page was drawn.
        error_messages={
            "invalid_choice": "That topic is no longer on the roadmap — reload the page and pick another goal."
        },
    )
    free_only = forms.BooleanField(required=False, label="Free resources only")

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = (
            Topic.objects.active().filter(roadmap=roadmap).select_related("section").in_roadmap_order()
        )
        self.fields["goal"].label_from_instance = lambda topic: topic.title


class PaceForm(forms.Form):
    """The learner's own pace (hours and minutes a week) and target date for their goal.

    Both optional: no pace means the pace from the log; no target, no target.
    The import holds files to the same rules (accounts.models' validators).
    """

    pace_hours = forms.IntegerField(
        label="Hours a week",
        required=False,
        min_value=0,
        max_value=168,
        widget=forms.NumberInput(attrs={"aria-label": "Hours a week"}),
        error_messages={"max_value": "A week has 168 hours; set at most 168."},
    )
    pace_minutes = forms.IntegerField(
        label="Minutes a week",
        required=False,
        min_value=0,
        max_value=59,
        widget=forms.NumberInput(attrs={"aria-label": "Minutes a week"}),
        error_messages={"max_value": "Minutes go up to 59; write 90 minutes as 1 h 30 min."},
    )
    target = forms.DateField(
        label="Target date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the target as a date, such as 2027-03-01."},
    )

    def __init__(self, *args, profile: Profile, **kwargs):
        hours, minutes = divmod(profile.weekly_minutes, 60) if profile.weekly_minutes else (None, None)
        kwargs.setdefault(
            "initial", {"pace_hours": hours, "pace_minutes": minutes, "target": profile.target_date}
        )
        super().__init__(*args, **kwargs)
        self.today = profile.today()

    def clean_target(self) -> date | None:
        target = self.cleaned_data["target"]
        if target is not None:
            validate_target_date(target, today=self.today)
        return target

    def clean(self):
        cleaned = super().clean()
        hours, minutes = cleaned.get("pace_hours"), cleaned.get("pace_minutes")
        if "pace_hours" in self.errors or "pace_minutes" in self.errors:
            return cleaned
        if hours is None and minutes is None:
            cleaned["weekly_minutes"] = None  # both empty: the pace from the log
            return cleaned
        total = (hours or 0) * 60 + (minutes or 0)
        try:
            validate_weekly_minutes(total)
        except ValidationError as exc:
            self.add_error("pace_hours", exc)
        else:
            cleaned["weekly_minutes"] = total
        return cleaned

    def save(self, profile: Profile) -> None:
        profile.weekly_minutes = self.cleaned_data["weekly_minutes"]
        profile.target_date = self.cleaned_data["target"]
        profile.save_changes(["weekly_minutes", "target_date"])


class ReviewForm(RoadmapTopicForm):
    """A review of one mastered topic, rated by the learner as FSRS expects.

    Only for topics with no problems in their bank: the others are reviewed by
    answering one (roadmap/checking/recall.py), and the answer sets the rating.
    """

    rating = forms.TypedChoiceField(
        coerce=int,
        choices=ReviewRating.choices,
        error_messages={"invalid_choice": "Rate the review Again, Hard, Good or Easy."},
    )

    def clean_topic(self) -> Topic:
        topic = super().clean_topic()
        if Problem.objects.active().filter(topic=topic).exists():
            raise forms.ValidationError(
                f"“{topic.title}” is reviewed with a problem from its bank: answer the problem "
                "(Review now) rather than rating the review yourself."
            )
        return topic


class PracticeDoneForm(forms.Form):
    """A practice task of the given roadmap, by id, and whether the learner has done it."""

    task = forms.IntegerField(min_value=1)
    done = forms.BooleanField(required=False)

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap

    def clean_task(self) -> PracticeTask:
        try:
            return PracticeTask.objects.select_related("section").get(
                pk=self.cleaned_data["task"], section__roadmap=self.roadmap
            )
        except PracticeTask.DoesNotExist:
            raise forms.ValidationError(
                "That practice task is no longer on the roadmap — reload the page."
            ) from None
