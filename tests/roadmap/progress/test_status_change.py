from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from roadmap.models import Progress, Status
from tests import dom
from tests.factories import (
    PrerequisiteFactory,
    ProfileFactory,
    ProgressFactory,
    TopicFactory,
    UserFactory,
    bulk_roadmap,
)

PROGRESS = "/progress/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def rows(learner) -> list[tuple[str, str, str]]:
    return list(Progress.objects.filter(learner=learner).values_list("topic__slug", "status", "note"))


# -- the happy paths ----------------------------------------------------------


def test_plain_post_sets_the_status_and_redirects_back(learner_client, learner, topics):
    response = learner_client.post(
        PROGRESS, {"topic": "limits", "status": "learning", "next": "/topics/limits/"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/topics/limits/#topic-limits"
    assert rows(learner) == [("limits", "learning", "")]


def test_plain_post_without_next_goes_back_to_the_dashboard_row(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "mastered"})

    assert response["Location"] == "/dashboard/#topic-limits"
    assert rows(learner) == [("limits", "mastered", "")]


@pytest.mark.parametrize("unsafe", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_an_external_next_is_ignored(learner_client, learner, topics, unsafe):
    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "learning", "next": unsafe})

    assert response.status_code == 302
    assert response["Location"] == "/dashboard/#topic-limits"


