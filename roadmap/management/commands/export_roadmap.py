from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from roadmap.curriculum import roadmap_file
from roadmap.models import Roadmap


class Command(BaseCommand):
    help = "Write a roadmap in the import_roadmap format, to stdout or a file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--roadmap", default=settings.MATHPATH_DEFAULT_ROADMAP, help="slug of the roadmap to export"
        )
        parser.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
        parser.add_argument(
            "--problems", type=Path, help="also write the check-problem bank to this file (.problems.yaml)"
        )

    def handle(self, *args, roadmap: str, output: Path | None, problems: Path | None, **options):
        try:
            instance = Roadmap.objects.get(slug=roadmap)
        except Roadmap.DoesNotExist:
            raise CommandError(f"No roadmap with slug {roadmap!r}.") from None
        text = roadmap_file.export(instance)
        if output:
            output.write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {output}.")
        else:
            self.stdout.write(text, ending="")
        if problems:
            problems.write_text(roadmap_file.export_bank(instance), encoding="utf-8")
            self.stderr.write(f"Wrote {problems}.")
