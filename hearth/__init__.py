"""Hearth: live, anonymous facilitation for counselling workshops.

This module stays free of imports so that the entry points can monkey-patch with eventlet
(or gevent) before Flask, SQLAlchemy or Socket.IO are imported.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

# The one place the version is written (pyproject.toml reads it; CHANGELOG.md explains it).
__version__ = "0.1.0"

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask application (see hearth.app.build_app)."""
    from hearth.app import build_app

    return build_app(test_config)
