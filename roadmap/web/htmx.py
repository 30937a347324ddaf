"""What every view shares: the typed htmx request, the current roadmap, error fragments, going back."""

from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from roadmap.models import Roadmap, Topic

# Where every error fragment goes, whatever the request targeted (base.html has it on every page).
FLASH = "#flash"
ERRORS = "roadmap/form_errors.html#errors"


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class Gone(Http404):
    """Something the page showed has left the roadmap since; the message says what, in words.

    A 404 like any other for a plain request. To an htmx request the error
    middleware (roadmap/web/htmx_errors.py) answers with the message, in the flash region.
    """


def current_roadmap() -> Roadmap:
    """The roadmap every page serves; 404 until one is imported."""
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        raise Http404("No roadmap has been imported yet.")
    return roadmap


def topic_gone_message(roadmap: Roadmap, slug: str) -> str:
    """Why the page's topic can't be used: it was archived (named by its title) or is gone entirely."""
    title = Topic.objects.filter(roadmap=roadmap, slug=slug).values_list("title", flat=True).first()
    if title:
        return f"“{title}” is no longer on the roadmap — reload the page."
    return "That topic is no longer on the roadmap — reload the page."


def active_topic(roadmap: Roadmap, slug: str, queryset=None) -> Topic:
    """The roadmap's active topic with that slug (from `queryset`, to add what the view needs), or `Gone`."""
    queryset = Topic.objects.active() if queryset is None else queryset
    try:
        return queryset.get(roadmap=roadmap, slug=slug)
    except Topic.DoesNotExist:
        raise Gone(topic_gone_message(roadmap, slug)) from None


def redirect_back(request: HttpRequest, default: str, anchor: str = ""):
    """Back to the page the form came from (its `next`), when that is on this site."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = default
    return redirect(target + anchor)


def with_topic(request: HttpRequest, slug: str):
    """The posted data, with the topic the address names: its form needs no hidden field for it."""
    data = request.POST.copy()
    data["topic"] = slug
    return data


def to_flash(response):
    """An error fragment, swapped into the flash region instead of what the request targeted."""
    return reswap(retarget(response, FLASH), "innerHTML")


def error_context(request: HttpRequest, errors: list[str], *, about: str = "", link=None) -> dict:
    """What the error fragment shows: "Nothing was changed" for a change, then each error in words."""
    return {
        "errors": errors,
        "about": about,
        "changed_nothing": request.method != "GET",
        "link": link,  # (text, url): what to do next, when that is a page to go to
        "in_flash": bool(getattr(request, "htmx", False)),
    }


def invalid(request: HtmxHttpRequest, form, status: int = 400, *, about: str = ""):
    """A readable error fragment for htmx, or the page again for a plain POST.

    `about` names what was not changed (a topic's title), when the form got as far as knowing it.
    """
    errors = [error for field_errors in form.errors.values() for error in field_errors]
    context = error_context(request, errors, about=about)
    if not request.htmx:
        return render(request, "roadmap/form_errors.html", context, status=status)
    return to_flash(render(request, ERRORS, context, status=status))
