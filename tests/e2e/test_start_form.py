"""The dashboard's Start form in Chromium (issues #13 and #11): its options open from one
disclosure and axe finds nothing with them open (light and dark, laptop and phone); "Days it
stays open" shows only for "At their own pace"; a self-paced German workshop started from the
form opens its control room, and its projector speaks German while the English plan text stays
marked as English."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, expect

from .axe import assert_no_violations
from .live import LiveServer

TIMEOUT_MS = 10_000
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}

expect.set_options(timeout=TIMEOUT_MS)


def _log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))


def _open_options(page: Page) -> Locator:
    """The English built-in plan's card, with its Start form's options open."""
    card = page.locator("article.plan-card").filter(
        has=page.get_by_role("heading", name="Rebuilding trust", exact=True)
    )
    options = card.locator("details.start-options")
    expect(options).not_to_have_attribute("open", "")
    card.get_by_text("More options: pace, language, series").click()
    expect(options).to_have_attribute("open", "")
    return card


def test_a_self_paced_german_workshop_from_the_dashboard(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        _log_in(page, server)
        card = _open_options(page)
        # Live by default, in the plan's language; the days apply only at each person's pace.
        expect(card.get_by_label("Together, now")).to_be_checked()
        expect(card.get_by_label("Workshop language")).to_have_value("en")
        days = card.get_by_label("Days it stays open")
        expect(days).to_be_hidden()
        card.get_by_label("At their own pace").check()
        expect(days).to_be_visible()
        expect(days).to_have_value("7")
        days.fill("5")
        card.get_by_label("Workshop language").select_option("de")
        assert_no_violations(page, label="dashboard, start options open, self-paced")
        card.get_by_role("button", name="Start a workshop").click()

        expect(page).to_have_url(re.compile(r"/facilitator/workshops/\d+$"))
        workshop_id = int(page.url.rsplit("/", 1)[1])
        control = server.control(workshop_id)
        assert control["workshop"]["pace"] == "self"
        assert control["workshop"]["open_days"] == 5

        page.goto(control["workshop"]["present_url"])
        expect(page.locator("html")).to_have_attribute("lang", "de")
        expect(page.get_by_text("Mach mit auf deinem Handy").first).to_be_visible()
        expect(page.locator("#lobby-title")).to_have_attribute("lang", "en")
        expect(page.locator("#lobby-title")).to_have_text("Rebuilding trust")
        page.screenshot(path=artifacts / "start-form-projector-de.png")
    finally:
        context.close()


def test_the_start_options_pass_axe_in_both_schemes_and_sizes(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    for size, (width, height) in SIZES.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            try:
                _log_in(page, server)
                card = _open_options(page)
                card.get_by_label("At their own pace").check()
                assert_no_violations(page, label=f"dashboard start options, {size}, {scheme}")
                scroll = page.evaluate("document.documentElement.scrollWidth")
                assert scroll <= width, f"the dashboard scrolls sideways ({scroll} px)"
                card.screenshot(path=artifacts / f"start-form-{size}-{scheme}.png")
            finally:
                context.close()


def test_the_open_options_fit_320_px_and_200_percent_text(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """A 320 px phone, and a phone with the browser's text at 200% (32 px): nothing of the open
    form reaches past the screen's edge."""
    for width, font in ((320, 16), (390, 32)):
        context = browser.new_context(viewport={"width": width, "height": 844})
        context.set_default_timeout(TIMEOUT_MS)
        page = context.new_page()
        try:
            page.context.new_cdp_session(page).send(
                "Page.setFontSizes", {"fontSizes": {"standard": font, "fixed": font}}
            )
            _log_in(page, server)
            card = _open_options(page)
            card.get_by_label("At their own pace").check()
            wide = page.evaluate(
                "[...document.querySelectorAll('.plan-card__start *')]"
                ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
                ".map(e => `${e.tagName}.${e.className}:${e.name ?? ''}`)"
            )
            page.screenshot(
                path=artifacts / f"start-form-{width}px-{font}px-text.png", full_page=True
            )
            assert wide == [], (width, font, wide)
        finally:
            context.close()
