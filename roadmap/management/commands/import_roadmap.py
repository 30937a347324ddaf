from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.curriculum import roadmap_file


class Command(BaseCommand):
    help = (
        "Create or update a roadmap from a YAML file, matching everything by slug. "
        "The file is validated as a whole and refused on any error; learner progress is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="e.g. fixtures/math-for-ml.yaml")

    def handle(self, *args, file: Path, **options):
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"Cannot read {file}: {exc.strerror}.") from None
        try:
            data = roadmap_file.parse(text)
        except roadmap_file.RoadmapFileError as exc:
            lines = "\n".join(f"  {file}:{error.removeprefix('line ')}" for error in exc.errors)
            raise CommandError(
                f"{file} was refused ({len(exc.errors)} problem(s)); nothing was changed.\n{lines}"
            ) from None
        report = roadmap_file.apply(data, reason=f"Imported from {file.name}")
        self.stdout.write(self.style.SUCCESS(f"Imported {data.title!r} from {file}: {report}."))
