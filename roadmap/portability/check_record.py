"""A learner's checking record in their export: every answer, topic check and placement run.

Problems are named by (roadmap, topic, key), never by id, as everything in the
export is. An answer to a problem this site does not have (a bank curated
since, another roadmap file) is skipped with a message rather than refusing
the file: the status and its evidence (Progress.checked_at) travel with the
progress records anyway. A malformed value refuses the file, as elsewhere.

Attempts point at their check or placement run by that one's "ref", its
place in the file ("check": 2 is the second topic check), so no database id
leaves the site.
Importing twice changes nothing: a check or run is the same one when it
started at the same moment, an answer when it answered the same problem then.
"""

from dataclasses import dataclass, field

from roadmap.models import Attempt, Placement, Problem, Purpose, Roadmap, TopicCheck
from roadmap.portability.values import is_int, iso, text, time_field, topic_key

ANSWER_LENGTH = Attempt._meta.get_field("answer").max_length
LISTS = ("topic_checks", "placements", "attempts")


# -- Export ---------------------------------------------------------------------------------------


def export_record(user) -> dict[str, list]:
    checks = list(
        TopicCheck.objects.filter(learner=user).select_related("topic__roadmap").order_by("created_at", "id")
    )
    runs = list(Placement.objects.filter(learner=user).select_related("roadmap").order_by("created_at", "id"))
    problems = {pk for check in checks for pk in check.problem_ids}
    problems |= {run.current_id for run in runs if run.current_id}
    by_id = Problem.objects.select_related("topic").only("key", "topic__slug").in_bulk(problems)
    keys = {pk: p.key for pk, p in by_id.items()}
    check_refs = {check.pk: ref for ref, check in enumerate(checks, start=1)}
    run_refs = {run.pk: ref for ref, run in enumerate(runs, start=1)}
    attempts = (
        Attempt.objects.filter(learner=user)
        .select_related("problem__topic__roadmap")
        .order_by("created_at", "id")
    )
    return {
        "topic_checks": [
            {
                "ref": check_refs[check.pk],
                **topic_key(check.topic),
                "problems": [keys[pk] for pk in check.problem_ids if pk in keys],
                "created_at": check.created_at.isoformat(),
                "finished_at": iso(check.finished_at),
                "score": check.score,
                "passed": check.passed,
            }
            for check in checks
        ],
        "placements": [
            {
                "ref": run_refs[run.pk],
                "roadmap": run.roadmap.slug,
                "started_at": run.created_at.isoformat(),
                "finished_at": iso(run.finished_at),
                "applied_at": iso(run.applied_at),
                # The problem on screen, so an unfinished run resumes on it.
                "current": _current(by_id.get(run.current_id)),
            }
            for run in runs
        ],
        "attempts": [
            {
                **topic_key(attempt.problem.topic),
                "problem": attempt.problem.key,
                "answer": attempt.answer,
                "correct": attempt.correct,
                "purpose": attempt.purpose,
                "created_at": attempt.created_at.isoformat(),
                "check": check_refs.get(attempt.topic_check_id),
                "placement": run_refs.get(attempt.placement_id),
            }
            for attempt in attempts
        ],
    }


def _current(problem: Problem | None) -> dict | None:
    return {"topic": problem.topic.slug, "problem": problem.key} if problem else None


# -- Reading a file -------------------------------------------------------------------------------


_WHERE = {"topic_checks": "topic check", "placements": "placement", "attempts": "attempt"}
ProblemKey = tuple[str, str, str]  # (roadmap, topic, problem key)