def test_htmx_post_from_the_dashboard_swaps_every_affected_region_out_of_band(
    learner_client, learner, topics
):
    # htmx includes the `loaded_section` inputs of the sections whose rows are on the page.
    response = learner_client.post(
        PROGRESS,
        {"topic": "limits", "status": "mastered", "next": "/dashboard/", "loaded_section": ["calculus"]},
        **HTMX,
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert {
        "topic-limits",
        "section-card-calculus",
        "check-count-calculus",
        "next-up",
        "overall",
    } <= dom.oob_ids(html)
    assert "gaps" not in dom.oob_ids(html)  # "No gaps" before and after: nothing to swap
    assert "plan-body" not in dom.oob_ids(html)  # no goal: no plan to change
    assert "topic-derivatives" not in dom.oob_ids(html)  # only the changed row
    assert dom.pressed(html) == ["mastered"]
    assert "1/2 covered" in html
    assert dom.select_one(html, "li.panel-item#next-derivatives")
    assert "Limits: mastered." in html  # the flash message
    assert rows(learner) == [("limits", "mastered", "")]


def post_htmx(client, slug: str, status: str) -> set[str]:
    response = client.post(
        PROGRESS,
        {"topic": slug, "status": status, "next": "/dashboard/", "loaded_section": ["calculus"]},
        **HTMX,
    )
    assert response.status_code == 200
    return dom.oob_ids(response.content.decode())


def test_the_plan_is_sent_when_the_topic_is_on_the_way_to_the_goal(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["derivatives"])

    # Sent whole to a page that does not say what it shows (patched otherwise: test_plan_patch.py).
    assert "plan-body" in post_htmx(learner_client, "limits", "mastered")
    assert "plan-body" in post_htmx(learner_client, "derivatives", "learning")  # the goal itself


def test_a_change_that_moves_only_the_plans_summary_leaves_its_steps_in_place(
    learner_client, learner, topics
):
    # A chain of 20 topics to the goal: the plan shows the first 15 steps.
    chain = [topics["limits"], topics["derivatives"]]
    for i in range(18):
        chain.append(TopicFactory(section=chain[-1].section, slug=f"step-{i}", title=f"Step {i}"))
        PrerequisiteFactory(topic=chain[-1], prerequisite=chain[-2])
    ProfileFactory(user=learner, goal=chain[-1])

    # Mastering a step past the 15th: one topic fewer to go, the same steps shown.
    response = learner_client.post(
        PROGRESS, {"topic": "step-15", "status": "mastered", "next": "/dashboard/"}, **HTMX
    )
    html = response.content.decode()
    assert {"plan-summary", "plan-more"} <= dom.oob_ids(html)
    assert "plan-body" not in dom.oob_ids(html)
    assert "19</strong> topics to go" in html
    assert "Show 4 more steps" in html
    # A step that is shown changes its status there: the plan is sent (whole, to a page
    # that does not say what it shows; test_plan_patch.py has the patch).
    assert "plan-body" in post_htmx(learner_client, "derivatives", "learning")


def test_the_plan_is_left_alone_when_the_topic_is_not_on_the_way(learner_client, learner, topics):
    ProfileFactory(user=learner, goal=topics["limits"])
    other = TopicFactory(section=topics["limits"].section, slug="series")

    ids = post_htmx(learner_client, other.slug, "mastered")

    assert "plan-body" not in ids
    assert {"topic-series", "section-card-calculus", "overall", "next-up"} <= ids


def test_panels_a_change_cannot_alter_are_not_sent(learner_client, learner, topics):
    # Skipping a topic nothing started builds on: no gap, stale or fading topic can change.
    ids = post_htmx(learner_client, "derivatives", "skipped")
    assert "topic-derivatives" in ids
    assert "next-up" not in ids  # it lists Limits, before and after: the panel would render the same
    assert "gaps" not in post_htmx(learner_client, "derivatives", "not_started")
    # Learning → practised changes nothing that is covered: next up stays unless it lists the topic.
    post_htmx(learner_client, "limits", "mastered")
    post_htmx(learner_client, "derivatives", "learning")
    ids = post_htmx(learner_client, "derivatives", "practised")
    assert "next-up" in ids  # next up shows its status
    # It was at "learning", so it could have been stale; but not for days, so the panel shows the same.
    assert "gaps" not in ids
    assert "reviews" not in ids
    # Only a topic that was mastered can leave the review list; one mastered
    # just now is not due yet, so it leaves it only once it has come due.
    Progress.objects.filter(learner=learner, topic__slug="limits").update(
        review_due=timezone.now() - timedelta(days=1)
    )
    assert "reviews" in post_htmx(learner_client, "limits", "practised")


def test_every_change_to_a_record_marks_the_learners_pages_stale(learner, topics):
    # set_status says "this learner's pages changed" itself, each time, in the
    # UPDATE that takes the learner's lock: a new record, a new note, a cleared one.
    from accounts.models import Profile
    from roadmap.progress.status import set_status

    def token():
        return Profile.objects.get(user=learner).state_token

    Profile.objects.for_user(learner)
    seen = [token()]
    set_status(learner=learner, topic=topics["limits"], status=Status.LEARNING)
    seen.append(token())
    set_status(learner=learner, topic=topics["limits"], status=Status.LEARNING, note="Larson 2.4")
    seen.append(token())
    set_status(learner=learner, topic=topics["limits"], status=None)
    seen.append(token())

    assert len(set(seen)) == len(seen)


def test_skipping_a_gap_sends_the_gaps_panel(learner_client, learner, topics):
    post_htmx(learner_client, "derivatives", "learning")  # limits is now a gap

    assert "gaps" in post_htmx(learner_client, "limits", "skipped")


def test_the_same_status_again_brings_every_panel_up_to_date(learner_client, learner, topics):
    # Nothing changes, so the page that sent it is behind: another tab made the change.
    ProfileFactory(user=learner, goal=topics["derivatives"])
    post_htmx(learner_client, "limits", "learning")

    ids = post_htmx(learner_client, "limits", "learning")

    assert {
        "topic-limits",
        "section-card-calculus",
        "overall",
        "gaps",
        "next-up",
        "reviews",
        "plan-body",
    } <= ids


def test_htmx_post_leaves_out_the_row_of_a_section_not_on_the_page(learner_client, learner, topics):
    # A lazily loaded checklist section may be closed: swapping its row would miss.
    response = learner_client.post(
        PROGRESS,
        {"topic": "limits", "status": "mastered", "next": "/dashboard/", "loaded_section": ["other"]},
        **HTMX,
    )

    ids = dom.oob_ids(response.content.decode())
    assert "topic-limits" not in ids
    assert {"section-card-calculus", "next-up", "overall"} <= ids
    assert rows(learner) == [("limits", "mastered", "")]


def test_htmx_post_from_the_topic_page_returns_its_status_card(learner_client, learner, topics):
    response = learner_client.post(
        "/topics/limits/status/", {"status": "practised", "next": "/topics/limits/"}, **HTMX
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert dom.root_element(html).matches("section.card.learner-status#learner-status")
    assert "hx-swap-oob" not in html
    assert "Saved." in html
    assert dom.pressed(html) == ["practised"]
    assert rows(learner) == [("limits", "practised", "")]


def test_the_same_post_twice_changes_nothing_the_second_time(learner_client, learner, topics):
    data = {"topic": "limits", "status": "learning"}
    learner_client.post(PROGRESS, data)
    first = Progress.objects.get(learner=learner)

    response = learner_client.post(PROGRESS, data)

    assert response.status_code == 302
    second = Progress.objects.get(learner=learner)  # .get(): still exactly one row
    assert second.pk == first.pk
    assert second.status_changed_at == first.status_changed_at


def test_a_new_status_moves_status_changed_at(learner_client, learner, topics):
    long_ago = timezone.now() - timedelta(days=10)
    ProgressFactory(
        learner=learner, topic=topics["limits"], status=Status.LEARNING, status_changed_at=long_ago
    )

    learner_client.post(PROGRESS, {"topic": "limits", "status": "practised"})

    progress = Progress.objects.get(learner=learner)
    assert progress.status == Status.PRACTISED
    assert progress.status_changed_at > long_ago


def test_not_started_deletes_the_row(learner_client, learner, topics):
    ProgressFactory(learner=learner, topic=topics["limits"], status=Status.MASTERED, note="Stewart 2.1–2.4")

    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "not_started"})

    assert response.status_code == 302
    assert rows(learner) == []


