"""Text size, zoom, narrow screens, motion and touch: the phone and control room adapt.

- the browser's font setting scales the text (sizes are in rem);
- 320 CSS px wide (a phone, or 1280 px at 400% zoom) and 200% text: no sideways scrolling;
- prefers-reduced-motion stops the breathing circle and transitions;
- every control on the phone is at least 44×44 CSS px.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .live import LiveServer
from .test_accessibility import (
    LAPTOP,
    PHONE,
    TIMEOUT_MS,
    answer_by_keyboard,
    continue_past_note,
    join,
    log_in,
)

NARROW = {"viewport": {"width": 320, "height": 640}, "is_mobile": True, "has_touch": True}
# What the phone's controls are measured against (WCAG 2.5.5 at AAA size, the bar).
TARGET_PX = 44
CONTROLS = ", ".join(
    f"{selector}:visible"
    for selector in ("button", "a", "label.option", "label.point", "input[type=text]", "textarea")
)


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of browser contexts, all closed afterwards."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def larger_text(page: Page, px: int = 32) -> None:
    """Set the browser's default font size, as a person does in settings (16 px is the default)."""
    page.context.new_cdp_session(page).send(
        "Page.setFontSizes", {"fontSizes": {"standard": px, "fixed": px}}
    )


def sideways(page: Page) -> int:
    """How many CSS px the page scrolls sideways (0 when it fits)."""
    script = "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    return int(page.evaluate(script))


def small_targets(page: Page) -> list[str]:
    """The phone's visible controls smaller than TARGET_PX in either direction."""
    found = []
    for control in page.locator(CONTROLS).all():
        box = control.bounding_box()
        if box and (box["width"] < TARGET_PX - 0.5 or box["height"] < TARGET_PX - 0.5):
            text = (control.text_content() or control.get_attribute("aria-label") or "").strip()
            found.append(f"{text[:40]!r}: {box['width']:.0f}×{box['height']:.0f}")
    return found


@pytest.mark.parametrize("kind", ["choice", "multi", "scale", "rank", "words", "open"])
# 320 px at the default text (WCAG 1.4.10); double text (1.4.4) on a common 390 px phone.
@pytest.mark.parametrize("width, text", [(320, 16), (390, 32)], ids=["320px", "text200"])
def test_phone_fits_320_px_at_any_text_size_with_big_targets(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
    kind: str,
    width: int,
    text: int,
) -> None:
    """No sideways scroll and targets >= 44 px in every state, narrow or with double text."""
    workshop = room.create_workshop(min_group=3)
    phone = contexts(**(NARROW | {"viewport": {"width": width, "height": 640}})).new_page()
    larger_text(phone, text)
    phone = _join_page(phone, room, workshop.code)
    assert sideways(phone) == 0, "lobby"
    room.goto_first(workshop.id, kind)
    activity = room.control(workshop.id)["activity"]
    continue_past_note(phone, activity["prompt"])
    size = phone.evaluate("parseFloat(getComputedStyle(document.body).fontSize)")
    assert size == pytest.approx(text * 17 / 16), "body text follows the browser's font setting"
    assert sideways(phone) == 0, f"{kind} before answering"
    assert small_targets(phone) == []
    answer_by_keyboard(phone, kind)
    assert sideways(phone) == 0, f"{kind} answered"
    assert small_targets(phone) == []
    room.act(workshop.id, "reveal")
    phone.wait_for_timeout(300)
    assert sideways(phone) == 0, f"{kind} revealed"
    phone.get_by_role("button", name="I need a break").click()
    assert sideways(phone) == 0, "break screen"
    assert small_targets(phone) == []


def _join_page(page: Page, room: LiveServer, code: str) -> Page:
    """Join on an existing page (its font setting already made)."""
    page.goto(f"{room.base_url}/j/{code}")
    assert sideways(page) == 0, "intro"
    assert small_targets(page) == []
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="You're in.")).to_be_visible()
    return page


@pytest.mark.parametrize(
    "setting",
    [{"text": 32, **LAPTOP}, {"text": 16, "viewport": {"width": 683, "height": 384}}],
    ids=["text200", "zoom200"],
)
def test_control_room_reflows_at_200_percent(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
    setting: dict[str, Any],
) -> None:
    """Double text, or 200% zoom (1366 px seen as 683): one column, nothing cut off sideways."""
    workshop = room.create_workshop(min_group=3)
    room.goto_first(workshop.id, "choice")
    text = setting.pop("text")
    context = contexts(**setting)
    page = context.new_page()
    larger_text(page, text)
    page = log_in_on(page, room)
    page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
    expect(page.locator("#counts")).to_contain_text("connected")
    assert sideways(page) == 0
    for name in ("Close answers", "Reveal results", "Next"):
        button = page.get_by_role("button", name=name, exact=True)
        button.scroll_into_view_if_needed()
        expect(button).to_be_in_viewport()


def log_in_on(page: Page, room: LiveServer) -> Page:
    """Log in on an existing page."""
    page.goto(f"{room.base_url}/facilitator/login")
    page.get_by_label("Email").fill(room.email)
    page.get_by_label("Password").fill(room.password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1).first).to_be_visible()
    return page


def test_reduced_motion_stops_the_breathing_circle(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
) -> None:
    """With prefers-reduced-motion the pacer does not move and nothing transitions."""
    workshop = room.create_workshop(min_group=3)
    for motion, moving in (("no-preference", True), ("reduce", False)):
        phone = join(contexts(reduced_motion=motion, **PHONE), room, workshop.code)
        phone.get_by_role("button", name="I need a break").click()
        pacer = phone.locator(".pacer").first
        expect(pacer).to_be_visible()
        name = pacer.evaluate("el => getComputedStyle(el).animationName")
        assert (name != "none") is moving, (motion, name)
        if not moving:
            durations = phone.evaluate(
                "[...document.querySelectorAll('*')]"
                ".map(e => getComputedStyle(e).transitionDuration)"
                ".filter(d => d.split(',').some(x => parseFloat(x) > 0)).length"
            )
            assert durations == 0


def test_dashboard_fits_at_320_px(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
) -> None:
    """The dashboard and login on a small phone."""
    page = log_in(contexts(**NARROW), room)
    assert sideways(page) == 0
