"""Whatever curators do, learners' progress is never orphaned or miscounted.

After every curation step (in the admin, by import, or a random sequence of
them) the same invariants hold, checked against the database directly:

- totals count exactly the active topics, per section and overall, on the
  dashboard, the map, the badge and the public page alike;
- covered counts exactly the learner's mastered/known rows on active topics;
- no learner row is ever deleted by curation, and a restored topic comes back
  with its status;
- a learner who covers every active topic is at 100%, with every section finished.
"""

import pytest
from django.test import Client
from hypothesis import example, given, settings
from hypothesis import strategies as st

from accounts.models import Profile, Visibility
from roadmap.curriculum import roadmap_file
from roadmap.map.page import build_map
from roadmap.models import COVERED, Prerequisite, Progress, Roadmap, Section, Status, Topic
from roadmap.progress.dashboard import build_dashboard, summarise_progress
from roadmap.progress.status import set_status
from tests.factories import PASSWORD, UserFactory
from tests.faults.roadmaps import V1, V2
from tests.faults.roadmaps import roadmap_file as write_roadmap
from tests.roadmap.test_admin import topic_form_data

pytestmark = pytest.mark.django_db


def active_topics():
    return Topic.objects.active().filter(roadmap=Roadmap.objects.current())


def assert_counts_match_the_database(learner) -> None:
    roadmap = Roadmap.objects.current()
    active = active_topics()
    covered = Progress.objects.filter(learner=learner, topic__in=active, status__in=COVERED).count()
    dash = build_dashboard(learner=learner, roadmap=roadmap)

    assert dash.overall.total == active.count()
    assert dash.overall.covered == covered
    assert sum(row.progress.total for row in dash.sections) == dash.overall.total
    for row in dash.sections:
        assert row.progress.total == active.filter(section=row.section).count(), row.section.slug
        assert row.progress.covered == (
            Progress.objects.filter(learner=learner, topic__in=active, topic__section=row.section)
            .filter(status__in=COVERED)
            .count()
        ), row.section.slug
    assert not any(
        item.topic.id not in set(active.values_list("pk", flat=True)) for item in dash.items.values()
    )

    summary = build_map(roadmap=roadmap, learner=learner).summary
    assert (summary.covered, summary.total) == (covered, active.count())
    badge = summarise_progress(learner=learner, roadmap=roadmap)
    assert (badge.overall.covered, badge.overall.total) == (covered, active.count())


def cover_everything(learner) -> None:
    for index, topic in enumerate(active_topics()):
        set_status(learner=learner, topic=topic, status=Status.MASTERED if index % 2 else Status.SKIPPED)


def assert_at_100_percent(learner) -> None:
    dash = build_dashboard(learner=learner, roadmap=Roadmap.objects.current())
    if dash.overall.total == 0:
        # The curators archived every topic: nothing to cover, no section shown, nothing counted.
        assert dash.sections == [] and dash.overall.covered == 0
        assert build_map(roadmap=Roadmap.objects.current(), learner=learner).summary.covered == 0
        return
    assert dash.overall.percent == 100
    assert dash.overall.covered == dash.overall.total
    assert all(row.progress.is_finished for row in dash.sections)
    assert build_map(roadmap=Roadmap.objects.current(), learner=learner).summary.covered == dash.overall.total


def progress_rows(learner) -> list:
    return sorted(Progress.objects.filter(learner=learner).values_list("topic_id", "status", "note"))


