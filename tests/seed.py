"""The curated roadmap (fixtures/math-for-ml.yaml), imported once per test session.

Importing the file runs about 2,500 queries (half a second on this machine); dozens of
tests need it. So `capture()` imports it once, in a transaction that is rolled
back, and keeps every row that the import wrote. `lay()` then writes those rows
into a test's database with a bulk INSERT per table: the same rows, the same
history rows, and new primary keys from the database, as an import would get.

Tests that do not ask for the seed never see it, and each test's own
transaction (or flush, for transactional tests) removes it again.
"""

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from roadmap.curriculum import roadmap_file
from roadmap.models import Resource, Roadmap
from roadmap.signals import CURATED_MODELS

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "math-for-ml.yaml"
BANK = roadmap_file.bank_path(FIXTURE)
SLUG = "math-for-ml"

# What an import writes, in an order where every foreign key points backwards
# (a resource's pairing, the one link within a table, is set afterwards).
CURATED = list(CURATED_MODELS)
HISTORY = [model.history.model for model in CURATED]


@dataclass
class Snapshot:
    rows: dict  # model -> [{attname: value}], in primary-key order


def import_fixture() -> roadmap_file.ImportReport:
    """The real import, the way `make run` does it: the roadmap file and its problem bank."""
    data = roadmap_file.parse(FIXTURE.read_text(encoding="utf-8"))
    bank = roadmap_file.parse_bank(BANK.read_text(encoding="utf-8"), {topic.slug for topic in data.topics()})
    return roadmap_file.apply_all(data, bank, reason="Imported from a roadmap file")[0]


def _is_empty() -> bool:
    return not any(model.objects.exists() for model in (Roadmap, Resource))


def _counts() -> dict:
    return {model: model._default_manager.count() for model in apps.get_models(include_auto_created=True)}


def capture() -> Snapshot:
    """Import the fixture into the (empty) database, keep what it wrote, and roll it back."""
    with transaction.atomic():
        assert _is_empty(), "the seed is captured from a database with no roadmap and no resources"
        before = _counts()
        import_fixture()
        after = _counts()
        written = {model for model in after if after[model] != before[model]}
        # Anything else would not be laid again by lay(): fail here rather than differ quietly.
        assert written <= {*CURATED, *HISTORY}, f"the import also wrote to {written - {*CURATED, *HISTORY}}"
        assert not any(before[model] for model in [*CURATED, *HISTORY])
        rows = {
            model: list(model._default_manager.order_by("pk").values(*_attnames(model)))
            for model in [*CURATED, *HISTORY]
        }
        transaction.set_rollback(True)
    assert all(row["history_user_id"] is None for model in HISTORY for row in rows[model])
    return Snapshot(rows)


def _attnames(model) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def lay(snapshot: Snapshot) -> Roadmap:
    """Write the captured seed into the current database, as importing the fixture would.

    Falls back to the real import when the database already holds curated
    rows, which an import would update rather than create.
    """
    if not _is_empty():
        import_fixture()
        return Roadmap.objects.get(slug=SLUG)
    with transaction.atomic():
        new_pk: dict = {}  # model -> {captured pk: pk in this database}
        for model in CURATED:
            _insert(model, snapshot.rows[model], new_pk, key=model._meta.pk.attname)
        pairs = [
            Resource(pk=new_pk[Resource][row["id"]], pairs_with_id=new_pk[Resource][row["pairs_with_id"]])
            for row in snapshot.rows[Resource]
            if row["pairs_with_id"]
        ]
        Resource.objects.bulk_update(pairs, ["pairs_with"])
        # History rows keep their spacing in time, ending now, as if just imported.
        latest = max(row["history_date"] for model in HISTORY for row in snapshot.rows[model])
        shift = timezone.now() - latest
        for model in HISTORY:
            _insert(model, snapshot.rows[model], new_pk, key=None, shift=shift)
        # The import's last write: every roadmap gets a new graph token.
        Roadmap.graph_changed()
    return Roadmap.objects.get(slug=SLUG)


def _insert(model, rows: list[dict], new_pk: dict, *, key: str | None, shift=timedelta(0)) -> None:
    fields = model._meta.concrete_fields
    objects = []
    for row in rows:
        values = {}
        for field in fields:
            value = row[field.attname]
            if field.primary_key:
                continue  # the database assigns it
            if model is Resource and field.attname == "pairs_with_id":
                value = None  # set once every resource exists
            elif field.is_relation and value is not None:
                value = new_pk[field.related_model][value]
            elif model in HISTORY and field.attname == "id":
                value = new_pk[model.instance_type][value]
            elif field.attname == "history_date":
                value += shift
            values[field.attname] = value
        objects.append(model(**values))
    model._default_manager.bulk_create(objects)
    if key is not None:
        new_pk[model] = {row[key]: obj.pk for row, obj in zip(rows, objects, strict=True)}
