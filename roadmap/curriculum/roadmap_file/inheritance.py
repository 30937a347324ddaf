"""A split or merged topic inherits its learners' progress (a topic's `replaces:` key).

When a topic is first created with `replaces: [old, …]`, each learner with a
record on one of the old topics gets a copy of it on the new one: status, the
date it was set, the evidence note, and the FSRS card, made due now so the
learner confirms the inherited status at their next review. The old records
stay where they are; nothing here deletes or changes them.
"""

from datetime import datetime

from accounts.models import Profile
from roadmap.models import Progress, Topic


def inherit_progress(topic: Topic, replaced: list[Topic], *, now: datetime) -> int:
    """Copy each learner's record on the first of `replaced` they have one on to `topic`; return how many.

    Runs inside the import's transaction. A learner who already has a record on
    `topic` keeps it, so running this twice copies nothing the second time.
    """
    rank = {old.pk: index for index, old in enumerate(replaced)}
    sources: dict[int, Progress] = {}
    for record in Progress.objects.filter(topic__in=replaced).order_by("learner_id"):
        best = sources.get(record.learner_id)
        # A merge: the first replaced topic in the file's order wins, so the curator decides.
        if best is None or rank[record.topic_id] < rank[best.topic_id]:
            sources[record.learner_id] = record
    copied = 0
    for learner_id, source in sorted(sources.items()):
        # The learner's lock first, as every progress writer takes it.
        Profile.objects.lock_learner(learner_id)
        if Progress.objects.filter(learner_id=learner_id, topic=topic).exists():
            continue
        Progress.objects.create(
            learner_id=learner_id,
            topic=topic,
            status=source.status,
            note=source.note,
            status_changed_at=source.status_changed_at,
            review_card=_due_now(source.review_card, now),
            review_due=now if source.review_card else None,
        )
        copied += 1
    return copied


def _due_now(card: dict | None, now: datetime) -> dict | None:
    return {**card, "due": now.isoformat()} if card else None
