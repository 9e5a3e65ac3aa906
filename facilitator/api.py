"""The JSON API under /api/v1, authenticated with `Authorization: Bearer <token>`."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy import select

from facilitator.start_settings import start_workshop
from hearth import realtime
from hearth.errors import N_, HearthError, Message, invalid_payload
from hearth.extensions import db
from hearth.json_guard import MAX_DEPTH, nesting_depth, too_deep
from hearth.models import Plan
from hearth.network import join_url, present_url
from hearth.services import accounts, workshops
from hearth.web import body_bytes, json_object, utf8_text

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def bearer_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Require a valid bearer token; the facilitator is then `g.facilitator`."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        facilitator = accounts.facilitator_for_token(token.strip()) if scheme == "Bearer" else None
        if facilitator is None:
            raise HearthError(
                "unauthorized",
                "Send 'Authorization: Bearer <token>'; `hearth token create EMAIL` prints one.",
                401,
            )
        g.facilitator = facilitator
        return view(*args, **kwargs)

    return wrapped


@bp.get("/plans")
@bearer_required
def list_plans() -> Response:
    """Every plan, in brief."""
    plans = db.session.scalars(select(Plan).order_by(Plan.id))
    return jsonify(
        {
            "plans": [
                {
                    "id": plan.id,
                    "slug": plan.slug,
                    "title": plan.title,
                    "description": plan.description,
                    "activities": len(plan.activities),
                }
                for plan in plans
            ]
        }
    )


@bp.post("/workshops")
@bearer_required
def create_workshop() -> tuple[Response, int]:
    """Create a workshop from a plan: {"plan": id or slug, "settings": {...}}."""
    body = json_object()
    if "plan" not in body:
        raise invalid_payload("'plan' (an id or a slug) is required.")
    plan = workshops.find_plan(body["plan"])
    workshop = start_workshop(plan, g.facilitator, body.get("settings"))
    return jsonify(
        {
            "id": workshop.id,
            "code": workshop.code,
            "join_url": join_url(workshop.code),
            "present_url": present_url(workshop.present_key),
            "phase": workshop.phase,
            "rehearsal": workshop.rehearsal,
        }
    ), 201


@bp.get("/workshops/<int:workshop_id>")
@bearer_required
def get_workshop(workshop_id: int) -> Response:
    """The same payload as the `control` snapshot."""
    workshop = workshops.managed_workshop(g.facilitator, workshop_id)
    return jsonify(realtime.control_state(workshop))


@bp.post("/workshops/<int:workshop_id>/actions")
@bearer_required
def act(workshop_id: int) -> Response:
    """Perform one of the socket `act` actions."""
    workshops.managed_workshop(g.facilitator, workshop_id)
    workshops.perform_action(workshop_id, json_object())
    db.session.expire_all()
    workshop = workshops.managed_workshop(g.facilitator, workshop_id)
    return jsonify({"ok": True, "control": realtime.control_state(workshop)})


@bp.get("/workshops/<int:workshop_id>/export")
@bearer_required
def export_workshop(workshop_id: int) -> Response:
    """The session summary as a download: ?format=json|csv|md|html|xlsx|pdf (default json)."""
    from hearth.exports import as_download, build_export

    workshop = workshops.managed_workshop(g.facilitator, workshop_id)
    return as_download(build_export(workshop, request.args.get("format", "json")))


@bp.post("/plans")
@bearer_required
def upload_plan() -> tuple[Response, int]:
    """Store a plan sent as JSON or YAML; it replaces the caller's own plan of the same slug."""
    from hearth.plans import PLAN_MEDIA_TYPES, PlanError, parse_plan_text
    from hearth.services.plans import save_plan

    fmt = PLAN_MEDIA_TYPES.get(request.mimetype)
    if fmt is None:
        raise HearthError(
            "unsupported_media_type",
            "Send the plan with Content-Type: application/json or application/yaml.",
            415,
        )
    # No limit of its own: a plan file is held to every request's 2 MB (MAX_CONTENT_LENGTH).
    text = utf8_text(body_bytes())
    # A JSON body is refused like any other route's (hearth.json_guard); a YAML one is a file.
    if fmt == "json" and nesting_depth(text) > MAX_DEPTH:
        raise too_deep()
    try:
        plan = save_plan(parse_plan_text(text, fmt), g.facilitator)
    except PlanError as error:
        raise HearthError("invalid_plan", error.text) from None
    return jsonify(
        {
            "id": plan.id,
            "slug": plan.slug,
            "title": plan.title,
            "activities": len(plan.activities),
        }
    ), 201


@bp.post("/plans/import")
@bearer_required
def draft_plan_from_article() -> Response:
    """Turn an article (text, Markdown, Word, PDF or HTML) into a draft plan; saves nothing."""
    from hearth.importer import (
        ACCEPTED_MEDIA_TYPES,
        MAX_ARTICLE_BYTES,
        ArticleError,
        ArticleTooLarge,
        draft_from_article,
        format_of_media_type,
    )
    from hearth.plans import PlanError, validate_plan

    fmt = format_of_media_type(request.mimetype)
    if fmt is None:
        raise HearthError(
            "unsupported_media_type",
            "Send the article with Content-Type: %(types)s.",
            415,
            types=ACCEPTED_MEDIA_TYPES,
        )
    too_large = Message(
        N_("That is more than %(size)s MB; send less."), {"size": MAX_ARTICLE_BYTES // 2**20}
    )
    article = body_bytes(MAX_ARTICLE_BYTES, too_large)
    try:
        # A longer body sent without a declared length is refused by the importer itself.
        draft, report = draft_from_article(article, fmt)
        # Normalised like a stored plan (defaults filled in, slug made), so an editor loads it.
        plan = validate_plan(draft)
    except ArticleTooLarge as error:
        raise HearthError("too_large", error.text, 413) from None
    except (ArticleError, PlanError) as error:
        raise HearthError("invalid_article", error.text) from None
    return jsonify({"plan": plan, "report": report.as_dict()})
