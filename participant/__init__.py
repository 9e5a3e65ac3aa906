"""The participant side: joining by code, the phone app, and the /participant namespace."""

from __future__ import annotations

from flask import Flask

from hearth.extensions import socketio
from hearth.realtime import PARTICIPANT_NS
from participant import summary_views, views
from participant.events import ParticipantNamespace

# summary_views (the take-home page) adds its routes to views.bp: imported above so they exist.
__all__ = ["register", "summary_views"]


def register(app: Flask) -> None:
    """Add the phones' pages, the take-home page and the /participant namespace."""
    app.register_blueprint(views.bp)
    socketio.on_namespace(ParticipantNamespace(PARTICIPANT_NS))
