"""Cache invalidation only.

- Any change to curated content (the roadmap, its graph, or the resources
  pinned to it) gives roadmaps a new graph token: cached graphs, layouts and
  pages go stale.
- Any change to what one learner's pages show gives that learner a new state
  token (Profile.state_token): their cached pages go stale (roadmap/page_cache.py).

Signals (not save() overrides) because the admin, the importer, the shell,
data import and cascading deletes all make these changes, and every path
must invalidate. QuerySet.delete() sends post_delete per row, so it is covered;
QuerySet.update() is not, and this project does not use it on these models.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from accounts.models import Profile
from roadmap.models import (
    LogEntry,
    Prerequisite,
    Progress,
    Resource,
    ResourceRating,
    ResourceSuggestion,
    Roadmap,
    RoadmapResource,
    Section,
    Topic,
    TopicResource,
)


@receiver([post_save, post_delete], sender=Roadmap)  # its title shows on every page; a save writes back
@receiver([post_save, post_delete], sender=Section)  # the graph token it read, so it must get a new one
@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=Prerequisite)
@receiver([post_save, post_delete], sender=Resource)
@receiver([post_save, post_delete], sender=TopicResource)
@receiver([post_save, post_delete], sender=RoadmapResource)
def graph_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture sets graph_token itself
    Roadmap.graph_changed()


def token_already_replaced(instance):
    """Mark `instance` so that its next save or delete skips replacing the learner's token.

    For writers that replaced it already in this transaction, with
    Profile.objects.lock_learner(): once is enough. The mark is used up by
    that one save or delete, so a later save elsewhere still invalidates.
    """
    instance._state_token_replaced = True
    return instance


@receiver([post_save, post_delete], sender=Progress)
@receiver([post_save, post_delete], sender=LogEntry)
@receiver([post_save, post_delete], sender=ResourceRating)
def learner_changed(sender, instance, **kwargs) -> None:
    if instance.__dict__.pop("_state_token_replaced", False) or kwargs.get("raw"):
        return
    Profile.objects.learner_changed(instance.learner_id)


@receiver([post_save, post_delete], sender=ResourceSuggestion)
def suggester_changed(sender, instance, **kwargs) -> None:
    if not kwargs.get("raw"):
        Profile.objects.learner_changed(instance.suggester_id)


@receiver(m2m_changed, sender=LogEntry.topics.through)
def log_topics_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action.startswith("post_") and not reverse:
        Profile.objects.learner_changed(instance.learner_id)


@receiver(post_save, sender=Profile)
def profile_saved(sender, instance, created, **kwargs) -> None:
    if created or kwargs.get("raw"):
        return  # a new profile already has a token no cached page was ever keyed by
    instance.state_token = Profile.objects.learner_changed(instance.user_id)


@receiver(post_save, sender=get_user_model())
def user_saved(sender, instance, **kwargs) -> None:
    # The username shows in every page's header and in shared pages' addresses.
    if not kwargs.get("raw"):
        Profile.objects.learner_changed(instance.pk)
