"""What the admin index shows curators: check_roadmap's findings on the current roadmap."""

from django import template

from roadmap.curriculum import checks
from roadmap.models import Roadmap

register = template.Library()


@register.simple_tag(takes_context=True)
def roadmap_findings(context) -> dict:
    """{"roadmap": …, "errors": [...], "warnings": [...]} for staff; empty when there is no roadmap.

    A fixed number of queries (checks.check), so the admin index stays cheap.
    """
    request = context.get("request")
    roadmap = Roadmap.objects.current()
    if roadmap is None or request is None or not request.user.is_staff:
        return {}
    findings = checks.check(roadmap)
    return {
        "roadmap": roadmap,
        "errors": [f for f in findings if f.level == checks.ERROR],
        "warnings": [f for f in findings if f.level == checks.WARNING],
    }
