import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from config import precompiled
from roadmap.curriculum.graph import cycle_through, needs_from_edges


class RoadmapManager(models.Manager):
    def current(self) -> "Roadmap | None":
        """The roadmap served at / and /dashboard/; None until one is imported.

        Every page reads this row, whose graph token keys the parsed graph and
        every cached page, so its SQL is built once per database (config/precompiled.py).
        On the manager only: a queryset's filters or locks would not apply to it.
        """
        alias = self.db
        connection = connections[alias]
        found = _CURRENT.get(alias)
        if found is None:
            part = precompiled.Part.of(Roadmap, connection)
            quote = connection.ops.quote_name
            table, slug = quote(Roadmap._meta.db_table), quote(Roadmap._meta.get_field("slug").column)
            found = _CURRENT[alias] = (part, f"SELECT {part.sql} FROM {table} WHERE {table}.{slug} = %s")
        part, sql = found
        row = precompiled.one_row(connection, sql, [settings.MATHPATH_DEFAULT_ROADMAP])
        return part.instance(row, alias, connection) if row else None


_CURRENT: dict[str, tuple] = {}  # per database: (precompiled.Part, SQL)


class Roadmap(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Changes whenever a section, topic or prerequisite changes, so anything
    # derived from the graph alone (the parsed graph, the map layout) can be
    # cached under it. A token rather than a counter: ids are reused after a
    # rollback, tokens never are.
    graph_token = models.UUIDField(default=uuid.uuid4, editable=False)

    history = HistoricalRecords(excluded_fields=["graph_token"])
    objects = RoadmapManager()

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("home")

    @classmethod
    def graph_changed(cls) -> None:
        """Invalidate every cached graph (curation edits are rare; one UPDATE covers all)."""
        cls.objects.update(graph_token=uuid.uuid4())


class Section(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="sections")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["roadmap", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "slug"], name="section_unique_slug_per_roadmap"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("home") + f"#section-{self.slug}"


class TopicQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def in_roadmap_order(self):
        return self.order_by("section__order", "section_id", "order", "id")

    def with_neighbours(self):
        """Each topic with its section, its active prerequisites and the active topics it unlocks.

        Three queries however many topics; both lists come in roadmap order.
        """
        return self.select_related("section").prefetch_related(
            models.Prefetch(
                "prerequisite_links",
                Prerequisite.objects.filter(prerequisite__is_archived=False)
                .select_related("prerequisite")
                .order_by("prerequisite__section__order", "prerequisite__order"),
            ),
            models.Prefetch(
                "unlock_links",
                Prerequisite.objects.filter(topic__is_archived=False)
                .select_related("topic")
                .order_by("topic__section__order", "topic__order"),
            ),
        )

    def for_roadmap_page(self, roadmap: Roadmap):
        """Topics of the public roadmap with their prerequisites and resources.

        Three queries however many topics: topics (+ section), prerequisite
        links (+ the prerequisite topic), resource links (+ the resource).
        """
        return (
            self.active()
            .filter(roadmap=roadmap)
            .select_related("section")
            .prefetch_related(
                models.Prefetch(
                    "prerequisite_links",
                    queryset=Prerequisite.objects.filter(prerequisite__is_archived=False)
                    .select_related("prerequisite")
                    .order_by("prerequisite__section__order", "prerequisite__order"),
                ),
                models.Prefetch(
                    "resource_links",
                    queryset=TopicResource.objects.select_related("resource", "resource__pairs_with"),
                ),
            )
            .in_roadmap_order()
        )


class Topic(models.Model):
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="topics")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="topics")
    slug = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    summary = models.TextField(
        help_text="What mastering this topic means, in a sentence or two.",
    )
    estimated_hours = models.DecimalField(
        max_digits=5, decimal_places=1, help_text="Estimated hours of study, practice included."
    )
    order = models.PositiveIntegerField(default=0)
    # Topics learners have progress on are archived, never deleted, so their
    # history survives; archived topics leave the roadmap and every count.
    is_archived = models.BooleanField(
        default=False,
        help_text="Archived topics are hidden from the roadmap and from progress, "
        "but learners' records on them are kept.",
    )
    goal = models.TextField(
        blank=True,
        help_text="Why this topic is worth reaching for its own sake; every topic nothing needs has one.",
    )
    # The file's `was:` and `replaces:` as written, kept so an export writes them
    # back: the rename or the inheritance happened once, at an import, and these
    # record what it was.
    was_slugs = models.JSONField(default=list, blank=True, help_text="Slugs this topic had before a rename.")
    replaces_slugs = models.JSONField(
        default=list,
        blank=True,
        help_text="Topics this one was split or merged from (it inherited their progress).",
    )
    # What the topic's standard derivation uses: a subset of its prerequisite
    # closure (check_roadmap says so when it is not). Through TopicNeed so each
    # row has its own history, as edges do.
    needs = models.ManyToManyField(
        "self", through="TopicNeed", symmetrical=False, blank=True, related_name="needed_by"
    )

    history = HistoricalRecords()
    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["section__order", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["roadmap", "slug"], name="topic_unique_slug_per_roadmap"),
            models.CheckConstraint(condition=Q(estimated_hours__gt=0), name="topic_hours_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("topic_detail", args=[self.slug])

    def clean(self) -> None:
        if self.section_id and self.roadmap_id and self.section.roadmap_id != self.roadmap_id:
            raise ValidationError({"section": "This section belongs to another roadmap."})


class TopicNeed(models.Model):
    """`topic`'s standard derivation uses `needed` (which must lie in its prerequisite closure)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="need_links")
    needed = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="needed_by_links")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "needed"], name="topic_need_unique"),
            models.CheckConstraint(condition=~Q(topic=F("needed")), name="topic_need_not_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} uses {self.needed}"


DEFAULT_REVIEW_CREDIT = Decimal("0.50")


class PrerequisiteQuerySet(models.QuerySet):
    def cycle_closed_by(
        self, *, roadmap_id: int, topic_id: int, prerequisite_ids, replacing=()
    ) -> list["Topic"]:
        """The cycle that giving `topic_id` these prerequisites would close, as topics; [] if none.

        `replacing` are the ids of saved edges the new ones take the place of. The
        saved graph is acyclic, so any cycle runs through the topic; it is named
        from there: "Gradient → Derivatives → Gradient". Archived topics count:
        restoring one must not bring back a cycle.
        """
        edges = self.filter(topic__roadmap_id=roadmap_id).exclude(pk__in=list(replacing))
        needs = needs_from_edges(
            [*edges.values_list("topic_id", "prerequisite_id"), *((topic_id, p) for p in prerequisite_ids)]
        )
        cycle = cycle_through(needs, topic_id)
        if not cycle:
            return []
        topics = Topic.objects.in_bulk(cycle)
        return [topics[pk] for pk in cycle]


class Prerequisite(models.Model):
    """An edge of the prerequisite graph: `topic` needs `prerequisite` first."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="prerequisite_links")
    prerequisite = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="unlock_links")
    reason = models.CharField(max_length=300, blank=True)
    # Reviewing `topic` exercises `prerequisite` too (Math Academy's "implicit
    # repetition"); this is the share of a full review it earns.
    review_credit = models.DecimalField(
        max_digits=3,
        decimal_places=2,
        default=DEFAULT_REVIEW_CREDIT,
        help_text="Share of a review the prerequisite gets when the topic is reviewed (0 to 1).",
    )

    history = HistoricalRecords()
    objects = PrerequisiteQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "prerequisite"]
        constraints = [
            models.UniqueConstraint(fields=["topic", "prerequisite"], name="prerequisite_unique_edge"),
            models.CheckConstraint(
                condition=Q(review_credit__gte=0, review_credit__lte=1),
                name="prerequisite_review_credit_0_to_1",
            ),
            models.CheckConstraint(condition=~Q(topic=F("prerequisite")), name="prerequisite_no_self_loop"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} needs {self.prerequisite}"

    def clean(self) -> None:
        if self.review_credit is not None and not 0 <= self.review_credit <= 1:
            # Keyed to the field, as below, so the admin says this instead of "Constraint … is violated".
            raise ValidationError({"review_credit": "Review credit is a share of a review, from 0 to 1."})
        if not (self.topic_id and self.prerequisite_id):
            return
        if self.topic_id == self.prerequisite_id:
            # Keyed to the field so full_clean() skips the no-self-loop constraint,
            # which would repeat this as "Constraint … is violated".
            raise ValidationError({"prerequisite": "A topic cannot be its own prerequisite."})
        if self.topic.roadmap_id != self.prerequisite.roadmap_id:
            raise ValidationError({"prerequisite": "The prerequisite must be in the same roadmap."})
        cycle = Prerequisite.objects.cycle_closed_by(
            roadmap_id=self.topic.roadmap_id,
            topic_id=self.topic_id,
            prerequisite_ids=[self.prerequisite_id],
            replacing=[self.pk] if self.pk else [],
        )
        if cycle:
            names = " → ".join(t.title for t in cycle)
            raise ValidationError(f"This prerequisite would create a cycle: {names}.")


class ResourceKind(models.TextChoices):
    TEXTBOOK = "textbook", "Textbook"
    COURSE = "course", "Course"
    VIDEO = "video", "Video"
    VIDEO_SERIES = "video_series", "Video series"
    INTERACTIVE = "interactive", "Interactive site"
    ARTICLE = "article", "Article / post"
    NOTES = "notes", "Notes"
    PLATFORM = "platform", "Platform"
    EXERCISES = "exercises", "Problem sets"
    CODE = "code", "Code to run"


class Access(models.TextChoices):
    FREE = "free", "Free"
    FREE_SIGNUP = "free_signup", "Free with sign-up"
    PAID = "paid", "Paid"


class CuratedBy(models.TextChoices):
    SEED = "seed", "The seed plan"
    PROJECT = "project", "mathpath curators"
    LEARNER = "learner", "A learner's suggestion"


class Resource(models.Model):
    Kind = ResourceKind
    Access = Access
    CuratedBy = CuratedBy

    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    author = models.CharField(max_length=200, blank=True)
    url = models.URLField(max_length=500)
    kind = models.CharField(max_length=20, choices=ResourceKind.choices)
    access = models.CharField(max_length=20, choices=Access.choices)
    note = models.TextField(blank=True, help_text="The curator's judgement, in a sentence or two.")
    recommended_by = models.CharField(
        max_length=200, blank=True, help_text="Who recommended it, when the source credits someone."
    )
    curated_by = models.CharField(max_length=20, choices=CuratedBy.choices, default=CuratedBy.SEED)
    pairs_with = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Another resource this one is best used with (a course that follows a book).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ResourceKind.values), name="resource_kind_valid"),
            models.CheckConstraint(condition=Q(access__in=Access.values), name="resource_access_valid"),
            models.CheckConstraint(condition=~Q(pairs_with=F("id")), name="resource_not_paired_with_itself"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.access != self.Access.PAID


class Role(models.TextChoices):
    PRIMARY = "primary", "Primary"
    PICK_ONE = "pick_one", "Pick one of"
    SUPPLEMENTAL = "supplemental", "Supplemental"
    WORTHY_MENTION = "worthy_mention", "Worthy mention"


ROLE_ORDER = {role.value: index for index, role in enumerate(Role)}


class ResourceLink(models.Model):
    """A resource in a role, in curated order: what a topic's and the whole roadmap's links share.

    Each link declares its owner and its `resource` foreign key itself: their
    reverse names (topic.resource_links, resource.topic_links, …) differ, and
    an abstract base could only derive them from the class name.
    """

    owner_field: str  # the foreign key naming what the resource is for: "topic" or "roadmap"

    role = models.CharField(max_length=20, choices=Role.choices)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.resource} for {getattr(self, self.owner_field)} ({self.get_role_display()})"

    @staticmethod
    def constraints_for(owner_field: str) -> list[models.BaseConstraint]:
        """A resource once per owner, in a known role (named "topic_resource_…", "roadmap_resource_…")."""
        return [
            models.UniqueConstraint(fields=[owner_field, "resource"], name=f"{owner_field}_resource_unique"),
            models.CheckConstraint(
                condition=Q(role__in=Role.values), name=f"{owner_field}_resource_role_valid"
            ),
        ]


