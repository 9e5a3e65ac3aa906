"""The control room of a started self-paced workshop: no current activity to move, so the plan
rows are plain text, the moving/timer/reveal controls are gone and the stage says until when
the workshop is open (docs/protocol.md, hearth/services/pace.py)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import Browser, WebSocket, expect

from .axe import assert_no_violations
from .live import LiveServer
from .test_browser import _log_in
from .test_self_paced_phone import _self_paced

# Screenshots for the people who review the pages (HEARTH_SHOTS=folder); off by default.
SHOTS = os.environ.get("HEARTH_SHOTS")


def test_self_paced_control_room_offers_no_moves(server: LiveServer, browser: Browser) -> None:
    workshop = _self_paced(server)
    _laptop, page = _log_in(browser, server)
    page.set_viewport_size({"width": 1366, "height": 768})
    sent: list[str] = []

    def record(socket: WebSocket) -> None:
        socket.on("framesent", lambda frame: sent.append(str(frame)))

    page.on("websocket", record)
    page.goto(f"{server.base_url}/facilitator/workshops/{workshop['id']}")

    expect(page.get_by_role("heading", name="Self-paced: open until")).to_be_visible()
    plan = page.locator("#plan-list")
    expect(plan.locator(".plan-item")).to_have_count(4)
    expect(plan.get_by_role("button")).to_have_count(0)
    expect(page.locator("#action-bar")).to_be_hidden()
    expect(page.locator("#moderation-empty")).to_contain_text("open questions")

    plan.get_by_text("How has this week felt?").click()
    page.keyboard.press("ArrowRight")
    page.wait_for_timeout(300)  # a goto, if one were sent, leaves at once: give it the chance
    assert not [frame for frame in sent if '"goto"' in frame or '"next"' in frame], sent
    expect(page.locator("#toast")).to_be_hidden()

    assert_no_violations(page, label="self-paced control room")
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SHOTS}/control-self-paced-1366.png")
