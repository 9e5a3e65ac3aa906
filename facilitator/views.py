"""Facilitator pages: first-run setup, login, dashboard, control room, projector."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator import start_settings
from hearth import i18n
from hearth.errors import HearthError
from hearth.extensions import db, login_manager
from hearth.i18n import say
from hearth.models import Facilitator, Plan, Workshop
from hearth.network import join_url, present_url
from hearth.services import accounts, series, workshops
from hearth.throttle import check_not_limited, count_attempt
from hearth.web import wants_json

bp = Blueprint("facilitator", __name__, url_prefix="/facilitator")
present_bp = Blueprint("present", __name__)


@login_manager.user_loader
def load_facilitator(user_id: str) -> Facilitator | None:
    """flask-login's loader: the facilitator for a session's user id, while the session is
    current (logout and a password change end it, docs/privacy.md)."""
    return accounts.facilitator_for_session(user_id)


def safe_next(target: str | None) -> str:
    """Follow `next` only to a path on this site (no scheme, no host, no //)."""
    if target:
        parts = urlsplit(target)
        if (
            not parts.scheme
            and not parts.netloc
            and target.startswith("/")
            and not target.startswith("//")
        ):
            return target
    return url_for("facilitator.dashboard")


def facilitator_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """login_required that answers a fetch call with a JSON 401 instead of the login page."""

    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            if wants_json() or request.is_json:
                raise HearthError(
                    "unauthorized",
                    "You have been logged out. Log in again in another tab, then try again.",
                    401,
                )
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return wrapped


@bp.route("/setup/<token>", methods=["GET", "POST"])
def setup(token: str) -> str | WerkzeugResponse | tuple[str, int]:
    """First run: the one-time link printed on the console creates the first account."""
    state = accounts.setup_token_state(token)
    if state == "expired":
        return render_template(
            "error.html",
            title="This setup link has expired",
            message="A setup link works for 24 hours. Restart Hearth on the computer it runs "
            "on: it prints a new link.",
            back_url=url_for("facilitator.login"),
            back_label="Go to login",
        ), 410
    if state != "valid":
        return render_template(
            "error.html",
            title="This setup link has been used",
            message="An account already exists, or the link is out of date. Log in instead, "
            "or restart Hearth to print a new link.",
            back_url=url_for("facilitator.login"),
            back_label="Go to login",
        ), 404
    form: dict[str, Any] = {"error": None, "email": "", "name": ""}
    if request.method == "POST":
        form["email"] = request.form.get("email", "")
        form["name"] = request.form.get("name", "")
        try:
            facilitator = accounts.create_facilitator(
                form["email"],
                request.form.get("password", ""),
                request.form.get("password_confirm", ""),
                form["name"],
            )
        except HearthError as error:
            form["error"] = say(error)
            return render_template("facilitator/setup.html", **form), 400
        login_user(facilitator)
        return redirect(url_for("facilitator.dashboard"))
    return render_template("facilitator/setup.html", **form)


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | WerkzeugResponse | tuple[str, int]:
    """Log a facilitator in; `next` is followed only to a local path."""
    next_url = request.values.get("next", "")
    if current_user.is_authenticated:
        return redirect(safe_next(next_url))
    if request.method == "POST":
        email = request.form.get("email", "")
        try:
            check_not_limited("login")
        except HearthError as error:
            return render_template(
                "facilitator/login.html", error=say(error), email=email, next=next_url
            ), 429
        facilitator = accounts.authenticate(email, request.form.get("password", ""))
        if facilitator is None:
            count_attempt("login")
            return render_template(
                "facilitator/login.html",
                error="That email and password do not match an account.",
                email=email,
                next=next_url,
            ), 401
        login_user(facilitator)
        return redirect(safe_next(next_url))
    return render_template("facilitator/login.html", error=None, email="", next=next_url)


@bp.post("/logout")
@login_required
def logout() -> WerkzeugResponse:
    """Log out (a POST with CSRF, so a link elsewhere cannot log anyone out).

    The session ends on the server too: a copy of the cookie no longer works, and the control
    rooms open under this account stop receiving updates.
    """
    facilitator = current_user._get_current_object()
    accounts.end_sessions(facilitator)
    logout_user()
    return redirect(url_for("facilitator.login"))


@bp.get("/")
@login_required
def dashboard() -> str:
    """Plans to start and workshops run."""
    plans = list(db.session.scalars(select(Plan).order_by(Plan.builtin.desc(), Plan.title)))
    return render_template(
        "facilitator/dashboard.html",
        plans=plans,
        workshops=workshops.workshops_of(current_user),
        series=series.overview(current_user, current_app.config["HEARTH_MIN_GROUP"]),
        default_min_group=current_app.config["HEARTH_MIN_GROUP"],
    )


@bp.post("/workshops")
@login_required
def create_workshop() -> WerkzeugResponse:
    """Start a workshop from a plan (form: plan_id, min_group, and the options pace, open_days,
    language, series) and open its control room."""
    plan = workshops.find_plan(request.form.get("plan_id", ""))
    settings = start_settings.form_settings(request.form)
    workshop = start_settings.start_workshop(plan, current_user, settings)
    return redirect(url_for("facilitator.control_room", workshop_id=workshop.id))


def _page_context(workshop: Workshop) -> dict[str, Any]:
    """What the control room and projector templates need."""
    return {
        "workshop": workshop,
        "team": workshops.co_facilitators(workshop),
        "is_owner": workshop.owner_id == current_user.id
        if current_user.is_authenticated
        else False,
        "join_url": join_url(workshop.code),
        "present_url": present_url(workshop.present_key),
        "qr_url": url_for("participant.qr", code=workshop.code),
        # The projector's theme: ?theme=dark for a dim room; anything else is the light one.
        "theme": "dark" if request.args.get("theme") == "dark" else "light",
    }


@bp.get("/workshops/<int:workshop_id>")
@login_required
def control_room(workshop_id: int) -> str:
    """The live control room of one workshop."""
    workshop = workshops.managed_workshop(current_user, workshop_id)
    return render_template("facilitator/control.html", **_page_context(workshop))


@bp.post("/workshops/<int:workshop_id>/team")
@login_required
def add_to_team(workshop_id: int) -> WerkzeugResponse:
    """The owner adds a co-facilitator by the email of their account (form: email)."""
    workshop = workshops.managed_workshop(current_user, workshop_id)
    try:
        colleague = workshops.add_co_facilitator(
            workshop, current_user, request.form.get("email", "")
        )
    except HearthError as error:
        flash(say(error), "team-error")
    else:
        flash(_("%(name)s can now open this control room.", name=colleague.display_name), "team")
    return redirect(url_for("facilitator.control_room", workshop_id=workshop_id))


@bp.post("/workshops/<int:workshop_id>/team/<int:facilitator_id>/remove")
@login_required
def remove_from_team(workshop_id: int, facilitator_id: int) -> WerkzeugResponse:
    """The owner takes a co-facilitator off the team."""
    workshop = workshops.managed_workshop(current_user, workshop_id)
    try:
        workshops.remove_co_facilitator(workshop, current_user, facilitator_id)
    except HearthError as error:
        flash(say(error), "team-error")
    else:
        flash(
            _(
                "Removed from the team. The projector link has changed: open the new one on a "
                "projector that uses the link."
            ),
            "team",
        )
    return redirect(url_for("facilitator.control_room", workshop_id=workshop_id))


@bp.get("/workshops/<int:workshop_id>/present")
@login_required
def present(workshop_id: int) -> str:
    """The projector view, for a facilitator who is logged in on the projector's laptop."""
    workshop = workshops.managed_workshop(current_user, workshop_id)
    i18n.use_language(workshop.language)  # the room's language, not the laptop's
    return render_template(
        "present/present.html", auth={"workshop_id": workshop.id}, **_page_context(workshop)
    )


@bp.get("/workshops/<int:workshop_id>/presenter")
@login_required
def presenter(workshop_id: int) -> str:
    """The presenter view for a second laptop screen: script, timer, next step, the room."""
    workshop = workshops.managed_workshop(current_user, workshop_id)
    return render_template("facilitator/presenter.html", workshop=workshop)


@present_bp.get("/present/<key>")
def present_by_key(key: str) -> str:
    """The projector view on a second device, through the secret present link."""
    workshop = db.session.scalar(select(Workshop).where(Workshop.present_key == key))
    if workshop is None or len(key) > 64:
        abort(404)
    i18n.use_language(workshop.language)
    return render_template("present/present.html", auth={"key": key}, **_page_context(workshop))
