"""The facilitator's script (issue #13, part 1): the plan format takes it, the control room gets
it, and it never reaches phones, the projector, the take-home page or any export.

Every leak test runs a workshop whose activities all carry a unique marker script, then searches
what each audience received for the markers (docs/privacy.md, "The facilitator's script").
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import test_exports
from flask import Flask
from flask.testing import FlaskClient

from hearth import exports, realtime
from hearth.extensions import db
from hearth.kinds import SCRIPT_MAX_LENGTH, public_activity
from hearth.models import Workshop
from hearth.plans import PlanError, dump_plan, parse_plan_text, validate_plan
from hearth.services.retention import participant_summary

MARK = "Scriptmarker"


def marker(number: int) -> str:
    """The unique script of activity `number` (1-based)."""
    return f"{MARK}{number:02d} say this gently"


# The export fixture's plan, every activity with its own marker script.
SCRIPTED_PLAN = [
    ({**spec, "script": marker(n)}, answers)
    for n, (spec, answers) in enumerate(test_exports.PLAN, start=1)
]


def leaked(payload: Any) -> list[str]:
    """The markers found anywhere in a payload (JSON-encoded, so nested fields count too)."""
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return sorted({text[i : i + len(MARK) + 2] for i in _all(text, MARK)})


def _all(text: str, needle: str) -> list[int]:
    """Every index where `needle` starts in `text`."""
    found, start = [], text.find(needle)
    while start != -1:
        found.append(start)
        start = text.find(needle, start + 1)
    return found


def plan_of(*activities: dict[str, Any]) -> dict[str, Any]:
    return {"title": "Scripted", "activities": list(activities)}


# --- the plan format ----------------------------------------------------------------------


def test_every_kind_takes_a_script_trimmed_and_round_tripped() -> None:
    activities = [{**spec, "script": f"  {marker(n)}\n\nSecond point.  "} for n, (spec, _) in
                  enumerate(test_exports.PLAN, start=1)]  # fmt: skip
    normalised = validate_plan(plan_of(*activities))
    for n, activity in enumerate(normalised["activities"], start=1):
        assert activity["script"] == f"{marker(n)}\n\nSecond point."
    for fmt in ("yaml", "json"):
        assert validate_plan(parse_plan_text(dump_plan(normalised, fmt), fmt)) == normalised


def test_a_blank_script_means_none() -> None:
    activity = validate_plan(plan_of({"kind": "content", "title": "T", "script": "  \n "}))
    assert "script" not in activity["activities"][0]


def test_a_script_of_4000_characters_is_fine_and_one_more_is_refused() -> None:
    fine = {"kind": "scale", "prompt": "How settled?", "script": "x" * SCRIPT_MAX_LENGTH}
    assert SCRIPT_MAX_LENGTH == 4000
    validate_plan(plan_of(fine))
    long = {**fine, "script": "x" * (SCRIPT_MAX_LENGTH + 1)}
    with pytest.raises(PlanError) as refused:
        validate_plan(plan_of({"kind": "content", "title": "Welcome"}, long))
    assert str(refused.value) == (
        "Activity 2 'How settled?': 'script' is longer than 4000 characters."
    )


def test_a_script_must_be_text() -> None:
    with pytest.raises(PlanError, match=r"^Activity 1 'T': 'script' must be text\.$"):
        validate_plan(plan_of({"kind": "content", "title": "T", "script": ["a"]}))


def test_the_api_refuses_a_long_script_as_invalid_plan_and_stores_nothing(api: Any) -> None:
    before = api.get("/plans").get_json()
    document = plan_of(
        {"kind": "content", "title": "Hello"},
        {"kind": "words", "prompt": "One word?", "script": "y" * 4001},
    )
    response = api.post("/plans", document)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_plan"
    assert error["message"].startswith("Activity 2 'One word?': 'script' is longer than 4000")
    assert api.get("/plans").get_json() == before


def test_public_activity_strips_the_script_and_keeps_the_content_note() -> None:
    spec = {"kind": "open", "prompt": "Q?", "note": "Hard topic ahead", "script": marker(1)}
    public = public_activity(7, 0, spec)
    assert public == {
        "id": 7,
        "index": 0,
        "kind": "open",
        "prompt": "Q?",
        "note": "Hard topic ahead",
    }
    assert spec["script"] == marker(1)  # the stored spec is left as it was


# --- where the script goes, and where it never goes ---------------------------------------


@pytest.fixture
def scripted(app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]) -> Any:
    """A live workshop whose activities each carry a marker script, in the lobby."""
    slug = make_plan([spec for spec, _ in SCRIPTED_PLAN], title="Rebuilding trust")
    return make_workshop(plan=slug)


def test_the_control_snapshot_carries_the_current_script_and_nothing_else_does(
    app: Flask, scripted: Any, act: Callable[..., None]
) -> None:
    act(scripted, "start")
    for activity in scripted.activities:
        act(scripted, "goto", index=activity.index)
        with app.app_context():
            workshop = db.session.get(Workshop, scripted.id)
            assert workshop is not None
            control = realtime.control_state(workshop)
            number = activity.index + 1
            assert control["activity"]["script"] == marker(number)
            # The plan list names activities by their text, never by their script.
            assert leaked(control) == [f"{MARK}{number:02d}"]
            assert leaked(realtime.participant_state(workshop, None, 1)) == []
            assert leaked(realtime.present_state(workshop, None, 1)) == []
            assert leaked(realtime.present_snapshot(workshop)) == []
            assert leaked(realtime.participant_snapshot(workshop, None)) == []


def test_an_activity_without_a_script_has_a_null_script_in_control(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any], act: Any
) -> None:
    workshop_info = make_workshop(plan=make_plan([{"kind": "content", "title": "Plain"}]))
    act(workshop_info, "start")
    with app.app_context():
        workshop = db.session.get(Workshop, workshop_info.id)
        assert workshop is not None
        assert realtime.control_state(workshop)["activity"]["script"] is None


def test_no_socket_message_to_phones_or_projectors_holds_a_script(
    scripted: Any,
    act: Callable[..., None],
    flush: Callable[[], int],
    phone: Callable[..., Any],
    present_socket: Callable[..., Any],
    facilitator_socket: Callable[..., Any],
) -> None:
    phones = [phone(scripted.code) for _ in range(3)]
    projector = present_socket(scripted)
    control = facilitator_socket(scripted)
    act(scripted, "start")
    seen: dict[str, list[Any]] = {"phones": [], "projector": [], "control": []}
    for activity in scripted.activities:
        act(scripted, "goto", index=activity.index)
        flush()
        for device in phones:
            seen["phones"] += device.events()
        seen["projector"] += projector.events()
        seen["control"] += control.events()
    act(scripted, "end")
    flush()
    seen["phones"] += [event for device in phones for event in device.events()]
    seen["projector"] += projector.events()
    assert len(seen["phones"]) > len(scripted.activities)  # they did hear every move
    assert leaked(seen["phones"]) == []
    assert leaked(seen["projector"]) == []
    controls = [payload for name, payload in seen["control"] if name == "control"]
    scripts = {c["activity"]["script"] for c in controls if c["activity"]}
    assert scripts == {marker(n) for n in range(1, len(SCRIPTED_PLAN) + 1)}


@pytest.fixture
def ran_scripted(
    app: Flask, make_plan: Callable[..., str], make_workshop: Callable[..., Any]
) -> test_exports.Ran:
    """The export fixture's finished workshop, with a marker script on every activity."""
    return test_exports.run_workshop(app, make_plan, make_workshop, SCRIPTED_PLAN)


