"""Learners suggest resources; curators approve (with edits) or reject them with a reason."""

from datetime import timedelta
from html import unescape

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from roadmap.community import suggestions
from roadmap.models import CuratedBy, Resource, ResourceSuggestion, Role, SuggestionStatus, TopicResource
from tests import dom
from tests.factories import (
    ProfileFactory,
    ResourceFactory,
    ResourceSuggestionFactory,
    SectionFactory,
    TopicFactory,
    TopicResourceFactory,
    UserFactory,
)
from tests.roadmap.admin_forms import admin_form

SUGGEST = "/topics/limits/suggest/"
KHAN = "https://www.khanacademy.org/math/calculus/limits"


@pytest.fixture
def topic(db):
    """Limits, in the current roadmap, with one curated resource."""
    limits = TopicFactory(section=SectionFactory(title="Calculus"), slug="limits", title="Limits")
    TopicResourceFactory(topic=limits, resource=ResourceFactory(title="Khan limits", url=KHAN))
    return limits


@pytest.fixture
def learner(db):
    user = UserFactory(username="ada")
    ProfileFactory(user=user, display_name="Ada Lovelace")
    return user


def suggestion_data(**changes) -> dict:
    return {
        "title": "3Blue1Brown: Limits",
        "url": "https://www.youtube.com/watch?v=kfF40MiS7zA",
        "kind": "video_series",
        "access": "free",
        "why": "The epsilon-delta picture finally made sense.",
        **changes,
    }


def change_url(suggestion: ResourceSuggestion) -> str:
    return reverse("admin:roadmap_resourcesuggestion_change", args=[suggestion.pk])


def moderate(admin_client, suggestion: ResourceSuggestion, **changes):
    """Post the suggestion's admin change form as rendered, with some fields changed."""
    data = admin_form(admin_client, change_url(suggestion))
    data.update(changes)
    return admin_client.post(change_url(suggestion), data)


# -- Suggesting ---------------------------------------------------------------------------------------


def test_the_suggestion_form_asks_for_the_link_and_why_it_helped(learner_client, topic):
    response = learner_client.get(SUGGEST)

    html = response.content.decode()
    assert response.status_code == 200
    assert "Suggest a resource for Limits" in html
    labels = [label.text for label in dom.select(html, "form label, form legend")]
    for label in ["Title", "Link", "Kind", "Access", "Why it helped"]:
        assert label in labels
    assert "You can send 5 more suggestions today." in html


def test_the_topic_page_links_to_the_suggestion_form(learner_client, client, topic):
    assert dom.select(learner_client.get("/topics/limits/"), f'a[href="{SUGGEST}"]')


def test_a_suggestion_waits_for_review_and_thanks_the_learner(learner_client, learner, topic):
    response = learner_client.post(SUGGEST, suggestion_data(), follow=True)

    assert response.redirect_chain == [("/topics/limits/", 302)]
    html = unescape(response.content.decode())
    assert "Thanks! A curator will review your suggestion" in html
    suggestion = ResourceSuggestion.objects.get()
    assert (suggestion.suggester, suggestion.topic, suggestion.status) == (
        learner,
        topic,
        SuggestionStatus.PENDING,
    )
    assert suggestion.title == "3Blue1Brown: Limits"
    # Waiting for review: not on the roadmap yet.
    assert "3Blue1Brown: Limits" not in html.split("Thanks!", 1)[1]
    assert not Resource.objects.filter(url=suggestion.url).exists()


