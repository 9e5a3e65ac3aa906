"""A rehearsal in real browsers (issue #13 §4): started from the dashboard's Start form, the
control room adds 30 simulated answers to a poll, the projector's chart shows them once
revealed, and every screen (phone, projector, control room, presenter) carries the calm
"Rehearsal" badge, announced once to screen readers. axe runs on each; screenshots at 390x844
and 1366x768, light, dark and Arabic, go to HEARTH_SHOTS (or test-artifacts/e2e/rehearsal/)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer

TIMEOUT_MS = 10_000
SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
# The badge's word and the phone's intro line, per language of the pages.
WORDS = {
    "en": ("Rehearsal", "This is a rehearsal."),
    "ar": ("تجربة", "هذه تجربة."),
}


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "rehearsal")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _context(browser: Browser, scheme: str, *, phone: bool = False) -> BrowserContext:
    extra = {"is_mobile": True, "has_touch": True} if phone else {}
    context = browser.new_context(
        viewport=SIZES["phone" if phone else "laptop"],  # type: ignore[arg-type]
        color_scheme=scheme,  # type: ignore[arg-type]
        reduced_motion="reduce",
        locale="en-US",
        **extra,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _log_in(page: Page, room: LiveServer, language: str) -> None:
    """Log in and set the facilitator's pages to `language` ("" for the browser's)."""
    page.goto(f"{room.base_url}/facilitator/login")
    page.get_by_label("Email").fill(room.email)
    page.get_by_label("Password").fill(room.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    page.locator("#account-language").select_option(language if language != "en" else "")
    page.locator(".app-header__language button").click()
    expect(page.locator("html")).to_have_attribute("lang", language)


def _shoot(page: Page, shots: Path, name: str) -> None:
    """The page at both sizes; nothing may stick out sideways at either."""
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, size)
        page.screenshot(path=str(shots / f"{name}-{size}.png"))


def _badge(page: Page, word: str) -> None:
    """The badge shows the word, and the polite region says the sentence once."""
    expect(page.locator("#rehearsal-badge")).to_have_text(word)
    expect(page.locator("#rehearsal-badge")).to_be_visible()
    announcer = page.locator("#rehearsal-announcer")
    expect(announcer).to_have_attribute("aria-live", "polite")
    expect(announcer).not_to_have_text("")


@pytest.mark.parametrize(
    ("language", "scheme"),
    [("en", "light"), ("en", "dark"), ("ar", "light")],
    ids=["light", "dark", "ar"],
)
def test_a_rehearsal_from_the_dashboard_to_the_projector(
    browser: Browser, room: LiveServer, shots: Path, language: str, scheme: str
) -> None:
    word, intro = WORDS[language]
    tag = f"{scheme}" if language == "en" else language
    laptop = _context(browser, scheme)
    page = laptop.new_page()
    _log_in(page, room, language)

    # The dashboard's Start form: tick Rehearsal (and, in Arabic, make the workshop speak it).
    form = page.locator("form.plan-card__start").first
    if language != "en":
        form.locator("details.start-options > summary").click()
        form.locator("select[name=language]").select_option(language)
    form.locator("input[name=rehearsal]").check()
    assert_no_violations(page, label=f"dashboard start form, rehearsal ticked ({tag})")
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), size
        form.screenshot(path=str(shots / f"dashboard-start-{tag}-{size}.png"))
    page.set_viewport_size(SIZES["laptop"])  # type: ignore[arg-type]
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/facilitator/workshops/\d+$"))
    workshop_id = int(page.url.rsplit("/", 1)[1])
    control = room.control(workshop_id)
    assert control["workshop"]["rehearsal"] is True
    _badge(page, word)

    # The projector, on a second tab of the laptop.
    projector = laptop.new_page()
    # The projector's colours are the facilitator's pick (?theme=dark), not the laptop's scheme.
    theme = "?theme=dark" if scheme == "dark" else ""
    projector.goto(f"{room.base_url}/facilitator/workshops/{workshop_id}/present{theme}")
    _badge(projector, word)

    # A colleague's phone.
    phone_context = _context(browser, scheme, phone=True)
    phone = phone_context.new_page()
    suffix = "" if language == "en" else f"?lang={language}"
    phone.goto(f"{room.base_url}/j/{control['workshop']['code']}{suffix}")
    expect(phone.locator("#intro")).to_contain_text(intro)
    _badge(phone, word)
    assert_no_violations(phone, label=f"phone intro of a rehearsal ({tag})")
    _shoot(phone, shots, f"phone-intro-{tag}")
    phone.locator("#join-button").click()

    # Start, go to the first poll, add 30 simulated answers from the control room.
    page.locator("button[data-action=start]").click()
    expect(page.locator("#control")).to_have_attribute("data-phase", "live")
    room.goto_first(workshop_id, "choice")
    page.locator("#simulate-count").fill("30")
    page.locator("#simulate-button").click()
    expect(page.locator("#counts")).to_contain_text("30")
    assert room.control(workshop_id)["progress"] == {"answered": 30, "passed": 0}

    # Hidden on the projector until revealed, then the chart shows all 30.
    expect(projector.locator("#stage .slide-status")).to_contain_text("30")
    expect(projector.locator("#stage .results-bars")).to_have_count(0)
    page.locator("button[data-action=reveal]").click()
    expect(projector.locator("#stage .results-bars")).to_be_visible()
    expect(projector.locator("#stage .slide-status")).to_contain_text("30")
    _badge(projector, word)

    assert_no_violations(page, label=f"control room of a rehearsal ({tag})")
    assert_no_violations(projector, label=f"projector of a rehearsal ({tag})")
    expect(phone.locator("#rehearsal-badge")).to_be_visible()
    assert_no_violations(phone, label=f"phone in a rehearsal ({tag})")
    _shoot(page, shots, f"control-{tag}")
    projector.mouse.move(300, 300)  # the full-screen button shows: it and the badge share no corner
    expect(projector.locator("#fullscreen")).to_be_visible()
    _shoot(projector, shots, f"projector-{tag}")
    _shoot(phone, shots, f"phone-poll-{tag}")

    # The presenter view says it too.
    presenter = laptop.new_page()
    presenter.goto(f"{room.base_url}/facilitator/workshops/{workshop_id}/presenter")
    _badge(presenter, word)
    assert_no_violations(presenter, label=f"presenter view of a rehearsal ({tag})")
    _shoot(presenter, shots, f"presenter-{tag}")

    # The end: the Summary view says there is nothing to download, and nothing is left.
    page.locator("#end-button").click()
    page.locator("#end-dialog button[value=end]").click()
    expect(page.locator(".summary-block--rehearsal")).to_be_visible()
    expect(page.locator(".summary-block--downloads")).to_be_hidden()
    expect(page.locator("#rehearsal-box")).to_be_hidden()
    after = room.control(workshop_id)
    assert after["purged"] is True
    assert all(row["answered"] == 0 for row in after["activities"])
    export = room.api("GET", f"/workshops/{workshop_id}/export?format=csv")
    assert export.status_code == 409 and export.json()["error"]["code"] == "rehearsal"
    assert_no_violations(page, label=f"control room after a rehearsal ({tag})")
    _shoot(page, shots, f"control-ended-{tag}")
    phone_context.close()
    laptop.close()
