"""The facilitator's own settings: the language of their pages (docs/translating.md)."""

from __future__ import annotations

from flask import redirect, request
from flask_login import current_user, login_required
from werkzeug.wrappers import Response as WerkzeugResponse

from facilitator.views import bp, safe_next
from hearth import i18n
from hearth.services import accounts


@bp.post("/account/language")
@login_required
def set_language() -> WerkzeugResponse:
    """Save the language of the control room, dashboard and editor (form: language, next)."""
    accounts.set_language(
        current_user._get_current_object(), request.form.get("language", ""), i18n.LANGUAGES
    )
    return redirect(safe_next(request.form.get("next", "")))
