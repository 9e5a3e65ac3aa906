"""What the plan schema refuses, said in plain language: the first problem, naming the activity
and the field ("Activity 3 'How safe…': 'optons' is not a field of a ranking (did you mean…)")."""

from __future__ import annotations

import difflib
from typing import Any

from jsonschema import ValidationError

from hearth.errors import N_, Message
from hearth.plans.schema import KIND_NAMES, MAX_ACTIVITIES, OPTIONS_SCHEMA, validator

# How an error names an activity of each kind ("'optons' is not a field of a ranking").
KIND_NOUNS = {
    "content": N_("a content slide"),
    "choice": N_("a choice poll"),
    "multi": N_("a multiple-choice poll"),
    "scale": N_("a scale"),
    "open": N_("an open prompt"),
    "words": N_("a word cloud"),
    "rank": N_("a ranking"),
}
UNKNOWN_KIND = N_("this kind")
# Plan-level errors are reported in this order, before any activity's.
_PLAN_FIELDS = ("title", "description", "slug", "activities")
# A plan field's complaint when it is too long (%(limit)s), and for anything else.
_PLAN_FIELD_PROBLEMS = {
    "title": (
        N_("The plan's title is longer than %(limit)s characters."),
        N_("The plan needs a title."),
    ),
    "description": (
        N_("The plan's description is longer than %(limit)s characters."),
        N_("The plan's description must be text."),
    ),
    "slug": (
        N_("The slug may be at most %(limit)s characters long."),
        N_("The slug may hold only lowercase letters, digits and dashes."),
    ),
}


def activity_label(index: int, raw: Any) -> Message:
    """How an activity is named in an error: its number and the start of its text."""
    text = ""
    if isinstance(raw, dict):
        for field in ("prompt", "title", "body"):
            if isinstance(raw.get(field), str) and raw[field].strip():
                text = raw[field].strip()
                break
    if len(text) > 40:
        text = text[:39] + "…"
    if text:
        return Message(N_("Activity %(number)s '%(text)s'"), {"number": index + 1, "text": text})
    return Message(N_("Activity %(number)s"), {"number": index + 1})


def activity_problem(index: int, raw: Any, problem: Message) -> Message:
    """A problem of one activity, after its label: "Activity 3 'How safe…': <problem>."."""
    return Message(
        N_("%(activity)s: %(problem)s."),
        {"activity": activity_label(index, raw), "problem": problem},
    )


def schema_problem(document: Any) -> Message | None:
    """The plain-language description of the first thing the schema refuses, or None."""
    errors = sorted(validator.iter_errors(document), key=_error_order)
    if not errors:
        return None
    error = errors[0]
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "activities":
        raw = document["activities"][path[1]]
        return activity_problem(path[1], raw, _activity_problem(error, raw, path[2:]))
    return _plan_problem(error)


def _missing_field(error: ValidationError) -> str:
    """The first required field a `required` error is about."""
    return next(field for field in error.validator_value if field not in error.instance)


def _unknown_field(error: ValidationError) -> str:
    """The first field an `additionalProperties` error is about."""
    known = error.schema.get("properties", {})
    return str(next(field for field in error.instance if field not in known))


def _error_order(error: ValidationError) -> tuple[int, ...]:
    """Sort key that puts the most useful error first: plan fields, then activities in order."""
    path = list(error.absolute_path)
    if len(path) < 2 or path[0] != "activities":
        field = path[0] if path else None
        if error.validator == "required":
            field = _missing_field(error)
        if error.validator == "type" and not path:
            return (0, -1)
        return (0, _PLAN_FIELDS.index(field) if field in _PLAN_FIELDS else len(_PLAN_FIELDS))
    return (1, path[1], *_activity_error_order(error, path[2:]))


def _activity_error_order(error: ValidationError, rest: list[Any]) -> tuple[int, ...]:
    """Within one activity: its shape first, then its kind, unknown fields, then its fields."""
    if rest:
        return (1,) if rest[0] == "kind" else (5, *rest[1:2])  # options items in order
    if error.validator == "type":
        return (0,)
    if error.validator == "required" and _missing_field(error) == "kind":
        return (1,)
    return ({"additionalProperties": 2, "required": 3}.get(error.validator, 4),)


def _plan_problem(error: ValidationError) -> Message:
    """Describe a schema error about the plan itself (not one of its activities)."""
    path = list(error.absolute_path)
    if error.validator == "type" and not path:
        return Message(N_("A plan must be a mapping with a title and a list of activities."))
    if error.validator == "additionalProperties":
        return Message(
            N_(
                "A plan has no field '%(field)s': "
                "its fields are slug, title, description and activities."
            ),
            {"field": _unknown_field(error)},
        )
    field = _missing_field(error) if error.validator == "required" else path[0]
    if field in _PLAN_FIELD_PROBLEMS:
        too_long, otherwise = _PLAN_FIELD_PROBLEMS[field]
        if error.validator == "maxLength":
            return Message(too_long, {"limit": error.validator_value})
        return Message(otherwise)
    if error.validator == "maxItems":
        return Message(
            N_("A plan can hold at most %(limit)s activities."), {"limit": MAX_ACTIVITIES}
        )
    return Message(N_("The plan needs a list of activities (at least one)."))


