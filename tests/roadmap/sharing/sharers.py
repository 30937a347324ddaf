"""Ada, who shares her progress, and the addresses of her shared pages: for the sharing tests."""

from datetime import UTC, date, datetime

from accounts.models import Profile, Visibility
from roadmap.models import Satisfaction, Status
from tests.factories import LogEntryFactory, ProfileFactory, ProgressFactory, UserFactory

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)  # a Monday
EMAIL = "ada@example.com"
LOG_NOTE = "Private log thoughts about the exam"
EVIDENCE = "Evidence: Larson 2.4 exercises 1-40"
DAY = "2025-03-10"

# Every way in, by username and by secret token.
BY_USERNAME = ["/u/{username}/", "/u/{username}/log/{day}/", "/u/{username}/badge.svg"]
BY_TOKEN = ["/s/{token}/", "/s/{token}/log/{day}/", "/s/{token}/badge.svg"]


def address(template: str, *, username="ada", token="", day=DAY) -> str:
    return template.format(username=username, token=token, day=day)


def unknown(template: str) -> str:
    """The same kind of address for nobody at all."""
    return address(template, username="nobody-here", token="no-such-token")


def make_sharer(topics, *, visibility=Visibility.PRIVATE, share_log_notes=False) -> Profile:
    """Ada: a topic in every status (one with an evidence note), a goal, and three days logged."""
    user = UserFactory(username="ada", email=EMAIL)
    profile = ProfileFactory(
        user=user, visibility=visibility, share_log_notes=share_log_notes, goal=topics["derivatives"]
    )
    ProgressFactory(learner=user, topic=topics["functions"], status=Status.MASTERED, note=EVIDENCE)
    ProgressFactory(learner=user, topic=topics["exponents"], status=Status.SKIPPED)
    ProgressFactory(learner=user, topic=topics["limits"], status=Status.PRACTISED)
    ProgressFactory(learner=user, topic=topics["derivatives"], status=Status.LEARNING)
    for day in (8, 9, 10):
        LogEntryFactory(
            learner=user,
            date=date(2025, 3, day),
            minutes=90,
            stage="noob-level math grind",
            satisfied=Satisfaction.YES,
            note=f"{LOG_NOTE} **day {day}**",
            topics=[topics["limits"]],
        )
    return profile


def set_visibility(profile: Profile, visibility: str, **changes) -> None:
    # save_changes(), as the settings page does: it replaces the learner's state
    # token, so their cached pages are not served again.
    profile.visibility = visibility
    for name, value in changes.items():
        setattr(profile, name, value)
    profile.save_changes()
