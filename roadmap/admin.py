from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Q
from django.forms.models import BaseInlineFormSet
from django.template.loader import render_to_string
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Profile
from roadmap.community import suggestions
from roadmap.models import (
    Attempt,
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Problem,
    Progress,
    Resource,
    ResourceRating,
    ResourceSuggestion,
    Roadmap,
    RoadmapResource,
    Section,
    SuggestionStatus,
    Topic,
    TopicNeed,
    TopicResource,
)


class PrerequisiteFormSet(BaseInlineFormSet):
    """Checks the edges of one topic together, against the rest of the graph.

    Each form's own clean() sees only the saved graph, so two new edges added
    in one save could close a cycle that neither closes alone.
    """

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        kept, replaced = [], set()
        for form in self.forms:
            if not form.cleaned_data:
                continue
            if form.instance.pk:
                replaced.add(form.instance.pk)
            if form.cleaned_data.get("DELETE") or not form.cleaned_data.get("prerequisite"):
                continue
            kept.append(form.cleaned_data["prerequisite"].pk)
        cycle = Prerequisite.objects.cycle_closed_by(
            roadmap_id=self.instance.roadmap_id,
            topic_id=self.instance.pk,
            prerequisite_ids=kept,
            replacing=replaced,
        )
        if cycle:
            names = " → ".join(topic.title for topic in cycle)
            raise ValidationError(f"These prerequisites would create a cycle: {names}.")


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    fk_name = "topic"
    formset = PrerequisiteFormSet
    autocomplete_fields = ["prerequisite"]
    extra = 1
    verbose_name = "prerequisite (this topic needs it first)"
    verbose_name_plural = "prerequisites (this topic needs them first)"


class TopicResourceInline(admin.TabularInline):
    model = TopicResource
    # Named, as for the other resource links: the fields the links share come
    # first in the model, so left to Django the resource would be shown last.
    fields = ["resource", "role", "order", "practice"]
    autocomplete_fields = ["resource"]
    extra = 1


class TopicNeedInline(admin.TabularInline):
    model = TopicNeed
    fk_name = "topic"
    fields = ["needed", "order"]
    autocomplete_fields = ["needed"]
    extra = 0
    verbose_name = "need (its standard derivation uses it; must be among its prerequisites)"
    verbose_name_plural = (
        "needs (what its standard derivation uses; check_roadmap holds them to its prerequisites)"
    )


class PracticeTaskInline(admin.StackedInline):
    model = PracticeTask
    fields = ["order", "title", "slug", "data", "task"]
    extra = 0
    show_change_link = True  # the topics it exercises are on its own page


class PracticeExerciseInline(admin.TabularInline):
    model = PracticeExercise
    fields = ["topic", "order"]
    autocomplete_fields = ["topic"]
    extra = 1


