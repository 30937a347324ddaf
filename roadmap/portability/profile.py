"""The profile in an export: the settings form's fields and the goal.

Visibility and the share token are never imported: a restored page starts
private, and a secret link is made anew by the account that shares it (one
from the file would be another account's, or one chosen by whoever wrote it).
The username is exported for the learner's information only: it is the
account's, not the data's.
"""

from datetime import date

from django.core.exceptions import ValidationError

from accounts.bidi_controls import strip_bidi_controls
from accounts.models import (
    Profile,
    today_in,
    validate_target_date,
    validate_timezone,
    validate_weekly_minutes,
)
from roadmap.models import Topic
from roadmap.portability.values import iso, key, read_date, topic_key

# The column's length, which the settings form holds learners to as well.
DISPLAY_NAME_MAX = Profile._meta.get_field("display_name").max_length


def export_profile(user) -> dict:
    profile = Profile.objects.for_user(user)
    return {
        "username": user.get_username(),
        "display_name": profile.display_name,
        "timezone": profile.timezone,
        "journey_start": iso(profile.journey_start),
        "share_log_notes": profile.share_log_notes,
        "plan_free_only": profile.plan_free_only,
        "goal": topic_key(profile.goal) if profile.goal else None,
        "weekly_minutes": profile.weekly_minutes,
        "target_date": iso(profile.target_date),
    }


def goal_keys(profile_data: dict) -> set[tuple[str, str]]:
    goal = profile_data.get("goal")
    return {key(goal)} if isinstance(goal, dict) else set()


def today_for(user, profile_data: dict) -> date:
    """Today as the forms judge dates: in the learner's time zone, as the file gives it."""
    zone = profile_data.get("timezone")
    try:
        validate_timezone(zone)
    except ValidationError:  # reported by check_profile; the account's own zone meanwhile
        zone = Profile.objects.filter(user=user).values_list("timezone", flat=True).first() or "UTC"
    return today_in(zone)


def check_profile(profile_data: dict, errors: list[str], today: date) -> None:
    """The rules of the settings form (security finding 6: an import used to skip them)."""
    if profile_data.get("timezone"):
        try:
            validate_timezone(profile_data["timezone"])
        except ValidationError as exc:
            errors.append(f"profile: {exc.messages[0]}")
    if profile_data.get("journey_start"):
        try:
            start = read_date(profile_data["journey_start"])
        except ValueError:
            errors.append(f"profile: journey_start {profile_data['journey_start']!r} is not a date.")
        else:
            if start > today:
                errors.append(f"profile: journey_start {start} is in the future (today is {today}).")
    _check_plan_dates(profile_data, errors, today)
    name = strip_bidi_controls(str(profile_data.get("display_name") or ""))
    if len(name) > DISPLAY_NAME_MAX:
        errors.append(f"profile: the display name is longer than {DISPLAY_NAME_MAX} characters.")


def _check_plan_dates(profile_data: dict, errors: list[str], today: date) -> None:
    """The plan panel's rules for the pace (whole minutes in a week) and the target (not in the past)."""
    minutes = profile_data.get("weekly_minutes")
    if minutes is not None:
        try:
            if type(minutes) is not int:  # not a bool, a float or a string of digits
                raise ValidationError(f"weekly_minutes {minutes!r} is not a whole number of minutes.")
            validate_weekly_minutes(minutes)
        except ValidationError as exc:
            errors.append(f"profile: {exc.messages[0]}")
    if profile_data.get("target_date"):
        try:
            validate_target_date(read_date(profile_data["target_date"]), today=today)
        except ValueError:
            errors.append(f"profile: target_date {profile_data['target_date']!r} is not a date.")
        except ValidationError as exc:
            errors.append(f"profile: target_date {exc.messages[0]}")


def restore_profile(user, profile_data: dict, topics: dict[tuple[str, str], Topic]) -> None:
    profile = Profile.objects.for_user(user)
    profile.display_name = strip_bidi_controls(str(profile_data.get("display_name") or ""))
    profile.timezone = profile_data.get("timezone") or profile.timezone
    start = profile_data.get("journey_start")
    profile.journey_start = read_date(start) if start else None
    profile.share_log_notes = bool(profile_data.get("share_log_notes"))
    profile.plan_free_only = bool(profile_data.get("plan_free_only"))
    goal = profile_data.get("goal")
    profile.goal = topics.get(key(goal)) if isinstance(goal, dict) else None
    profile.weekly_minutes = profile_data.get("weekly_minutes")
    target = profile_data.get("target_date")
    profile.target_date = read_date(target) if target else None
    # A plain save: the import has taken the learner's lock, which already marked their pages changed.
    profile.save(
        update_fields=[
            "display_name",
            "timezone",
            "journey_start",
            "share_log_notes",
            "plan_free_only",
            "goal",
            "weekly_minutes",
            "target_date",
        ]
    )
