"""After the workshop, in Chromium: the Summary view, the take-home QR on the projector, the
take-home page on a phone, taking it down, a download with the notes, and deleting the answers."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Page, expect

from .live import LiveServer, Recorder

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}, "accept_downloads": True}
TIMEOUT_MS = 10_000
PICKS = [0, 0, 1]
NOTES = "Warm group. Follow up on boundaries next time."

expect.set_options(timeout=TIMEOUT_MS)


def _log_in(browser: Browser, server: LiveServer) -> tuple[BrowserContext, Page]:
    """A laptop with the facilitator logged in through the login form."""
    laptop = browser.new_context(**LAPTOP)
    laptop.set_default_timeout(TIMEOUT_MS)
    page = laptop.new_page()
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    return laptop, page


def _run_a_revealed_poll(
    server: LiveServer, sockets: Callable[[str], Recorder], workshop_id: int, code: str
) -> list[str]:
    """Three phones answer the first poll, which is then revealed; returns its options."""
    poll = server.goto_first(workshop_id, "choice")
    options = server.control(workshop_id)["activity"]["options"]
    for pick in PICKS:
        phone = sockets("/participant")
        phone.connect(server.base_url, {"code": code})
        ack = phone.call(
            "answer", {"activity_id": poll["id"], "value": pick, "msg_id": uuid.uuid4().hex}
        )
        assert ack["ok"], ack
        phone.disconnect()
    server.act(workshop_id, "reveal")
    return list(options)


def test_take_home_summary_from_the_end_to_taking_it_down(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder], artifacts: Path
) -> None:
    """End in the control room, publish, scan on the projector, read on a phone, take it down."""
    workshop = server.create_workshop(min_group=3)
    options = _run_a_revealed_poll(server, sockets, workshop.id, workshop.code)

    laptop, control = _log_in(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.locator("#counts")).to_contain_text("connected")
    projector = laptop.new_page()
    projector.goto(workshop.present_url)
    expect(projector.locator("#footer-code")).to_have_text(workshop.code)

    # While live: the stage is in front, and the Summary tab holds notes and downloads.
    expect(control.get_by_role("tab", name="Now showing")).to_have_attribute(
        "aria-selected", "true"
    )
    control.get_by_role("tab", name="Summary").click()
    expect(control.get_by_text("After the workshop ends, you can share")).to_be_visible()
    control.get_by_role("textbox", name="Your notes").fill(NOTES)
    expect(control.locator("#notes-status")).to_have_text("Saved")

    control.get_by_role("button", name="End workshop").click()
    control.locator("#end-dialog").get_by_role("button", name="End workshop").click()
    expect(control.get_by_role("tab", name="Look back")).to_be_visible()
    expect(control.get_by_role("tab", name="Summary")).to_have_attribute("aria-selected", "true")
    expect(control.locator("#retention-text")).to_contain_text("Answers will be deleted on")
    expect(projector.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(projector.locator("#take-home")).to_be_hidden()

    control.get_by_role("button", name="Publish and show the QR code").click()
    link = control.locator("#take-home-url")
    expect(link).to_have_value(re.compile(r"^http://127\.0\.0\.1:\d+/s/[\w-]{32}$"))
    summary_url = link.input_value()
    assert server.control(workshop.id)["summary_url"] == summary_url

    # The projector's closing screen shows the link as a QR code made by Hearth.
    expect(projector.get_by_role("heading", name="Take-home summary")).to_be_visible()
    qr = projector.locator("#take-home-qr")
    expect(qr).to_have_attribute("src", re.compile(r"^/s/[\w-]{32}/qr\.svg$"))
    projector.wait_for_function("document.getElementById('take-home-qr').naturalWidth > 0")
    expect(projector.locator("#take-home-url")).to_have_text(summary_url.split("://", 1)[1])
    projector.screenshot(path=artifacts / "projector-take-home.png")

    # On a phone: the room's results and the support contacts, nothing else, nothing outside.
    phone_context = browser.new_context(**PHONE)
    phone = phone_context.new_page()
    requested: list[str] = []
    phone.on("request", lambda request: requested.append(request.url))
    reply = phone.goto(summary_url)
    assert reply is not None and reply.status == 200
    assert phone.title() == "Session summary"
    expect(phone.get_by_role("link", name="Quick exit")).to_be_visible()
    expect(phone.locator(".bar-label")).to_have_text(options)
    figures = [
        f"{PICKS.count(i)} · {round(100 * PICKS.count(i) / len(PICKS))}%"
        for i in range(len(options))
    ]
    expect(phone.locator(".bar-figure")).to_have_text(figures)
    expect(phone.get_by_role("heading", name="If today brought something up")).to_be_visible()
    expect(phone.get_by_text(re.compile(r"^Checked on "))).not_to_have_count(0)
    assert NOTES not in phone.content()
    assert all(url.startswith(server.base_url) for url in requested), requested
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways ({width} px)"
    phone.screenshot(path=artifacts / "take-home-phone.png", full_page=True)

    # A download from the Summary view carries the notes.
    with control.expect_download() as download_info:
        control.locator(".downloads__button[data-format=json]").click()
    download = download_info.value
    assert re.fullmatch(r"rebuilding-trust-\d{4}-\d\d-\d\d\.json", download.suggested_filename)
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["notes"] == NOTES

    # Taking it down: the projector drops the QR code and the link stops working.
    control.get_by_role("button", name="Take it down").click()
    expect(projector.locator("#take-home")).to_be_hidden()
    expect(control.get_by_role("button", name="Publish and show the QR code")).to_be_visible()
    reply = phone.reload()
    assert reply is not None and reply.status == 404
    expect(phone.get_by_role("heading", name="This summary is not available")).to_be_visible()

    # Deleting the answers: a confirmation first, then the day it happened.
    control.get_by_role("button", name="Delete answers now…").click()
    dialog = control.locator("#purge-dialog")
    expect(dialog.get_by_text("This cannot be undone.")).to_be_visible()
    dialog.get_by_role("button", name="Delete the answers").click()
    expect(control.locator("#retention-text")).to_contain_text("Answers deleted on")
    expect(control.get_by_role("button", name="Publish and show the QR code")).to_be_hidden()
    expect(control.locator("#side-tabs")).to_be_hidden()
    assert server.control(workshop.id)["purged"] is True
    control.screenshot(path=artifacts / "control-summary-purged.png")

    phone_context.close()
    laptop.close()


def test_export_then_delete_downloads_the_file_before_deleting(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder]
) -> None:
    """One POST makes the file and then deletes; the browser receives the file."""
    workshop = server.create_workshop(min_group=3)
    options = _run_a_revealed_poll(server, sockets, workshop.id, workshop.code)
    server.act(workshop.id, "end")

    laptop, control = _log_in(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.get_by_role("tab", name="Summary")).to_have_attribute("aria-selected", "true")
    control.get_by_role("button", name="Export, then delete…").click()
    dialog = control.locator("#export-purge-dialog")
    dialog.get_by_role("radio", name=re.compile(r"\bCSV\b")).check()
    with control.expect_download() as download_info:
        dialog.get_by_role("button", name="Download, then delete").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    assert options[0] in text  # made while the answers were still there
    expect(control.locator("#retention-text")).to_contain_text("Answers deleted on")
    assert server.control(workshop.id)["purged"] is True
    laptop.close()
