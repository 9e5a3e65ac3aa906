"""What the plan schema refuses, said in plain language: the first problem, naming the activity
and the field ("Activity 3 'How safe…': 'optons' is not a field of a ranking (did you mean…)")."""

from __future__ import annotations

import difflib
from typing import Any

from jsonschema import ValidationError

from hearth.plans.schema import KIND_NAMES, MAX_ACTIVITIES, OPTIONS_SCHEMA, validator

# How an error names an activity of each kind ("'optons' is not a field of a ranking").
KIND_NOUNS = {
    "content": "a content slide",
    "choice": "a choice poll",
    "multi": "a multiple-choice poll",
    "scale": "a scale",
    "open": "an open prompt",
    "words": "a word cloud",
    "rank": "a ranking",
}
# Plan-level errors are reported in this order, before any activity's.
_PLAN_FIELDS = ("title", "description", "slug", "activities")
# A plan field's complaint when it is too long ({} is the limit), and for anything else.
_PLAN_FIELD_PROBLEMS = {
    "title": ("The plan's title is longer than {} characters.", "The plan needs a title."),
    "description": (
        "The plan's description is longer than {} characters.",
        "The plan's description must be text.",
    ),
    "slug": (
        "The slug may be at most {} characters long.",
        "The slug may hold only lowercase letters, digits and dashes.",
    ),
}


def activity_label(index: int, raw: Any) -> str:
    """How an activity is named in an error: its number and the start of its text."""
    text = ""
    if isinstance(raw, dict):
        for field in ("prompt", "title", "body"):
            if isinstance(raw.get(field), str) and raw[field].strip():
                text = raw[field].strip()
                break
    if len(text) > 40:
        text = text[:39] + "…"
    return f"Activity {index + 1}" + (f" '{text}'" if text else "")


def schema_problem(document: Any) -> str | None:
    """The plain-language description of the first thing the schema refuses, or None."""
    errors = sorted(validator.iter_errors(document), key=_error_order)
    if not errors:
        return None
    error = errors[0]
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "activities":
        raw = document["activities"][path[1]]
        return f"{activity_label(path[1], raw)}: {_activity_problem(error, raw, path[2:])}."
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


def _plan_problem(error: ValidationError) -> str:
    """Describe a schema error about the plan itself (not one of its activities)."""
    path = list(error.absolute_path)
    if error.validator == "type" and not path:
        return "A plan must be a mapping with a title and a list of activities."
    if error.validator == "additionalProperties":
        return (
            f"A plan has no field '{_unknown_field(error)}': "
            "its fields are slug, title, description and activities."
        )
    field = _missing_field(error) if error.validator == "required" else path[0]
    if field in _PLAN_FIELD_PROBLEMS:
        too_long, otherwise = _PLAN_FIELD_PROBLEMS[field]
        return (
            too_long.format(error.validator_value) if error.validator == "maxLength" else otherwise
        )
    if error.validator == "maxItems":
        return f"A plan can hold at most {MAX_ACTIVITIES} activities."
    return "The plan needs a list of activities (at least one)."


def _activity_problem(error: ValidationError, raw: dict[str, Any], rest: list[Any]) -> str:
    """Describe a schema error inside one activity (without the 'Activity N' label)."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    if not rest:
        return _shape_problem(error, kind)
    if rest[0] == "kind":
        return _kind_problem()
    if rest[0] == "options":
        return _options_problem(error, kind, rest[1:])
    return _field_problem(error, str(rest[0]))


def _kind_problem() -> str:
    return f"'kind' must be one of {', '.join(KIND_NAMES)}"


def _options_count(kind: Any) -> str:
    """The complaint about too few or too many options."""
    lo, hi = OPTIONS_SCHEMA["minItems"], OPTIONS_SCHEMA["maxItems"]
    return f"{'a ranking ' if kind == 'rank' else ''}needs {lo} to {hi} options"


def _shape_problem(error: ValidationError, kind: Any) -> str:
    """An error about the activity as a whole: not a mapping, a field missing or unknown."""
    check = error.validator
    if check == "type":
        return "must be a mapping of fields"
    if check == "required":
        missing = _missing_field(error)
        if missing == "kind":
            return _kind_problem()
        return _options_count(kind) if missing == "options" else f"'{missing}' is required"
    if check == "additionalProperties":
        return _unknown_field_problem(error, kind)
    if check == "anyOf":
        return "a content slide needs a 'title' or a 'body'"
    return "is not a valid activity"


def _unknown_field_problem(error: ValidationError, kind: Any) -> str:
    """A field this kind does not have, with the nearest one it does have as a hint."""
    unknown = _unknown_field(error)
    allowed = [field for field in error.schema["properties"] if field != "kind"]
    guess = difflib.get_close_matches(unknown, allowed, n=1)
    hint = f"did you mean '{guess[0]}'?" if guess else f"it can have {', '.join(allowed)}"
    noun = KIND_NOUNS.get(str(kind), "this kind")
    return f"'{unknown}' is not a field of {noun} ({hint})"


def _options_problem(error: ValidationError, kind: Any, item: list[Any]) -> str:
    """An error about the options list (`item` empty) or one of its options."""
    check = error.validator
    if item:
        number = item[0] + 1
        if check == "maxLength":
            return f"option {number} is longer than {error.validator_value} characters"
        return f"option {number} must be non-empty text"
    if check == "type":
        return "'options' must be a list of texts"
    if check == "uniqueItems":
        return "options must all be different"
    return _options_count(kind)


def _field_problem(error: ValidationError, field: str) -> str:
    """An error about one of the activity's other fields."""
    check = error.validator
    if check == "type":
        wanted = "a whole number" if error.validator_value == "integer" else "text"
        return f"'{field}' must be {wanted}"
    if check == "pattern":
        return f"'{field}' is required"
    if check == "maxLength":
        return f"'{field}' is longer than {error.validator_value} characters"
    if check in ("minimum", "maximum"):
        return f"'{field}' must be between {error.schema['minimum']} and {error.schema['maximum']}"
    if check == "enum":
        return f"'{field}' must be one of {', '.join(map(str, error.validator_value))}"
    return f"'{field}' is not valid"
