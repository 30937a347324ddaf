import secrets
import uuid
import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name such as Europe/Berlin or America/New_York.")


# A week has this many minutes: no pace a learner sets can be more.
MINUTES_IN_A_WEEK = 7 * 24 * 60


def validate_weekly_minutes(value: int) -> None:
    """A study pace the learner sets: at least a minute a week, at most the whole week."""
    if not 0 < value <= MINUTES_IN_A_WEEK:
        raise ValidationError(
            "Set a pace between 1 minute and 168 hours a week (a week has 168 hours), "
            "or leave it empty to use your log."
        )


def validate_target_date(target: date, *, today: date) -> None:
    """A target date for the goal: today or later, judged in the learner's time zone."""
    if target < today:
        raise ValidationError(
            f"{target.day} {target:%b %Y} is in the past — pick today ({today.day} {today:%b %Y} "
            "in your time zone) or a later day."
        )


def today_in(zone: str) -> date:
    """The calendar date right now in this time zone (a name that validate_timezone accepts)."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(zone)).date()


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private — only you"
    UNLISTED = "unlisted", "Unlisted — anyone with the secret link"
    PUBLIC = "public", "Public — listed by username"


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> "Profile":
        # The auth backends load the session user's profile with the user
        # (accounts/backends.py): no query for it then.
        if Profile._meta.get_field("user").remote_field.is_cached(user):
            try:
                return user.profile
            except Profile.DoesNotExist:
                pass
        # Profiles are made lazily so users created by createsuperuser, the
        # admin or a data import need no signal to have one.
        profile, _ = self.select_related("goal", "user").get_or_create(user=user)
        return profile

    def learner_changed(self, user_id: int) -> uuid.UUID | None:
        """Say "this learner's pages changed": give them a new state token, so every cached page
        of theirs is out of date.

        Every writer of what a learner's pages show calls this (or lock_learner,
        which does the same) in the transaction that makes the change: status
        changes and reviews, the log, ratings, suggestions, settings, the data
        import and the admin. Returns the token, or None when the learner has no
        profile (so no cached page).
        """
        token = uuid.uuid4()
        return token if self.filter(user_id=user_id).update(state_token=token) else None

    def lock_learner(self, user_id: int) -> uuid.UUID:
        """Lock the learner's profile row until the transaction ends, and give them a new state token.

        Every writer of a learner's progress takes this lock first (status
        changes, reviews, the data import, the admin), so their changes are
        serialised and always lock rows in the same order: profile, then
        progress. One UPDATE does both jobs; a status change, the most
        frequent write there is, would otherwise pay a round trip for each.
        """
        token = self.learner_changed(user_id)
        if token is None:  # a learner without a profile yet
            self.get_or_create(user_id=user_id)
            token = self.learner_changed(user_id)
        return token

    def lock_learner_as_shown(self, user_id: int, shown: uuid.UUID) -> tuple[uuid.UUID, bool]:
        """lock_learner, and whether the learner's token was `shown` up to this moment.

        A page sends the token it was drawn for; matched in the UPDATE that takes
        the lock, no change can slip in between the comparison and the write.
        One UPDATE when it matches, two when it does not.
        """
        token = uuid.uuid4()
        if self.filter(user_id=user_id, state_token=shown).update(state_token=token):
            return token, True
        return self.lock_learner(user_id), False


class Profile(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    display_name = models.CharField(max_length=80, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PRIVATE)
    share_token = models.CharField(max_length=64, default=new_share_token, unique=True)
    goal = models.ForeignKey(
        "roadmap.Topic",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The topic the learner is working towards.",
    )
    plan_free_only = models.BooleanField(
        default=False, help_text="Show only free resources in the plan to the goal."
    )
    weekly_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        validators=[validate_weekly_minutes],
        help_text="The time a week the learner means to study; empty: their pace from the log.",
    )
    target_date = models.DateField(
        null=True, blank=True, help_text="The day the learner wants to reach their goal by."
    )
    timezone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text="Days, streaks and “today” follow this time zone.",
    )
    journey_start = models.DateField(
        null=True,
        blank=True,
        help_text="Day 1 of your journey. Leave empty to count from your first log entry.",
    )
    share_log_notes = models.BooleanField(
        default=False,
        help_text="Show the notes of your log entries on your shared progress page.",
    )
    # Replaced by learner_changed() on every change to what the learner's pages
    # show: cached pages are keyed by it (roadmap/web/page_cache.py). Random, not
    # a counter, so no two states ever share one. Writers save profiles with
    # save_changes(), which never writes back the token the profile was read with.
    state_token = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="profile_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(weekly_minutes__isnull=True)
                | Q(weekly_minutes__gt=0, weekly_minutes__lte=MINUTES_IN_A_WEEK),
                name="profile_weekly_minutes_in_a_week",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("public_profile", args=[self.user.get_username()])

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> date:
        """The learner's calendar date right now, in their own time zone."""
        return today_in(self.timezone)

    def save_changes(self, fields: list[str] | None = None) -> None:
        """Save these fields (default: all), then mark the learner's pages changed.

        The state token is never among the fields saved: writing back the one this
        instance was read with would bring back, however briefly, pages cached under it.
        (No transaction is needed: a page rendered between the two statements is
        cached under the old token, which the second one retires.)
        """
        fields = fields or [f.name for f in self._meta.concrete_fields if not f.primary_key]
        self.save(update_fields=[name for name in fields if name != "state_token"])
        self.state_token = Profile.objects.learner_changed(self.user_id)

    def rotate_share_token(self) -> None:
        self.share_token = new_share_token()
        self.save_changes(["share_token"])
