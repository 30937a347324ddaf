import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q


def new_share_token() -> str:
    return secrets.token_urlsafe(24)


class Visibility(models.TextChoices):
    PRIVATE = "private", "Private — only you"
    UNLISTED = "unlisted", "Unlisted — anyone with the secret link"
    PUBLIC = "public", "Public — listed by username"


class ProfileQuerySet(models.QuerySet):
    def for_user(self, user) -> "Profile":
        # Profiles are made lazily so users created by createsuperuser, the
        # admin or a data import need no signal to have one.
        profile, _ = self.select_related("goal").get_or_create(user=user)
        return profile


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

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="profile_visibility_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.display_name or self.user.get_username()

    def rotate_share_token(self) -> None:
        self.share_token = new_share_token()
        self.save(update_fields=["share_token"])