@pytest.mark.parametrize("fmt", test_exports.FORMATS)
def test_no_export_holds_a_script(
    app: Flask, ran_scripted: test_exports.Ran, fmt: str, tmp_path: Path
) -> None:
    if fmt == "pdf" and not test_exports.pdf_available(app):
        pytest.skip("no Chromium-family browser to print the PDF")
    body, _, _ = test_exports.export(app, ran_scripted.id, fmt)
    text = test_exports.as_text(body, fmt, tmp_path)
    assert test_exports.APPROVED in text  # the export is the real one, with the answers
    assert leaked(text) == []


def test_the_take_home_page_holds_no_script(
    app: Flask, client: FlaskClient, facilitator_client: FlaskClient, ran_scripted: Any
) -> None:
    with app.app_context():
        workshop = db.session.get(Workshop, ran_scripted.id)
        assert workshop is not None
        assert participant_summary(workshop)["activities"]  # there is something to take home
        assert leaked(participant_summary(workshop)) == []
        assert leaked(exports.summary(workshop)) == []
    reply = facilitator_client.post(
        f"/facilitator/workshops/{ran_scripted.id}/publish",
        json={},
        headers={"Accept": "application/json"},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    path = reply.get_json()["summary"]["summary_url"].removeprefix("http://hearth.test")
    page = client.get(path)
    assert page.status_code == 200
    assert leaked(page.get_data(as_text=True)) == []


def test_the_pages_of_phones_and_projectors_hold_no_script(
    client: FlaskClient, scripted: Any, act: Callable[..., None]
) -> None:
    act(scripted, "start")
    for path in (f"/j/{scripted.code}", f"/present/{scripted.present_key}"):
        page = client.get(path)
        assert page.status_code == 200, path
        assert leaked(page.get_data(as_text=True)) == [], path


def test_the_control_room_and_the_presenter_view_have_a_place_for_the_script(
    facilitator_client: FlaskClient, scripted: Any
) -> None:
    control = facilitator_client.get(f"/facilitator/workshops/{scripted.id}")
    assert 'id="script-panel"' in control.get_data(as_text=True)
    presenter = facilitator_client.get(f"/facilitator/workshops/{scripted.id}/presenter")
    assert presenter.status_code == 200
    html = presenter.get_data(as_text=True)
    assert 'id="presenter-script"' in html and "js/facilitator/presenter.js" in html
    # The page itself carries no plan: the script arrives in the `control` snapshot only.
    assert leaked(html) == []


def test_the_presenter_view_needs_a_login(client: FlaskClient, scripted: Any) -> None:
    reply = client.get(f"/facilitator/workshops/{scripted.id}/presenter")
    assert reply.status_code == 302 and "/facilitator/login" in reply.headers["Location"]
