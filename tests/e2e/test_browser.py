"""A whole room in Chromium: the facilitator's laptop, the projector and three phones."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .live import LiveServer

PLAN_TITLE = "Rebuilding trust"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 900}}
TIMEOUT_MS = 10_000
# Which option each phone taps: two pick the first, one the third.
PICKS = [0, 0, 2]

expect.set_options(timeout=TIMEOUT_MS)


def _storage(page: Page) -> dict[str, int]:
    """How many keys the page keeps in each web storage area."""
    return dict(page.evaluate("({local: localStorage.length, session: sessionStorage.length})"))


def _figures(counts: list[int]) -> list[str]:
    """The "count · share%" text the results bars show for these counts."""
    total = sum(counts)
    return [f"{count} · {round(100 * count / total) if total else 0}%" for count in counts]


def _current_plan_item(control: Page) -> Locator:
    """The control room's plan row marked as showing now."""
    return control.locator("#plan-list [aria-current='step']")


def _wait_for_control_snapshot(control: Page) -> None:
    """Wait for the control room's first snapshot: its buttons do nothing before that."""
    expect(control.locator("#counts")).to_have_text(re.compile(r"\d+ connected"))


def _log_in(browser: Browser, server: LiveServer) -> tuple[BrowserContext, Page]:
    """A laptop with the facilitator logged in through the login form, on the dashboard."""
    laptop = browser.new_context(**LAPTOP)
    laptop.set_default_timeout(TIMEOUT_MS)
    page = laptop.new_page()
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    return laptop, page


def _join_on_phone(browser: Browser, base_url: str, code: str) -> tuple[BrowserContext, Page]:
    """Open the join link in a fresh phone (its own sessionStorage) and accept the intro."""
    context = browser.new_context(**PHONE)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    page.goto(f"{base_url}/j/{code}")
    expect(page.get_by_role("button", name="Join")).to_be_visible()
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="You're in.")).to_be_visible()
    assert context.cookies() == []  # nothing outlives the tab
    return context, page


