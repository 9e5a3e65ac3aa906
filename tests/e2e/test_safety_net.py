"""The safety net in Chromium (issue #13 §5): a phone sends an open answer with crisis language;
the projector never shows it; the control room's "Needs your care" panel does, with the support
resources, a polite announcement and Release behind a confirmation. axe on every state, and on
the Safety words page; screenshots at 390x844 and 1366x768, light, dark and Arabic
(test-artifacts/e2e/safety-net/, or HEARTH_SHOTS when set).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer, Recorder, wait_until
from .test_browser import PHONE, TIMEOUT_MS

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 768}}
CRISIS = "Honestly some nights I want to die"
CALM = ["A friend who listens", "Time to think first"]


@pytest.fixture
def shots() -> Path:
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "safety-net")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _shoot(page: Page, shots: Path, name: str) -> None:
    """The state at both sizes; nothing may stick out sideways at either."""
    first = page.viewport_size
    page.evaluate("window.scrollTo(0, 0)")
    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, 320)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, size)
        page.screenshot(path=str(shots / f"{name}-{size}.png"), full_page=size == "phone")
    if first:
        page.set_viewport_size(first)


def _facilitator(
    browser: Browser, server: LiveServer, *, scheme: str = "light", language: str | None = None
) -> tuple[BrowserContext, Page]:
    """A logged-in laptop; with `language`, its pages in that language (the account setting)."""
    context = browser.new_context(
        viewport=SIZES["laptop"], color_scheme=scheme, reduced_motion="reduce", locale="en-US"
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".app-header__language")).to_be_visible()
    page.locator("#account-language").select_option(language or "en")
    page.locator(".app-header__language button").click()
    expect(page.locator("html")).to_have_attribute("lang", language or "en")
    return context, page


def _phone_sends(browser: Browser, server: LiveServer, code: str, text: str) -> BrowserContext:
    """A phone joins the live open question and sends `text`."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    phone = context.new_page()
    phone.goto(f"{server.base_url}/j/{code}")
    phone.get_by_role("button", name="Join").click()
    phone.get_by_role("textbox").first.fill(text)
    phone.get_by_role("button", name="Send answer").click()
    expect(phone.get_by_text("Your answer is in", exact=False)).to_be_visible()
    return context


def test_a_crisis_answer_reaches_only_the_care_panel(
    server: LiveServer,
    browser: Browser,
    sockets: Callable[[str], Recorder],
    shots: Path,
) -> None:
    workshop = server.create_workshop(min_group=3)
    step = server.goto_first(workshop.id, "open")
    laptop, control = _facilitator(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    panel = control.locator("#care")
    expect(control.locator("#counts")).to_contain_text("0 answered")
    expect(panel).to_be_hidden()

    projector = laptop.new_page()
    projector.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}/present")
    expect(projector.locator("#footer-code")).to_have_text(workshop.code)

    phone = _phone_sends(browser, server, workshop.code, CRISIS)
    others = [
        sockets("/participant").connect(server.base_url, {"code": workshop.code}) for _ in CALM
    ]
    for n, (recorder, text) in enumerate(zip(others, CALM, strict=True)):
        ack = recorder.call("answer", {"activity_id": step["id"], "value": text, "msg_id": f"m{n}"})
        assert ack["ok"], ack

    # The panel: the category, the words (3 answered = k), the resources and the prompt.
    expect(panel).to_be_visible()
    expect(panel.get_by_role("heading", name="Needs your care")).to_be_visible()
    item = panel.locator(".care__item")
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Mentions: Suicide or wanting to die")
    expect(item).to_contain_text("An answer to step")
    expect(item.locator(".care__text")).to_have_text(CRISIS)
    expect(panel.locator("#care-resources li").first).to_be_visible()
    expect(panel).to_contain_text("Follow your safety protocol.")
    # Announced once, politely, outside the panel.
    announce = control.locator("#care-announce")
    expect(announce).to_have_attribute("aria-live", "polite")
    expect(announce).to_have_text("An answer needs your care.")
    # Not in the approval queue: only the two calm answers wait there.
    expect(control.locator("#moderation-list li")).to_have_count(2)
    assert CRISIS not in (control.locator("#moderation-list").text_content() or "")
    assert_no_violations(control, label="control room, care panel")
    _shoot(control, shots, "control-care-light")

    # The room sees the approved answers, never the held one.
    queue = control.locator("#moderation-list li")
    for left in (1, 0):
        queue.first.get_by_role("button", name="Approve").click()
        expect(queue).to_have_count(left)
    wait_until(
        lambda: server.control(workshop.id)["moderation_waiting"] == 0, message="both approved"
    )
    server.act(workshop.id, "reveal")
    expect(projector.get_by_text(CALM[0])).to_be_visible()
    assert CRISIS not in (projector.locator("body").text_content() or "")
    assert CRISIS not in projector.content()

    # Release asks first; keeping it changes nothing.
    item.get_by_role("button", name="Release to the queue").click()
    dialog = control.get_by_role("dialog", name="Release to the approval queue?")
    expect(dialog).to_be_visible()
    assert_no_violations(control, label="control room, release confirmation")
    _shoot(control, shots, "control-care-release-confirm")
    dialog.get_by_role("button", name="Keep it here").click()
    expect(dialog).to_be_hidden()
    assert len(server.control(workshop.id)["care"]) == 1

    item.get_by_role("button", name="Release to the queue").click()
    dialog.get_by_role("button", name="Release", exact=True).click()
    expect(panel).to_be_hidden()
    expect(control.locator("#moderation-list")).to_contain_text(CRISIS)
    # Released is not approved: the projector still does not show it.
    assert CRISIS not in (projector.locator("body").text_content() or "")
    phone.close()
    laptop.close()


