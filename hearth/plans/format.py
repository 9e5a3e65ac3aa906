"""The plan format's one check: the schema, then what each kind checks beyond it; the result is a
normalised document {slug, title, description, activities} (docs/plan-format.md)."""

from __future__ import annotations

import re
from typing import Any

from hearth.errors import MessageError
from hearth.kinds import SpecError, check_activity, check_pairs
from hearth.plans.problems import activity_problem, schema_problem
from hearth.plans.schema import SLUG_MAX_LENGTH
from hearth.text import check_texts


class PlanError(MessageError):
    """A plan that cannot be used, with a message that names the activity and field."""


def slugify(text: str) -> str:
    """A URL-safe slug made of lowercase words and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:SLUG_MAX_LENGTH].rstrip("-") or "plan"


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
            raise PlanError(activity_problem(index, raw, error.text)) from None
    ambiguous = check_pairs(activities)
    if ambiguous is not None:
        index, problem = ambiguous
        raise PlanError(activity_problem(index, document["activities"][index], problem))
    title = document["title"].strip()
    # "language" only when the document gives one: the service fills in the facilitator's.
    language = {"language": document["language"]} if document.get("language") else {}
    return {
        "slug": document.get("slug") or slugify(title),
        "title": title,
        "description": document.get("description", "").strip(),
        **language,
        "activities": activities,
    }


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
