"""The room lock in Chromium: a head count warning, L locks the room, a new phone sees the calm
page, a phone already in reconnects, the projector shows the lock, the control room counts the
join it turned away."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from .live import LiveServer
from .test_browser import PHONE, TIMEOUT_MS, _log_in

SIZES = {"phone": (390, 844), "laptop": (1366, 768)}


def _shoot(page: Page, artifacts: Path, name: str) -> None:
    """Screenshots of a page at both sizes the project checks, then back to the first."""
    first = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(150)
        page.screenshot(path=artifacts / f"lock-{name}-{size}.png", full_page=size == "phone")
    if first:
        page.set_viewport_size(first)


def test_lock_turns_new_phones_away_and_lets_old_ones_back(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    workshop = server.create_workshop(min_group=3)
    server.goto_first(workshop.id, "choice")
    laptop, control = _log_in(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    door = control.locator("#door")
    expect(door.locator("#door-counts")).to_contain_text("0 joined · 0 connected")

    projector = laptop.new_page()
    projector.set_viewport_size({"width": 1366, "height": 768})
    projector.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}/present")
    expect(projector.locator("#footer-code")).to_have_text(workshop.code)
    expect(projector.get_by_role("img", name="Room locked")).to_have_count(0)

    # The phone "already in the room": it joins while the room is open.
    old_context, old_phone = _join_on_phone_live(browser, server.base_url, workshop.code)

    # A head count of 1, then a second identity: the control room says so and suggests the lock.
    control.get_by_label("People in the room").fill("1")
    control.get_by_role("button", name="Set", exact=True).click()
    second_context, _ = _join_on_phone_live(browser, server.base_url, workshop.code)
    warning = door.locator("#door-warning")
    expect(warning).to_contain_text("2 people have joined, but you counted 1")
    expect(warning).to_contain_text("Consider locking the room")
    expect(door.locator("#door-counts")).to_contain_text("2 connected now")
    _shoot(control, artifacts, "control-warning")

    # L locks the room (focus is on the Set button, not in a text box).
    control.keyboard.press("l")
    expect(door.locator("#door-state-text")).to_have_text("Locked to new people")
    expect(control.get_by_role("button", name="Unlock the room")).to_be_visible()
    assert server.control(workshop.id)["room"]["locked"] is True
    expect(projector.get_by_role("img", name="Room locked")).to_be_visible()

    # A new phone gets the calm page, and the control room counts it.
    new_context = browser.new_context(**PHONE)
    new_context.set_default_timeout(TIMEOUT_MS)
    new_phone = new_context.new_page()
    new_phone.goto(f"{server.base_url}/j/{workshop.code}")
    new_phone.get_by_role("button", name="Join").click()
    expect(
        new_phone.get_by_role("heading", name="This session is closed to new people.")
    ).to_be_visible()
    expect(new_phone.get_by_text("Ask the facilitator.")).to_be_visible()
    expect(door.locator("#door-turned")).to_have_text("1 join turned away while locked")
    assert server.control(workshop.id)["room"]["turned_away"] == 1

    # The phone that was already in reloads (as after a sleep or a lost tab): it gets back in.
    old_phone.reload()
    expect(old_phone.get_by_role("button", name="Continue")).to_be_visible()
    expect(door.locator("#door-counts")).to_contain_text("2 joined")
    expect(warning).to_contain_text("The room is locked, so nobody else can join")

    _shoot(new_phone, artifacts, "phone-closed")
    _shoot(control, artifacts, "control-locked")
    _shoot(projector, artifacts, "projector-live")
    for context in (old_context, second_context, new_context):
        context.close()
    laptop.close()


def _join_on_phone_live(browser: Browser, base_url: str, code: str) -> tuple[BrowserContext, Page]:
    """A phone joining a workshop that has started (it lands on the poll's content note)."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base_url}/j/{code}")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    return context, page


def test_the_projector_lobby_shows_the_lock(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    workshop = server.create_workshop(min_group=3)
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    projector = context.new_page()
    projector.goto(workshop.present_url)
    expect(projector.locator("#lobby-code")).to_have_text(workshop.code)
    lock = projector.get_by_role("img", name="Room locked")
    expect(lock).to_have_count(0)
    server.act(workshop.id, "lock")
    expect(lock).to_be_visible()
    expect(projector.get_by_text("Closed to new people")).to_be_visible()
    _shoot(projector, artifacts, "projector-lobby")
    server.act(workshop.id, "unlock")
    expect(lock).to_have_count(0)
    context.close()
