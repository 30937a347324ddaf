"""A topic as the dashboard lists it: with the learner's status and the evidence behind it."""

from dataclasses import dataclass
from datetime import datetime

from roadmap.curriculum.graph import TopicNode
from roadmap.progress import analysis as gaps
from roadmap.progress import statuses


@dataclass
class TopicItem:
    topic: TopicNode
    status: str | None
    checked_at: datetime | None = None  # the last passed check, kept while the topic stays covered
    check_score: str = ""  # that check's score, "3/3"

    @property
    def status_label(self) -> str:
        return statuses.label(self.status)

    @property
    def is_checked(self) -> bool:
        """Covered, and proven by a passed check rather than only self-reported."""
        return self.checked_at is not None and gaps.is_covered(self.status)

    @property
    def is_self_reported(self) -> bool:
        return self.checked_at is None and gaps.is_covered(self.status)

    @property
    def evidence(self) -> str:
        """ "checked", "self-reported", or "" when the topic is not covered."""
        return statuses.evidence(self.status, checked=self.checked_at is not None)
