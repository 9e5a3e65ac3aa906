"""Plan documents: the format (JSON Schema + kind checks) with plain-language errors, reading
and writing YAML/JSON plan files, storing plans, and the built-in plans."""

from __future__ import annotations

import difflib
import itertools
import json
import re
from importlib import resources
from typing import Any, Literal

import yaml
from jsonschema import Draft202012Validator, ValidationError
from sqlalchemy import select

from hearth.bundle import asset_path
from hearth.extensions import db, writing
from hearth.kinds import SpecError, check_activity, check_pairs
from hearth.models import Facilitator, Plan
from hearth.text import check_texts

# The built-in plans: plans/ in a checkout, hearth/assets/plans in a wheel (hearth/bundle.py).
BUILTIN_DIR = asset_path("plans")

PlanFormat = Literal["yaml", "json"]

# The schema is package data, so it is found the same way in a checkout and in a wheel.
PLAN_SCHEMA: dict[str, Any] = json.loads(
    resources.files("hearth").joinpath("plan.schema.json").read_text(encoding="utf-8")
)
_validator = Draft202012Validator(PLAN_SCHEMA)
_options_schema: dict[str, Any] = PLAN_SCHEMA["$defs"]["options"]
MAX_ACTIVITIES: int = PLAN_SCHEMA["properties"]["activities"]["maxItems"]
KIND_NAMES: list[str] = PLAN_SCHEMA["$defs"]["activity"]["properties"]["kind"]["enum"]
SLUG_MAX_LENGTH: int = PLAN_SCHEMA["properties"]["slug"]["maxLength"]

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


class PlanError(ValueError):
    """A plan that cannot be used, with a message that names the activity and field."""


def slugify(text: str) -> str:
    """A URL-safe slug made of lowercase words and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-") or "plan"


def _label(index: int, raw: Any) -> str:
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


def _without_nulls(document: Any) -> Any:
    """The document with null fields dropped: in a plan file `field:` with no value means absent."""
    if not isinstance(document, dict):
        return document
    clean = {key: value for key, value in document.items() if value is not None}
    if isinstance(clean.get("activities"), list):
        clean["activities"] = [
            {key: value for key, value in raw.items() if value is not None}
            if isinstance(raw, dict)
            else raw
            for raw in clean["activities"]
        ]
    return clean


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
    rest = path[2:]
    if not rest:
        # The activity as a whole: its shape first, then its kind, then unknown fields.
        if error.validator == "type":
            return (1, path[1], 0)
        if error.validator == "required" and _missing_field(error) == "kind":
            return (1, path[1], 1)
        rank = {"additionalProperties": 2, "required": 3}.get(error.validator, 4)
        return (1, path[1], rank)
    if rest[0] == "kind":
        return (1, path[1], 1)
    return (1, path[1], 5, *rest[1:2])  # options items in order


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
    if field == "title":
        if error.validator == "maxLength":
            return f"The plan's title is longer than {error.validator_value} characters."
        return "The plan needs a title."
    if field == "description":
        if error.validator == "maxLength":
            return f"The plan's description is longer than {error.validator_value} characters."
        return "The plan's description must be text."
    if field == "slug":
        if error.validator == "maxLength":
            return f"The slug may be at most {error.validator_value} characters long."
        return "The slug may hold only lowercase letters, digits and dashes."
    if error.validator == "maxItems":
        return f"A plan can hold at most {MAX_ACTIVITIES} activities."
    return "The plan needs a list of activities (at least one)."


def _options_count(kind: Any) -> str:
    """The complaint about too few or too many options."""
    lo, hi = _options_schema["minItems"], _options_schema["maxItems"]
    return f"{'a ranking ' if kind == 'rank' else ''}needs {lo} to {hi} options"


def _activity_problem(error: ValidationError, raw: dict[str, Any], rest: list[Any]) -> str:
    """Describe a schema error inside one activity (without the 'Activity N' label)."""
    kind = raw.get("kind") if isinstance(raw, dict) else None
    check = error.validator
    if not rest:
        if check == "type":
            return "must be a mapping of fields"
        if check == "required":
            missing = _missing_field(error)
            if missing == "kind":
                return f"'kind' must be one of {', '.join(KIND_NAMES)}"
            return _options_count(kind) if missing == "options" else f"'{missing}' is required"
        if check == "additionalProperties":
            unknown = _unknown_field(error)
            allowed = [field for field in error.schema["properties"] if field != "kind"]
            guess = difflib.get_close_matches(unknown, allowed, n=1)
            hint = f"did you mean '{guess[0]}'?" if guess else f"it can have {', '.join(allowed)}"
            noun = KIND_NOUNS.get(str(kind), "this kind")
            return f"'{unknown}' is not a field of {noun} ({hint})"
        if check == "anyOf":
            return "a content slide needs a 'title' or a 'body'"
        return "is not a valid activity"
    field = rest[0]
    if field == "kind":
        return f"'kind' must be one of {', '.join(KIND_NAMES)}"
    if field == "options":
        if len(rest) > 1:
            number = rest[1] + 1
            if check == "maxLength":
                return f"option {number} is longer than {error.validator_value} characters"
            return f"option {number} must be non-empty text"
        if check == "type":
            return "'options' must be a list of texts"
        if check == "uniqueItems":
            return "options must all be different"
        return _options_count(kind)
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


def schema_problem(document: Any) -> str | None:
    """The plain-language description of the first thing the schema refuses, or None."""
    errors = sorted(_validator.iter_errors(document), key=_error_order)
    if not errors:
        return None
    error = errors[0]
    path = list(error.absolute_path)
    if len(path) >= 2 and path[0] == "activities":
        raw = document["activities"][path[1]]
        return f"{_label(path[1], raw)}: {_activity_problem(error, raw, path[2:])}."
    return _plan_problem(error)


def validate_plan(document: Any) -> dict[str, Any]:
    """Check a plan document and return it normalised: {slug, title, description, activities}."""
    check_texts(document)  # YAML escapes can spell NUL or a lone surrogate too
    document = _without_nulls(document)
    problem = schema_problem(document)
    if problem is not None:
        raise PlanError(problem)
    activities = []
    for index, raw in enumerate(document["activities"]):
        # The schema checks shapes; the kinds check what a schema cannot (max > min, ...).
        try:
            activities.append(check_activity(raw))
        except SpecError as error:
            raise PlanError(f"{_label(index, raw)}: {error}.") from None
    ambiguous = check_pairs(activities)
    if ambiguous is not None:
        index, problem = ambiguous
        raise PlanError(f"{_label(index, document['activities'][index])}: {problem}.")
    title = document["title"].strip()
    return {
        "slug": document.get("slug") or slugify(title),
        "title": title,
        "description": document.get("description", "").strip(),
        "activities": activities,
    }


class _PlanLoader(yaml.SafeLoader):
    """YAML's safe loader without aliases: `*name` can expand a small file into a huge plan."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        """Refuse an alias; compose anything else as usual."""
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in plan files", event.start_mark
            )
        return super().compose_node(parent, index)


