"""Learner-suggested resources, from suggestion to curated resource."""

from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from roadmap.models import (
    CuratedBy,
    Resource,
    ResourceSuggestion,
    Role,
    SuggestionStatus,
    TopicResource,
)

# Spam limit: a learner suggests at most this many resources a day.
SUGGESTIONS_PER_DAY = 5


def normalise_url(url: str) -> str:
    """The form two URLs are compared in: http as https, case-folded host, no fragment, no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = "https" if parts.scheme.lower() == "http" else parts.scheme.lower()
    host = parts.netloc.lower().removeprefix("www.")
    return urlunsplit((scheme, host, parts.path.rstrip("/"), parts.query, ""))


def existing_resource_for(url: str) -> Resource | None:
    wanted = normalise_url(url)
    # The curated list is small (tens of resources); comparing normalised URLs in
    # Python keeps "https://x.org/a/" and "http://www.x.org/a" the same.
    for resource in Resource.objects.only("id", "title", "url"):
        if normalise_url(resource.url) == wanted:
            return resource
    return None


def pending_suggestion_for(url: str) -> ResourceSuggestion | None:
    wanted = normalise_url(url)
    for suggestion in ResourceSuggestion.objects.filter(status=SuggestionStatus.PENDING).only("id", "url"):
        if normalise_url(suggestion.url) == wanted:
            return suggestion
    return None


def suggestions_left_today(learner) -> int:
    since = timezone.now() - timedelta(days=1)
    return max(0, SUGGESTIONS_PER_DAY - learner.resource_suggestions.filter(created_at__gte=since).count())


def _unique_slug(title: str) -> str:
    base = slugify(title)[:70] or "resource"
    slug, n = base, 2
    while Resource.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def approve(*, suggestion: ResourceSuggestion, moderator) -> Resource:
    """Create the resource from the (possibly edited) suggestion and link it to its topic.

    The suggester is credited as "recommended by". Approving twice is harmless.
    """
    if suggestion.resource_id:
        return suggestion.resource
    profile_name = (
        getattr(getattr(suggestion.suggester, "profile", None), "name", "")
        or suggestion.suggester.get_username()
    )
    resource = Resource.objects.create(
        slug=_unique_slug(suggestion.title),
        title=suggestion.title,
        url=suggestion.url,
        kind=suggestion.kind,
        access=suggestion.access,
        note=suggestion.why,
        recommended_by=profile_name,
        curated_by=CuratedBy.LEARNER,
    )
    order = TopicResource.objects.filter(topic=suggestion.topic).count()
    TopicResource.objects.create(
        topic=suggestion.topic, resource=resource, role=Role.SUPPLEMENTAL, order=order
    )
    suggestion.status = SuggestionStatus.APPROVED
    suggestion.resource = resource
    suggestion.rejection_reason = ""
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = moderator
    suggestion.save()
    return resource


def reject(*, suggestion: ResourceSuggestion, moderator, reason: str) -> None:
    if not reason.strip():
        raise ValueError("A rejection needs a reason; the learner will see it.")
    suggestion.status = SuggestionStatus.REJECTED
    suggestion.rejection_reason = reason.strip()
    suggestion.decided_at = timezone.now()
    suggestion.decided_by = moderator
    suggestion.save()
