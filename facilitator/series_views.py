"""The series pages: start a series from the dashboard, see its sessions and the group's
check-in and check-out over the weeks, and start its next session.

Routes live on the facilitator blueprint (`facilitator.views.bp`); they are ordinary forms and
pages. A series is its owner's alone (docs/protocol.md).
"""

from __future__ import annotations

from typing import Any

from flask import Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.views import bp, facilitator_required
from hearth.errors import HearthError
from hearth.exports import as_download
from hearth.exports.series import build_series_export
from hearth.extensions import db
from hearth.i18n import say
from hearth.models import Plan, Series
from hearth.series_chart import charts
from hearth.services import series as series_service
from hearth.services import workshops
from hearth.web import wants_json


def owned(series_id: int) -> Series:
    """The series, if the logged-in facilitator owns it."""
    return series_service.owned_series(current_user, series_id)


def _min_group_field(raw: str, default: int) -> int:
    """The form's `min_group` (empty: the default), checked like any workshop's k."""
    raw = raw.strip()
    if raw and not raw.lstrip("-").isdigit():
        raise HearthError("invalid_value", "The minimum group size must be a whole number.")
    settings = {"min_group": int(raw)} if raw else {}
    min_group, _ = workshops.check_settings(
        settings, default, current_app.config["HEARTH_RETENTION_DAYS"]
    )
    return min_group


def page_context(series: Series) -> dict[str, Any]:
    """What templates/facilitator/series.html needs."""
    report = series_service.report(series)
    defaults = series_service.next_session_defaults(series, current_app.config["HEARTH_MIN_GROUP"])
    return {
        "series": series,
        "report": report,
        "sessions": series_service.sessions(series),
        "charts": charts(report),
        "defaults": defaults,
        "plans": list(db.session.scalars(select(Plan).order_by(Plan.builtin.desc(), Plan.title))),
    }


@bp.post("/series")
@facilitator_required
def create_series() -> WerkzeugResponse:
    """Start a series (form: title) and open its page."""
    series = series_service.create_series(current_user, request.form.get("title", ""))
    return redirect(url_for("facilitator.series_page", series_id=series.id), 303)


@bp.get("/series/<int:series_id>")
@facilitator_required
def series_page(series_id: int) -> str:
    """The series: its sessions, the group's check-in and check-out over them, the next one."""
    return render_template("facilitator/series.html", **page_context(owned(series_id)))


@bp.post("/series/<int:series_id>/sessions")
@facilitator_required
def start_next_session(series_id: int) -> WerkzeugResponse:
    """Start the series' next session (form: plan_id, min_group; both default to the last
    session's) and open its control room."""
    series = owned(series_id)
    defaults = series_service.next_session_defaults(series, current_app.config["HEARTH_MIN_GROUP"])
    plan_ref = request.form.get("plan_id", "").strip() or defaults["plan_id"]
    if plan_ref is None:
        raise HearthError("invalid_value", "Choose the plan for this session.")
    plan = workshops.find_plan(plan_ref)
    min_group = _min_group_field(request.form.get("min_group", ""), defaults["min_group"])
    workshop = series_service.start_session(
        series,
        current_user,
        plan,
        min_group=min_group,
        purge_after_days=current_app.config["HEARTH_RETENTION_DAYS"],
    )
    return redirect(url_for("facilitator.control_room", workshop_id=workshop.id), 303)


@bp.get("/series/<int:series_id>/export")
@facilitator_required
def download_series(series_id: int) -> Response | tuple[str, int]:
    """The series summary as a download: ?format=html|pdf|md|csv|xlsx|json (default json)."""
    series = owned(series_id)
    try:
        export = build_series_export(
            series_service.report(series), request.args.get("format", "json")
        )
    except HearthError as error:
        if wants_json():
            raise
        # A link followed in the browser: say what went wrong, with the way back.
        return render_template(
            "error.html",
            title=_("The series summary could not be made"),
            message=say(error),
            back_url=url_for("facilitator.series_page", series_id=series.id),
            back_label=_("Back to the series"),
        ), error.status
    return as_download(export)
