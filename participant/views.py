"""Pages for phones: join by code, the app, what is stored, the quick exit, the QR code."""

from __future__ import annotations

import io

import segno
from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from hearth.errors import HearthError, refuse_if_ended
from hearth.extensions import db
from hearth.i18n import say
from hearth.models import Workshop
from hearth.network import join_url
from hearth.services.workshops import normalise_code
from hearth.throttle import check_not_limited, count_attempt

bp = Blueprint("participant", __name__)


def workshop_by_code(code: str) -> Workshop:
    """The workshop a typed code belongs to, or a refusal a person can act on.

    Wrong codes are counted per client, so nobody can sweep the code space quickly. A valid
    code is looked up first and always gets in: a venue behind one address, where a few people
    mistyped, must still be able to join and reconnect (docs/deploy.md).
    """
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == normalise_code(code)))
    if workshop is None:
        check_not_limited("join")
        count_attempt("join")
        raise HearthError(
            "unknown_code", "No workshop has that code. Check the code on the screen.", 404
        )
    refuse_if_ended(workshop.phase)
    return workshop


@bp.get("/")
def join() -> str:
    """The join page: one box for the code."""
    return render_template("participant/join.html", code="", error=None)


@bp.get("/join")
def join_code() -> WerkzeugResponse | tuple[str, int]:
    """Send a typed code to its workshop, or back to the join page with the reason."""
    code = normalise_code(request.args.get("code", ""))
    if not code:
        return render_template(
            "participant/join.html", code="", error=_("Enter the code shown on the screen.")
        ), 400
    try:
        workshop_by_code(code)
    except HearthError as error:
        return render_template("participant/join.html", code=code, error=say(error)), error.status
    return redirect(url_for("participant.app", code=code))


@bp.get("/j/<code>")
def app(code: str) -> str | WerkzeugResponse:
    """The phone app for one workshop (the QR target)."""
    if code != normalise_code(code):
        return redirect(url_for("participant.app", code=normalise_code(code)))
    workshop = workshop_by_code(code)
    return render_template(
        "participant/app.html",
        workshop=workshop,
        min_group=workshop.min_group,
        retention_days=workshop.purge_after_days,
    )


@bp.get("/j/<code>/qr.svg")
def qr(code: str) -> Response:
    """The join QR code as SVG, made here so no page asks a third party for it."""
    workshop = workshop_by_code(code)
    buffer = io.BytesIO()
    segno.make(join_url(workshop.code), error="m").save(
        buffer, kind="svg", scale=10, border=2, dark="#1f2a2e", light="#ffffff", xmldecl=False
    )
    response = Response(buffer.getvalue(), mimetype="image/svg+xml")
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


@bp.get("/privacy")
def privacy() -> str:
    """What is stored about a participant, in plain language (for one workshop with ?code=)."""
    code = normalise_code(request.args.get("code", ""))
    workshop = db.session.scalar(select(Workshop).where(Workshop.code == code)) if code else None
    return render_template(
        "participant/privacy.html",
        min_group=workshop.min_group if workshop else current_app.config["HEARTH_MIN_GROUP"],
        retention_days=(
            workshop.purge_after_days if workshop else current_app.config["HEARTH_RETENTION_DAYS"]
        ),
        rehearsal=bool(workshop and workshop.rehearsal),
    )


@bp.get("/exit")
def exit_page() -> str:
    """The quick exit: a neutral page with nothing about Hearth on it."""
    return render_template("participant/exit.html")
