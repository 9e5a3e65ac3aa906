"""Storing plans: save by slug, create, update, duplicate, delete, and the built-in plans.

Every change is checked by hearth.plans.validate_plan first and made in one `writing()` block.
"""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import select

from hearth.extensions import db, writing
from hearth.models import Facilitator, Plan
from hearth.plans import SLUG_MAX_LENGTH, builtin_documents, plan_document, slugify, validate_plan


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
        plan.language = checked.get("language") or plan.language or _language_of(owner)
        plan.activities = checked["activities"]
    return plan


def _language_of(owner: Facilitator | None) -> str:
    """A new plan's language when its document names none: its facilitator's, else English."""
    return (owner.language if owner is not None else None) or "en"


def unused_slug(base: str) -> str:
    """`base` if no plan uses it yet, else the first free base-2, base-3, ..."""
    taken = db.session.scalar(select(Plan.id).where(Plan.slug == base)) is not None
    return _next_free_slug(base) if taken else base


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
        for document in builtin_documents():
            plan = db.session.scalar(select(Plan).where(Plan.slug == document["slug"]))
            if plan is None:
                plan = Plan(slug=document["slug"], builtin=True)
                db.session.add(plan)
            if plan.builtin:
                plan.title = document["title"]
                plan.description = document["description"]
                plan.language = document.get("language", "en")
                plan.activities = document["activities"]
            loaded.append(plan)
    return loaded