def test_room_runs_a_poll_from_dashboard_to_reveal(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """Log in, start the built-in plan, three phones answer; Reveal shows the bars everywhere."""
    laptop, control = _log_in(browser, server)
    card = control.get_by_role("article", name=PLAN_TITLE)
    card.get_by_label("Smallest group for results").fill("3")
    card.get_by_role("button", name="Start a workshop").click()
    expect(control).to_have_url(re.compile(r"/facilitator/workshops/\d+$"))
    workshop_id = int(control.url.rstrip("/").rsplit("/", 1)[1])
    _wait_for_control_snapshot(control)
    code = (control.locator("#join-code").text_content() or "").strip()
    assert re.fullmatch(r"[A-Z0-9]{6}", code), code
    assert server.control(workshop_id)["workshop"]["min_group"] == 3

    projector = laptop.new_page()
    projector.set_viewport_size({"width": 1280, "height": 720})
    projector.goto(f"{server.base_url}/facilitator/workshops/{workshop_id}/present")
    expect(projector.locator("#lobby-code")).to_have_text(code)

    phones = [_join_on_phone(browser, server.base_url, code) for _ in PICKS]
    for _, phone in phones:
        # Tabs and history show nothing about what the session is about.
        assert PLAN_TITLE.lower() not in phone.title().lower(), phone.title()
        assert _storage(phone)["local"] == 0
    expect(control.locator("#counts")).to_contain_text(f"{len(PICKS)} connected")

    control.get_by_role("button", name="Start workshop").click()
    expect(_current_plan_item(control)).to_have_count(1)
    for _ in range(20):
        if _current_plan_item(control).locator(".plan-item__kind").text_content() == "Poll":
            break
        number = _current_plan_item(control).locator(".plan-item__number").text_content()
        control.get_by_role("button", name="Next", exact=True).click()
        expect(_current_plan_item(control).locator(".plan-item__number")).not_to_have_text(number)
    else:
        raise AssertionError("Next never reached a poll")
    poll = next(a for a in server.control(workshop_id)["activities"] if a["kind"] == "choice")
    assert server.control(workshop_id)["index"] == poll["index"]

    options: list[str] = []
    for _, phone in phones:
        # The first poll carries a content note: the phone asks before showing it.
        phone.get_by_role("button", name="Continue").click()
        radios = phone.get_by_role("radio")
        expect(radios.first).to_be_visible()
        options = [
            (label.text_content() or "").strip() for label in phone.locator("label.option").all()
        ]
    assert len(options) >= 3, options
    for (_, phone), pick in zip(phones, PICKS, strict=True):
        phone.get_by_role("radio", name=options[pick]).check()
        phone.get_by_role("button", name="Send answer").click()
        expect(phone.get_by_text(re.compile(r"^Your answer is in —"))).to_be_visible()
        assert _storage(phone)["local"] == 0
    assert all(context.cookies() == [] for context, _ in phones)
    expect(control.locator("#counts")).to_contain_text(f"{len(PICKS)} answered")
    # Not revealed yet: the room sees no numbers.
    expect(projector.locator(".results-bar")).to_have_count(0)
    expect(phones[0][1].locator(".results-bar")).to_have_count(0)

    control.get_by_role("button", name="Reveal results").click()

    counts = [PICKS.count(index) for index in range(len(options))]
    expect(projector.locator(".results-bar__label")).to_have_text(options)
    expect(projector.locator(".results-bar__figure")).to_have_text(_figures(counts))
    for _, phone in phones:
        expect(phone.locator(".results-bar__label")).to_have_text(options)
        expect(phone.locator(".results-bar__figure")).to_have_text(_figures(counts))
        assert _storage(phone)["local"] == 0
        assert phone.title() == phones[1][1].title() and PLAN_TITLE not in phone.title()
    expect(control.locator("#stage-results .results-bar__figure")).to_have_text(_figures(counts))

    phones[0][1].screenshot(path=artifacts / "phone.png", full_page=True)
    control.screenshot(path=artifacts / "control-room.png")
    projector.screenshot(path=artifacts / "projector.png")

    # Quick exit: a neutral page, and nothing of the session left in the tab.
    _, leaving = phones[0]
    assert _storage(leaving)["session"] > 0  # it did hold the token until now
    leaving.get_by_role("link", name="Quick exit").click()
    expect(leaving).to_have_url(re.compile(r"/exit$"))
    assert _storage(leaving) == {"local": 0, "session": 0}
    assert PLAN_TITLE.lower() not in leaving.content().lower()

    for context, _ in phones:
        context.close()
    laptop.close()


def test_control_room_shows_only_the_buttons_that_apply(
    server: LiveServer, browser: Browser
) -> None:
    """Open/Close and Reveal/Hide replace each other; Start only in the lobby; no stray timer."""
    workshop = server.create_workshop(min_group=3)
    laptop, control = _log_in(browser, server)
    control.goto(f"{server.base_url}/facilitator/workshops/{workshop.id}")
    _wait_for_control_snapshot(control)

    def button(name: str) -> Locator:
        return control.get_by_role("button", name=name, exact=True)

    expect(button("Start workshop")).to_be_visible()
    for name in ("Next", "Reveal results", "Open answers", "Close answers"):
        expect(button(name)).to_be_hidden()

    button("Start workshop").click()
    expect(button("Next")).to_be_visible()
    expect(button("Start workshop")).to_be_hidden()
    # The first step is a slide: nothing to open, close or reveal.
    for name in ("Open answers", "Close answers", "Reveal results", "Hide results"):
        expect(button(name)).to_be_hidden()

    poll = server.goto_first(workshop.id, "choice")
    expect(control.locator("#plan-list [aria-current='step'] .plan-item__number")).to_have_text(
        str(poll["index"] + 1)
    )
    expect(button("Close answers")).to_be_visible()
    expect(button("Reveal results")).to_be_visible()
    for name in ("Open answers", "Hide results", "Cancel timer", "Noted"):
        expect(button(name)).to_be_hidden()

    button("Reveal results").click()
    expect(button("Hide results")).to_be_visible()
    expect(button("Reveal results")).to_be_hidden()
    laptop.close()