@pytest.fixture
def ada(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    roadmap_file.apply(roadmap_file.parse(V1))
    learner = UserFactory(username="ada")
    for slug, status in [
        ("limits", Status.MASTERED),
        ("derivatives", Status.LEARNING),
        ("vectors", Status.SKIPPED),
        ("counting", Status.PRACTISED),
    ]:
        set_status(learner=learner, topic=Topic.objects.get(slug=slug), status=status)
    return learner


@pytest.fixture
def curator(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    client = Client()
    client.force_login(UserFactory(username="curator", is_staff=True, is_superuser=True))
    return client


def topic(slug: str) -> Topic:
    return Topic.objects.get(slug=slug)


# -- in the admin ------------------------------------------------------------------------


def test_archiving_in_the_admin_drops_the_topic_from_every_count_and_keeps_the_record(ada, curator):
    rows = progress_rows(ada)

    curator.post(
        "/admin/roadmap/topic/",
        {"action": "archive_topics", "_selected_action": [topic("limits").pk, topic("counting").pk]},
    )

    assert topic("limits").is_archived
    assert progress_rows(ada) == rows
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


def test_restoring_brings_the_record_back_into_the_counts_with_its_status(ada, curator):
    curator.post(
        "/admin/roadmap/topic/", {"action": "archive_topics", "_selected_action": [topic("limits").pk]}
    )
    before = build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall.covered

    curator.post(
        "/admin/roadmap/topic/", {"action": "restore_topics", "_selected_action": [topic("limits").pk]}
    )

    assert build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall.covered == before + 1
    assert Progress.objects.get(learner=ada, topic__slug="limits").status == Status.MASTERED
    assert_counts_match_the_database(ada)


def test_archiving_with_the_checkbox_on_the_topic_form_counts_the_same(ada, curator):
    limits = topic("limits")

    response = curator.post(
        f"/admin/roadmap/topic/{limits.pk}/change/", topic_form_data(curator, limits, is_archived="on")
    )

    assert response.status_code == 302
    assert topic("limits").is_archived
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


def test_renaming_a_topic_and_its_slug_keeps_the_learners_record_on_it(ada, curator):
    limits = topic("limits")
    rows = progress_rows(ada)

    response = curator.post(
        f"/admin/roadmap/topic/{limits.pk}/change/",
        topic_form_data(curator, limits, title="Limits and continuity", slug="limits-and-continuity"),
    )

    assert response.status_code == 302
    assert progress_rows(ada) == rows
    assert Progress.objects.get(learner=ada, topic__slug="limits-and-continuity").status == Status.MASTERED
    assert_counts_match_the_database(ada)


def test_moving_a_topic_to_another_section_moves_its_count(ada, curator):
    limits = topic("limits")
    algebra = Section.objects.get(slug="algebra")

    response = curator.post(
        f"/admin/roadmap/topic/{limits.pk}/change/", topic_form_data(curator, limits, section=str(algebra.pk))
    )

    assert response.status_code == 302
    dash = build_dashboard(learner=ada, roadmap=Roadmap.objects.current())
    assert dash.section_row(algebra.pk).progress.covered == 2  # vectors (known) and now limits (mastered)
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


def test_deleting_a_topic_nobody_tracks_shrinks_the_total(ada, curator):
    before = build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall.total

    response = curator.post(f"/admin/roadmap/topic/{topic('integrals').pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall.total == before - 1
    assert_counts_match_the_database(ada)


def test_deleting_a_tracked_topic_or_its_section_is_refused_and_nothing_is_orphaned(ada, curator):
    rows = progress_rows(ada)

    topic_delete = curator.post(f"/admin/roadmap/topic/{topic('limits').pk}/delete/", {"post": "yes"})
    section_delete = curator.post(
        f"/admin/roadmap/section/{Section.objects.get(slug='calculus').pk}/delete/", {"post": "yes"}
    )
    bulk_delete = curator.post(
        "/admin/roadmap/topic/",
        {"action": "delete_selected", "_selected_action": [topic("vectors").pk], "post": "yes"},
    )

    assert topic_delete.status_code == section_delete.status_code == 200  # the "protected" page again
    assert bulk_delete.status_code in {200, 302}
    assert Topic.objects.filter(slug__in=["limits", "vectors"]).count() == 2
    assert progress_rows(ada) == rows
    assert_counts_match_the_database(ada)


def test_adding_a_topic_in_the_admin_counts_it_as_not_started(ada, curator):
    cover_everything(ada)
    calculus = Section.objects.get(slug="calculus")

    response = curator.post(
        "/admin/roadmap/topic/add/",
        {
            **{
                k: v
                for k, v in topic_form_data(curator, topic("limits")).items()
                if "-" in k and k.endswith("FORMS")
            },
            "prerequisite_links-INITIAL_FORMS": "0",
            "resource_links-INITIAL_FORMS": "0",
            "prerequisite_links-TOTAL_FORMS": "0",
            "resource_links-TOTAL_FORMS": "0",
            "roadmap": str(Roadmap.objects.current().pk),
            "section": str(calculus.pk),
            "slug": "series",
            "title": "Series",
            "summary": "Sums forever.",
            "estimated_hours": "3",
            "order": "9",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    dash = build_dashboard(learner=ada, roadmap=Roadmap.objects.current())
    assert dash.overall.covered == dash.overall.total - 1
    assert dash.overall.percent < 100
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


def test_removing_a_prerequisite_changes_no_count(ada, curator):
    edge = Prerequisite.objects.get(topic__slug="derivatives", prerequisite__slug="limits")
    before = build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall

    curator.post(f"/admin/roadmap/prerequisite/{edge.pk}/delete/", {"post": "yes"})

    after = build_dashboard(learner=ada, roadmap=Roadmap.objects.current()).overall
    assert (after.covered, after.total) == (before.covered, before.total)
    assert_counts_match_the_database(ada)


def test_archiving_the_learners_goal_drops_the_plan_not_the_counts(ada, curator):
    Profile.objects.filter(pk=Profile.objects.for_user(ada).pk).update(goal=topic("integrals"))

    curator.post(
        "/admin/roadmap/topic/", {"action": "archive_topics", "_selected_action": [topic("integrals").pk]}
    )

    dash = build_dashboard(learner=ada, roadmap=Roadmap.objects.current())
    assert dash.plan is None
    assert_counts_match_the_database(ada)


def test_the_public_page_and_badge_show_the_same_numbers_after_curation(ada, curator):
    Profile.objects.filter(pk=Profile.objects.for_user(ada).pk).update(visibility=Visibility.PUBLIC)
    curator.post(
        "/admin/roadmap/topic/", {"action": "archive_topics", "_selected_action": [topic("counting").pk]}
    )
    cover_everything(ada)

    visitor = Client()
    assert "100%" in visitor.get("/u/ada/badge.svg").content.decode()
    page = visitor.get("/u/ada/").content.decode()
    total = active_topics().count()
    assert f"<strong>{total}</strong> of {total} topics covered" in page


# -- by import -----------------------------------------------------------------------------


def test_an_import_that_renames_moves_drops_and_adds_topics_never_miscounts(ada):
    rows = progress_rows(ada)

    roadmap_file.apply(roadmap_file.parse(V2))

    assert progress_rows(ada) == rows  # counting and integrals are archived, their records kept
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


def test_importing_the_old_file_again_restores_topics_with_their_records(ada):
    roadmap_file.apply(roadmap_file.parse(V2))
    roadmap_file.apply(roadmap_file.parse(V1))

    assert not topic("counting").is_archived
    assert Progress.objects.get(learner=ada, topic__slug="counting").status == Status.PRACTISED
    assert_counts_match_the_database(ada)


def test_a_renamed_slug_in_the_file_is_a_new_topic_and_the_old_one_is_archived(ada):
    renamed = V1.replace("slug: limits", "slug: limits-and-continuity").replace(
        "- limits", "- limits-and-continuity"
    )

    roadmap_file.apply(roadmap_file.parse(renamed))

    assert topic("limits").is_archived
    assert Progress.objects.get(learner=ada, topic__slug="limits").status == Status.MASTERED
    assert_counts_match_the_database(ada)
    cover_everything(ada)
    assert_at_100_percent(ada)


# -- any sequence of curation steps ------------------------------------------------------

SLUGS = ["limits", "derivatives", "integrals", "vectors", "matrices", "counting"]
STATUSES = [None, *Status]

steps = st.one_of(
    st.tuples(st.just("archive"), st.sampled_from(SLUGS)),
    st.tuples(st.just("restore"), st.sampled_from(SLUGS)),
    st.tuples(
        st.just("rename"),
        st.sampled_from(SLUGS),
        st.text(
            st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), min_size=1, max_size=40
        ).filter(str.strip),
    ),
    st.tuples(
        st.just("move"), st.sampled_from(SLUGS), st.sampled_from(["calculus", "algebra", "probability"])
    ),
    st.tuples(st.just("delete"), st.sampled_from(SLUGS)),
    st.tuples(st.just("add"), st.sampled_from(["calculus", "algebra", "probability"])),
    st.tuples(st.just("status"), st.sampled_from(SLUGS), st.sampled_from(STATUSES)),
    st.tuples(st.just("import"), st.sampled_from(["v1", "v2", "tiny"])),
)
TINY = write_roadmap({"calculus": [("limits", "Limits", [])]})


def apply_step(step, learner) -> None:
    from django.db import transaction
    from django.db.models import ProtectedError

    kind, *args = step
    if kind == "import":
        roadmap_file.apply(roadmap_file.parse({"v1": V1, "v2": V2, "tiny": TINY}[args[0]]))
        return
    if kind == "add":
        section = Section.objects.filter(slug=args[0]).first()
        if section is None:
            return  # an import removed it (it had no topics left and was not in the file)
        # The first free name: counting topics would reuse one after a delete.
        number = 0
        while Topic.objects.filter(slug=f"added-{number}").exists():
            number += 1
        slug = f"added-{number}"
        Topic.objects.create(
            roadmap=section.roadmap, section=section, slug=slug, title=slug, summary="-", estimated_hours=1
        )
        return
    target = Topic.objects.filter(slug=args[0]).first()
    if target is None:
        return
    if kind == "archive":
        target.is_archived = True
        target.save(update_fields=["is_archived"])  # as the admin action does
    elif kind == "restore":
        target.is_archived = False
        target.save(update_fields=["is_archived"])
    elif kind == "rename":
        target.title = args[1][:200]
        target.save()
    elif kind == "move":
        section = Section.objects.filter(slug=args[1]).first()
        if section is not None:  # else an import removed it, as above
            target.section = section
            target.save()
    elif kind == "delete":
        tracked = target.progress.exists()
        try:
            with transaction.atomic():
                target.delete()
            assert not tracked, "a tracked topic was deleted"
        except ProtectedError:
            assert tracked
    elif kind == "status" and not target.is_archived:
        set_status(learner=learner, topic=target, status=args[1])


@settings(max_examples=25)  # each example is a few imports and admin writes; 25 keep the suite fast
@given(st.lists(steps, min_size=1, max_size=8))
@example([("import", "tiny"), ("archive", "limits")])  # found by this test: every topic archived
@example([("add", "calculus"), ("delete", "counting"), ("add", "calculus")])  # found: a name reused
# Found: v2 has no probability section, so importing it removes the emptied one.
@example([("move", "counting", "calculus"), ("import", "v2"), ("add", "probability")])
def test_no_sequence_of_curation_steps_orphans_or_miscounts_progress(ada, sequence):
    from django.db import transaction

    with transaction.atomic():
        for step in sequence:
            tracked = set(Progress.objects.filter(learner=ada).values_list("topic_id", flat=True))
            apply_step(step, ada)
            if step[0] != "status":
                # Curation never deletes a learner's row.
                assert tracked <= set(Progress.objects.filter(learner=ada).values_list("topic_id", flat=True))
            assert_counts_match_the_database(ada)
        cover_everything(ada)
        assert_at_100_percent(ada)
        transaction.set_rollback(True)


def test_a_learner_logging_in_after_curation_sees_the_same_numbers(ada, curator):
    curator.post(
        "/admin/roadmap/topic/", {"action": "archive_topics", "_selected_action": [topic("counting").pk]}
    )
    roadmap_file.apply(roadmap_file.parse(V2))
    learner = Client()
    learner.post("/accounts/login/", {"login": ada.email, "password": PASSWORD})
    cover_everything(ada)

    page = learner.get("/dashboard/").content.decode()

    assert "100%" in page