class TopicInline(admin.TabularInline):
    model = Topic
    fields = ["order", "title", "slug", "estimated_hours", "is_archived"]
    extra = 0
    show_change_link = True
    ordering = ["order"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("section")


class RoadmapResourceInline(admin.TabularInline):
    model = RoadmapResource
    fields = ["resource", "role", "order"]
    autocomplete_fields = ["resource"]
    extra = 0


@admin.register(Roadmap)
class RoadmapAdmin(SimpleHistoryAdmin):
    list_display = ["title", "slug", "updated_at"]
    search_fields = ["title", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [RoadmapResourceInline]


@admin.register(Section)
class SectionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "roadmap", "order", "topic_count"]
    list_editable = ["order"]
    list_filter = ["roadmap"]
    search_fields = ["title", "slug"]
    ordering = ["roadmap__title", "order", "id"]  # as for topics: the annotation drops Meta.ordering
    prepopulated_fields = {"slug": ["title"]}
    inlines = [TopicInline, PracticeTaskInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("roadmap")
            .annotate(active_topics=Count("topics", filter=Q(topics__is_archived=False)))
        )

    @admin.display(description="topics", ordering="active_topics")
    def topic_count(self, obj):
        return obj.active_topics


@admin.action(description="Archive selected topics (keeps learners' progress)")
def archive_topics(modeladmin, request, queryset):
    count = _set_archived(queryset, True)
    modeladmin.message_user(request, f"Archived {count} topic(s). Learners' records on them are kept.")


@admin.action(description="Restore selected topics from the archive")
def restore_topics(modeladmin, request, queryset):
    count = _set_archived(queryset, False)
    modeladmin.message_user(request, f"Restored {count} topic(s).")


def _set_archived(topics, archived: bool) -> int:
    """Archive or restore each topic not so already; how many changed.

    One save a topic rather than one UPDATE, so each writes its history row
    and the graph changed signal fires.
    """
    count = 0
    for topic in topics.filter(is_archived=not archived):
        topic.is_archived = archived
        topic.save(update_fields=["is_archived"])
        count += 1
    return count


class ProblemInline(admin.TabularInline):
    model = Problem
    fields = ["key", "ability", "kind", "difficulty", "is_archived"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name_plural = "check problems (edit each on its own page, with a preview)"

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["title", "section", "order", "estimated_hours", "is_archived", "learners"]
    list_filter = ["roadmap", "section", "is_archived"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "summary"]
    # Explicit: the Count annotation's GROUP BY drops Meta.ordering, which left
    # the paginated autocomplete unordered.
    ordering = ["section__order", "order", "id"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    inlines = [PrerequisiteInline, TopicResourceInline, TopicNeedInline, ProblemInline]
    actions = [archive_topics, restore_topics]
    delete_confirmation_template = "admin/roadmap/topic/delete_confirmation.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(learner_count=Count("progress"))

    @admin.display(description="learners with progress", ordering="learner_count")
    def learners(self, obj):
        return obj.learner_count


@admin.register(PracticeTask)
class PracticeTaskAdmin(SimpleHistoryAdmin):
    list_display = ["title", "section", "order"]
    list_filter = ["section__roadmap", "section"]
    list_select_related = ["section"]
    search_fields = ["title", "slug", "task", "data"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["section"]
    inlines = [PracticeExerciseInline]


@admin.register(Prerequisite)
class PrerequisiteAdmin(SimpleHistoryAdmin):
    list_display = ["topic", "prerequisite", "reason", "review_credit"]
    list_editable = ["review_credit"]
    list_select_related = ["topic", "prerequisite"]
    list_filter = ["topic__roadmap", "topic__section"]
    search_fields = ["topic__title", "prerequisite__title", "reason"]
    autocomplete_fields = ["topic", "prerequisite"]


@admin.register(Resource)
class ResourceAdmin(SimpleHistoryAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "author", "kind", "access", "curated_by", "recommended_by"]
    list_filter = ["kind", "access", "curated_by"]
    search_fields = ["title", "author", "url", "note", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["pairs_with"]


@admin.register(TopicResource)
class TopicResourceAdmin(SimpleHistoryAdmin):
    fields = ["topic", "resource", "role", "order"]
    list_display = ["resource", "topic", "role", "order"]
    list_filter = ["role", "topic__section"]
    list_select_related = ["resource", "topic"]
    search_fields = ["resource__title", "topic__title"]
    autocomplete_fields = ["topic", "resource"]


@admin.register(Problem)
class ProblemAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "ability", "kind", "difficulty", "is_archived"]
    list_filter = ["kind", "difficulty", "is_archived", "topic__section"]
    list_select_related = ["topic"]
    search_fields = ["key", "statement", "topic__title", "topic__slug", "ability"]
    autocomplete_fields = ["topic"]
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": ["topic", "key", "order", "ability", "ability_text", "difficulty", "kind"]}),
        ("The problem", {"fields": ["statement", "choices", "answer", "tolerance", "variables", "domain"]}),
        ("After the answer", {"fields": ["solution"]}),
        ("Checking the key (test suite)", {"fields": ["compute", "choice_values"]}),
        ("Preview, as saved", {"fields": ["preview"]}),
        (None, {"fields": ["is_archived"]}),
    ]

    @admin.display(description="what a learner sees")
    def preview(self, obj: Problem):
        if not obj.pk:
            return "Save the problem to see it rendered."
        return render_to_string("admin/roadmap/problem/preview.html", {"problem": obj})


class LearnerDataAdmin(admin.ModelAdmin):
    """A learner's own rows (progress, ratings): every edit marks their pages changed.

    It takes the learner's lock first, as every progress writer does
    (Profile.objects.lock_learner, which also gives them a new state token), so
    an edit here waits for a learner's click instead of deadlocking with it or
    colliding with the row it inserts. (The admin runs each save in a transaction.)
    """

    def save_model(self, request, obj, form, change):
        Profile.objects.lock_learner(obj.learner_id)
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        Profile.objects.lock_learner(obj.learner_id)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        learner_ids = sorted(set(queryset.values_list("learner_id", flat=True)))
        for learner_id in learner_ids:  # always in one order, so two deletions cannot deadlock
            Profile.objects.lock_learner(learner_id)
        super().delete_queryset(request, queryset)


@admin.register(Progress)
class ProgressAdmin(LearnerDataAdmin):
    list_display = ["learner", "topic", "status", "status_changed_at"]
    list_filter = ["status"]
    list_select_related = ["learner", "topic"]
    search_fields = ["learner__username", "learner__email", "topic__title"]
    raw_id_fields = ["learner", "topic"]
    readonly_fields = ["created_at", "updated_at"]


class SuggestionAdminForm(forms.ModelForm):
    url = forms.URLField(max_length=500, assume_scheme="https")

    class Meta:
        model = ResourceSuggestion
        fields = ["topic", "title", "url", "kind", "access", "why", "status", "rejection_reason"]

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if self.instance.resource_id and status != SuggestionStatus.APPROVED:
            self.add_error(
                "status",
                "This suggestion is already approved and on the roadmap; edit or archive its resource instead.",
            )
        if status == SuggestionStatus.REJECTED and not (cleaned.get("rejection_reason") or "").strip():
            self.add_error(
                "rejection_reason", "Say why it is rejected; the learner who suggested it will see this."
            )
        if status == SuggestionStatus.APPROVED and not self.instance.resource_id and cleaned.get("url"):
            existing = suggestions.existing_resource_for(cleaned["url"])
            if existing:
                self.add_error("url", f"This link is already on the roadmap as “{existing.title}”.")
        return cleaned


@admin.action(description="Approve selected suggestions (creates the resources)")
def approve_suggestions(modeladmin, request, queryset):
    approved = 0
    for suggestion in queryset.filter(status=SuggestionStatus.PENDING).select_related("suggester", "topic"):
        if suggestions.existing_resource_for(suggestion.url):
            modeladmin.message_user(
                request, f"Skipped “{suggestion.title}”: its link is already on the roadmap.", level="warning"
            )
            continue
        suggestions.approve(suggestion=suggestion, moderator=request.user)
        approved += 1
    modeladmin.message_user(request, f"Approved {approved} suggestion(s).")


@admin.register(ResourceSuggestion)
class ResourceSuggestionAdmin(admin.ModelAdmin):
    """The moderation queue: edit a suggestion, then approve it, or reject it with a reason."""

    form = SuggestionAdminForm
    list_display = ["title", "topic", "suggester", "access", "status", "created_at"]
    list_filter = ["status", "kind", "access"]
    list_select_related = ["topic", "suggester"]
    search_fields = ["title", "url", "why", "suggester__username"]
    autocomplete_fields = ["topic"]
    readonly_fields = ["suggester", "resource", "created_at", "decided_at", "decided_by"]
    actions = [approve_suggestions]

    def changelist_view(self, request, extra_context=None):
        # Open on the queue: pending suggestions, unless a filter was chosen.
        if not any(key.startswith("status") for key in request.GET) and "q" not in request.GET:
            query = request.GET.copy()
            query["status__exact"] = SuggestionStatus.PENDING
            request.GET = query
            request.META["QUERY_STRING"] = query.urlencode()
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False  # suggestions come from learners

    def save_model(self, request, obj, form, change):
        decided = form.cleaned_data["status"]
        previous = ResourceSuggestion.objects.get(pk=obj.pk).status if obj.pk else None
        if decided == SuggestionStatus.APPROVED and previous != SuggestionStatus.APPROVED:
            obj.status = SuggestionStatus.PENDING  # approve() makes the transition
            super().save_model(request, obj, form, change)
            suggestions.approve(suggestion=obj, moderator=request.user)
        elif decided == SuggestionStatus.REJECTED and previous != SuggestionStatus.REJECTED:
            suggestions.reject(suggestion=obj, moderator=request.user, reason=obj.rejection_reason)
        else:
            super().save_model(request, obj, form, change)


@admin.register(ResourceRating)
class ResourceRatingAdmin(LearnerDataAdmin):
    list_display = ["resource", "learner", "rating", "updated_at"]
    list_filter = ["rating"]
    list_select_related = ["resource", "learner"]
    search_fields = ["resource__title", "learner__username"]
    raw_id_fields = ["learner", "resource"]


@admin.register(Attempt)
class AttemptAdmin(admin.ModelAdmin):
    """Answers are evidence: readable here, never edited (a changed answer would forge a check)."""

    list_display = ["learner", "problem", "purpose", "correct", "created_at"]
    list_filter = ["purpose", "correct"]
    list_select_related = ["learner", "problem__topic"]
    search_fields = ["learner__username", "problem__key", "problem__topic__slug"]
    raw_id_fields = ["learner", "problem", "topic_check", "placement"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
