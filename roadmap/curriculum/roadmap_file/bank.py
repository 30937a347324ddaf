"""The check-problem bank: a YAML file beside the roadmap file, keyed by topic slug.

`fixtures/math-for-ml.yaml` has `fixtures/math-for-ml.problems.yaml` beside it:

    topics:
      dot-product:
        abilities: {compute: compute a dot product, ...}
        problems:
        - key: dot-3d
          ability: compute
          difficulty: 1
          kind: numeric            # numeric | choice | multiple | expression
          statement: Compute $u \\cdot v$ ...
          answer: "2"
          solution: ...
          compute: "Matrix([2, -1, 3]).dot(Matrix([4, 0, -2]))"

`parse_bank()` checks the whole file against the roadmap's topics and the
problem rules (a key that does not parse, a formula latex2mathml cannot read,
a letter without a choice) and reports every error with its line;
`apply_bank()` upserts problems by (topic, key) and archives the ones left out;
`export_bank()` writes the same format back, so export → import is a no-op.
"""

from dataclasses import dataclass, field

import yaml

from roadmap.curriculum import problem_rules
from roadmap.curriculum.roadmap_file.apply import _assign
from roadmap.curriculum.roadmap_file.export import _Dumper
from roadmap.curriculum.roadmap_file.parse import RoadmapFileError
from roadmap.curriculum.roadmap_file.reader import SLUG_RE, LineLoader, Reader
from roadmap.models import Problem, Roadmap, Topic

REQUIRED = {"key", "ability", "difficulty", "kind", "statement", "answer", "solution"}
OPTIONAL = {"choices", "tolerance", "variables", "domain", "compute", "choice_values"}


@dataclass
class ProblemData:
    key: str
    ability: str
    ability_text: str
    difficulty: int
    kind: str
    statement: str
    answer: str
    solution: str
    choices: list = field(default_factory=list)
    tolerance: float | None = None
    variables: list = field(default_factory=list)
    domain: dict = field(default_factory=dict)
    compute: str = ""
    choice_values: list = field(default_factory=list)
    line: int = 0

    def values(self, order: int) -> dict:
        """The model fields, as apply_bank compares and saves them."""
        values = {name: getattr(self, name) for name in _FIELDS}
        values["order"] = order
        return values


_FIELDS = (
    "ability", "ability_text", "difficulty", "kind", "statement", "answer", "solution",
    "choices", "tolerance", "variables", "domain", "compute", "choice_values",
)  # fmt: skip


@dataclass
class BankReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0

    def __str__(self) -> str:
        return (
            f"check problems: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.archived} archived"
        )


