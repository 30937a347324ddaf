"""The roadmap app's models, split by domain: the curated plan, practice tasks, and learners' progress."""

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
from roadmap.models.progress import COVERED, STARTED, Progress, Status

__all__ = [
    "COVERED",
    "DEFAULT_REVIEW_CREDIT",
    "ROLE_ORDER",
    "STARTED",
    "Access",
    "CuratedBy",
    "LogEntry",
    "PracticeDone",
    "PracticeExercise",
    "PracticeTask",
    "Prerequisite",
    "Progress",
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
    "TopicNeed",
    "TopicQuerySet",
    "TopicResource",
    "group_by_role",
]
