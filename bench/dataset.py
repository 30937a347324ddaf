"""Build a large synthetic roadmap and learners for benchmarks.

The graph is a random DAG: edges only go from a later topic to an earlier one
(in roadmap order), so it is acyclic by construction, like a curated plan.
"""

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import yaml
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from accounts.models import Profile
from roadmap.models import (
    Access,
    Prerequisite,
    Problem,
    Progress,
    Resource,
    ResourceKind,
    Roadmap,
    Role,
    Section,
    Status,
    Topic,
    TopicResource,
)
from roadmap.progress import review


@transaction.atomic
def build_roadmap(*, slug: str, topics: int, edges: int, sections: int = 10, seed: int = 1) -> Roadmap:
    rng = random.Random(seed)
    existing = Roadmap.objects.filter(slug=slug).first()
    if existing and existing.topics.count() == topics:
        return existing
    if existing:
        # Synthetic data only: drop the old benchmark roadmap and its progress.
        Progress.objects.filter(topic__roadmap=existing).delete()
        existing.delete()
    roadmap = Roadmap.objects.create(slug=slug, title=f"Benchmark {slug}")
    section_objs = Section.objects.bulk_create(
        Section(roadmap=roadmap, slug=f"s{i}", title=f"Section {i}", order=i) for i in range(sections)
    )
    per_section = topics // sections
    topic_objs = Topic.objects.bulk_create(
        Topic(
            roadmap=roadmap,
            section=section_objs[min(i // per_section, sections - 1)],
            slug=f"t{i}",
            title=f"Topic {i}",
            summary="Synthetic topic for benchmarks.",
            estimated_hours=Decimal(rng.choice(["1.5", "2", "3", "4", "6"])),
            order=i,
        )
        for i in range(topics)
    )
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < edges:
        later = rng.randrange(1, topics)
        # Mostly local prerequisites, some long-range, as in a real plan.
        earlier = max(0, later - rng.randint(1, 30)) if rng.random() < 0.8 else rng.randrange(0, later)
        pairs.add((later, earlier))
    Prerequisite.objects.bulk_create(
        Prerequisite(topic=topic_objs[a], prerequisite=topic_objs[b]) for a, b in sorted(pairs)
    )
    return roadmap


def build_learners(roadmap: Roadmap, *, count: int, seed: int = 2, prefix: str = "bench") -> list:
    """Learners who worked through a random prefix of the plan, some further than others."""
    rng = random.Random(seed)
    User = get_user_model()
    topic_ids = list(roadmap.topics.order_by("section__order", "order").values_list("id", flat=True))
    existing = User.objects.filter(username__startswith=f"{prefix}-").count()
    users = User.objects.bulk_create(
        User(username=f"{prefix}-{i}", email=f"{prefix}-{i}@example.com", password="!")
        for i in range(existing, count)
    )
    now = timezone.now()
    rows = []
    for user in users:
        reached = rng.randint(0, len(topic_ids) // 2)
        for topic_id in topic_ids[:reached]:
            roll = rng.random()
            status = (
                Status.MASTERED
                if roll < 0.55
                else Status.SKIPPED
                if roll < 0.65
                else Status.PRACTISED
                if roll < 0.8
                else Status.LEARNING
                if roll < 0.9
                else None
            )
            if status:
                when = now - timedelta(days=rng.randint(0, 120))
                rows.append(Progress(learner=user, topic_id=topic_id, status=status, status_changed_at=when))
        if len(rows) > 20000:
            Progress.objects.bulk_create(rows)
            rows = []
    Progress.objects.bulk_create(rows)
    return list(User.objects.filter(username__startswith=f"{prefix}-").order_by("id")[:count])


def build_log_entries(learners, *, seed: int = 3, days: int = 90) -> int:
    """A few months of daily reports for each learner, most days but not all."""
    from roadmap.models import LogEntry, Satisfaction

    rng = random.Random(seed)
    today = timezone.now().date()
    have = set(LogEntry.objects.filter(learner__in=learners).values_list("learner_id", flat=True).distinct())
    rows, made = [], 0
    for learner in learners:
        if learner.pk in have:
            continue
        keen = rng.random()
        for offset in range(rng.randint(5, days)):
            if rng.random() > keen:
                continue
            rows.append(
                LogEntry(
                    learner=learner,
                    date=today - timedelta(days=offset),
                    minutes=rng.choice([20, 45, 60, 90, 120, 180, 240]),
                    stage="noob-level math grind",
                    satisfied=rng.choice(Satisfaction.values),
                    note="Worked through exercises.",
                )
            )
        if len(rows) > 20000:
            made += len(LogEntry.objects.bulk_create(rows))
            rows = []
    made += len(LogEntry.objects.bulk_create(rows))
    return made


@transaction.atomic
def build_resources(roadmap: Roadmap, *, per_topic: int = 3, seed: int = 4) -> int:
    """Books, courses and videos shared between topics, 2–4 per topic, as in the seed plan.

    Plans list each step's resources, so without them a benchmark would time
    a plan panel no learner sees. Idempotent: a roadmap that has them keeps them.
    """
    if TopicResource.objects.filter(topic__roadmap=roadmap).exists():
        return 0
    rng = random.Random(seed)
    topic_ids = list(roadmap.topics.order_by("section__order", "order").values_list("id", flat=True))
    kinds, accesses = ResourceKind.values, Access.values
    resources = Resource.objects.bulk_create(
        Resource(
            slug=f"{roadmap.slug}-r{i}",
            title=f"Resource {i}",
            author="A. Author",
            url=f"https://example.com/{roadmap.slug}/{i}",
            kind=rng.choice(kinds),
            access=rng.choice(accesses),
            note="Synthetic resource for benchmarks.",
        )
        for i in range(max(1, len(topic_ids) // 4))
    )
    roles = [Role.PRIMARY, Role.PICK_ONE, Role.PICK_ONE, Role.SUPPLEMENTAL, Role.WORTHY_MENTION]
    links = []
    for index, topic_id in enumerate(topic_ids):
        # Neighbouring topics share books, as a textbook covers a run of topics.
        near = resources[index // 4 : index // 4 + 8] or resources
        for order, resource in enumerate(rng.sample(near, min(len(near), rng.randint(2, per_topic + 1)))):
            links.append(TopicResource(topic_id=topic_id, resource=resource, role=roles[order], order=order))
    TopicResource.objects.bulk_create(links)
    return len(links)


def build_goals_and_reviews(roadmap: Roadmap, learners, *, seed: int = 5) -> None:
    """What learners who use the product have: a goal, and review cards on mastered topics.

    Most learners aim at a topic past where they are; mastered topics carry an
    FSRS card whose due dates spread from ten days overdue to two months ahead,
    so the Review due panel shows what it would on a live site. Idempotent: the
    same seed gives the same goals, and cards are only added where missing.
    """
    rng = random.Random(seed)
    topic_ids = list(roadmap.topics.order_by("section__order", "order").values_list("id", flat=True))
    Profile.objects.bulk_create([Profile(user_id=learner.pk) for learner in learners], ignore_conflicts=True)
    reached = dict(
        Progress.objects.filter(topic__roadmap=roadmap, learner__in=learners)
        .values_list("learner_id")
        .annotate(models.Count("id"))
    )
    profiles = list(
        Profile.objects.filter(user__in=learners).order_by("user_id").only("id", "user_id", "goal")
    )
    for profile in profiles:
        if rng.random() < 0.7:
            # Progress rows count roughly how far into the plan a learner got.
            start = min(reached.get(profile.user_id, 0), len(topic_ids) - 1)
            profile.goal_id = topic_ids[min(len(topic_ids) - 1, start + rng.randint(20, 300))]
    Profile.objects.bulk_update(profiles, ["goal"], batch_size=2000)
    now = timezone.now()
    started = Progress()
    review.start_reviews(started, now=now)
    mastered = Progress.objects.filter(
        topic__roadmap=roadmap, learner__in=learners, status=Status.MASTERED, review_due__isnull=True
    ).values_list("id", flat=True)
    for chunk in _chunks(list(mastered), 20000):
        by_due: dict[int, list[int]] = {}
        for pk in chunk:
            by_due.setdefault(rng.randint(-10, 60), []).append(pk)
        with transaction.atomic():
            for days, ids in by_due.items():
                due = now + timedelta(days=days)
                # The card's own due date matches the column, as a real review leaves them.
                card = started.review_card | {"due": due.isoformat()}
                Progress.objects.filter(pk__in=ids).update(review_card=card, review_due=due)


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


def build_problems(roadmap: Roadmap, *, per_topic: int = 8, seed: int = 6) -> int:
    """Check problems on every topic, copied from the shipped bank so the math renders as it would.

    Idempotent: a roadmap that has problems keeps them.
    """
    if Problem.objects.filter(topic__roadmap=roadmap).exists():
        return 0
    bank_file = Path(__file__).resolve().parent.parent / "fixtures" / "math-for-ml.problems.yaml"
    shipped = [
        p for entry in yaml.safe_load(bank_file.read_text())["topics"].values() for p in entry["problems"]
    ]
    rng = random.Random(seed)
    rows = []
    for topic_id in roadmap.topics.values_list("id", flat=True):
        for order, p in enumerate(rng.sample(shipped, per_topic)):
            answer = p["answer"]
            rows.append(
                Problem(
                    topic_id=topic_id,
                    key=f"{p['key']}-{order}",
                    order=order,
                    ability=f"a{order % 3}",
                    ability_text=f"ability {order % 3}",
                    difficulty=p["difficulty"],
                    kind=p["kind"],
                    statement=p["statement"],
                    choices=p.get("choices", []),
                    answer=",".join(answer) if isinstance(answer, list) else answer,
                    tolerance=p.get("tolerance"),
                    variables=p.get("variables", []),
                    domain=p.get("domain", {}),
                    solution=p["solution"],
                )
            )
    Problem.objects.bulk_create(rows, batch_size=2000)
    return len(rows)
