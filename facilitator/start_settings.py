"""Starting a workshop from its settings: the one path the dashboard's Start form and
POST /api/v1/workshops share (docs/protocol.md).

Every setting is checked before anything is written (k and retention, the pace, the language,
the series), so a refused start leaves nothing behind.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from werkzeug.datastructures import MultiDict

from hearth.errors import HearthError
from hearth.models import Facilitator, Plan, Workshop
from hearth.resources import region_setting
from hearth.services import workshops
from hearth.services.pace import check_pace
from hearth.services.rehearsal import check_rehearsal
from hearth.services.series import series_setting


def start_workshop(plan: Plan, facilitator: Facilitator, settings: Any) -> Workshop:
    """A new workshop of `plan` in the lobby, with `settings` checked as the API's."""
    min_group, days = workshops.check_settings(
        settings,
        current_app.config["HEARTH_MIN_GROUP"],
        current_app.config["HEARTH_RETENTION_DAYS"],
    )
    paced = check_pace(settings)
    language = workshops.check_language(settings, plan)
    is_rehearsal = check_rehearsal(settings)
    region = region_setting(settings)
    series = series_setting(settings, facilitator)
    return workshops.create_workshop(
        plan,
        facilitator,
        min_group=min_group,
        purge_after_days=days,
        series_id=series.id if series else None,
        running=workshops.Running(paced, language, is_rehearsal, region),
    )


def _whole_number(raw: str) -> int | str:
    """A form field's whole number, or the text as typed (the check then names the field)."""
    raw = raw.strip()
    return int(raw) if raw.lstrip("-").isdigit() and len(raw) < 12 else raw


def form_settings(form: MultiDict[str, str]) -> dict[str, Any]:
    """The dashboard's Start form as the API's `settings`: empty fields are left out (the
    defaults), and `open_days` counts only for a workshop taken at each person's own pace."""
    settings: dict[str, Any] = {}
    raw_k = form.get("min_group", "").strip()
    if raw_k:
        settings["min_group"] = _whole_number(raw_k)
        if isinstance(settings["min_group"], str):
            raise HearthError("invalid_value", "The minimum group size must be a whole number.")
    pace = form.get("pace", "").strip()
    if pace:
        settings["pace"] = pace
    days = form.get("open_days", "").strip()
    if pace == "self" and days:
        settings["open_days"] = _whole_number(days)
    for field in ("language", "series"):
        value = form.get(field, "").strip()
        if value:
            settings[field] = _whole_number(value) if field == "series" else value
    # The Rehearsal checkbox sends "yes" when ticked and nothing otherwise; any other value
    # goes on as it came, for check_rehearsal to refuse.
    ticked = form.get("rehearsal", "")
    if ticked:
        settings["rehearsal"] = True if ticked == "yes" else ticked
    return settings
