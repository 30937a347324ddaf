"""What every view shares: the typed htmx request, the current roadmap, error fragments, going back."""

from django.http import Http404, HttpRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django_htmx.http import reswap, retarget
from django_htmx.middleware import HtmxDetails

from roadmap.models import Roadmap


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def current_roadmap() -> Roadmap:
    """The roadmap every page serves; 404 until one is imported."""
    roadmap = Roadmap.objects.current()
    if roadmap is None:
        raise Http404("No roadmap has been imported yet.")
    return roadmap


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


def invalid(request: HtmxHttpRequest, form, status: int = 400):
    """A readable error fragment for htmx, or the page again for a plain POST."""
    if not request.htmx:
        return render(request, "roadmap/form_errors.html", {"form": form}, status=status)
    response = render(request, "roadmap/form_errors.html#errors", {"form": form}, status=status)
    return reswap(retarget(response, "#flash"), "innerHTML")
