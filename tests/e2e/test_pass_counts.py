"""Passes in Chromium: the projector shows the number of answers only; the control room shows both.

The finding this guards (docs/privacy.md, "Passes"): with k=3, four phones, three answers and
one Pass, the projector said "4 responses" under bars that summed to 3, so the room could see
that someone passed, and the control room's strip ("4 answered") disagreed with its own results.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .live import LiveServer, Recorder, wait_until

TIMEOUT_MS = 10_000
# Screenshots for the people who review the pages (HEARTH_SHOTS=folder); off by default.
SHOTS = os.environ.get("HEARTH_SHOTS")
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}

expect.set_options(timeout=TIMEOUT_MS)


def _logged_in_page(browser: Browser, server: LiveServer) -> Page:
    """A laptop page with the facilitator logged in."""
    context = browser.new_context(viewport=SIZES["laptop"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    return page


def _shoot(page: Page, name: str) -> None:
    """Save the page at both sizes when HEARTH_SHOTS names a folder."""
    if not SHOTS:
        return
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(300)
        page.screenshot(path=folder / f"{name}-{size}.png", full_page=True)
    page.set_viewport_size(SIZES["laptop"])


def test_projector_shows_three_answers_and_no_pass_control_room_says_both(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder]
) -> None:
    """k=3, four phones: three answer, one passes, the facilitator reveals."""
    workshop = server.create_workshop(min_group=3)
    poll = server.goto_first(workshop.id, "choice")

    control = _logged_in_page(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.locator("#counts")).to_contain_text("connected")
    projector = control.context.new_page()
    projector.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}/present")

    phones = [
        sockets("/participant").listen("state").connect(server.base_url, {"code": workshop.code})
        for _ in range(4)
    ]
    for phone in phones:
        wait_until(lambda p=phone: p.of("state"), message="the phone's state")
    for phone in phones[:3]:
        ack = phone.call(
            "answer", {"activity_id": poll["id"], "value": 0, "msg_id": uuid.uuid4().hex}
        )
        assert ack["ok"] is True, ack
    ack = phones[3].call("pass", {"activity_id": poll["id"], "msg_id": uuid.uuid4().hex})
    assert ack["ok"] is True, ack

    # Before the reveal the projector already says how many answered, and only that.
    status = projector.locator(".slide-status")
    expect(status).to_contain_text("3 answered")
    server.act(workshop.id, "reveal")
    expect(projector.locator(".results-bar")).not_to_have_count(0)
    expect(status).to_have_text("3 answered")
    projector_text = projector.locator("body").inner_text()
    assert "pass" not in projector_text.lower(), projector_text
    assert not re.search(r"\b4\b", status.inner_text())

    # The control room's strip and its results use the same words.
    expect(control.locator("#counts")).to_contain_text("3 answered · 1 passed")
    expect(control.locator(".stage-results__tally")).to_contain_text("3 answered · 1 passed")
    assert server.control(workshop.id)["progress"] == {"answered": 3, "passed": 1}

    _shoot(projector, "projector-pass-counts")
    _shoot(control, "control-room-pass-counts")
    control.context.close()
