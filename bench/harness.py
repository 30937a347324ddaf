"""What the in-process benchmarks (bench/dashboard.py, bench/map.py) share.

Imported after bench.setup_django, like any module that reaches the models.
"""

import itertools
from collections.abc import Callable

from django.core.cache import caches
from django.core.management import call_command
from django.http import HttpResponse
from django.test import Client

from roadmap.web import page_cache


def prepare_database() -> None:
    """The tables, the cache table and the static files a deployed site has."""
    call_command("collectstatic", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def forget_pages() -> None:
    """Empty both levels of the page cache, so the next request renders afresh."""
    page_cache.clear_memory()
    caches["pages"].clear()


def status_changes(
    client: Client,
    topics: list[str],
    statuses: list[str],
    *,
    next_url: str,
    url: Callable[[str], str] = lambda slug: "/progress/",
    extra: Callable[[], dict] = dict,
    **headers,
) -> Callable[[], HttpResponse]:
    """A request that posts the next status change of a fixed cycle: every 37th topic, the statuses in turn.

    `url(slug)` is where the page being measured posts it: the dashboard's view by default.
    `extra()`: more fields to send, as the page's controls would (its page_state).
    """
    counter = itertools.count()

    def change_status() -> HttpResponse:
        i = next(counter)
        slug = topics[(i * 37) % len(topics)]
        return client.post(
            url(slug),
            {
                "topic": slug,
                "status": statuses[i % len(statuses)],
                "next": next_url,
                **extra(),
            },
            **headers,
        )

    return change_status
