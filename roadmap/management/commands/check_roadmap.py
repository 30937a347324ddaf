from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.curriculum import checks
from roadmap.models import Roadmap


class Command(BaseCommand):
    help = "Check a roadmap in the database against the curation rules; fail on any error (read-only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "roadmap", nargs="?", default=settings.MATHPATH_DEFAULT_ROADMAP, help="roadmap slug"
        )

    def handle(self, *args, roadmap: str, **options):
        instance = Roadmap.objects.filter(slug=roadmap).first()
        if instance is None:
            raise CommandError(f"No roadmap with slug {roadmap!r}; import it first (import_roadmap).")
        findings = checks.check(instance)
        for finding in findings:
            self.stdout.write(str(finding))
        errors = sum(1 for f in findings if f.level == checks.ERROR)
        warnings = len(findings) - errors
        if errors:
            raise CommandError(f"{roadmap}: {errors} error(s), {warnings} warning(s).")
        self.stdout.write(f"{roadmap}: no errors, {warnings} warning(s).")
