"""Plan files: YAML (1.2, without aliases) or JSON in, YAML or JSON out, fields in reading order."""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import yaml

from hearth.models import Plan
from hearth.plans.format import PlanError

PlanFormat = Literal["yaml", "json"]

# A plan file's format by the end of its name, and by the media type it is sent with.
PLAN_SUFFIXES: dict[str, PlanFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}
PLAN_MEDIA_TYPES: dict[str, PlanFormat] = {
    "application/json": "json",
    "application/yaml": "yaml",
    "application/x-yaml": "yaml",
    "text/yaml": "yaml",
    "text/x-yaml": "yaml",
}


def plan_format_of(filename: str) -> PlanFormat | None:
    """The format a file name announces (.json, .yaml or .yml, in any case), else None."""
    match = re.search(r"\.[A-Za-z0-9]+$", filename)
    return PLAN_SUFFIXES.get(match.group(0).lower()) if match else None


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
                "This is not valid JSON (line %(line)s, column %(column)s): %(problem)s.",
                line=error.lineno,
                column=error.colno,
                problem=error.msg,
            ) from None
    try:
        return yaml.load(text, Loader=_PlanLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        if mark is None:
            raise PlanError(
                "This is not valid YAML: %(problem)s. "
                "Check the indentation and that each field is written 'name: value'.",
                problem=error.problem,
            ) from None
        raise PlanError(
            "This is not valid YAML (line %(line)s, column %(column)s): %(problem)s. "
            "Check the indentation and that each field is written 'name: value'.",
            line=mark.line + 1,
            column=mark.column + 1,
            problem=error.problem,
        ) from None
    except yaml.YAMLError:
        raise PlanError("This is not valid YAML.") from None


def plan_document(plan: Plan) -> dict[str, Any]:
    """A stored plan as a plan document: what export writes and import reads back."""
    return {
        "slug": plan.slug,
        "title": plan.title,
        "description": plan.description,
        "language": plan.language,
        "activities": plan.activities,
    }


# Fields in the order a person reads an activity: what it is, what it asks, then settings.
FIELD_ORDER = (
    "kind", "title", "prompt", "body", "style", "attribution", "options", "max_choices",
    "min", "max", "min_label", "max_label", "max_length", "max_words",
    "reveal", "seconds", "pair", "note", "script",
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
