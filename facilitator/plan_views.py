"""Plan pages: the web editor, new/duplicate/delete, article import, plan file upload and download.

Routes live on the facilitator blueprint. The editor saves through two small JSON endpoints
(POST /facilitator/plans, PUT /facilitator/plans/<id>), with the session cookie and the CSRF
token in an `X-CSRFToken` header; everything else is an ordinary form or page.
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
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.views import bp, facilitator_required
from hearth.errors import HearthError, invalid_payload, not_found
from hearth.extensions import db
from hearth.importer import (
    ACCEPTED_FILES,
    FORMAT_NAMES,
    MAX_ARTICLE_BYTES,
    MEDIA_TYPES,
    ArticleError,
    ArticleFormat,
    ArticleTooLarge,
    ImportReport,
    draft_from_article,
    format_of_filename,
    guess_text_format,
)
from hearth.models import Facilitator, Plan
from hearth.plans import (
    PlanError,
    PlanFormat,
    dump_plan,
    parse_plan_text,
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
from hearth.web import content_security_policy, file_bytes, json_object, utf8_text

MAX_PLAN_FILE_BYTES = 1024 * 1024
# The import form's "How is it written?" choices for text (else: worked out from the text).
TEXT_FORMATS: dict[str, ArticleFormat] = {"text": "text", "markdown": "markdown"}
PLAN_SUFFIXES: dict[str, PlanFormat] = {".yaml": "yaml", ".yml": "yaml", ".json": "json"}


# --- who may do what ----------------------------------------------------------------------


def can_edit(plan: Plan, facilitator: Facilitator) -> bool:
    """A facilitator edits and deletes only their own plans; built-in plans are read-only."""
    return not plan.builtin and plan.owner_id == facilitator.id


def read_only_reason(plan: Plan, facilitator: Facilitator) -> str | None:
    """Why a plan cannot be edited by this facilitator, in a sentence, or None."""
    if plan.builtin:
        return "This is a built-in plan, so it can't be changed. Make your own copy to edit it."
    if plan.owner_id != facilitator.id:
        return (
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


# --- reading uploads ----------------------------------------------------------------------


def upload_text(upload: FileStorage, limit: int, what: str) -> str:
    """The text of an uploaded file as UTF-8, refused above `limit` bytes."""
    data = file_bytes(upload, limit)
    if len(data) > limit:
        raise HearthError("too_large", f"That file is larger than {limit // 1024} KB. {what}", 413)
    return utf8_text(
        data,
        "That file is not plain text (UTF-8). Open it, copy the text and paste it here instead.",
    )


def suffix_of(filename: str) -> str:
    """The lower-case file name extension with its dot ('' when there is none)."""
    match = re.search(r"\.[A-Za-z0-9]+$", filename)
    return match.group(0).lower() if match else ""


def uploaded_file() -> FileStorage | None:
    """The form's `file` field, or None when no file was chosen."""
    upload = request.files.get("file")
    return upload if upload is not None and upload.filename else None


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
        source=source,
    ), status


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
    flash(f"This is your own copy, “{copy.title}”. Change anything, then save.")
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
    flash(f"Deleted the plan “{title}”. Workshops already run from it are kept.")
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
        article, fmt, source = article_from_request(text, html, chosen)
        draft, report = draft_from_article(article, fmt)
        document = validate_plan(draft)
    except (HearthError, ArticleError, PlanError) as error:
        message, status = refusal(error)
        return import_page(text, html, chosen, message), status
    return render_editor(
        document,
        None,
        notice="This draft was made from your article and is not saved yet. Check every slide "
        "and question, add content notes where a topic may be hard for someone, remove what "
        "doesn't fit your group, then save.",
        report=report,
        source=source,
    )


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


def refusal(error: Exception) -> tuple[str, int]:
    """The message and HTTP status of a refused import or upload."""
    if isinstance(error, HearthError):
        return error.message, error.status
    return str(error), 413 if isinstance(error, ArticleTooLarge) else 400


def article_from_request(
    pasted: str, pasted_html: str, chosen: str
) -> tuple[bytes | str, ArticleFormat, str]:
    """The article, its format and what to call it, from the import form.

    An uploaded file wins over pasted text; formatted text pasted from the clipboard comes as
    HTML beside its plain text, and is read as HTML unless a text format was chosen.
    """
    upload = uploaded_file()
    if upload is not None:
        name = upload.filename or ""
        fmt = format_of_filename(name)
        if fmt is None:
            raise HearthError(
                "unsupported_file",
                f"Hearth reads {ACCEPTED_FILES}. Save the article as one of those, or copy "
                "its text and paste it into the box.",
            )
        if fmt in TEXT_FORMATS:
            fmt = TEXT_FORMATS.get(chosen, fmt)
        # One byte over the limit is enough for the importer to refuse it as too large.
        return file_bytes(upload, MAX_ARTICLE_BYTES), fmt, f"{FORMAT_NAMES[fmt]}, {name}"
    if pasted_html.strip() and chosen == "auto":
        return pasted_html, "html", "formatted text pasted from a page or document"
    if not pasted.strip():
        raise ArticleError("The article is empty: paste some text or choose a file.")
    fmt = TEXT_FORMATS.get(chosen) or guess_text_format(pasted)
    return pasted, fmt, f"pasted text, read as {FORMAT_NAMES[fmt]}"


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
        flash(f"Saved. This file replaced your plan “{plan.title}”, which had the same slug.")
    else:
        flash(f"Saved as a new plan, “{plan.title}”.")
    return redirect(url_for("facilitator.edit_plan", plan_id=plan.id))


def plan_from_request(pasted: str) -> Any:
    """The parsed plan document from the upload form: an uploaded file wins over pasted text."""
    upload = uploaded_file()
    fmt: PlanFormat | None = None
    if upload is not None:
        suffix = suffix_of(upload.filename or "")
        if suffix not in PLAN_SUFFIXES:
            raise HearthError(
                "unsupported_file",
                "Choose a plan file ending in .yaml, .yml or .json. To turn an article "
                "into a plan, use “Import an article” instead.",
            )
        text = upload_text(upload, MAX_PLAN_FILE_BYTES, "A plan file is much smaller than that.")
        fmt = PLAN_SUFFIXES[suffix]
    else:
        text = pasted
    if not text.strip():
        raise PlanError("There is no plan here: paste the text of a plan file or choose one.")
    return parse_plan_text(text, fmt)


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


def invalid_plan(error: PlanError) -> HearthError:
    """A plan the validator refused, with its message naming the activity and field."""
    return HearthError("invalid_plan", str(error))


@bp.post("/plans")
@facilitator_required
def create_plan_json() -> tuple[Response, int]:
    """Store a new plan from the editor: {"plan": {...}} → 201 with its id and addresses."""
    document, _ = plan_payload()
    try:
        plan = create_plan(document, current_user)
    except PlanError as error:
        raise invalid_plan(error) from None
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
        raise invalid_plan(error) from None
    return saved(plan)
