import random
from datetime import date, timedelta
from decimal import Decimal

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import (
    Attempt,
    LogEntry,
    Placement,
    PracticeDone,
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Problem,
    ProblemKind,
    Progress,
    Purpose,
    Resource,
    Roadmap,
    RoadmapResource,
    Role,
    Satisfaction,
    Section,
    Status,
    Topic,
    TopicCheck,
    TopicNeed,
    TopicResource,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"learner{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password(PASSWORD)


class EmailAddressFactory(factory.django.DjangoModelFactory):
    """An address on an account, as allauth keeps them: by default the user's own, primary, unverified."""

    class Meta:
        model = EmailAddress

    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda a: a.user.email)
    primary = factory.LazyAttribute(lambda a: a.email == a.user.email)
    verified = False


class RoadmapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Roadmap
        django_get_or_create = ["slug"]

    slug = "math-for-ml"
    title = "Mathematics for Machine Learning"


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    roadmap = factory.SubFactory(RoadmapFactory)
    slug = factory.Sequence(lambda n: f"section-{n}")
    title = factory.Sequence(lambda n: f"Section {n}")
    order = factory.Sequence(lambda n: n)


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    section = factory.SubFactory(SectionFactory)
    roadmap = factory.SelfAttribute("section.roadmap")
    slug = factory.Sequence(lambda n: f"topic-{n}")
    title = factory.Sequence(lambda n: f"Topic {n}")
    summary = "Can explain it and solve textbook exercises alone."
    estimated_hours = Decimal("2.0")
    order = factory.Sequence(lambda n: n)


class PrerequisiteFactory(factory.django.DjangoModelFactory):
    """topic needs prerequisite."""

    class Meta:
        model = Prerequisite

    topic = factory.SubFactory(TopicFactory)
    prerequisite = factory.SubFactory(TopicFactory, section=factory.SelfAttribute("..topic.section"))


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    slug = factory.Sequence(lambda n: f"resource-{n}")
    title = factory.Sequence(lambda n: f"Resource {n}")
    url = factory.Sequence(lambda n: f"https://example.com/resource/{n}")
    kind = Resource.Kind.TEXTBOOK
    access = Resource.Access.FREE


class TopicResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TopicResource

    topic = factory.SubFactory(TopicFactory)
    resource = factory.SubFactory(ResourceFactory)
    role = Role.PRIMARY


class LearnerRowFactory(factory.django.DjangoModelFactory):
    """A row of a learner's own data: writing it marks their pages changed, as every writer must."""

    class Meta:
        abstract = True

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        Profile.objects.learner_changed(obj.learner_id)
        return obj


class ProgressFactory(LearnerRowFactory):
    class Meta:
        model = Progress

    learner = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    status = Status.LEARNING
    status_changed_at = factory.LazyFunction(timezone.now)


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        django_get_or_create = ["user"]

    user = factory.SubFactory(UserFactory)


def bulk_roadmap(*, topics: int, edges: int, seed: int = 0, sections: int = 10) -> list[Topic]:
    """The current roadmap with `topics` topics and `edges` random prerequisite edges, in a few queries.

    Edges only ever make a later topic need an earlier one, so the graph stays
    acyclic without running the cycle check per edge. Every topic gets a free
    resource and every third also a paid one paired with it, so plans render
    resources and their pairings too. Returns the topics in roadmap order.
    """
    rng = random.Random(seed)
    roadmap = RoadmapFactory()
    section_rows = Section.objects.bulk_create(
        Section(roadmap=roadmap, slug=f"bulk-section-{i}", title=f"Bulk section {i}", order=i)
        for i in range(sections)
    )
    topic_rows = Topic.objects.bulk_create(
        Topic(
            roadmap=roadmap,
            section=section_rows[i * sections // topics],
            slug=f"bulk-topic-{i}",
            title=f"Bulk topic {i}",
            summary="Can solve its exercises alone.",
            estimated_hours=Decimal("1.5"),
            order=i,
        )
        for i in range(topics)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        low, high = sorted(rng.sample(range(topics), 2))
        pairs.add((high, low))
    Prerequisite.objects.bulk_create(
        Prerequisite(topic=topic_rows[high], prerequisite=topic_rows[low]) for high, low in sorted(pairs)
    )
    free = Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-free-{i}",
            title=f"Free {i}",
            url=f"https://example.com/free/{i}",
            kind=Resource.Kind.TEXTBOOK,
            access=Resource.Access.FREE,
        )
        for i in range(topics)
    )
    paid = Resource.objects.bulk_create(
        Resource(
            slug=f"bulk-paid-{i}",
            title=f"Paid {i}",
            url=f"https://example.com/paid/{i}",
            kind=Resource.Kind.COURSE,
            access=Resource.Access.PAID,
            pairs_with=free[i],
        )
        for i in range(0, topics, 3)
    )
    TopicResource.objects.bulk_create(
        [
            *(
                TopicResource(topic=topic, resource=r, role=Role.PRIMARY)
                for topic, r in zip(topic_rows, free, strict=True)
            ),
            *(
                TopicResource(topic=topic, resource=r, role=Role.SUPPLEMENTAL)
                for topic, r in zip(topic_rows[::3], paid, strict=True)
            ),
        ]
    )
    return topic_rows


