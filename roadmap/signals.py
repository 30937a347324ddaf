"""Cache invalidation only: any change to the graph gives roadmaps a new graph token.

Signals (not save() overrides) because the admin, the importer, the shell and
cascading deletes all change the graph, and every path must invalidate.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from roadmap.models import Prerequisite, Roadmap, Section, Topic


@receiver([post_save, post_delete], sender=Section)
@receiver([post_save, post_delete], sender=Topic)
@receiver([post_save, post_delete], sender=Prerequisite)
def graph_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture sets graph_token itself
    Roadmap.graph_changed()