def test_suggest_approve_with_edits_and_the_resource_appears_credited(
    learner_client, client, admin_client, admin_user, learner, topic
):
    learner_client.post(SUGGEST, suggestion_data())
    suggestion = ResourceSuggestion.objects.get()
    queue = admin_client.get(reverse("admin:roadmap_resourcesuggestion_changelist")).content.decode()
    assert "3Blue1Brown: Limits" in queue

    response = moderate(
        admin_client, suggestion, title="Essence of calculus: limits", status=SuggestionStatus.APPROVED
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    resource = suggestion.resource
    assert suggestion.status == SuggestionStatus.APPROVED
    assert (suggestion.decided_by, suggestion.title) == (admin_user, "Essence of calculus: limits")
    assert suggestion.decided_at is not None
    assert (resource.title, resource.url, resource.kind, resource.access) == (
        "Essence of calculus: limits",
        "https://www.youtube.com/watch?v=kfF40MiS7zA",
        "video_series",
        "free",
    )
    assert (resource.recommended_by, resource.curated_by) == ("Ada Lovelace", CuratedBy.LEARNER)
    assert resource.note == "The epsilon-delta picture finally made sense."
    link = TopicResource.objects.get(resource=resource)
    assert (link.topic, link.role, link.order) == (topic, Role.SUPPLEMENTAL, 1)

    entry = dom.select_one(client.get("/topics/limits/"), f"li.resource#resource-{resource.slug}").text
    assert "Essence of calculus: limits" in entry
    assert "recommended by Ada Lovelace" in entry
    assert "learner pick" in entry
    settings_page = learner_client.get("/settings/").content.decode()
    assert dom.select(settings_page, "#suggestions .badge.suggestion-approved")


def test_a_suggester_without_a_display_name_is_credited_by_username(admin_client, topic):
    suggestion = ResourceSuggestionFactory(topic=topic, suggester=UserFactory(username="grace"))

    moderate(admin_client, suggestion, status=SuggestionStatus.APPROVED)

    assert Resource.objects.get(suggestions=suggestion).recommended_by == "grace"


def test_rejecting_without_a_reason_is_refused_in_plain_words(admin_client, topic):
    suggestion = ResourceSuggestionFactory(topic=topic)

    response = moderate(admin_client, suggestion, status=SuggestionStatus.REJECTED, rejection_reason="  ")

    assert response.status_code == 200
    assert "Say why it is rejected; the learner who suggested it will see this." in unescape(
        response.content.decode()
    )
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_a_rejection_reason_is_shown_to_the_suggester_only(
    learner_client, client, admin_client, learner, topic
):
    suggestion = ResourceSuggestionFactory(topic=topic, suggester=learner, title="Random blog")

    response = moderate(
        admin_client,
        suggestion,
        status=SuggestionStatus.REJECTED,
        rejection_reason="It skips the limit laws the topic is about.",
    )

    assert response.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.REJECTED
    assert suggestion.resource is None
    assert not Resource.objects.filter(title="Random blog").exists()
    html = unescape(learner_client.get("/settings/").content.decode())
    assert "Random blog" in html
    assert "Curator's reason: It skips the limit laws the topic is about." in html
    client.force_login(UserFactory())
    assert "It skips the limit laws" not in client.get("/settings/").content.decode()


def test_approving_a_link_that_reached_the_roadmap_meanwhile_is_refused(admin_client, topic):
    suggestion = ResourceSuggestionFactory(topic=topic, url="https://example.org/limits-notes")
    ResourceFactory(title="Limits notes", url="https://example.org/limits-notes/")

    response = moderate(admin_client, suggestion, status=SuggestionStatus.APPROVED)

    assert response.status_code == 200
    assert "This link is already on the roadmap as “Limits notes”." in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


def test_the_bulk_action_approves_pending_suggestions_and_skips_duplicates(admin_client, admin_user, topic):
    first, second = ResourceSuggestionFactory.create_batch(2, topic=topic)
    duplicate = ResourceSuggestionFactory(topic=topic, url=KHAN + "/", title="Khan again")
    changelist = reverse("admin:roadmap_resourcesuggestion_changelist")

    response = admin_client.post(
        changelist,
        {"action": "approve_suggestions", "_selected_action": [first.pk, second.pk, duplicate.pk]},
        follow=True,
    )

    html = unescape(response.content.decode())
    assert "Approved 2 suggestion(s)." in html
    assert "Skipped “Khan again”: its link is already on the roadmap." in html
    statuses = dict(ResourceSuggestion.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: SuggestionStatus.APPROVED,
        second.pk: SuggestionStatus.APPROVED,
        duplicate.pk: SuggestionStatus.PENDING,
    }
    assert set(topic.resource_links.values_list("resource__title", flat=True)) == {
        "Khan limits",
        first.title,
        second.title,
    }
    assert set(ResourceSuggestion.objects.values_list("decided_by", flat=True)) == {admin_user.pk, None}


def test_the_moderation_queue_opens_on_pending_suggestions(admin_client, topic):
    ResourceSuggestionFactory(topic=topic, title="Waiting one")
    ResourceSuggestionFactory(
        topic=topic, title="Refused one", status=SuggestionStatus.REJECTED, rejection_reason="Off topic."
    )
    changelist = reverse("admin:roadmap_resourcesuggestion_changelist")

    queue = admin_client.get(changelist).content.decode()
    everything = admin_client.get(changelist, {"status__exact": "rejected"}).content.decode()

    assert "Waiting one" in queue
    assert "Refused one" not in queue
    assert "Refused one" in everything


def test_approving_twice_creates_one_resource(admin_user, topic):
    suggestion = ResourceSuggestionFactory(topic=topic)

    first = suggestions.approve(suggestion=suggestion, moderator=admin_user)
    again = suggestions.approve(suggestion=suggestion, moderator=admin_user)

    assert first == again
    assert Resource.objects.filter(title=suggestion.title).count() == 1


def test_curators_cannot_add_suggestions_themselves(admin_client):
    response = admin_client.get(reverse("admin:roadmap_resourcesuggestion_add"))

    assert response.status_code == 403


# -- Validation: real links, no duplicates, a daily limit -----------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        KHAN,
        KHAN + "/",
        KHAN.replace("www.", ""),
        "HTTPS://WWW.KhanAcademy.org/math/calculus/limits",
        KHAN.replace("https://", "http://"),
        KHAN + "#intro",
    ],
    ids=["same", "trailing-slash", "without-www", "host-case", "http", "fragment"],
)
def test_a_link_already_on_the_roadmap_is_refused(learner_client, topic, url):
    response = learner_client.post(SUGGEST, suggestion_data(url=url))

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "That link is already on the roadmap as “Khan limits”." in html
    assert dom.form_values(html)["title"] == "3Blue1Brown: Limits"  # what was typed is kept
    assert not ResourceSuggestion.objects.exists()


