"""The roadmap app's models, split by domain: the curated plan, practice tasks, check problems, and learners' progress and answers."""

from roadmap.models.checking import Attempt, Placement, Purpose, TopicCheck
from roadmap.models.community import ResourceRating, ResourceSuggestion, SuggestionStatus
from roadmap.models.journal import LogEntry, Satisfaction
from roadmap.models.plan import (
    DEFAULT_REVIEW_CREDIT,
    ROLE_ORDER,
    Access,
    CuratedBy,
    Prerequisite,
    Resource,
    ResourceKind,
    ResourceLink,
    Roadmap,
    RoadmapResource,
    Role,
    Section,
    Topic,
    TopicNeed,
    TopicQuerySet,
    TopicResource,
    group_by_role,
)
from roadmap.models.practice import PracticeDone, PracticeExercise, PracticeTask
from roadmap.models.problems import Difficulty, Problem, ProblemKind
from roadmap.models.progress import COVERED, FADES_AFTER_FAILED_REVIEWS, STARTED, Progress, Status

__all__ = [
    "COVERED",
    "DEFAULT_REVIEW_CREDIT",
    "FADES_AFTER_FAILED_REVIEWS",
    "ROLE_ORDER",
    "STARTED",
    "Access",
    "Attempt",
    "CuratedBy",
    "Difficulty",
    "LogEntry",
    "Placement",
    "PracticeDone",
    "PracticeExercise",
    "PracticeTask",
    "Prerequisite",
    "Problem",
    "ProblemKind",
    "Progress",
    "Purpose",
    "Resource",
    "ResourceKind",
    "ResourceLink",
    "ResourceRating",
    "ResourceSuggestion",
    "Roadmap",
    "RoadmapResource",
    "Role",
    "Satisfaction",
    "Section",
    "Status",
    "SuggestionStatus",
    "Topic",
    "TopicCheck",
    "TopicNeed",
    "TopicQuerySet",
    "TopicResource",
    "group_by_role",
]
