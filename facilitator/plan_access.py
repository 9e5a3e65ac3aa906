"""Who may change which plan: a facilitator edits and deletes only their own plans; built-in
plans and other facilitators' plans are read-only (they can be duplicated)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_login import current_user

from hearth.errors import HearthError, not_found
from hearth.extensions import db
from hearth.models import Facilitator, Plan


def can_edit(plan: Plan, facilitator: Facilitator) -> bool:
    """A facilitator edits and deletes only their own plans; built-in plans are read-only."""
    return not plan.builtin and plan.owner_id == facilitator.id


def read_only_reason(plan: Plan, facilitator: Facilitator) -> str | None:
    """Why a plan cannot be edited by this facilitator, in a sentence, or None."""
    if plan.builtin:
        return _("This is a built-in plan, so it can't be changed. Make your own copy to edit it.")
    if plan.owner_id != facilitator.id:
        return _(
            "This plan belongs to another facilitator, so it can't be changed here. "
            "Make your own copy to edit it."
        )
    return None


def plan_or_404(plan_id: int) -> Plan:
    """The plan with this id, or a 404."""
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise not_found("There is no plan with that id. It may have been deleted.")
    return plan


def editable_plan(plan_id: int) -> Plan:
    """The plan with this id if the current facilitator may change it, else a refusal."""
    plan = plan_or_404(plan_id)
    if plan.builtin:
        raise HearthError(
            "plan_read_only", "Built-in plans can't be changed. Duplicate it to edit a copy.", 403
        )
    if not can_edit(plan, current_user):
        raise HearthError(
            "plan_read_only", "Only the facilitator who made this plan can change it.", 403
        )
    return plan
