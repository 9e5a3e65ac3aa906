"""The phone in each of Hearth's languages: chosen by the browser, switchable, mirrored in Arabic.

Each phone opens the join link with its browser set to one language, is checked for `lang` and
`dir`, runs axe (zero violations) before and after joining, and leaves a screenshot for a person
to look at (test-artifacts/e2e/languages/, or HEARTH_SHOTS when set).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
TIMEOUT_MS = 10_000
# browser locale, page language, direction, the Join button, the heading once joined, Send
PHONES = [
    ("en-GB", "en", "ltr", "Join", "You're in.", "Send answer"),
    ("de-DE", "de", "ltr", "Mitmachen", "Du bist dabei.", "Antwort senden"),
    ("es-ES", "es", "ltr", "Entrar", "Ya estás dentro.", "Enviar respuesta"),
    ("fr-FR", "fr", "ltr", "Rejoindre", "Vous y êtes.", "Envoyer la réponse"),
    ("ar-EG", "ar", "rtl", "انضم", "لقد انضممت.", "أرسل الإجابة"),
]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "languages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _phone(browser: Browser, locale: str) -> Page:
    context = browser.new_context(locale=locale, reduced_motion="reduce", **PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


@pytest.mark.parametrize(("locale", "lang", "direction", "join", "joined", "send"), PHONES)
def test_the_phone_speaks_the_browser_language(
    browser: Browser,
    room: LiveServer,
    shots: Path,
    locale: str,
    lang: str,
    direction: str,
    join: str,
    joined: str,
    send: str,
) -> None:
    workshop = room.create_workshop()
    page = _phone(browser, locale)
    try:
        page.goto(f"{room.base_url}/j/{workshop.code}")
        html = page.locator("html")
        expect(html).to_have_attribute("lang", lang)
        expect(html).to_have_attribute("dir", direction)
        assert_no_violations(page, label=f"phone intro ({lang})")
        page.screenshot(path=str(shots / f"phone-intro-{lang}.png"), full_page=True)
        page.get_by_role("button", name=join, exact=True).click()
        expect(page.get_by_role("heading", name=joined)).to_be_visible()
        assert_no_violations(page, label=f"phone joined ({lang})")
        page.screenshot(path=str(shots / f"phone-joined-{lang}.png"), full_page=True)
        room.goto_first(workshop.id, "scale")
        activity = room.control(workshop.id)["activity"]
        expect(page.get_by_role("button", name=send)).to_be_visible()
        # The plan's text keeps the plan's language, whatever the page speaks.
        expect(page.locator("h1[lang]", has_text=activity["prompt"])).to_have_attribute(
            "lang", "en"
        )
        assert_no_violations(page, label=f"phone scale ({lang})")
        page.screenshot(path=str(shots / f"phone-scale-{lang}.png"), full_page=True)
        # Nothing sticks out sideways (mirroring mistakes usually do).
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        page.context.close()


def test_the_switch_changes_the_language_and_keeps_it(browser: Browser, room: LiveServer) -> None:
    workshop = room.create_workshop()
    page = _phone(browser, "en-US")
    try:
        page.goto(f"{room.base_url}/j/{workshop.code}")
        page.get_by_role("navigation", name="Language").get_by_role("link", name="العربية").click()
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page).to_have_url(re.compile(r"[?&]lang=ar"))
        page.get_by_role("link", name="ما الذي يُحفظ؟").click()
        expect(page.locator("html")).to_have_attribute("lang", "ar")
        assert_no_violations(page, label="privacy (ar)")
    finally:
        page.context.close()


LAPTOP = {"viewport": {"width": 1366, "height": 768}}


@pytest.mark.parametrize(("code", "direction"), [("ar", "rtl"), ("de", "ltr")])
def test_the_facilitator_picks_the_language_of_their_pages(
    browser: Browser, room: LiveServer, shots: Path, code: str, direction: str
) -> None:
    workshop = room.create_workshop()
    context = browser.new_context(locale="en-US", reduced_motion="reduce", **LAPTOP)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{room.base_url}/facilitator/login")
        page.get_by_label("Email").fill(room.email)
        page.get_by_label("Password").fill(room.password)
        page.get_by_role("button", name="Log in").click()
        page.get_by_label("Language of your pages").select_option(code)
        page.get_by_role("button", name="Change").click()
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert_no_violations(page, label=f"dashboard ({code})")
        page.screenshot(path=str(shots / f"dashboard-{code}.png"), full_page=True)
        page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
        expect(page.locator("html")).to_have_attribute("lang", code)
        page.screenshot(path=str(shots / f"control-{code}.png"))
        # Back to the browser's language, so the other tests see English pages.
        page.locator("#account-language").select_option("")
        page.locator(".app-header__language button").click()
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()