def test_a_link_waiting_for_review_is_refused(learner_client, topic):
    ResourceSuggestionFactory(topic=topic, url="https://example.org/limits")

    response = learner_client.post(SUGGEST, suggestion_data(url="https://www.example.org/limits/"))

    assert response.status_code == 400
    assert "Someone has already suggested that link; it is waiting for review." in unescape(
        response.content.decode()
    )
    assert ResourceSuggestion.objects.count() == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://files.example.org/limits.pdf", "Enter a web address starting with http:// or https://."),
        ("javascript:alert(1)", "Enter a valid URL."),
        ("not a link", "Enter a valid URL."),
    ],
)
def test_a_link_that_is_not_a_web_address_is_refused(learner_client, topic, url, message):
    response = learner_client.post(SUGGEST, suggestion_data(url=url))

    assert response.status_code == 400
    assert message in unescape(response.content.decode())
    assert not ResourceSuggestion.objects.exists()


def test_missing_fields_are_named_and_what_was_typed_is_kept(learner_client, topic):
    response = learner_client.post(SUGGEST, suggestion_data(why="", kind=""))

    assert response.status_code == 400
    html = response.content.decode()
    assert dom.field_errors(html).count("This field is required.") == 2
    assert html.count("This field is required.") == 2
    assert dom.form_values(html)["title"] == "3Blue1Brown: Limits"
    assert not ResourceSuggestion.objects.exists()


def test_the_sixth_suggestion_in_a_day_is_refused(learner_client, learner, topic):
    ResourceSuggestionFactory.create_batch(5, suggester=learner, topic=topic)

    response = learner_client.post(SUGGEST, suggestion_data())

    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "You can suggest 5 resources a day. Thanks — please come back tomorrow." in html
    assert "You can send 0 more suggestions today." in html
    assert dom.form_values(html)["title"] == "3Blue1Brown: Limits"
    assert "The epsilon-delta picture finally made sense." in html
    assert ResourceSuggestion.objects.count() == 5


def test_the_daily_limit_counts_only_the_last_24_hours(learner_client, learner, topic):
    ResourceSuggestionFactory.create_batch(5, suggester=learner, topic=topic)
    ResourceSuggestion.objects.update(created_at=timezone.now() - timedelta(hours=25))

    response = learner_client.post(SUGGEST, suggestion_data())

    assert response.status_code == 302
    assert ResourceSuggestion.objects.count() == 6


def test_the_daily_limit_is_per_learner(learner_client, topic):
    ResourceSuggestionFactory.create_batch(5, topic=topic, suggester=UserFactory())

    response = learner_client.post(SUGGEST, suggestion_data())

    assert response.status_code == 302


def test_the_database_keeps_one_pending_suggestion_per_link(topic):
    ResourceSuggestionFactory(topic=topic, url="https://example.org/a")

    with pytest.raises(IntegrityError), transaction.atomic():
        ResourceSuggestionFactory(topic=topic, url="https://example.org/a")


def test_the_database_refuses_a_rejection_without_a_reason(topic):
    suggestion = ResourceSuggestionFactory(topic=topic)

    with pytest.raises(IntegrityError, match="suggestion_rejection_has_reason"), transaction.atomic():
        ResourceSuggestion.objects.filter(pk=suggestion.pk).update(status=SuggestionStatus.REJECTED)


def test_reject_refuses_a_blank_reason(admin_user, topic):
    suggestion = ResourceSuggestionFactory(topic=topic)

    with pytest.raises(ValueError, match="needs a reason"):
        suggestions.reject(suggestion=suggestion, moderator=admin_user, reason="   ")

    suggestion.refresh_from_db()
    assert suggestion.status == SuggestionStatus.PENDING


# -- Access ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("method", ["get", "post"])
def test_anonymous_visitors_are_sent_to_login(client, topic, method):
    response = client.post(SUGGEST, suggestion_data()) if method == "post" else client.get(SUGGEST)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={SUGGEST}"
    assert not ResourceSuggestion.objects.exists()


def test_an_unknown_topic_has_no_suggestion_form(learner_client, topic):
    assert learner_client.get("/topics/no-such-topic/suggest/").status_code == 404


def test_an_archived_topic_takes_no_suggestions(learner_client, topic):
    topic.is_archived = True
    topic.save()

    response = learner_client.post(SUGGEST, suggestion_data())

    assert response.status_code == 404
    assert not ResourceSuggestion.objects.exists()


def test_the_suggestion_form_refuses_other_methods(learner_client, topic):
    assert learner_client.put(SUGGEST).status_code == 405
    assert learner_client.delete(SUGGEST).status_code == 405


def test_the_settings_page_lists_only_the_learners_own_suggestions(learner_client, learner, topic):
    ResourceSuggestionFactory(topic=topic, suggester=learner, title="Mine")
    ResourceSuggestionFactory(topic=topic, title="Someone else's")

    html = learner_client.get("/settings/").content.decode()

    section = dom.by_id(html, "suggestions").text
    assert "Mine" in section
    assert "Waiting for review" in section
    assert "Someone else" not in section
