"""Curated content changed: give roadmaps a new graph token.

Any change to curated content (the roadmap, its sections, topics, edges, needs,
practice tasks, check problems, or the resources pinned to it) makes cached graphs, layouts and pages stale, so
every save and delete of those models replaces the graph token. Signals (not
save() overrides) because the admin, the importer, the shell and cascading
deletes all make these changes, and every path must invalidate; curation edits
are rare, and one UPDATE covers every roadmap.

A roadmap file import saves hundreds of rows in one transaction; inside
`one_graph_change()` they replace the token once, at the end.

Learners' pages are not invalidated here: every writer of what they show says
so itself, with Profile.objects.learner_changed() or lock_learner().
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models.signals import post_delete, post_save

from roadmap.models import (
    PracticeExercise,
    PracticeTask,
    Prerequisite,
    Problem,
    Resource,
    Roadmap,
    RoadmapResource,
    Section,
    Topic,
    TopicNeed,
    TopicResource,
)

# Every curated model, in an order where each foreign key points back (tests/seed.py
# lays rows in this order). The roadmap's title shows on every page, and a save of a
# section or roadmap writes back the graph token it read, so each must get a new one.
CURATED_MODELS = (
    Roadmap,
    Resource,
    Section,
    Topic,
    TopicNeed,
    Prerequisite,
    TopicResource,
    RoadmapResource,
    PracticeTask,
    PracticeExercise,
    Problem,
)

# Inside one_graph_change(): the writes seen so far (a list, so the handler can add to it).
_batch: ContextVar[list | None] = ContextVar("graph_change_batch", default=None)


@contextmanager
def one_graph_change() -> Iterator[None]:
    """Curation writes in this block replace the graph token once, at its end (if there were any).

    Use it inside the transaction that makes the writes, so the new token commits with them.
    """
    writes: list = []
    previous = _batch.set(writes)
    try:
        yield
    finally:
        _batch.reset(previous)
    if writes:
        Roadmap.graph_changed()


def graph_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):
        return  # loaddata: the fixture sets graph_token itself
    batch = _batch.get()
    if batch is None:
        Roadmap.graph_changed()
    else:
        batch.append(sender)


for _model in CURATED_MODELS:
    post_save.connect(graph_changed, sender=_model, dispatch_uid=f"graph_changed:{_model.__name__}:save")
    post_delete.connect(graph_changed, sender=_model, dispatch_uid=f"graph_changed:{_model.__name__}:delete")
