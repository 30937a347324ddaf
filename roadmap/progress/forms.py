from django import forms

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

    def save(self, *, learner) -> StatusChange:
        """Set the status; the evidence note only when the form sent one (the buttons don't)."""
        note = self.cleaned_data["note"] if "note" in self.data else None
        return set_status(
            learner=learner, topic=self.cleaned_data["topic"], status=self.cleaned_data["status"], note=note
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
