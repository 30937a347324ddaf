from pathlib import Path

import pytest
from django.core.management import call_command

from roadmap import roadmap_file
from roadmap.models import Roadmap

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "math-for-ml.yaml"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Cache (and so allauth's rate-limit counters) lives in the database.
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)


@pytest.fixture
def seeded_roadmap(db) -> Roadmap:
    """The curated roadmap from fixtures/, imported the way `make run` does."""
    roadmap_file.apply(roadmap_file.parse(FIXTURE.read_text(encoding="utf-8")))
    return Roadmap.objects.get(slug="math-for-ml")
