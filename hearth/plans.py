"""Plan documents: validation with plain-language errors, and the built-in plans."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select

from hearth.extensions import db, writing
from hearth.kinds import SpecError, check_activity
from hearth.models import Plan

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "plans"
MAX_ACTIVITIES = 100


class PlanError(ValueError):
    """A plan that cannot be used, with a message that names the activity and field."""


def slugify(text: str) -> str:
    """A URL-safe slug made of lowercase words and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:80] or "plan"


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


def validate_plan(document: Any) -> dict[str, Any]:
    """Check a plan document and return it normalised: {slug, title, description, activities}."""
    if not isinstance(document, dict):
        raise PlanError("A plan must be a mapping with a title and a list of activities.")
    title = document.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PlanError("The plan needs a title.")
    description = document.get("description") or ""
    if not isinstance(description, str):
        raise PlanError("The plan's description must be text.")
    raw_activities = document.get("activities")
    if not isinstance(raw_activities, list) or not raw_activities:
        raise PlanError("The plan needs a list of activities (at least one).")
    if len(raw_activities) > MAX_ACTIVITIES:
        raise PlanError(f"A plan can hold at most {MAX_ACTIVITIES} activities.")
    activities = []
    for index, raw in enumerate(raw_activities):
        try:
            activities.append(check_activity(raw))
        except SpecError as error:
            raise PlanError(f"{_label(index, raw)}: {error}.") from None
    slug = document.get("slug")
    if slug is not None and (not isinstance(slug, str) or slugify(slug) != slug):
        raise PlanError("The slug may hold only lowercase letters, digits and dashes.")
    return {
        "slug": slug or slugify(title),
        "title": title.strip()[:200],
        "description": description.strip(),
        "activities": activities,
    }


def load_builtin_plans() -> list[Plan]:
    """Insert or refresh the plans shipped in plans/*.yaml (idempotent)."""
    loaded = []
    with writing():
        for path in sorted(BUILTIN_DIR.glob("*.yaml")):
            document = validate_plan(yaml.safe_load(path.read_text(encoding="utf-8")))
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