class RoadmapResourceFactory(factory.django.DjangoModelFactory):
    """A resource for the whole plan."""

    class Meta:
        model = RoadmapResource

    roadmap = factory.SubFactory(RoadmapFactory)
    resource = factory.SubFactory(ResourceFactory)
    role = Role.PRIMARY


class LogEntryFactory(LearnerRowFactory):
    """One day of the learning log; pass topics=[...] to link roadmap topics."""

    class Meta:
        model = LogEntry
        skip_postgeneration_save = True

    learner = factory.SubFactory(UserFactory)
    date = factory.Sequence(lambda n: date(2025, 1, 1) + timedelta(days=n))
    minutes = 90
    stage = "noob-level math grind"
    satisfied = Satisfaction.YES
    note = ""

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)
            Profile.objects.learner_changed(self.learner_id)


class MasteredProgressFactory(ProgressFactory):
    """A mastered topic with the FSRS card set_status gives it; `mastered_at` sets when.

    Mastering counts as a first "Good" review, so the card is due two days later.
    """

    class Params:
        mastered_at = factory.LazyFunction(timezone.now)

    status = Status.MASTERED
    status_changed_at = factory.SelfAttribute("mastered_at")

    review_card = factory.LazyAttribute(lambda o: _first_review(o.mastered_at).review_card)
    review_due = factory.LazyAttribute(lambda o: _first_review(o.mastered_at).review_due)


class CheckedProgressFactory(MasteredProgressFactory):
    """A topic mastered by passing "Check yourself": the date (`checked_at`, default when mastered) and "3/3"."""

    checked_at = factory.SelfAttribute("mastered_at")
    check_score = "3/3"


def _first_review(mastered_at) -> Progress:
    """An unsaved Progress carrying the card that mastering at `mastered_at` starts."""
    from roadmap.progress import review  # imported here so the factories above stay independent of FSRS

    scratch = Progress()
    review.start_reviews(scratch, now=mastered_at)
    return scratch


class ResourceSuggestionFactory(factory.django.DjangoModelFactory):
    """A pending suggestion, waiting in the moderation queue."""

    class Meta:
        model = "roadmap.ResourceSuggestion"

    suggester = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    title = factory.Sequence(lambda n: f"Suggested resource {n}")
    url = factory.Sequence(lambda n: f"https://suggested.example.org/{n}")
    kind = Resource.Kind.VIDEO_SERIES
    access = Resource.Access.FREE
    why = "The worked examples finally made it click."


class ResourceRatingFactory(LearnerRowFactory):
    """A learner used a resource and rated how much it helped."""

    class Meta:
        model = "roadmap.ResourceRating"

    learner = factory.SubFactory(UserFactory)
    resource = factory.SubFactory(ResourceFactory)
    rating = 4


class TopicNeedFactory(factory.django.DjangoModelFactory):
    """topic's derivation uses needed."""

    class Meta:
        model = TopicNeed

    topic = factory.SubFactory(TopicFactory)
    needed = factory.SubFactory(TopicFactory, section=factory.SelfAttribute("..topic.section"))


class PracticeTaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeTask
        skip_postgeneration_save = True

    section = factory.SubFactory(SectionFactory)
    slug = factory.Sequence(lambda n: f"task-{n}")
    title = factory.Sequence(lambda n: f"Practice task {n}")
    data = "iris (sklearn.datasets.load_iris)"
    task = "Compute the mean petal length by hand and with np.mean."
    order = factory.Sequence(lambda n: n)

    @factory.post_generation
    def exercises(self, create, topics, **kwargs):
        for index, topic in enumerate(topics or []):
            PracticeExercise.objects.create(task=self, topic=topic, order=index)


class PracticeDoneFactory(LearnerRowFactory):
    class Meta:
        model = PracticeDone

    learner = factory.SubFactory(UserFactory)
    task = factory.SubFactory(PracticeTaskFactory)
    done_at = factory.LazyFunction(timezone.now)


class PracticeExerciseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeExercise

    task = factory.SubFactory(PracticeTaskFactory)
    topic = factory.SubFactory(TopicFactory, section=factory.SelfAttribute("..task.section"))


class ProblemFactory(factory.django.DjangoModelFactory):
    """A numeric check problem: "Compute 2 + n", keyed by its own number so each one differs.

    ChoiceProblemFactory, MultipleProblemFactory and ExpressionProblemFactory give the other kinds.
    """

    class Meta:
        model = Problem

    class Params:
        n = factory.Sequence(lambda n: n)

    topic = factory.SubFactory(TopicFactory)
    key = factory.LazyAttribute(lambda p: f"problem-{p.n}")
    order = factory.LazyAttribute(lambda p: p.n)
    ability = "compute"
    ability_text = "compute a sum"
    difficulty = 1
    kind = ProblemKind.NUMERIC
    statement = factory.LazyAttribute(lambda p: f"Compute $2 + {p.n}$.")
    answer = factory.LazyAttribute(lambda p: str(2 + p.n))
    solution = factory.LazyAttribute(lambda p: f"Add them: $2 + {p.n} = {2 + p.n}$.")


class ChoiceProblemFactory(ProblemFactory):
    """A single-choice problem whose right letter is B."""

    kind = ProblemKind.CHOICE
    statement = "Which number is even?"
    choices = ["$3$", "$4$", "$5$", "$7$"]
    answer = "B"
    solution = "Only $4$ is divisible by $2$."


class MultipleProblemFactory(ProblemFactory):
    """A select-all problem whose right letters are A and C."""

    kind = ProblemKind.MULTIPLE
    statement = "Which numbers are even?"
    choices = ["$2$", "$3$", "$4$", "$5$"]
    answer = "A,C"
    solution = "$2$ and $4$ are divisible by $2$."


class ExpressionProblemFactory(ProblemFactory):
    """The derivative of x^2, keyed 2x."""

    kind = ProblemKind.EXPRESSION
    statement = "Differentiate $x^2$."
    answer = "2x"
    variables = ["x"]
    domain = {"x": [-2, 2]}
    solution = "The power rule: $2x$."


class TopicCheckFactory(LearnerRowFactory):
    """An open check of the given problems (pass problems=[...]); `problem_ids` follows from them."""

    class Meta:
        model = TopicCheck

    class Params:
        problems = factory.LazyAttribute(lambda c: ProblemFactory.create_batch(3, topic=c.topic))

    learner = factory.SubFactory(UserFactory)
    topic = factory.SubFactory(TopicFactory)
    problem_ids = factory.LazyAttribute(lambda c: [p.pk for p in c.problems])


class PlacementFactory(LearnerRowFactory):
    class Meta:
        model = Placement

    learner = factory.SubFactory(UserFactory)
    roadmap = factory.SubFactory(RoadmapFactory)


class AttemptFactory(LearnerRowFactory):
    """One stored answer; right unless correct=False."""

    class Meta:
        model = Attempt

    learner = factory.SubFactory(UserFactory)
    problem = factory.SubFactory(ProblemFactory)
    answer = factory.LazyAttribute(lambda a: a.problem.answer)
    correct = True
    purpose = Purpose.CHECK
    created_at = factory.LazyFunction(timezone.now)
