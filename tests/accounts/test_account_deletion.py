"""Deleting an account: password and confirmation required, and then everything goes."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from accounts.models import Profile, Visibility
from roadmap.models import Attempt, LogEntry, Placement, Problem, Progress, Purpose, Status, TopicCheck
from tests import dom
from tests.factories import (
    PASSWORD,
    AttemptFactory,
    LogEntryFactory,
    PlacementFactory,
    ProblemFactory,
    ProfileFactory,
    ProgressFactory,
    TopicCheckFactory,
    TopicFactory,
    UserFactory,
)

DELETE = "/settings/delete/"
User = get_user_model()


@pytest.fixture
def learner(db):
    user = UserFactory(username="ada")
    topic = TopicFactory()
    ProfileFactory(user=user, visibility=Visibility.PUBLIC, goal=topic)
    ProgressFactory(learner=user, topic=topic, status=Status.MASTERED, note="Evidence")
    LogEntryFactory(learner=user, date=date(2025, 3, 1), topics=[topic])
    LogEntryFactory(learner=user, date=date(2025, 3, 2))
    return user


@pytest.fixture
def bystander(learner):
    """Another learner on the same topics, who must lose nothing."""
    user = UserFactory(username="grace")
    topic = learner.progress.get().topic
    ProfileFactory(user=user)
    ProgressFactory(learner=user, topic=topic)
    LogEntryFactory(learner=user, date=date(2025, 3, 1), topics=[topic])
    return user


def rows(user_id: int) -> tuple[int, int, int, int]:
    return (
        User.objects.filter(pk=user_id).count(),
        Profile.objects.filter(user_id=user_id).count(),
        Progress.objects.filter(learner_id=user_id).count(),
        LogEntry.objects.filter(learner_id=user_id).count(),
    )


def errors(response) -> list[str]:
    return dom.field_errors(response)


def field_block(html: str, name: str) -> dom.Element:
    """The form field holding the input named name, with its label and errors."""
    [block] = [field for field in dom.select(html, "div.field") if field.select(f'input[name="{name}"]')]
    return block


def test_deleting_removes_the_user_profile_progress_and_log(client, learner, bystander):
    client.force_login(learner)

    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"}, follow=True)

    assert response.redirect_chain == [("/", 302)]
    assert "Your account and everything in it have been deleted." in response.content.decode()
    assert rows(learner.pk) == (0, 0, 0, 0)
    assert not LogEntry.topics.through.objects.filter(logentry__learner_id=learner.pk).exists()
    assert rows(bystander.pk) == (1, 1, 1, 1)
    assert LogEntry.objects.get(learner=bystander).topics.count() == 1


def test_deleting_removes_every_answer_topic_check_and_placement_run(client, learner, bystander):
    topic = learner.progress.get().topic
    for user in (learner, bystander):
        problems = ProblemFactory.create_batch(3, topic=topic)
        check = TopicCheckFactory(learner=user, topic=topic, problems=problems)
        run = PlacementFactory(learner=user, roadmap=topic.roadmap)
        AttemptFactory(learner=user, problem=problems[0], topic_check=check)
        AttemptFactory(learner=user, problem=problems[1], purpose=Purpose.PLACEMENT, placement=run)
        AttemptFactory(learner=user, problem=problems[2], purpose=Purpose.REVIEW)
    client.force_login(learner)

    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    for model, left in ((Attempt, 3), (TopicCheck, 1), (Placement, 1)):
        assert not model.objects.filter(learner_id=learner.pk).exists(), model
        assert model.objects.filter(learner=bystander).count() == left, model
    # The curated problems they answered stay: other learners' answers point at them.
    assert Problem.objects.filter(topic=topic).count() == 6


def test_after_deleting_the_learner_is_logged_out_and_the_page_is_gone(client, learner):
    client.force_login(learner)

    client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert client.get("/dashboard/")["Location"].startswith("/accounts/login/")
    assert client.get("/u/ada/").status_code == 404


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password": "not my password", "confirm": "on"}, "password", "That password is not right."),
        ({"password": "", "confirm": "on"}, "password", "This field is required."),
        ({"password": PASSWORD}, "confirm", "This field is required."),
        ({}, "password", "This field is required."),
    ],
    ids=["wrong-password", "no-password", "not-confirmed", "empty"],
)
def test_deleting_needs_the_password_and_the_confirmation(client, learner, data, field, message):
    client.force_login(learner)

    response = client.post(DELETE, data)

    assert response.status_code == 400
    html = response.content.decode()
    assert message in errors(response)
    assert message in [error.text for error in field_block(html, field).select("p.field-errors")]
    # The typed password is never echoed back.
    assert "not my password" not in html
    assert rows(learner.pk) == (1, 1, 1, 2)
    assert client.get("/dashboard/").status_code == 200  # still signed in


def test_deleting_needs_a_post(client, learner):
    client.force_login(learner)

    response = client.get(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 405
    assert rows(learner.pk) == (1, 1, 1, 2)


def test_anonymous_visitors_cannot_delete_anything(client, learner):
    response = client.post(DELETE, {"password": PASSWORD, "confirm": "on"})

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={DELETE}"
    assert rows(learner.pk) == (1, 1, 1, 2)


def test_one_learners_password_cannot_delete_another_account(client, learner, bystander):
    client.force_login(bystander)

    response = client.post(DELETE, {"password": "wrong", "confirm": "on", "user": learner.pk})

    assert response.status_code == 400
    assert rows(learner.pk) == (1, 1, 1, 2)
    assert rows(bystander.pk) == (1, 1, 1, 1)


def test_the_settings_page_offers_deletion_with_both_fields(client, learner):
    client.force_login(learner)

    html = client.get("/settings/").content.decode()

    form = dom.select_one(html, f'form[method=post][action="{DELETE}"]')
    assert form.select_one("input[name=password]")["type"] == "password"
    assert form.select_one("input[name=confirm]")["type"] == "checkbox"
    assert "I understand this deletes my progress, goal, learning log and account for good." in form.text
