"""A curriculum change keeps learners' data: a rename, a split and an archived topic, imported over progress."""

from pathlib import Path

from django.utils import timezone

from roadmap.curriculum import roadmap_file
from roadmap.models import Progress, Status, Topic
from tests.factories import MasteredProgressFactory, ProgressFactory, UserFactory

FILES = Path(__file__).parent / "roadmap_files"


def import_file(name: str) -> roadmap_file.ImportReport:
    return roadmap_file.apply(roadmap_file.parse((FILES / name).read_text(encoding="utf-8")))


def test_every_progress_record_survives_a_rename_a_split_and_an_archive(db):
    import_file("today.yaml")
    topics = {t.slug: t for t in Topic.objects.filter(roadmap__slug="survives")}
    ada, bob, cy = UserFactory(), UserFactory(), UserFactory()
    records = [
        ProgressFactory(learner=ada, topic=topics["limits"], status=Status.PRACTISED, note="ch. 2"),
        MasteredProgressFactory(learner=ada, topic=topics["taylor-series"], note="all of ch. 9"),
        ProgressFactory(learner=bob, topic=topics["taylor-series"], status=Status.LEARNING),
        ProgressFactory(learner=bob, topic=topics["epsilon-delta"], status=Status.MASTERED),
        ProgressFactory(learner=cy, topic=topics["limits"], status=Status.SKIPPED),
    ]
    before = {r.pk: (r.topic_id, r.status, r.note) for r in records}
    started = timezone.now()

    report = import_file("new.yaml")

    # Every record still points at the same topic row, with the same status and note.
    assert {r.pk: (r.topic_id, r.status, r.note) for r in Progress.objects.filter(pk__in=before)} == before
    renamed = Topic.objects.get(pk=topics["limits"].pk)
    assert (renamed.slug, renamed.title, renamed.is_archived) == (
        "limits-and-continuity",
        "Limits and continuity",
        False,
    )
    assert report.renamed == ["limits → limits-and-continuity"]
    # The split-out topic: each learner of Taylor series got an inherited record, due for review now.
    split = Topic.objects.get(slug="taylor-polynomials-and-linearisation")
    inherited = {p.learner_id: p for p in Progress.objects.filter(topic=split)}
    assert set(inherited) == {ada.pk, bob.pk}
    assert (inherited[ada.pk].status, inherited[ada.pk].note) == (Status.MASTERED, "all of ch. 9")
    assert started <= inherited[ada.pk].review_due <= timezone.now()
    assert inherited[bob.pk].status == Status.LEARNING
    # Taylor series itself stays, narrowed; epsilon-delta is archived, never deleted, its record kept.
    assert not Topic.objects.get(pk=topics["taylor-series"].pk).is_archived
    assert Topic.objects.get(pk=topics["epsilon-delta"].pk).is_archived
    assert report.archived == ["epsilon-delta"]
    assert Progress.objects.filter(topic=topics["epsilon-delta"], learner=bob).exists()
    assert Topic.objects.filter(roadmap__slug="survives").count() == 4


def test_importing_the_new_file_again_changes_nothing(db):
    import_file("today.yaml")
    MasteredProgressFactory(topic=Topic.objects.get(slug="taylor-series"))
    import_file("new.yaml")
    records = Progress.objects.count()

    report = import_file("new.yaml")

    assert not report.changed and report.inherited == 0
    assert Progress.objects.count() == records
