"""The control room's Summary view: downloads, the facilitator's notes, the take-home page,
and what happens to the answers afterwards (retention, delete now, export then delete).

Routes live on the facilitator blueprint. The control room calls them with `fetch`, a JSON
body (or none) and the CSRF token in an `X-CSRFToken` header, and gets JSON back: the new
state of the Summary view, or an error in the shape of docs/protocol.md. The same routes accept
ordinary forms and then redirect back to the control room. Downloads are plain GET links, so
the dashboard can offer them too (templates/facilitator/_downloads.html). The writes are
services': notes and retention in `hearth.services.summaries`, publishing and deleting in
`hearth.services.retention`.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.views import bp, facilitator_required
from hearth.errors import HearthError, invalid_payload
from hearth.exports import as_download, build_export, check_format, refuse_rehearsal
from hearth.i18n import say
from hearth.models import Workshop
from hearth.network import summary_url
from hearth.services import retention, summaries, workshops
from hearth.web import json_object, wants_json

# Values of `confirm` that say "yes, delete": JSON true, or a form's checkbox or button value.
CONFIRMED = (True, "yes", "true", "1")


# --- the Summary view's state -------------------------------------------------------------


def summary_state(workshop: Workshop) -> dict[str, Any]:
    """What the Summary view shows: phase, notes, retention dates and the take-home link."""

    def day(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "phase": workshop.phase,
        "notes": workshop.notes or "",
        "min_group": workshop.min_group,
        "purge_after_days": workshop.purge_after_days,
        "ended_on": day(workshop.ended_on),
        "purge_due_on": day(retention.purge_due_on(workshop)),
        "purged_on": day(workshop.purged_on),
        "summary_url": summary_url(workshop.summary_key) if workshop.summary_key else None,
    }


# --- request plumbing ---------------------------------------------------------------------


def managed(workshop_id: int) -> Workshop:
    """The workshop, if the logged-in facilitator owns or co-facilitates it."""
    return workshops.managed_workshop(current_user, workshop_id)


def request_fields() -> dict[str, Any]:
    """The fields of a JSON object body, or of a form (an empty body has none)."""
    if request.is_json:
        return json_object()
    return request.form.to_dict()


def answered_with_state(workshop: Workshop) -> Response | WerkzeugResponse:
    """The new Summary state for a fetch call, or back to the control room for a form."""
    if request.is_json or wants_json():
        return jsonify({"ok": True, "summary": summary_state(workshop)})
    return redirect(url_for("facilitator.control_room", workshop_id=workshop.id), 303)


def require_deletable(workshop: Workshop, fields: dict[str, Any]) -> None:
    """Refuse to delete answers without an explicit confirmation, before the end, or twice."""
    if fields.get("confirm") not in CONFIRMED:
        raise HearthError(
            "confirmation_required",
            "Deleting the answers cannot be undone; confirm it to go ahead.",
        )
    if workshop.phase != "ended":
        raise HearthError("invalid_state", "End the workshop before deleting its answers.", 409)
    if workshop.purged_on is not None:
        raise HearthError(
            "invalid_state",
            "The answers were already deleted on %(day)s.",
            409,
            day=workshop.purged_on.isoformat(),
        )


# --- routes -------------------------------------------------------------------------------


@bp.get("/workshops/<int:workshop_id>/export")
@facilitator_required
def download_summary(workshop_id: int) -> Response | tuple[str, int]:
    """The session summary as a download: ?format=html|pdf|md|csv|xlsx|json (default json)."""
    workshop = managed(workshop_id)
    try:
        return as_download(build_export(workshop, request.args.get("format", "json")))
    except HearthError as error:
        if wants_json():
            raise
        # A link followed in the browser: say what went wrong, with the way back.
        return render_template(
            "error.html",
            title=_("The summary could not be made"),
            message=say(error),
            back_url=url_for("facilitator.control_room", workshop_id=workshop.id),
            back_label=_("Back to the control room"),
        ), error.status


@bp.get("/workshops/<int:workshop_id>/summary-state")
@facilitator_required
def get_summary_state(workshop_id: int) -> Response:
    """The Summary view's state as JSON (the control room asks again after the end or a purge)."""
    return jsonify({"ok": True, "summary": summary_state(managed(workshop_id))})


@bp.post("/workshops/<int:workshop_id>/notes")
@facilitator_required
def update_notes(workshop_id: int) -> Response | WerkzeugResponse:
    """Save the facilitator's notes: {"notes": "..."} or a form field `notes`."""
    workshop = managed(workshop_id)
    fields = request_fields()
    if "notes" not in fields:
        raise invalid_payload("Send the notes as 'notes'.")
    summaries.save_notes(workshop, fields["notes"])
    return answered_with_state(workshop)


@bp.post("/workshops/<int:workshop_id>/publish")
@facilitator_required
def publish(workshop_id: int) -> Response | WerkzeugResponse:
    """Publish the take-home summary at /s/<key> (ended workshops only); the projector shows it."""
    workshop = managed(workshop_id)
    retention.publish_summary(workshop)
    return answered_with_state(workshop)


@bp.post("/workshops/<int:workshop_id>/unpublish")
@facilitator_required
def unpublish(workshop_id: int) -> Response | WerkzeugResponse:
    """Take the take-home summary down; its link stops working at once."""
    workshop = managed(workshop_id)
    retention.unpublish_summary(workshop)
    return answered_with_state(workshop)


@bp.post("/workshops/<int:workshop_id>/purge")
@facilitator_required
def purge(workshop_id: int) -> Response | WerkzeugResponse:
    """Delete the answers of an ended workshop now: {"confirm": true} or a form `confirm=yes`."""
    workshop = managed(workshop_id)
    require_deletable(workshop, request_fields())
    retention.purge_workshop(workshop)
    return answered_with_state(managed(workshop_id))


@bp.post("/workshops/<int:workshop_id>/export-then-purge")
@facilitator_required
def export_then_purge(workshop_id: int) -> Response:
    """Build a summary in `format`, then delete the answers; the answer is the file.

    Nothing is deleted unless the file was made (a PDF without a browser deletes nothing).
    """
    workshop = managed(workshop_id)
    refuse_rehearsal(workshop)
    fields = request_fields()
    fmt = check_format(fields.get("format"))
    require_deletable(workshop, fields)
    return as_download(retention.export_then_purge(workshop, fmt))


@bp.post("/workshops/<int:workshop_id>/retention")
@facilitator_required
def update_retention(workshop_id: int) -> Response | WerkzeugResponse:
    """Change when the answers are deleted: {"purge_after_days": 1..365} or a form field."""
    workshop = managed(workshop_id)
    fields = request_fields()
    if "purge_after_days" not in fields:
        raise invalid_payload("Send the number of days as 'purge_after_days'.")
    summaries.set_retention(workshop, fields["purge_after_days"])
    return answered_with_state(workshop)
