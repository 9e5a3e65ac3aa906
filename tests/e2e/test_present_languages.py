"""The projector in its workshop's language, and the HTML export of an Arabic workshop.

A German and an Arabic workshop (each of the built-in plan in that language) are put on the
projector during a live poll, after its results are revealed, and with the Q&A board shown;
each state is checked for `lang`, `dir` and words of the workshop's language, runs axe (zero
violations), and leaves screenshots at 1366x768 and 390x844 for a person to look at
(test-artifacts/e2e/present-languages/, or HEARTH_SHOTS when set). The Arabic workshop's HTML
summary is opened in the browser, mirrored, and checked by axe too.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer, Recorder

TIMEOUT_MS = 10_000
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
K = 3
# language, direction, theme, the eyebrow while answers are open, the board's heading
ROOMS = [
    ("de", "ltr", "light", "Antworte auf deinem Handy", "Fragen aus dem Raum"),
    ("ar", "rtl", "light", "أجب من هاتفك", "أسئلة من الغرفة"),
    ("de", "ltr", "dark", "Antworte auf deinem Handy", "Fragen aus dem Raum"),
]

# A question from the room, in the room's language.
ASKED = {"de": "Wie fange ich wieder an?", "ar": "كيف أبدأ من جديد؟"}
# Two animation frames: the page has handled the resize (and refitted its text) and painted.
SETTLED = "() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))"

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "present-languages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _phone_says(room: LiveServer, code: str, event: str, data: dict[str, Any]) -> Any:
    """One phone in the room sends one event and leaves."""
    phone = Recorder("/participant")
    phone.connect(room.base_url, {"code": code})
    try:
        ack = phone.call(event, {**data, "msg_id": uuid.uuid4().hex})
        assert ack["ok"], ack
        return ack
    finally:
        phone.disconnect()


def _shoot(page: Page, shots: Path, name: str) -> None:
    """The projector at a laptop's size and a phone's (someone checking it on their phone)."""
    page.screenshot(path=str(shots / f"{name}-1366.png"))
    page.set_viewport_size(PHONE)
    page.evaluate(SETTLED)
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.screenshot(path=str(shots / f"{name}-390.png"))
    page.set_viewport_size(LAPTOP)
    page.evaluate(SETTLED)


@pytest.mark.parametrize(("lang", "direction", "theme", "answer_now", "board"), ROOMS)
def test_the_projector_speaks_the_workshop_language(
    browser: Browser,
    room: LiveServer,
    shots: Path,
    lang: str,
    direction: str,
    theme: str,
    answer_now: str,
    board: str,
) -> None:
    workshop = room.create_workshop(min_group=K, plan=f"rebuilding-trust-{lang}")
    # The laptop's browser speaks English: the projector follows the workshop, not the laptop.
    context = browser.new_context(locale="en-US", reduced_motion="reduce", viewport=LAPTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    name = f"present-{lang}-{theme}"
    try:
        page.goto(f"{workshop.present_url}?theme={theme}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", lang)
        expect(html).to_have_attribute("dir", direction)
        expect(page.locator("#lobby-code")).to_have_text(workshop.code)
        assert_no_violations(page, label=f"projector lobby ({lang}, {theme})")
        _shoot(page, shots, f"{name}-lobby")

        room.goto_first(workshop.id, "choice")
        poll = room.control(workshop.id)["activity"]
        expect(page.locator("#eyebrow")).to_contain_text(answer_now)
        expect(page.locator(".slide-prompt")).to_have_text(poll["prompt"])
        assert_no_violations(page, label=f"projector poll ({lang}, {theme})")
        _shoot(page, shots, f"{name}-poll")

        for other in range(K):
            _phone_says(room, workshop.code, "answer", {"activity_id": poll["id"], "value": other})
        room.act(workshop.id, "reveal")
        expect(page.locator(".slide-results-slot.is-revealing")).to_be_visible()
        assert_no_violations(page, label=f"projector revealed ({lang}, {theme})")
        _shoot(page, shots, f"{name}-revealed")

        room.act(workshop.id, "qa_open")
        _phone_says(room, workshop.code, "ask", {"text": ASKED[lang]})
        question = room.control(workshop.id)["qa"]["questions"][0]["id"]
        room.act(workshop.id, "qa_approve", question_id=question)
        room.act(workshop.id, "qa_show")
        expect(page.get_by_role("heading", name=board, level=1)).to_be_visible()
        expect(page.locator(".board__text")).to_have_text(ASKED[lang])
        assert_no_violations(page, label=f"projector Q&A board ({lang}, {theme})")
        _shoot(page, shots, f"{name}-board")
        # Nothing sticks out sideways (mirroring mistakes usually do).
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        context.close()


def test_the_html_export_of_an_arabic_workshop_reads_right_to_left(
    browser: Browser, room: LiveServer, shots: Path, tmp_path: Path
) -> None:
    workshop = room.create_workshop(min_group=K, plan="rebuilding-trust-ar")
    for kind in ("scale", "choice"):
        room.goto_first(workshop.id, kind)
        activity = room.control(workshop.id)["activity"]
        for other in range(K):
            value = activity.get("min", 1) if kind == "scale" else other
            _phone_says(
                room, workshop.code, "answer", {"activity_id": activity["id"], "value": value}
            )
    room.act(workshop.id, "end")
    reply = room.api("GET", f"/workshops/{workshop.id}/export?format=html")
    assert reply.status_code == 200
    document = tmp_path / "summary.html"
    document.write_bytes(reply.content)
    context = browser.new_context(reduced_motion="reduce", viewport=LAPTOP)
    page = context.new_page()
    try:
        page.goto(document.as_uri())
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        expect(page.locator(".kicker").first).to_have_text("ملخص الجلسة")
        assert_no_violations(page, label="HTML export (ar)")
        page.screenshot(path=str(shots / "export-ar-1366.png"), full_page=True)
        page.set_viewport_size(PHONE)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
        page.screenshot(path=str(shots / "export-ar-390.png"), full_page=True)
    finally:
        context.close()