def _activity_problem(error: ValidationError, raw: dict[str, Any], rest: list[Any]) -> Message:
    """Describe a schema error inside one activity (without the 'Activity N' label)."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if not rest:
        return _shape_problem(error, kind)
    if rest[0] == "kind":
        return _kind_problem()
    if rest[0] == "options":
        return _options_problem(error, kind, rest[1:])
    return _field_problem(error, str(rest[0]))


def _kind_problem() -> Message:
    return Message(N_("'kind' must be one of %(names)s"), {"names": ", ".join(KIND_NAMES)})


def _options_count(kind: Any) -> Message:
    """The complaint about too few or too many options."""
    lo, hi = OPTIONS_SCHEMA["minItems"], OPTIONS_SCHEMA["maxItems"]
    if kind == "rank":
        return Message(N_("a ranking needs %(lo)s to %(hi)s options"), {"lo": lo, "hi": hi})
    return Message(N_("needs %(lo)s to %(hi)s options"), {"lo": lo, "hi": hi})


def _field_message(text: str, field: str, **values: Any) -> Message:
    """A problem of one field (`text` marked with N_, naming it as %(field)s)."""
    return Message(text, {"field": field, **values})


def _shape_problem(error: ValidationError, kind: Any) -> Message:
    """An error about the activity as a whole: not a mapping, a field missing or unknown."""
    check = error.validator
    if check == "type":
        return Message(N_("must be a mapping of fields"))
    if check == "required":
        return _missing_problem(_missing_field(error), kind)
    if check == "additionalProperties":
        return _unknown_field_problem(error, kind)
    if check == "anyOf":
        return Message(N_("a content slide needs a 'title' or a 'body'"))
    return Message(N_("is not a valid activity"))


def _missing_problem(missing: str, kind: Any) -> Message:
    """A required field the activity lacks."""
    if missing == "kind":
        return _kind_problem()
    if missing == "options":
        return _options_count(kind)
    return _field_message(N_("'%(field)s' is required"), missing)


def _unknown_field_problem(error: ValidationError, kind: Any) -> Message:
    """A field this kind does not have, with the nearest one it does have as a hint."""
    unknown = _unknown_field(error)
    allowed = [field for field in error.schema["properties"] if field != "kind"]
    guess = difflib.get_close_matches(unknown, allowed, n=1)
    hint = (
        Message(N_("did you mean '%(field)s'?"), {"field": guess[0]})
        if guess
        else Message(N_("it can have %(names)s"), {"names": ", ".join(allowed)})
    )
    noun = Message(KIND_NOUNS.get(str(kind), UNKNOWN_KIND))
    return Message(
        N_("'%(field)s' is not a field of %(kind)s (%(hint)s)"),
        {"field": unknown, "kind": noun, "hint": hint},
    )


def _options_problem(error: ValidationError, kind: Any, item: list[Any]) -> Message:
    """An error about the options list (`item` empty) or one of its options."""
    check = error.validator
    if item:
        number = item[0] + 1
        if check == "maxLength":
            return Message(
                N_("option %(number)s is longer than %(limit)s characters"),
                {"number": number, "limit": error.validator_value},
            )
        return Message(N_("option %(number)s must be non-empty text"), {"number": number})
    if check == "type":
        return Message(N_("'options' must be a list of texts"))
    if check == "uniqueItems":
        return Message(N_("options must all be different"))
    return _options_count(kind)


def _field_problem(error: ValidationError, field: str) -> Message:
    """An error about one of the activity's other fields."""
    check = error.validator
    if check == "type":
        integer = error.validator_value == "integer"
        wanted = (
            N_("'%(field)s' must be a whole number") if integer else N_("'%(field)s' must be text")
        )
        return _field_message(wanted, field)
    if check == "pattern":
        return _field_message(N_("'%(field)s' is required"), field)
    if check == "maxLength":
        limit = error.validator_value
        return _field_message(
            N_("'%(field)s' is longer than %(limit)s characters"), field, limit=limit
        )
    if check in ("minimum", "maximum"):
        lo, hi = error.schema["minimum"], error.schema["maximum"]
        return _field_message(
            N_("'%(field)s' must be between %(lo)s and %(hi)s"), field, lo=lo, hi=hi
        )
    if check == "enum":
        names = ", ".join(map(str, error.validator_value))
        return _field_message(N_("'%(field)s' must be one of %(names)s"), field, names=names)
    return _field_message(N_("'%(field)s' is not valid"), field)
