"""The log form's "Topics studied": a checklist per section, what it sends, and what it keeps."""

from datetime import date
from urllib.parse import urlencode

import pytest

from roadmap.models import LogEntry
from tests import dom
from tests.factories import LogEntryFactory, SectionFactory, TopicFactory
from tests.roadmap.journal.log_pages import (
    LOG,
    edit_url,
    entries,
    entry_data,
    errors,
    ticked_topics,
    topic_sections,
)

pytestmark = pytest.mark.usefixtures("frozen_now")


@pytest.fixture
def vectors(topics):
    """A second section, after Calculus, with one topic."""
    calculus = topics["limits"].section
    section = SectionFactory(roadmap=calculus.roadmap, title="Linear algebra", order=calculus.order + 1)
    return TopicFactory(section=section, slug="vectors", title="Vectors", order=0)


def test_the_topics_are_checkboxes_in_a_fieldset_per_section(learner_client, topics, vectors):
    html = learner_client.get(LOG).content.decode()

    assert topic_sections(html) == {"Calculus": ["Limits", "Derivatives"], "Linear algebra": ["Vectors"]}
    picker = dom.select_one(html, "fieldset.topic-picker")
    assert picker.select("legend")[0].text == "Topics studied"
    boxes = picker.select("input[name=topics]")
    assert [box["value"] for box in boxes] == [
        str(topic.pk) for topic in (topics["limits"], topics["derivatives"], vectors)
    ]
    for box in boxes:
        assert box["type"] == "checkbox" and not box.has("checked")
        # Each box is labelled by the text beside it, for a click and for a screen reader.
        assert box.parent.tag == "label" and box.parent["for"] == box.id
    assert dom.select(html, "select[name=topics]") == []


def test_the_filter_box_is_hidden_until_its_script_shows_it(learner_client, topics):
    html = learner_client.get(LOG).content.decode()

    # Without JavaScript a filter that filters nothing would only be in the way.
    assert dom.select_one(html, "[data-topic-filter]").has("hidden")
    assert dom.select_one(html, "label[for=topic-filter]").text == "Filter topics"
    assert dom.select(html, 'script[src$="/topic_filter.js"][defer]')


def test_the_edit_page_has_the_same_checklist_with_the_entrys_topics_ticked(learner_client, learner, topics):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), topics=[topics["derivatives"]])

    html = learner_client.get(edit_url("2025-03-01")).content.decode()

    assert topic_sections(html) == {"Calculus": ["Limits", "Derivatives"]}
    assert ticked_topics(html) == [str(topics["derivatives"].pk)]
    assert dom.select(html, 'script[src$="/topic_filter.js"][defer]')


def test_a_refused_entry_keeps_every_ticked_topic(learner_client, learner, topics, vectors):
    ticked = [topics["limits"].pk, vectors.pk]

    response = learner_client.post(LOG, entry_data(date="2025-03-11", topics=ticked))

    assert response.status_code == 400
    html = response.content.decode()
    assert any("is in the future" in error for error in errors(html))
    assert ticked_topics(html) == [str(pk) for pk in ticked]
    assert entries(learner) == []


def test_the_ticked_boxes_post_as_one_topics_pair_each(learner_client, learner, topics, vectors):
    # What a browser sends for two ticked boxes named "topics": the name twice.
    fields = {**entry_data(), "topics": [topics["derivatives"].pk, vectors.pk]}
    body = urlencode(fields, doseq=True)
    assert f"topics={topics['derivatives'].pk}&topics={vectors.pk}" in body

    response = learner_client.post(LOG, body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 302
    assert set(LogEntry.objects.get(learner=learner).topics.all()) == {topics["derivatives"], vectors}


def test_sending_the_edit_form_back_as_it_is_keeps_the_topics(learner_client, learner, topics, vectors):
    LogEntryFactory(learner=learner, date=date(2025, 3, 1), minutes=45, topics=[topics["limits"], vectors])
    form = dom.select_one(learner_client.get(edit_url("2025-03-01")).content.decode(), "form.log-form")

    sent = dom.form_values(form)
    response = learner_client.post(edit_url("2025-03-01"), sent)

    assert sent["topics"] == [str(topics["limits"].pk), str(vectors.pk)]
    assert response.status_code == 302
    assert set(LogEntry.objects.get(learner=learner).topics.all()) == {topics["limits"], vectors}


def test_no_ticked_topic_is_fine(learner_client, learner, topics):
    response = learner_client.post(LOG, entry_data(topics=[]))

    assert response.status_code == 302
    assert list(LogEntry.objects.get(learner=learner).topics.all()) == []
