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
from datetime import UTC, datetime, timedelta

from django.utils import timezone

from roadmap.models import COVERED, Attempt, Placement, Problem, Progress, Purpose, Roadmap, Topic, TopicCheck

EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)  # nothing in an export is older
ANSWER_LENGTH = Attempt._meta.get_field("answer").max_length
SCORE_LENGTH = Progress._meta.get_field("check_score").max_length
MAX_REVIEW_FAILURES = 10_000
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
                **_topic_key(check.topic),
                "problems": [keys[pk] for pk in check.problem_ids if pk in keys],
                "created_at": check.created_at.isoformat(),
                "finished_at": _iso(check.finished_at),
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
                "finished_at": _iso(run.finished_at),
                "applied_at": _iso(run.applied_at),
                # The problem on screen, so an unfinished run resumes on it.
                "current": _current(by_id.get(run.current_id)),
            }
            for run in runs
        ],
        "attempts": [
            {
                **_topic_key(attempt.problem.topic),
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


def _topic_key(topic: Topic) -> dict:
    return {"roadmap": topic.roadmap.slug, "topic": topic.slug}


def _current(problem: Problem | None) -> dict | None:
    return {"topic": problem.topic.slug, "problem": problem.key} if problem else None


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


# -- Reading a file -------------------------------------------------------------------------------


def read_time(value) -> datetime:
    """An export's date and time; ValueError unless it is one between 1970 and (about) now.

    A time without an offset is UTC: exports always carry one.
    """
    when = datetime.fromisoformat(str(value))
    if timezone.is_naive(when):
        when = timezone.make_aware(when, UTC)
    # 0001-01-01+14:00 is year 0 in UTC: SQLite cannot store it, PostgreSQL cannot read it back.
    if not EARLIEST <= when <= timezone.now() + timedelta(days=1):
        raise ValueError("out of range")
    return when


def _time(item: dict, name: str, where: str, errors: list[str], *, required: bool = True):
    """item[name] read with read_time(); None when optional and empty; False (and an error) when bad."""
    value = item.get(name)
    if value is None and not required:
        return None
    try:
        return read_time(value)
    except ValueError:
        errors.append(f"{where}: {name} is not a date and time between 1970 and now.")
        return False


def progress_evidence(item: dict, where: str, errors: list[str]) -> dict | None:
    """The record's check evidence and failed reviews, as fields to set; None (and an error) when bad.

    A file from before these fields existed leaves them as they are, unless its
    status is not covered: that drops a check's evidence, as set_status does.
    """
    fields = {}
    if item["status"] not in COVERED:
        fields = {"checked_at": None, "check_score": ""}
    if item.get("checked_at") is not None:
        if item["status"] not in COVERED:
            errors.append(f"{where}: checked_at is set, but only a mastered or known topic is checked.")
            return None
        try:
            fields["checked_at"] = read_time(item["checked_at"])
        except ValueError:
            errors.append(f"{where}: checked_at is not a date and time between 1970 and now.")
            return None
        score = item.get("check_score") or ""
        if not isinstance(score, str) or len(score) > SCORE_LENGTH:
            errors.append(f"{where}: check_score must be text such as “3/3”.")
            return None
        fields["check_score"] = score
    elif "checked_at" in item:
        fields.update(checked_at=None, check_score="")  # self-reported in the file
    failures = item.get("review_failures")
    if failures is not None:
        if (
            not isinstance(failures, int)
            or isinstance(failures, bool)
            or not 0 <= failures <= MAX_REVIEW_FAILURES
        ):
            errors.append(f"{where}: review_failures must be a whole number from 0 to {MAX_REVIEW_FAILURES}.")
            return None
        fields["review_failures"] = failures
    return fields


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


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


def _text(value) -> str:
    return value if isinstance(value, str) else repr(value)


def _problem_key(item: dict, key: str) -> ProblemKey:
    return (_text(item.get("roadmap")), _text(item.get("topic")), _text(key))


def _problems(payload: dict) -> dict[ProblemKey, Problem]:
    """Every problem the file names that this site has (archived ones too), in one query."""
    named = {_text(item.get("problem")) for item in payload.get("attempts") or []}
    for check in payload.get("topic_checks") or []:
        if isinstance(check.get("problems"), list):
            named |= {_text(key) for key in check["problems"]}
    for run in payload.get("placements") or []:
        if isinstance(run.get("current"), dict):
            named.add(_text(run["current"].get("problem")))
    return {
        (p.topic.roadmap.slug, p.topic.slug, p.key): p
        for p in Problem.objects.select_related("topic__roadmap").filter(key__in=named)
    }


def _ref(item: dict, where: str, seen: set[int], errors: list[str]) -> int | None:
    ref = item.get("ref")
    if not _is_int(ref) or ref in seen:
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
            _time(item, "created_at", where, errors),
            _time(item, "finished_at", where, errors, required=False),
        )
        score, passed = item.get("score"), item.get("passed")
        if score is not None and not (_is_int(score) and 0 <= score <= len(keys)):
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
                f"The check of {_text(item.get('topic'))!r} on {created:%d %b %Y}: "
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
            _time(item, "started_at", where, errors),
            _time(item, "finished_at", where, errors, required=False),
            _time(item, "applied_at", where, errors, required=False),
        ]
        if ref is None or False in times:
            continue
        roadmap = roadmaps.get(_text(item.get("roadmap")))
        if roadmap is None:
            record.skipped.append(
                f"Placement #{index}: roadmap {_text(item.get('roadmap'))!r} is not on this site."
            )
            continue
        started, finished, applied = times
        current = item.get("current")
        if finished is None and isinstance(current, dict):
            # Gone from this site's bank, the run resumes on a problem the rule picks anew.
            current = problems.get((roadmap.slug, _text(current.get("topic")), _text(current.get("problem"))))
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
        created = _time(item, "created_at", where, errors)
        check, run = item.get("check"), item.get("placement")
        if any(ref is not None and not _is_int(ref) for ref in (check, run)):
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
