"""Plan pages: the web editor, new/duplicate/delete, article import, plan file upload and download.

Routes live on the facilitator blueprint. The editor saves through two small JSON endpoints
(POST /facilitator/plans, PUT /facilitator/plans/<id>), with the session cookie and the CSRF
token in an `X-CSRFToken` header; everything else is an ordinary form or page. Who may change
a plan is facilitator/plan_access.py; reading the import and upload forms, plan_forms.py.
"""

from __future__ import annotations

import re
from typing import Any

from flask import (
    Response,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_number, get_translations
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.plan_access import editable_plan, plan_or_404, read_only_reason
from facilitator.plan_forms import (
    article_from_request,
    plan_from_request,
    refusal,
    uploaded_file,
)
from facilitator.views import bp, facilitator_required
from hearth.errors import HearthError, invalid_payload
from hearth.extensions import db
from hearth.i18n import say
from hearth.importer import (
    MAX_ARTICLE_BYTES,
    MEDIA_TYPES,
    ArticleError,
    ImportReport,
    draft_from_article,
    report_lines,
)
from hearth.models import Plan
from hearth.plans import (
    PlanError,
    dump_plan,
    plan_document,
    validate_plan,
)
from hearth.services.plans import (
    create_plan,
    delete_plan,
    duplicate_plan,
    save_plan,
    update_plan,
)
from hearth.web import content_security_policy, json_object

# --- pages --------------------------------------------------------------------------------


def render_editor(
    document: dict[str, Any],
    plan: Plan | None,
    *,
    notice: str | None = None,
    status: int = 200,
    report: ImportReport | None = None,
    source: str | None = None,
) -> tuple[str, int]:
    """The editor page for a stored plan, or for a new, unsaved draft when `plan` is None."""
    reason = read_only_reason(plan, current_user) if plan is not None else None
    data = {
        "plan": document,
        "id": plan.id if plan is not None else None,
        "version": plan.updated_at.isoformat() if plan is not None else None,
        "editable": reason is None,
        # A draft from an import starts with unsaved changes; a blank new plan does not.
        "draft": plan is None and bool(document.get("activities")),
        "create_url": url_for("facilitator.create_plan_json"),
        "min_group": current_app.config["HEARTH_MIN_GROUP"],
    }
    if plan is not None:
        data |= plan_urls(plan)
    return render_template(
        "facilitator/plans/editor.html",
        plan=plan,
        document=document,
        editor_data=data,
        read_only_reason=reason,
        notice=notice,
        report=report,
        report_lines=said_report(report) if report is not None else None,
        source=source,
    ), status


def said_report(report: ImportReport) -> tuple[list[str], list[str]]:
    """The import report's lines (left out, notes) in the facilitator's language."""
    translations = get_translations()
    return report_lines(
        report, translations.gettext, translations.ngettext, lambda number: format_number(number)
    )


def plan_urls(plan: Plan) -> dict[str, str]:
    """The addresses the editor needs for a stored plan."""
    return {
        "save_url": url_for("facilitator.update_plan_json", plan_id=plan.id),
        "edit_url": url_for("facilitator.edit_plan", plan_id=plan.id),
        "download_url": url_for("facilitator.download_plan", plan_id=plan.id),
        "duplicate_url": url_for("facilitator.duplicate_plan_form", plan_id=plan.id),
        "delete_url": url_for("facilitator.confirm_delete_plan", plan_id=plan.id),
    }


@bp.get("/plans/new")
@login_required
def new_plan() -> tuple[str, int]:
    """The editor with an empty plan; nothing is stored until Save."""
    return render_editor({"title": "", "description": "", "activities": []}, None)


@bp.get("/plans/<int:plan_id>/edit")
@login_required
def edit_plan(plan_id: int) -> tuple[str, int]:
    """The editor for a stored plan (read-only for built-in plans and other people's plans)."""
    plan = plan_or_404(plan_id)
    return render_editor(plan_document(plan), plan)


@bp.get("/plans/preview")
@login_required
def preview_frame() -> Response:
    """The phone preview: the participant page's frame, filled by the editor through postMessage."""
    response = Response(render_template("facilitator/plans/preview.html"))
    # The one page that may be framed, and only by Hearth's own pages.
    policy = content_security_policy()
    response.headers["Content-Security-Policy"] = policy.replace(
        "frame-ancestors 'none'", "frame-ancestors 'self'"
    )
    return response


@bp.get("/plans/<int:plan_id>.yaml")
@login_required
def download_plan(plan_id: int) -> Response:
    """The plan as a YAML file, the same format `hearth plan import` and the upload page read."""
    plan = plan_or_404(plan_id)
    response = Response(dump_plan(plan_document(plan)), content_type="application/yaml")
    response.headers["Content-Disposition"] = f'attachment; filename="{plan.slug}.yaml"'
    return response


@bp.post("/plans/<int:plan_id>/duplicate")
@login_required
def duplicate_plan_form(plan_id: int) -> WerkzeugResponse:
    """Copy a plan (any plan, built-in ones included) and open the copy in the editor."""
    copy = duplicate_plan(plan_or_404(plan_id), current_user)
    flash(_("This is your own copy, “%(title)s”. Change anything, then save.", title=copy.title))
    return redirect(url_for("facilitator.edit_plan", plan_id=copy.id))


@bp.get("/plans/<int:plan_id>/delete")
@login_required
def confirm_delete_plan(plan_id: int) -> str:
    """Ask before deleting a plan."""
    plan = editable_plan(plan_id)
    return render_template("facilitator/plans/delete.html", plan=plan)


@bp.post("/plans/<int:plan_id>/delete")
@login_required
def delete_plan_form(plan_id: int) -> WerkzeugResponse:
    """Delete one of my plans; workshops already run from it are kept."""
    plan = editable_plan(plan_id)
    title = plan.title
    delete_plan(plan)
    flash(_("Deleted the plan “%(title)s”. Workshops already run from it are kept.", title=title))
    return redirect(url_for("facilitator.dashboard"))


@bp.route("/plans/import", methods=["GET", "POST"])
@login_required
def import_article_page() -> tuple[str, int]:
    """Paste or upload an article; a draft plan opens in the editor, unsaved, for review."""
    if request.method == "GET":
        return import_page(), 200
    text = request.form.get("text", "")
    html = request.form.get("html", "")
    chosen = request.form.get("format", "auto")
    try:
        article, fmt, _source = article_from_request(text, html, chosen)
        draft, report = draft_from_article(article, fmt)
        document = validate_plan(draft)
    except (HearthError, ArticleError, PlanError) as error:
        message, status = refusal(error)
        return import_page(text, html, chosen, message), status
    return render_editor(
        document,
        None,
        notice=_(
            "This draft was made from your article and is not saved yet. Check every slide "
            "and question, add content notes where a topic may be hard for someone, remove what "
            "doesn't fit your group, then save."
        ),
        report=report,
        source=said_source(fmt, bool(html.strip()) and chosen == "auto"),
    )


def said_source(fmt: str, formatted: bool) -> str:
    """What the review page says the article was read as, in the facilitator's language: the
    format and the file's name, formatted text pasted, or pasted text and how it was read."""
    names = {
        "text": _("plain text"),
        "markdown": _("Markdown"),
        "docx": _("a Word document"),
        "pdf": _("a PDF"),
        "html": _("a web page (HTML)"),
    }
    upload = uploaded_file()
    if upload is not None:
        return _("%(format)s, %(file)s", format=names[fmt], file=upload.filename)
    if formatted:
        return _("formatted text pasted from a page or document")
    return _("%(format)s (pasted text)", format=names[fmt])


def import_page(text: str = "", html: str = "", chosen: str = "auto", error: str = "") -> str:
    """The Import page, with what was pasted kept when an import was refused."""
    return render_template(
        "facilitator/plans/import.html",
        text=text,
        html=html,
        format=chosen,
        error=error or None,
        max_bytes=MAX_ARTICLE_BYTES,
        accept_types=",".join(MEDIA_TYPES),
    )


@bp.route("/plans/upload", methods=["GET", "POST"])
@login_required
def upload_plan_page() -> tuple[str, int] | WerkzeugResponse:
    """Upload or paste a YAML or JSON plan file and store it (it replaces my plan of its slug)."""
    if request.method == "GET":
        return render_template("facilitator/plans/upload.html", text=""), 200
    text = request.form.get("text", "")
    try:
        checked = validate_plan(plan_from_request(text))
        mine = db.session.scalar(
            select(Plan.id).where(
                Plan.slug == checked["slug"],
                Plan.owner_id == current_user.id,
                Plan.builtin.is_(False),
            )
        )
        plan = save_plan(checked, current_user)
    except (HearthError, PlanError) as error:
        message, status = refusal(error)
        return render_template("facilitator/plans/upload.html", text=text, error=message), status
    if plan.id == mine:
        flash(
            _(
                "Saved. This file replaced your plan “%(title)s”, which had the same slug.",
                title=plan.title,
            )
        )
    else:
        flash(_("Saved as a new plan, “%(title)s”.", title=plan.title))
    return redirect(url_for("facilitator.edit_plan", plan_id=plan.id))


# --- the editor's JSON endpoints ----------------------------------------------------------


def plan_payload() -> tuple[Any, str | None]:
    """The `plan` document and the optional `version` the editor sends."""
    hint = 'Send a JSON object {"plan": {...}} with Content-Type: application/json.'
    body = json_object(hint)
    if "plan" not in body:
        raise invalid_payload(hint)
    version = body.get("version")
    return body["plan"], version if isinstance(version, str) else None


def saved(plan: Plan, status: int = 200) -> tuple[Response, int]:
    """The answer to a save: the stored plan's id, slug, version and addresses."""
    return jsonify(
        {
            "id": plan.id,
            "slug": plan.slug,
            "title": plan.title,
            "activities": len(plan.activities),
            "version": plan.updated_at.isoformat(),
            **plan_urls(plan),
        }
    ), status


# Where a refused plan's problem is, read off the validator's English message ("Activity 7
# 'Which…': a ranking needs 2 to 10 options."), so that the editor can open that activity and
# focus the field named whatever language the message is shown in.
ACTIVITY_PROBLEM = re.compile(r"^Activity (\d+)(?: '.*?')?: (.*)$", re.DOTALL)
OPTION_NUMBER = re.compile(r"\boption (\d+)\b")
QUOTED_FIELD = re.compile(r"'([a-z_]+)'")


def plan_problem_place(english: str) -> dict[str, Any]:
    """Where a plan error is: `activity` (1-based) or none for the plan itself, the `fields`
    it names (first the likeliest), and an `option` number when it is about one option."""
    match = ACTIVITY_PROBLEM.match(english)
    detail = match.group(2) if match else english
    fields = QUOTED_FIELD.findall(detail)
    place: dict[str, Any] = {"activity": int(match.group(1)) if match else None}
    option = OPTION_NUMBER.search(detail)
    if option:
        place["option"] = int(option.group(1))
    if option or re.search(r"\boptions\b", detail):
        fields = ["options", *fields]
    if match is None and re.search(r"\btitle\b", detail, re.IGNORECASE):
        fields = ["title", *fields]
    place["fields"] = list(dict.fromkeys(fields))
    return place


def invalid_plan(error: PlanError) -> tuple[Response, int]:
    """A plan the validator refused: the error shape, its message naming the activity and
    field, and where that is (`plan_problem_place`) for the editor."""
    body = {"error": {"code": "invalid_plan", "message": say(error.text)}}
    body["error"] |= plan_problem_place(str(error))
    return jsonify(body), 400


@bp.post("/plans")
@facilitator_required
def create_plan_json() -> tuple[Response, int]:
    """Store a new plan from the editor: {"plan": {...}} → 201 with its id and addresses."""
    document, _ = plan_payload()
    try:
        plan = create_plan(document, current_user)
    except PlanError as error:
        return invalid_plan(error)
    return saved(plan, 201)


@bp.put("/plans/<int:plan_id>")
@facilitator_required
def update_plan_json(plan_id: int) -> tuple[Response, int]:
    """Save the editor's plan over a stored plan: {"plan": {...}, "version": "..."}."""
    plan = editable_plan(plan_id)
    document, version = plan_payload()
    if version is not None and version != plan.updated_at.isoformat():
        raise HearthError(
            "plan_changed",
            "This plan was saved from another tab or window after you opened it. Copy what you "
            "need, then reload the page to see the latest version.",
            409,
        )
    try:
        plan = update_plan(plan, document, current_user)
    except PlanError as error:
        return invalid_plan(error)
    return saved(plan)
