"""The facilitator side: accounts, dashboard, control room, projector, API and namespaces."""

from __future__ import annotations

from flask import Flask

from facilitator import (
    account_views,
    api,
    plan_views,
    safety_views,
    series_api,
    series_views,
    summary_views,
    views,
)
from facilitator.events import FacilitatorNamespace, PresentNamespace
from hearth.extensions import csrf, login_manager, socketio
from hearth.realtime import FACILITATOR_NS, PRESENT_NS

# account_views, plan_views, safety_views, series_views and summary_views add their routes to
# views.bp,
# series_api to api.bp: imported above so they exist.
__all__ = [
    "account_views",
    "plan_views",
    "register",
    "safety_views",
    "series_api",
    "series_views",
    "summary_views",
]


def register(app: Flask) -> None:
    """Add the facilitator's pages, the projector, the /api/v1 routes and their namespaces."""
    login_manager.login_view = "facilitator.login"
    login_manager.login_message = "Please log in to continue."
    app.register_blueprint(views.bp)
    app.register_blueprint(views.present_bp)
    app.register_blueprint(api.bp)
    # The API authenticates with a bearer token, not a cookie, so there is no form to forge.
    csrf.exempt(api.bp)
    socketio.on_namespace(FacilitatorNamespace(FACILITATOR_NS))
    socketio.on_namespace(PresentNamespace(PRESENT_NS))
