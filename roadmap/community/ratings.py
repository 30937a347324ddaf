"""Learners' ratings of the resources they used ("helped me", 1–5)."""

from accounts.models import Profile
from roadmap.models import Resource, ResourceRating


def rate(*, learner, resource: Resource, rating: int | None) -> ResourceRating:
    """Mark a resource as used, with an optional 1–5 "helped me" rating; idempotent."""
    rated, _ = ResourceRating.objects.update_or_create(
        learner=learner, resource=resource, defaults={"rating": rating}
    )
    Profile.objects.learner_changed(learner.pk)  # their plan ranks resources by it
    return rated


def attach_ratings(resources, learner=None) -> None:
    """Set rating_average, rating_count and my_rating on each resource (two queries)."""
    resources = list(resources)
    summary = ResourceRating.objects.summary_by_resource([r.pk for r in resources])
    mine = {}
    if learner is not None and learner.is_authenticated:
        mine = dict(
            ResourceRating.objects.filter(learner=learner, resource__in=resources).values_list(
                "resource_id", "rating"
            )
        )
    for resource in resources:
        resource.rating_average, resource.rating_count = summary.get(resource.pk, (None, 0))
        resource.used = resource.pk in mine
        resource.my_rating = mine.get(resource.pk)
