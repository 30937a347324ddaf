"""Ada's whole record, for the export and import tests; and Grace's, with every kind of record."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from accounts.models import Visibility
from roadmap.community import suggestions
from roadmap.models import Purpose, Satisfaction, Status, SuggestionStatus
from roadmap.progress import review
from roadmap.progress.review import ReviewRating
from tests.factories import (
    AttemptFactory,
    CheckedProgressFactory,
    LogEntryFactory,
    MasteredProgressFactory,
    PlacementFactory,
    PracticeDoneFactory,
    PracticeTaskFactory,
    ProblemFactory,
    ProfileFactory,
    ProgressFactory,
    ResourceFactory,
    ResourceRatingFactory,
    ResourceSuggestionFactory,
    RoadmapFactory,
    SectionFactory,
    TopicCheckFactory,
    TopicFactory,
    UserFactory,
)


@pytest.fixture
def topics(db):
    calculus = SectionFactory(roadmap=RoadmapFactory(), slug="calculus", title="Calculus")
    return {
        slug: TopicFactory(section=calculus, slug=slug, title=title, order=order)
        for order, (slug, title) in enumerate(
            [("limits", "Limits"), ("derivatives", "Derivatives"), ("integrals", "Integrals")]
        )
    }


@pytest.fixture
def learner(topics):
    """Ada's whole record: progress with evidence notes, a goal, settings and a log."""
    user = UserFactory(username="ada", email="ada@example.com")
    ProfileFactory(
        user=user,
        display_name="Ada L.",
        visibility=Visibility.PUBLIC,
        timezone="Europe/Berlin",
        journey_start=date(2025, 2, 1),
        share_log_notes=True,
        plan_free_only=True,
        goal=topics["integrals"],
    )
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.MASTERED, note="Larson 1.2, ex 1–40")
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING, note="")
    LogEntryFactory(
        learner=user,
        date=date(2025, 3, 1),
        minutes=360,
        stage="noob-level math grind",
        satisfied=Satisfaction.YES,
        note='Hard day, "but" good,\nsecond line',
        topics=[topics["limits"], topics["derivatives"]],
    )
    LogEntryFactory(
        learner=user, date=date(2025, 3, 2), minutes=45, stage="", satisfied=Satisfaction.NOT_REALLY
    )
    return user


@pytest.fixture
def rich(topics):
    """Grace's account with every kind of record, each field filled somewhere.

    Limits was mastered, reviewed well, then failed a review; derivatives was
    mastered by a passed check and is due for review; vectors is known, series
    practised, integrals (the goal) being learnt.
    """
    calculus = topics["limits"].section
    topics["series"] = TopicFactory(section=calculus, slug="series", title="Series")
    topics["vectors"] = TopicFactory(section=calculus, slug="vectors", title="Vectors")
    now = timezone.now()
    user = UserFactory(username="grace")
    ProfileFactory(
        user=user,
        display_name="Grace H.",
        timezone="America/New_York",
        journey_start=(now - timedelta(days=60)).date(),
        share_log_notes=True,
        plan_free_only=True,
        goal=topics["integrals"],
        weekly_minutes=300,
        target_date=(now + timedelta(days=90)).date(),
    )
    MasteredProgressFactory(
        learner=user, topic=topics["limits"], mastered_at=now - timedelta(days=40), note="Ch. 1"
    )
    review.review_topic(
        learner=user, topic=topics["limits"], rating=ReviewRating.GOOD, now=now - timedelta(days=30)
    )
    review.review_topic(
        learner=user, topic=topics["limits"], rating=ReviewRating.AGAIN, now=now - timedelta(days=2)
    )
    CheckedProgressFactory(learner=user, topic=topics["derivatives"], mastered_at=now - timedelta(days=5))
    ProgressFactory(learner=user, topic=topics["vectors"], status=Status.SKIPPED)
    ProgressFactory(learner=user, topic=topics["series"], status=Status.PRACTISED, note="Exercises 1–20")
    ProgressFactory(learner=user, topic=topics["integrals"], status=Status.LEARNING)

    LogEntryFactory(
        learner=user,
        date=(now - timedelta(days=3)).date(),
        minutes=95,
        stage="calculus",
        satisfied=Satisfaction.SOMEWHAT,
        note="**Chain rule** at last",
        topics=[topics["derivatives"], topics["limits"]],
    )
    LogEntryFactory(learner=user, date=(now - timedelta(days=2)).date(), minutes=30, stage="", note="")
    task = PracticeTaskFactory(section=calculus, slug="tangents", exercises=[topics["derivatives"]])
    PracticeDoneFactory(learner=user, task=task, done_at=now - timedelta(days=4))

    problems = [ProblemFactory(topic=topics["derivatives"], key=f"slope-{n}") for n in range(3)]
    check = TopicCheckFactory(
        learner=user,
        topic=topics["derivatives"],
        problems=problems,
        created_at=now - timedelta(days=5, minutes=10),
        finished_at=now - timedelta(days=5),
        score=3,
        passed=True,
    )
    for n, problem in enumerate(problems):
        AttemptFactory(
            learner=user,
            problem=problem,
            topic_check=check,
            created_at=check.created_at + timedelta(minutes=n),
        )
    done = PlacementFactory(
        learner=user,
        roadmap=topics["limits"].roadmap,
        created_at=now - timedelta(days=50),
        finished_at=now - timedelta(days=50, minutes=-20),
        applied_at=now - timedelta(days=50, minutes=-21),
    )
    AttemptFactory(
        learner=user,
        problem=problems[0],
        placement=done,
        purpose=Purpose.PLACEMENT,
        answer="7",
        correct=False,
        created_at=done.created_at + timedelta(minutes=1),
    )
    PlacementFactory(
        learner=user,
        roadmap=topics["limits"].roadmap,
        current=problems[1],
        created_at=now - timedelta(hours=1),
    )
    AttemptFactory(
        learner=user, problem=problems[2], purpose=Purpose.REVIEW, created_at=now - timedelta(days=1)
    )

    book, course = ResourceFactory(slug="stewart"), ResourceFactory(slug="3b1b")
    ResourceRatingFactory(learner=user, resource=book, rating=5)
    ResourceRatingFactory(learner=user, resource=course, rating=None)  # used, not rated
    ResourceSuggestionFactory(suggester=user, topic=topics["limits"], title="Limits, visually")
    ResourceSuggestionFactory(
        suggester=user,
        topic=topics["series"],
        title="Paid course",
        status=SuggestionStatus.REJECTED,
        rejection_reason="Behind a paywall.",
        decided_at=now - timedelta(days=10),
    )
    approved = ResourceSuggestionFactory(
        suggester=user, topic=topics["derivatives"], title="Derivative notes"
    )
    suggestions.approve(suggestion=approved, moderator=UserFactory(username="curator", is_staff=True))
    return user
