"""The control room and the presenter view in German and Arabic, during a live poll.

Three phones (socket clients) join and answer a poll; the facilitator's pages are switched to
German, then Arabic. Each state is checked for translated visible text, `lang`/`dir`, sideways
scrolling, and runs axe (zero violations). Screenshots of the live poll, the Questions tab, the
Summary view and the presenter view, at 390x844 and 1366x768, light and dark, go to
test-artifacts/e2e/control-languages/ (or HEARTH_SHOTS) for a person to look at.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer, Recorder, wait_until

TIMEOUT_MS = 10_000
SIZES = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}

expect.set_options(timeout=TIMEOUT_MS)


@dataclass(frozen=True)
class Speaks:
    """What one language's control room must say."""

    code: str
    direction: str
    close_answers: str  # the answers are open, so the bar offers to close them
    results: str
    poll: str  # the kind in the stage's eyebrow and the plan
    answered: str  # the strip's count: three phones answered, three connected
    questions_tab: str
    summary_tab: str
    notes: str
    presenter_script: str
    presenter_room: str
    shortcuts: str
    next_key: str  # the arrow that moves to the next step


GERMAN = Speaks(
    "de", "ltr", "Antworten schließen", "Ergebnisse", "Umfrage", "3 geantwortet · 3 verbunden",
    "Fragen", "Zusammenfassung", "Deine Notizen", "Dein Skript",
    "Der Raum", "Tastenkürzel", "ArrowRight",
)  # fmt: skip
ARABIC = Speaks(
    "ar", "rtl", "إغلاق الإجابات", "النتائج", "استطلاع", "أجاب 3 · 3 متصلين",
    "أسئلة", "الملخص", "ملاحظاتك", "نصّك",
    "القاعة", "اختصارات لوحة المفاتيح", "ArrowLeft",
)  # fmt: skip


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "control-languages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _phones_answer_a_poll(room: LiveServer, workshop_code: str, workshop_id: int) -> list[Recorder]:
    """Three phones join, the poll opens, each answers it; the phones stay connected."""
    phones = []
    for _ in range(3):
        phone = Recorder("/participant").listen("welcome", "state")
        phone.connect(room.base_url, {"code": workshop_code})
        wait_until(lambda p=phone: p.of("welcome"), message="a phone's welcome")
        phones.append(phone)
    poll = room.goto_first(workshop_id, "choice")
    # A question waits in the Questions tab (the start opens Q&A).
    asked = phones[0].call(
        "ask", {"text": "How do we rebuild trust after a betrayal?", "msg_id": uuid.uuid4().hex}
    )
    assert asked.get("ok") is True, asked
    for number, phone in enumerate(phones):
        ack = phone.call(
            "answer", {"activity_id": poll["id"], "value": number % 2, "msg_id": uuid.uuid4().hex}
        )
        assert ack.get("ok") is True, ack
    return phones