# YAML 1.1 reads yes/no/on/off as booleans and 2024-05-01 as a date, so a poll with the
# options Yes and No would arrive as true and false. Plan files follow YAML 1.2 here: only
# true and false are booleans, and dates stay text.
_PlanLoader.yaml_implicit_resolvers = {
    first: [
        (tag, pattern)
        for tag, pattern in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_PlanLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


class _PlanDumper(yaml.SafeDumper):
    """YAML output as people write it: indented lists, multi-line text as `|` blocks."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent a list under its key (PyYAML's default puts `- ` flush with the key)."""
        super().increase_indent(flow, False)


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    """Multi-line text as a literal block, everything else as usual."""
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_PlanDumper.add_representer(str, _represent_text)


def parse_plan_text(text: str, fmt: PlanFormat | None = None) -> Any:
    """Parse a YAML or JSON plan file (JSON when fmt says so or the text starts with '{')."""
    try:
        return _parse(text, fmt)
    except RecursionError:
        # Both parsers recurse per level: "[[[[..." thousands deep exhausts the stack.
        raise PlanError("The file is nested too deeply to be a plan.") from None


def _parse(text: str, fmt: PlanFormat | None) -> Any:
    """parse_plan_text without the guard against deep nesting."""
    if fmt == "json" or (fmt is None and text.lstrip().startswith("{")):
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise PlanError(
                f"This is not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}."
            ) from None
    try:
        return yaml.load(text, Loader=_PlanLoader)
    except yaml.MarkedYAMLError as error:
        where = ""
        if error.problem_mark is not None:
            mark = error.problem_mark
            where = f" (line {mark.line + 1}, column {mark.column + 1})"
        raise PlanError(
            f"This is not valid YAML{where}: {error.problem}. "
            "Check the indentation and that each field is written 'name: value'."
        ) from None
    except yaml.YAMLError:
        raise PlanError("This is not valid YAML.") from None


def plan_document(plan: Plan) -> dict[str, Any]:
    """A stored plan as a plan document: what export writes and import reads back."""
    return {
        "slug": plan.slug,
        "title": plan.title,
        "description": plan.description,
        "activities": plan.activities,
    }


# Fields in the order a person reads an activity: what it is, what it asks, then settings.
FIELD_ORDER = (
    "kind", "title", "prompt", "body", "style", "attribution", "options", "max_choices",
    "min", "max", "min_label", "max_label", "max_length", "max_words",
    "reveal", "seconds", "pair", "note",
)  # fmt: skip


def _in_reading_order(activity: Any) -> Any:
    """An activity's fields in FIELD_ORDER (unknown fields last)."""
    if not isinstance(activity, dict):
        return activity
    rank = {field: number for number, field in enumerate(FIELD_ORDER)}
    return dict(sorted(activity.items(), key=lambda item: rank.get(item[0], len(rank))))


def dump_plan(document: dict[str, Any], fmt: PlanFormat = "yaml") -> str:
    """A plan document as YAML (the default) or JSON text, activity fields in reading order."""
    document = {**document, "activities": [_in_reading_order(a) for a in document["activities"]]}
    if fmt == "json":
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return yaml.dump(document, Dumper=_PlanDumper, sort_keys=False, allow_unicode=True, width=100)


def _next_free_slug(base: str) -> str:
    """The first of base-2, base-3, ... that no plan uses yet."""
    prefix = base[: SLUG_MAX_LENGTH - 4]
    taken = set(db.session.scalars(select(Plan.slug).where(Plan.slug.startswith(prefix))))
    for number in itertools.count(2):
        suffix = f"-{number}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)].rstrip("-") + suffix
        if candidate not in taken:
            return candidate
    raise AssertionError("unreachable")  # itertools.count never ends


def save_plan(document: Any, owner: Facilitator | None) -> Plan:
    """Validate a plan document and store it by slug.

    It replaces the owner's own plan of that slug; a built-in plan or another facilitator's
    plan is never overwritten: the new plan gets a free slug instead (slug-2, slug-3, ...).
    """
    checked = validate_plan(document)
    owner_id = owner.id if owner is not None else None
    with writing():
        plan = db.session.scalar(select(Plan).where(Plan.slug == checked["slug"]))
        if plan is None or plan.builtin or plan.owner_id != owner_id:
            slug = checked["slug"] if plan is None else _next_free_slug(checked["slug"])
            plan = Plan(slug=slug, owner_id=owner_id, builtin=False)
            db.session.add(plan)
        plan.title = checked["title"]
        plan.description = checked["description"]
        plan.activities = checked["activities"]
    return plan


def unused_slug(base: str) -> str:
    """`base` if no plan uses it yet, else the first free base-2, base-3, ..."""
    taken = db.session.scalar(select(Plan.id).where(Plan.slug == base)) is not None
    return _next_free_slug(base) if taken else base


def create_plan(document: Any, owner: Facilitator) -> Plan:
    """Store a new plan; it never replaces another plan, whatever slug the document carries."""
    checked = validate_plan(document)
    return save_plan({**checked, "slug": unused_slug(checked["slug"])}, owner)


def update_plan(plan: Plan, document: Any, owner: Facilitator) -> Plan:
    """Replace a plan's title, description and activities; its id and slug stay."""
    checked = validate_plan(document)
    return save_plan({**checked, "slug": plan.slug}, owner)


def duplicate_plan(plan: Plan, owner: Facilitator) -> Plan:
    """A copy of any plan, owned by `owner`, titled "... (copy)"."""
    title = f"{plan.title} (copy)"
    if len(title) > 200:
        title = plan.title[:193].rstrip() + " (copy)"
    document = {**plan_document(plan), "title": title}
    return save_plan({**document, "slug": unused_slug(slugify(title))}, owner)


def delete_plan(plan: Plan) -> None:
    """Delete a plan; workshops run from it keep their frozen copy (their plan_id becomes NULL)."""
    with writing():
        db.session.delete(plan)


def load_builtin_plans() -> list[Plan]:
    """Insert or refresh the plans shipped in plans/*.yaml (idempotent)."""
    loaded = []
    with writing():
        for path in sorted(BUILTIN_DIR.glob("*.yaml")):
            document = validate_plan(parse_plan_text(path.read_text(encoding="utf-8"), "yaml"))
            plan = db.session.scalar(select(Plan).where(Plan.slug == document["slug"]))
            if plan is None:
                plan = Plan(slug=document["slug"], builtin=True)
                db.session.add(plan)
            if plan.builtin:
                plan.title = document["title"]
                plan.description = document["description"]
                plan.activities = document["activities"]
            loaded.append(plan)
    return loaded
