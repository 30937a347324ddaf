from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from roadmap.curriculum import roadmap_file


class Command(BaseCommand):
    help = (
        "Create or update a roadmap from a YAML file, matching everything by slug, together with its "
        "check-problem bank (the .problems.yaml file beside it, when there is one). Both files are "
        "validated as a whole and refused on any error; learner progress is never touched."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="e.g. fixtures/math-for-ml.yaml")
        parser.add_argument(
            "--problems",
            type=Path,
            help="the problem bank (default: FILE's name with .problems.yaml, when it exists)",
        )

    def handle(self, *args, file: Path, problems: Path | None, **options):
        data = _parse(file, roadmap_file.parse)
        bank_file = problems or roadmap_file.bank_path(file)
        bank = None
        if problems or bank_file.exists():
            slugs = {topic.slug for topic in data.topics()}
            bank = _parse(bank_file, lambda text: roadmap_file.parse_bank(text, slugs))
        report, bank_report = roadmap_file.apply_all(data, bank, reason=f"Imported from {file.name}")
        done = f"Imported {data.title!r} from {file}: {report}"
        if bank_report:
            done += f"; {bank_report} (from {bank_file})"
        self.stdout.write(self.style.SUCCESS(done + "."))


def _parse(path: Path, parse):
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
    try:
        return parse(text)
    except roadmap_file.RoadmapFileError as exc:
        lines = "\n".join(f"  {path}:{error.removeprefix('line ')}" for error in exc.errors)
        raise CommandError(
            f"{path} was refused ({len(exc.errors)} problem(s)); nothing was changed.\n{lines}"
        ) from None
