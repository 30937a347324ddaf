from django import forms

from roadmap.models import Progress, Roadmap, Status, Topic
from roadmap.progress.review import ReviewRating
from roadmap.progress.status import StatusChange, set_status

NOT_STARTED = "not_started"
STATUS_CHOICES = [(NOT_STARTED, "Not started"), *Status.choices]


class RoadmapTopicForm(forms.Form):
    """A form about one active topic of the given roadmap, sent by slug."""

    topic = forms.CharField(max_length=80)

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.roadmap = roadmap

    @classmethod
    def for_topic(cls, slug: str, data, *, roadmap: Roadmap):
        """The form for the topic in the address: a form for it needs no hidden field of its own."""
        data = data.copy()
        data["topic"] = slug
        return cls(data, roadmap=roadmap)

    def clean_topic(self) -> Topic:
        slug = self.cleaned_data["topic"]
        try:
            return Topic.objects.active().get(roadmap=self.roadmap, slug=slug)
        except Topic.DoesNotExist:
            raise forms.ValidationError(f"There is no topic “{slug}” in {self.roadmap.title}.") from None


class StatusForm(RoadmapTopicForm):
    """The desired status of one topic of the current roadmap."""

    status = forms.CharField(max_length=20)
    note = forms.CharField(
        max_length=Progress._meta.get_field("note").max_length,
        required=False,
        help_text=Progress._meta.get_field("note").help_text,
    )

    def clean_status(self) -> Status | None:
        value = self.cleaned_data["status"]
        if value == NOT_STARTED:
            return None
        if value not in Status.values:
            labels = ", ".join(label for _, label in STATUS_CHOICES)
            raise forms.ValidationError(f"“{value}” is not a status. Choose one of: {labels}.")
        return Status(value)

    def set_status(self, learner) -> StatusChange:
        """Make the (valid) change for `learner`; the note changes only if the form sent one."""
        note = self.cleaned_data["note"] if "note" in self.data else None
        return set_status(
            learner=learner, topic=self.cleaned_data["topic"], status=self.cleaned_data["status"], note=note
        )


class GoalForm(forms.Form):
    goal = forms.ModelChoiceField(
        queryset=Topic.objects.none(),
        required=False,
        empty_label="No goal yet",
        error_messages={"invalid_choice": "Pick a topic from this roadmap as your goal."},
    )
    free_only = forms.BooleanField(required=False, label="Free resources only")

    def __init__(self, *args, roadmap: Roadmap, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = (
            Topic.objects.active().filter(roadmap=roadmap).select_related("section").in_roadmap_order()
        )
        self.fields["goal"].label_from_instance = lambda topic: topic.title


class ReviewForm(RoadmapTopicForm):
    """A review of one mastered topic, rated as FSRS expects."""

    rating = forms.TypedChoiceField(
        coerce=int,
        choices=ReviewRating.choices,
        error_messages={"invalid_choice": "Rate the review Again, Hard, Good or Easy."},
    )