@dataclass
class Record:
    """What a file's checking record restores, validated; `skipped` says what it leaves out, and why."""

    checks: list[tuple[int, TopicCheck]] = field(default_factory=list)  # (ref, unsaved check)
    runs: list[tuple[int, Placement]] = field(default_factory=list)  # (ref, unsaved run)
    # (unsaved answer, the ref of its check, of its run): None where it has none, or it was left out.
    attempts: list[tuple[Attempt, int | None, int | None]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_record(payload: dict, errors: list[str]) -> Record:
    """Validate the file's checking record; errors go in `errors`, as the rest of the import's do."""
    record = Record()
    shapeless = [
        f"{_WHERE[name]} #{index}: expected an object."
        for name in LISTS
        for index, item in enumerate(payload.get(name) or [], start=1)
        if not isinstance(item, dict)
    ]
    if shapeless:  # the rest reads fields of every item
        errors += shapeless
        return record
    problems = _problems(payload)
    roadmaps = {r.slug: r for r in Roadmap.objects.all()}
    check_refs = _read_checks(payload.get("topic_checks") or [], problems, record, errors)
    run_refs = _read_runs(payload.get("placements") or [], roadmaps, problems, record, errors)
    _read_attempts(payload.get("attempts") or [], problems, check_refs, run_refs, record, errors)
    return record


def _problem_key(item: dict, key: str) -> ProblemKey:
    return (text(item.get("roadmap")), text(item.get("topic")), text(key))


def _problems(payload: dict) -> dict[ProblemKey, Problem]:
    """Every problem the file names that this site has (archived ones too), in one query."""
    named = {text(item.get("problem")) for item in payload.get("attempts") or []}
    for check in payload.get("topic_checks") or []:
        if isinstance(check.get("problems"), list):
            named |= {text(key) for key in check["problems"]}
    for run in payload.get("placements") or []:
        if isinstance(run.get("current"), dict):
            named.add(text(run["current"].get("problem")))
    return {
        (p.topic.roadmap.slug, p.topic.slug, p.key): p
        for p in Problem.objects.select_related("topic__roadmap").filter(key__in=named)
    }


def _ref(item: dict, where: str, seen: set[int], errors: list[str]) -> int | None:
    ref = item.get("ref")
    if not is_int(ref) or ref in seen:
        errors.append(f"{where}: “ref” must be a whole number, different for each.")
        return None
    seen.add(ref)
    return ref


def _read_checks(items: list, problems, record: Record, errors: list[str]) -> set[int]:
    refs: set[int] = set()
    for index, item in enumerate(items, start=1):
        where = f"topic check #{index}"
        ref = _ref(item, where, refs, errors)
        keys = item.get("problems")
        if not isinstance(keys, list) or not keys:
            errors.append(f"{where}: problems must be a list of problem keys.")
            continue
        created, finished = (
            time_field(item, "created_at", where, errors),
            time_field(item, "finished_at", where, errors, required=False),
        )
        score, passed = item.get("score"), item.get("passed")
        if score is not None and not (is_int(score) and 0 <= score <= len(keys)):
            errors.append(f"{where}: score must be a whole number from 0 to {len(keys)}.")
            continue
        if passed is not None and not isinstance(passed, bool):
            errors.append(f"{where}: passed must be true, false or null.")
            continue
        if ref is None or created is False or finished is False:
            continue
        found = [problems.get(_problem_key(item, key)) for key in keys]
        if None in found:
            # Its answers still come in, unlinked; the topic's evidence is on its progress record.
            record.skipped.append(
                f"The check of {text(item.get('topic'))!r} on {created:%d %b %Y}: "
                "some of its problems are not on this site."
            )
            continue
        topic = found[0].topic
        check = TopicCheck(
            topic=topic,
            problem_ids=[p.pk for p in found],
            created_at=created,
            finished_at=finished,
            score=score,
            passed=passed,
        )
        record.checks.append((ref, check))
    return {ref for ref, _ in record.checks}


def _read_runs(items: list, roadmaps, problems, record: Record, errors: list[str]) -> set[int]:
    refs: set[int] = set()
    for index, item in enumerate(items, start=1):
        where = f"placement #{index}"
        ref = _ref(item, where, refs, errors)
        times = [
            time_field(item, "started_at", where, errors),
            time_field(item, "finished_at", where, errors, required=False),
            time_field(item, "applied_at", where, errors, required=False),
        ]
        if ref is None or False in times:
            continue
        roadmap = roadmaps.get(text(item.get("roadmap")))
        if roadmap is None:
            record.skipped.append(
                f"Placement #{index}: roadmap {text(item.get('roadmap'))!r} is not on this site."
            )
            continue
        started, finished, applied = times
        current = item.get("current")
        if finished is None and isinstance(current, dict):
            # Gone from this site's bank, the run resumes on a problem the rule picks anew.
            current = problems.get((roadmap.slug, text(current.get("topic")), text(current.get("problem"))))
        else:
            current = None
        run = Placement(roadmap=roadmap, created_at=started, finished_at=finished, applied_at=applied)
        run.current = current
        record.runs.append((ref, run))
    return {ref for ref, _ in record.runs}


def _read_attempts(items: list, problems, check_refs, run_refs, record: Record, errors: list[str]) -> None:
    missing = 0
    for index, item in enumerate(items, start=1):
        where = f"attempt #{index}"
        answer, correct = item.get("answer"), item.get("correct")
        if not isinstance(answer, str) or len(answer) > ANSWER_LENGTH:
            errors.append(f"{where}: the answer must be text of at most {ANSWER_LENGTH} characters.")
            continue
        if not isinstance(correct, bool):
            errors.append(f"{where}: correct must be true or false.")
            continue
        if item.get("purpose") not in Purpose.values:
            errors.append(f"{where}: unknown purpose {item.get('purpose')!r}.")
            continue
        created = time_field(item, "created_at", where, errors)
        check, run = item.get("check"), item.get("placement")
        if any(ref is not None and not is_int(ref) for ref in (check, run)):
            errors.append(f"{where}: “check” and “placement” must be a ref from the file, or null.")
            continue
        if created is False:
            continue
        problem = problems.get(_problem_key(item, item.get("problem")))
        if problem is None:
            missing += 1
            continue
        attempt = Attempt(
            problem=problem, answer=answer, correct=correct, purpose=item["purpose"], created_at=created
        )
        # A ref to a check or run left out (or absent) leaves the answer unlinked.
        record.attempts.append(
            (attempt, check if check in check_refs else None, run if run in run_refs else None)
        )
    if missing:
        record.skipped.append(
            f"{missing} answer{'s' if missing != 1 else ''} to problems that are not on this site."
        )


# -- Restoring ------------------------------------------------------------------------------------


def restore_record(user, record: Record) -> int:
    """Save what is not there yet (inside the import's transaction); returns how many answers are new."""
    checks = {ref: _same_or_new(TopicCheck, user, check, topic=check.topic) for ref, check in record.checks}
    runs = {ref: _same_or_new(Placement, user, run, roadmap=run.roadmap) for ref, run in record.runs}
    have = set(Attempt.objects.filter(learner=user).values_list("problem_id", "created_at"))
    new = []
    for attempt, check, run in record.attempts:
        if (attempt.problem_id, attempt.created_at) in have:
            continue
        have.add((attempt.problem_id, attempt.created_at))
        attempt.learner = user
        attempt.topic_check = checks.get(check)
        attempt.placement = runs.get(run)
        new.append(attempt)
    Attempt.objects.bulk_create(new)
    return len(new)


def _same_or_new(model, user, row, **where):
    """The learner's row that started at the same moment (an earlier import), or `row`, saved."""
    existing = model.objects.filter(learner=user, created_at=row.created_at, **where).first()
    if existing is not None:
        return existing
    row.learner = user
    row.save(force_insert=True)
    return row