def parse_bank(text: str, topic_slugs: set[str]) -> dict[str, list[ProblemData]]:
    """The bank by topic slug; raises RoadmapFileError with every problem and its line."""
    reader = Reader()
    try:
        top = yaml.load(text, Loader=LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise RoadmapFileError([f"line {mark.line + 1 if mark else 1}: not valid YAML: {exc}"]) from None
    top = reader.mapping(top, 1, "the problem file", {"topics"}, set())
    bank: dict[str, list[ProblemData]] = {}
    topics = top.get("topics") if top else None
    if top and not isinstance(topics, dict):
        reader.error(top.line, "'topics' must be a mapping of topic slugs to their problems.")
    for slug, entry in (topics or {}).items() if isinstance(topics, dict) else ():
        line = topics.key_lines[slug]
        if slug not in topic_slugs:
            reader.error(line, f"{slug!r} is not a topic of the roadmap file.")
            continue
        bank[slug] = _read_topic(reader, entry, line, slug)
    if reader.errors:
        raise RoadmapFileError(reader.errors)
    return bank


def _read_topic(reader: Reader, entry, line: int, slug: str) -> list[ProblemData]:
    entry = reader.mapping(entry, line, f"topic {slug!r}", {"abilities", "problems"}, set())
    if entry is None:
        return []
    abilities = entry.get("abilities")
    if not isinstance(abilities, dict) or not abilities:
        reader.error(
            entry.key_lines.get("abilities", line), f"{slug}: 'abilities' must map slugs to phrases."
        )
        abilities = {}
    for ability, text in abilities.items():
        if not (
            isinstance(ability, str) and SLUG_RE.match(ability) and isinstance(text, str) and text.strip()
        ):
            reader.error(
                abilities.key_lines[ability], f"{slug}: ability {ability!r} needs a slug and a phrase."
            )
    problems, keys = [], set()
    for item in reader.items(entry, "problems", f"{slug}'s problems"):
        problem = _read_problem(reader, item, slug, abilities)
        if problem is None:
            continue
        if problem.key in keys:
            reader.error(problem.line, f"{slug}: key {problem.key!r} is used twice.")
        keys.add(problem.key)
        problems.append(problem)
    return problems


def _read_problem(reader: Reader, item, slug: str, abilities: dict) -> ProblemData | None:
    line = getattr(item, "line", 1)
    item = reader.mapping(item, line, f"a problem of {slug!r}", REQUIRED, OPTIONAL)
    if item is None or not set(item) >= REQUIRED:
        return None
    where = f"{slug}/{item.get('key')}"
    key = reader.slug(item, "key")
    ability = item.get("ability")
    # A list or mapping here is unhashable: test the type before looking it up.
    if not isinstance(ability, str) or ability not in abilities:
        reader.error(
            item.key_lines["ability"], f"{where}: ability {ability!r} is not among the topic's abilities."
        )
        ability = str(ability)
    difficulty = item.get("difficulty")
    if isinstance(difficulty, bool) or difficulty not in (1, 2, 3):  # `true` == 1 in Python
        reader.error(item.key_lines["difficulty"], f"{where}: difficulty must be 1, 2 or 3.")
        difficulty = 2
    answer = item.get("answer")
    if isinstance(answer, list):  # a multiple-choice key: [A, C]
        answer = ",".join(str(letter) for letter in answer)
    problem = ProblemData(
        key=key,
        ability=ability,
        ability_text=str(abilities.get(ability, "")).strip(),
        difficulty=difficulty,
        kind=str(item.get("kind")),
        statement=reader.text(item, "statement"),
        answer=str(answer).strip(),
        solution=reader.text(item, "solution"),
        choices=[str(choice) for choice in reader.items(item, "choices", f"{where}'s choices")],
        tolerance=_tolerance(reader, item, where),
        variables=[str(v) for v in reader.items(item, "variables", f"{where}'s variables")],
        domain=_domain(reader, item, where),
        compute=str(item.get("compute") or ""),
        choice_values=[str(v) for v in reader.items(item, "choice_values", f"{where}'s choice values")],
        line=line,
    )
    for name, message in problem_rules.problem_errors(
        kind=problem.kind,
        statement=problem.statement,
        solution=problem.solution,
        choices=problem.choices,
        answer=problem.answer,
        variables=problem.variables,
        domain=problem.domain,
    ):
        reader.error(item.key_lines.get(name, line), f"{where}: {message}")
    return problem


def _tolerance(reader: Reader, item, where: str) -> float | None:
    value = item.get("tolerance")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        reader.error(item.key_lines["tolerance"], f"{where}: tolerance must be a number ≥ 0.")
        return None
    return float(value)


def _domain(reader: Reader, item, where: str) -> dict:
    value = item.get("domain")
    if value is None:
        return {}
    if not isinstance(value, dict):
        reader.error(item.key_lines["domain"], f"{where}: the domain maps each variable to [low, high].")
        return {}
    return {str(name): list(bounds) if isinstance(bounds, list) else bounds for name, bounds in value.items()}


def apply_bank(roadmap: Roadmap, bank: dict[str, list[ProblemData]], *, reason: str) -> BankReport:
    """Upsert by (topic, key), saving only what changed; problems left out are archived.

    Call it inside the import's transaction, after the roadmap's topics exist.
    """
    report = BankReport()
    topics = {t.slug: t for t in Topic.objects.filter(roadmap=roadmap)}
    existing = {(p.topic_id, p.key): p for p in Problem.objects.filter(topic__roadmap=roadmap)}
    kept = set()
    for slug, problems in bank.items():
        topic = topics[slug]
        for order, data in enumerate(problems):
            values = {**data.values(order), "is_archived": False}
            problem = existing.get((topic.id, data.key))
            kept.add((topic.id, data.key))
            if problem is None:
                problem = Problem(topic=topic, key=data.key, **values)
                report.created += 1
            elif _assign(problem, values):
                report.updated += 1
            else:
                report.unchanged += 1
                continue
            problem._change_reason = reason
            problem.save()
    for ident, problem in existing.items():
        if ident not in kept and not problem.is_archived:
            problem.is_archived = True
            problem._change_reason = reason
            problem.save(update_fields=["is_archived"])
            report.archived += 1
    return report


def export_bank(roadmap: Roadmap) -> str:
    """The roadmap's active problems in the bank format, in roadmap order."""
    problems = (
        Problem.objects.active()
        .filter(topic__roadmap=roadmap, topic__is_archived=False)
        .select_related("topic")
        .order_by("topic__section__order", "topic__order", "topic_id", "order", "id")
    )
    topics: dict[str, dict] = {}
    for problem in problems:
        entry = topics.setdefault(problem.topic.slug, {"abilities": {}, "problems": []})
        entry["abilities"].setdefault(problem.ability, problem.ability_text)
        entry["problems"].append(_problem_entry(problem))
    return yaml.dump({"topics": topics}, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def _problem_entry(problem: Problem) -> dict:
    entry = {
        "key": problem.key,
        "ability": problem.ability,
        "difficulty": problem.difficulty,
        "kind": problem.kind,
        "statement": problem.statement,
    }
    if problem.choices:
        entry["choices"] = list(problem.choices)
    entry["answer"] = problem.keyed_letters if problem.kind == "multiple" else problem.answer
    for name in ("tolerance", "variables", "domain"):
        if getattr(problem, name) not in (None, [], {}):
            entry[name] = getattr(problem, name)
    entry["solution"] = problem.solution
    if problem.compute:
        entry["compute"] = problem.compute
    if problem.choice_values:
        entry["choice_values"] = list(problem.choice_values)
    return entry