class TopicResource(ResourceLink):
    owner_field = "topic"
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="topic_links")
    practice = models.CharField(
        max_length=300,
        blank=True,
        help_text="What to work in it, when it is something to practise with "
        '("chapter 4 exercises that involve the SVD").',
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["topic", "order", "id"]
        constraints = ResourceLink.constraints_for("topic")


class RoadmapResource(ResourceLink):
    """A resource for the whole plan, such as the book that maps all of it."""

    owner_field = "roadmap"
    roadmap = models.ForeignKey(Roadmap, on_delete=models.CASCADE, related_name="resource_links")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="roadmap_links")

    history = HistoricalRecords()

    class Meta:
        ordering = ["roadmap", "order", "id"]
        constraints = ResourceLink.constraints_for("roadmap")


def group_by_role(links, *, rank=None) -> list[tuple[str, list]]:
    """[(role label, [links…]), …] in role order, skipping empty roles.

    Within a role, links keep their curated order unless `rank(link)` is given.
    """
    within = rank or (lambda link: link.order)
    groups: dict[str, list] = {}
    for link in sorted(links, key=lambda link: (ROLE_ORDER[link.role], within(link))):
        groups.setdefault(link.role, []).append(link)
    return [(Role(role).label, items) for role, items in groups.items()]
