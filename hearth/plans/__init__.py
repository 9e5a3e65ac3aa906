"""Plan documents: the format and its plain-language errors (`format`, `problems`, `schema`),
plan files (`files`) and the built-in plans (`builtin`). Nothing here writes: storing plans is
hearth.services.plans (docs/architecture.md)."""

from hearth.plans.builtin import BUILTIN_DIR, builtin_documents
from hearth.plans.files import (
    FIELD_ORDER,
    PLAN_MEDIA_TYPES,
    PLAN_SUFFIXES,
    PlanFormat,
    dump_plan,
    parse_plan_text,
    plan_document,
    plan_format_of,
)
from hearth.plans.format import PlanError, slugify, validate_plan
from hearth.plans.problems import KIND_NOUNS, schema_problem
from hearth.plans.schema import KIND_NAMES, MAX_ACTIVITIES, PLAN_SCHEMA, SLUG_MAX_LENGTH

__all__ = [
    "BUILTIN_DIR",
    "FIELD_ORDER",
    "KIND_NAMES",
    "KIND_NOUNS",
    "MAX_ACTIVITIES",
    "PLAN_MEDIA_TYPES",
    "PLAN_SCHEMA",
    "PLAN_SUFFIXES",
    "SLUG_MAX_LENGTH",
    "PlanError",
    "PlanFormat",
    "builtin_documents",
    "dump_plan",
    "parse_plan_text",
    "plan_document",
    "plan_format_of",
    "schema_problem",
    "slugify",
    "validate_plan",
]