def test_not_started_on_a_topic_without_a_row_is_harmless(learner_client, learner, topics):
    response = learner_client.post(PROGRESS, {"topic": "limits", "status": "not_started"})

    assert response.status_code == 302
    assert rows(learner) == []


def test_get_is_not_allowed(learner_client, topics):
    assert learner_client.get(PROGRESS, {"topic": "limits", "status": "learning"}).status_code == 405


# -- who may change what ------------------------------------------------------


def test_anonymous_post_is_sent_to_login_and_stores_nothing(client, topics):
    response = client.post(PROGRESS, {"topic": "limits", "status": "learning"})

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Progress.objects.exists()


def test_csrf_token_is_required(learner, topics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)

    response = client.post(PROGRESS, {"topic": "limits", "status": "learning"})

    assert response.status_code == 403
    assert rows(learner) == []


def test_the_csrf_header_from_the_page_is_accepted(learner, topics):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    client.get("/dashboard/")  # sets the CSRF cookie, as the page does for htmx's header

    response = client.post(
        PROGRESS,
        {"topic": "limits", "status": "learning"},
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )

    assert response.status_code == 302
    assert rows(learner) == [("limits", "learning", "")]


def test_a_post_only_touches_the_requesting_learners_own_row(learner_client, learner, topics):
    other = UserFactory()
    ProgressFactory(learner=other, topic=topics["limits"], status=Status.MASTERED, note="Other's evidence")

    learner_client.post(PROGRESS, {"topic": "limits", "status": "learning", "note": "Mine"})
    learner_client.post(PROGRESS, {"topic": "derivatives", "status": "not_started"})

    assert rows(other) == [("limits", "mastered", "Other's evidence")]
    assert rows(learner) == [("limits", "learning", "Mine")]

    learner_client.post(PROGRESS, {"topic": "limits", "status": "not_started"})

    assert rows(other) == [("limits", "mastered", "Other's evidence")]
    assert rows(learner) == []


def test_there_is_no_field_to_name_another_learner(learner_client, learner, topics):
    other = UserFactory()

    learner_client.post(
        PROGRESS, {"topic": "limits", "status": "mastered", "learner": other.pk, "user": other.pk}
    )

    assert rows(other) == []
    assert rows(learner) == [("limits", "mastered", "")]


# -- query count --------------------------------------------------------------


@pytest.mark.parametrize(("size", "edges"), [(60, 180), (1000, 3000)])
def test_htmx_status_change_query_count_does_not_grow_with_the_roadmap(
    client, db, django_assert_max_num_queries, size, edges
):
    roadmap_topics = bulk_roadmap(topics=size, edges=edges)
    learner = UserFactory()
    Progress.objects.bulk_create(
        Progress(learner=learner, topic=topic, status=Status.MASTERED, status_changed_at=timezone.now())
        for topic in roadmap_topics[: size // 2 : 3]
    )
    ProfileFactory(user=learner, goal=roadmap_topics[-1])
    client.force_login(learner)
    changed = roadmap_topics[size // 2]

    # session, user (+ profile), current roadmap, the topic; set_status: savepoint, the
    # lock (which also replaces the state token), select for update, insert, release; then
    # the dashboard: the roadmap's graph token, topics, edges and sections (only when the
    # graph changed since this process last read it), progress, plan resources
    # (+ pairings), their ratings and the log's totals for the plan's pace (the topic
    # is on the way to the goal, so the plan is sent again).
    with django_assert_max_num_queries(17):
        response = client.post(
            PROGRESS,
            {
                "topic": changed.slug,
                "status": "learning",
                "next": "/dashboard/",
                "loaded_section": [changed.section.slug],
            },
            **HTMX,
        )

    assert response.status_code == 200
    assert f"topic-{changed.slug}" in dom.oob_ids(response.content.decode())
    assert Progress.objects.get(learner=learner, topic=changed).status == Status.LEARNING
