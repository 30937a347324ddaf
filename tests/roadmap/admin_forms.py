"""The admin's forms as a browser would post them, for tests that curate through the admin."""

from django.urls import reverse

from roadmap.models import Topic
from tests import dom


def admin_form(client, url: str) -> dict[str, str | list[str]]:
    """GET an admin add/change page and return its form as the browser would post it.

    Reading the rendered form (management forms, inline rows, defaults) keeps these
    tests true to the page when fields are added to the models.
    """
    form = dom.select(client.get(url), 'form[id$="_form"]')[0]
    return {name: value for name, value in dom.form_values(form).items() if "__prefix__" not in name}


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> dict:
    """Fill the inline's blank row, cloning it for further rows as "Add another" does."""
    blank = int(data[f"{prefix}-INITIAL_FORMS"])
    template = {
        name.removeprefix(f"{prefix}-{blank}-"): value
        for name, value in data.items()
        if name.startswith(f"{prefix}-{blank}-")
    }
    for offset, values in enumerate(rows):
        data.update(
            {f"{prefix}-{blank + offset}-{field}": value for field, value in {**template, **values}.items()}
        )
    data[f"{prefix}-TOTAL_FORMS"] = str(max(int(data[f"{prefix}-TOTAL_FORMS"]), blank + len(rows)))
    return data


def topic_form_data(client, topic: Topic, *, add_prerequisites=(), **changes) -> dict:
    """The topic change form as rendered, with prerequisites added in the inline and fields changed.

    The inline prefixes are the related names, `prerequisite_links` and `resource_links`.
    """
    data = admin_form(client, change_url(topic))
    assert "prerequisite_links-TOTAL_FORMS" in data
    assert "resource_links-TOTAL_FORMS" in data
    add_inline_rows(data, "prerequisite_links", [{"prerequisite": str(p.pk)} for p in add_prerequisites])
    data.update(changes)
    return data


def prerequisite_form_data(client, **values) -> dict:
    data = admin_form(client, reverse("admin:roadmap_prerequisite_add"))
    data.update({name: str(value) for name, value in values.items()})
    return data


def change_url(topic: Topic) -> str:
    return reverse("admin:roadmap_topic_change", args=[topic.pk])