def _log_in(page: Page, room: LiveServer, code: str) -> None:
    page.goto(f"{room.base_url}/facilitator/login")
    page.get_by_label("Email").fill(room.email)
    page.get_by_label("Password").fill(room.password)
    page.get_by_role("button", name="Log in").click()
    page.locator("#account-language").select_option(code)
    page.locator(".app-header__language button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def _shoot(page: Page, shots: Path, name: str, part: str) -> None:
    """The state at both sizes, as a person sees it (the phone scrolled to `part`: a full-page
    capture would paint the sticky action bar in the middle); nothing may stick out sideways."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, size)
        if size == "phone":
            page.locator(part).first.scroll_into_view_if_needed()
        page.screenshot(path=str(shots / f"{name}-{size}.png"))
    page.set_viewport_size(SIZES["laptop"])


@pytest.mark.parametrize(
    ("speaks", "scheme"),
    [(GERMAN, "light"), (ARABIC, "light"), (GERMAN, "dark")],
    ids=["de", "ar", "de-dark"],
)
def test_the_control_room_and_presenter_speak_the_facilitator_language(
    browser: Browser, room: LiveServer, shots: Path, speaks: Speaks, scheme: str
) -> None:
    workshop = room.create_workshop()
    phones = _phones_answer_a_poll(room, workshop.code, workshop.id)
    context = browser.new_context(
        locale="en-US", reduced_motion="reduce", color_scheme=scheme, viewport=SIZES["laptop"]
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    stem = f"{speaks.code}{'-dark' if scheme == 'dark' else ''}"
    try:
        _log_in(page, room, speaks.code)
        page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", speaks.code)
        expect(html).to_have_attribute("dir", speaks.direction)

        # The live poll: the bar, the stage and the strip speak the page's language.
        bar = page.get_by_role("toolbar")
        expect(bar.get_by_role("button", name=speaks.close_answers)).to_be_visible()
        expect(page.get_by_role("heading", name=speaks.results, exact=True)).to_be_visible()
        expect(page.locator(".stage .eyebrow")).to_contain_text(speaks.poll)
        expect(page.locator("#counts")).to_have_text(speaks.answered)
        assert_no_violations(page, label=f"control room, live poll ({stem})")
        _shoot(page, shots, f"control-poll-{stem}", "#stage-results")

        # The keyboard: the shortcut sheet, and Next on the arrow pointing to the line's end.
        page.keyboard.press("?")
        expect(page.get_by_role("heading", name=speaks.shortcuts)).to_be_visible()
        assert_no_violations(page, label=f"control room, shortcuts ({stem})")
        page.screenshot(path=str(shots / f"control-shortcuts-{stem}-laptop.png"))
        page.keyboard.press("Escape")
        # The support resources dialog: a form that must mirror too.
        page.locator("#resources-button").click()
        expect(page.locator("#resources-dialog")).to_be_visible()
        assert_no_violations(page, label=f"control room, resources ({stem})")
        page.screenshot(path=str(shots / f"control-resources-{stem}-laptop.png"))
        page.locator("#resources-cancel").click()
        before = room.control(workshop.id)["index"]
        page.locator("#plan-heading").click()
        page.keyboard.press(speaks.next_key)
        wait_until(
            lambda: room.control(workshop.id)["index"] == before + 1, message="the next step"
        )
        # A presentation clicker sends Page Down: Next on a page of either direction.
        page.keyboard.press("PageDown")
        wait_until(
            lambda: room.control(workshop.id)["index"] == before + 2, message="Page Down is Next"
        )
        room.act(workshop.id, "goto", index=before)

        page.get_by_role("tab", name=speaks.questions_tab).click()
        expect(page.locator("#qa-pending")).to_contain_text("How do we rebuild trust")
        assert_no_violations(page, label=f"control room, questions ({stem})")
        _shoot(page, shots, f"control-questions-{stem}", "#qa-pending")

        page.get_by_role("tab", name=speaks.summary_tab).click()
        expect(page.get_by_role("heading", name=speaks.notes)).to_be_visible()
        assert_no_violations(page, label=f"control room, summary ({stem})")
        _shoot(page, shots, f"control-summary-{stem}", "#notes-heading")

        page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}/presenter")
        expect(page.locator("html")).to_have_attribute("dir", speaks.direction)
        expect(page.get_by_text(speaks.presenter_script, exact=True)).to_be_visible()
        expect(page.get_by_role("heading", name=speaks.presenter_room)).to_be_visible()
        assert_no_violations(page, label=f"presenter ({stem})")
        _shoot(page, shots, f"presenter-{stem}", "#presenter-now")
    finally:
        # Back to the browser's language, so the other tests see English pages.
        page.goto(f"{room.base_url}/facilitator/")
        page.locator("#account-language").select_option("")
        page.locator(".app-header__language button").click()
        context.close()
        for phone in phones:
            phone.disconnect()


def test_the_arabic_lobby_and_end(browser: Browser, room: LiveServer, shots: Path) -> None:
    """The lobby's join line (a translated sentence with the address and code in it) and, after
    the end, the Summary view with its deletion controls and the look-back stage, in Arabic."""
    workshop = room.create_workshop()
    context = browser.new_context(locale="en-US", reduced_motion="reduce", viewport=SIZES["laptop"])
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _log_in(page, room, "ar")
        page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
        stage = page.locator("#stage-activity")
        expect(stage).to_contain_text("غرفة الانتظار")
        # The code sits inside the translated sentence, as an element of its own, left to right.
        expect(stage.locator("strong.join-code[dir=ltr]")).to_have_text(workshop.code)
        expect(page.get_by_role("button", name="بدء الورشة")).to_be_visible()
        assert_no_violations(page, label="control room, lobby (ar)")
        _shoot(page, shots, "control-lobby-ar", "#stage-activity")

        room.act(workshop.id, "start")
        room.act(workshop.id, "end")
        expect(page.get_by_role("tab", name="نظرة إلى الوراء")).to_be_visible()
        expect(page.get_by_role("heading", name="متى تُحذف الإجابات")).to_be_visible()
        expect(page.get_by_role("button", name="حذف الإجابات الآن…")).to_be_visible()
        assert_no_violations(page, label="control room, ended (ar)")
        _shoot(page, shots, "control-ended-ar", "#answers-heading")
        page.get_by_role("tab", name="نظرة إلى الوراء").click()
        expect(page.locator("#stage-activity")).to_contain_text("انتهت هذه الورشة")
    finally:
        page.goto(f"{room.base_url}/facilitator/")
        page.locator("#account-language").select_option("")
        page.locator(".app-header__language button").click()
        context.close()
