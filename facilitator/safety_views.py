"""The Safety words page: the safety net's built-in phrases per language (read-only) and the
facilitator's own additions (docs/privacy.md, hearth.services.care)."""

from __future__ import annotations

from typing import Any

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_babel import lazy_gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.views import bp
from hearth import i18n
from hearth.errors import HearthError
from hearth.safety import CATEGORIES, LANGUAGES, builtin_terms
from hearth.services import care
from hearth.web import wants_json

CATEGORY_LABELS = {
    "suicide": lazy_gettext("Suicide or wanting to die"),
    "self_harm": lazy_gettext("Self-harm"),
    "abuse": lazy_gettext("Abuse"),
    "violence": lazy_gettext("Violence or threats"),
}


def _page(*, error: str | None = None, category: str = "", phrase: str = "") -> str:
    """The page, with a refused addition's message and what was typed, if any."""
    return render_template(
        "facilitator/safety_words.html",
        categories=[(name, CATEGORY_LABELS[name]) for name in CATEGORIES],
        builtin=[(code, i18n.LANGUAGES[code], builtin_terms(code)) for code in LANGUAGES],
        mine=care.phrases_of(current_user._get_current_object()),
        limits={
            "count": care.MAX_PHRASES,
            "low": care.PHRASE_LENGTH[0],
            "high": care.PHRASE_LENGTH[1],
        },
        error=error,
        typed={"category": category, "phrase": phrase},
    )


@bp.get("/account/safety")
@login_required
def safety_words() -> str:
    """The built-in lists and the facilitator's own phrases."""
    return _page()


@bp.post("/account/safety")
@login_required
def add_safety_phrase() -> Any:
    """Add a phrase of the facilitator's own (form: category, phrase); refused in the page."""
    category = request.form.get("category", "")
    phrase = request.form.get("phrase", "")
    try:
        care.add_phrase(current_user._get_current_object(), category, phrase)
    except HearthError as error:
        if wants_json():
            return jsonify(error.as_dict()), error.status
        return _page(error=error.message, category=category, phrase=phrase), error.status
    flash(lazy_gettext("Added. It applies to your workshops from the next answer."), "safety")
    return redirect(url_for("facilitator.safety_words"), 303)


@bp.post("/account/safety/<int:phrase_id>/remove")
@login_required
def remove_safety_phrase(phrase_id: int) -> WerkzeugResponse:
    """Remove one of the facilitator's own phrases (another's is not_found)."""
    care.remove_phrase(current_user._get_current_object(), phrase_id)
    flash(lazy_gettext("Removed."), "safety")
    return redirect(url_for("facilitator.safety_words"), 303)
