"""The series routes of the JSON API (/api/v1/series): one group's sessions over the weeks.

They live on the API blueprint (`facilitator.api.bp`), behind its bearer token. A series is
its owner's alone: another facilitator, a co-facilitator of one of its sessions included,
gets `forbidden` (docs/protocol.md).
"""

from __future__ import annotations

from flask import Response, g, jsonify, request

from facilitator.api import bearer_required, bp
from hearth.exports import as_download
from hearth.exports.series import build_series_export
from hearth.services import series as series_service
from hearth.web import json_object


@bp.post("/series")
@bearer_required
def create_series() -> tuple[Response, int]:
    """Start a series: {"title"} → 201 {"id", "title"}."""
    series = series_service.create_series(g.facilitator, json_object().get("title"))
    return jsonify({"id": series.id, "title": series.title}), 201


@bp.get("/series")
@bearer_required
def list_series() -> Response:
    """The caller's series, newest first, with how many sessions each has."""
    counts = series_service.session_counts(g.facilitator)
    return jsonify(
        {
            "series": [
                {"id": s.id, "title": s.title, "session_count": counts.get(s.id, 0)}
                for s in series_service.series_of(g.facilitator)
            ]
        }
    )


@bp.get("/series/<int:series_id>")
@bearer_required
def get_series(series_id: int) -> Response:
    """The series and each session's check-in/check-out comparisons, k applied per session."""
    series = series_service.owned_series(g.facilitator, series_id)
    return jsonify(series_service.report(series))


@bp.get("/series/<int:series_id>/export")
@bearer_required
def export_series(series_id: int) -> Response:
    """The series summary as a download: ?format=json|csv|md|html|xlsx|pdf (default json)."""
    series = series_service.owned_series(g.facilitator, series_id)
    report = series_service.report(series)
    return as_download(build_series_export(report, request.args.get("format", "json")))