@pytest.mark.parametrize(("scheme", "language"), [("dark", None), ("light", "ar")])
def test_the_care_panel_in_dark_and_in_arabic(
    server: LiveServer, browser: Browser, shots: Path, scheme: str, language: str | None
) -> None:
    workshop = server.create_workshop(min_group=3)
    server.goto_first(workshop.id, "open")
    phone = _phone_sends(browser, server, workshop.code, "My partner hits me")
    context, control = _facilitator(browser, server, scheme=scheme, language=language)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    panel = control.locator("#care")
    expect(panel.locator(".care__item")).to_have_count(1)
    # Below k the words wait; the category is there at once.
    expect(panel.locator(".care__wait")).to_be_visible()
    expect(panel.locator(".care__text")).to_be_hidden()
    stem = language or scheme
    if language == "ar":
        expect(control.locator("html")).to_have_attribute("dir", "rtl")
        expect(panel.get_by_role("heading", name="يحتاج إلى اهتمامك")).to_be_visible()
        expect(control.locator("#care-announce")).to_have_text("إجابة تحتاج إلى اهتمامك.")
    assert_no_violations(control, label=f"control room, care panel below k ({stem})")
    _shoot(control, shots, f"control-care-{stem}")
    # The Safety words page in the same scheme and language.
    control.goto(f"{server.base_url}/facilitator/account/safety")
    control.locator("details.safety-language").first.locator("summary").click()
    assert_no_violations(control, label=f"safety words ({stem})")
    _shoot(control, shots, f"safety-words-{stem}")
    phone.close()
    context.close()


def test_the_safety_words_page_adds_and_removes_a_phrase(
    server: LiveServer, browser: Browser, shots: Path
) -> None:
    context, page = _facilitator(browser, server)
    page.get_by_role("link", name="Safety words").click()
    expect(page.get_by_role("heading", name="Safety words", level=1)).to_be_visible()
    assert_no_violations(page, label="safety words, empty")
    # A refusal keeps what was typed and says why.
    page.get_by_role("textbox", name="Phrase").fill("ab* me")
    page.get_by_role("button", name="Add phrase").click()
    expect(page.get_by_role("alert")).to_contain_text("at least 3 letters before it")
    expect(page.get_by_role("textbox", name="Phrase")).to_have_value("ab* me")
    assert_no_violations(page, label="safety words, refused")
    page.get_by_role("combobox", name="Kind").select_option("abuse")
    page.get_by_role("textbox", name="Phrase").fill("locks me in")
    page.get_by_role("button", name="Add phrase").click()
    expect(page.get_by_role("status")).to_contain_text("Added.")
    expect(page.locator(".safety-mine")).to_contain_text("locks me in")
    page.locator("details.safety-language").first.locator("summary").click()
    assert_no_violations(page, label="safety words, one phrase")
    _shoot(page, shots, "safety-words-light")
    page.locator(".safety-mine").get_by_role("button", name="Remove").click()
    expect(page.locator(".safety-mine")).to_have_count(0)
    context.close()
