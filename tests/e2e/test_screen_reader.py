"""What a screen reader or keyboard user meets on the phone and in the control room.

- the accessibility tree of the scale, choice, rank and open activities (Playwright ARIA snapshots);
- focus lands on a new activity's heading, and on the confirmation after sending;
- polite live regions say a results reveal and the last ten seconds of a timer, once;
- the control room's shortcut sheet opens on "?".
"""

from __future__ import annotations

import re
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
    answer_by_socket,
    join,
    log_in,
)

RANK = "Put the four steps in order, from the one that feels hardest to the one that feels easiest."
OPEN = (
    "What helps you feel safe enough to be open with someone? "
    "No names or identifying details, please."
)
# The phone's question card as the accessibility tree shows it before answering (the built-in plan).
OPEN_PRIVACY = (
    "Anonymous. Written answers are shown only after the facilitator approves them, "
    "once at least 3 people have answered."
)
PRIVACY = "Anonymous. Shown only as a group total, once at least 3 people have answered."
ACTIONS = """
- button "Send answer" [disabled]
- button "Pass — I'd rather not answer"
"""
SCALE_POINTS = "\n".join(f'  - radio "{n}"\n  - text: "{n}"' for n in range(1, 10))
SNAPSHOTS = {
    "scale": f"""
- paragraph: Check-in
- heading "Right now, how settled do you feel?" [level=1]
- group "Right now, how settled do you feel?":
  - radio "0, Not settled at all"
  - text: 0, Not settled at all
{SCALE_POINTS}
  - radio "10, Very settled"
  - text: 10, Very settled 0 = Not settled at all 10 = Very settled
{ACTIONS}
- paragraph: {PRIVACY}
""",
    "choice": f"""
- paragraph: What shakes trust
- heading "In relationships generally, what do you think shakes trust the most?" [level=1]
- group "In relationships generally, what do you think shakes trust the most?":
  - radio "Betrayal"
  - text: Betrayal
  - radio "Suspicion"
  - text: Suspicion
  - radio "Past trauma"
  - text: Past trauma
  - radio "Communication breakdowns"
  - text: Communication breakdowns
  - radio "Something else"
  - text: Something else
  - radio "I'd rather not say"
  - text: I'd rather not say
{ACTIONS}
- paragraph: {PRIVACY}
""",
    "rank": f"""
- paragraph: Four steps
- heading "{RANK}" [level=1]
- group "{RANK}":
  - paragraph: Tap them in order, starting with your first. Tap one again to take it out.
  - button "Acknowledge the hurt , not placed yet" [pressed=false]
  - button "Practice transparency , not placed yet" [pressed=false]
  - button "Set clear boundaries , not placed yet" [pressed=false]
  - button "Seek professional help , not placed yet" [pressed=false]
  - text: 0 of 4 placed
{ACTIONS}
- paragraph: {PRIVACY}
""",
    "open": f"""
- paragraph: Feeling safe
- heading "{OPEN}" [level=1]
- textbox "{OPEN}"
- paragraph: Emails, phone numbers and links are removed before anyone sees it.
- text: 0 / 280
{ACTIONS}
- paragraph: "{OPEN_PRIVACY}"
""",
}


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


def current_heading(page: Page, prompt: str) -> Any:
    """The level-1 heading of the activity (or of its content note)."""
    names = re.compile(f"^(Before this one|{re.escape(prompt)})$")
    return page.get_by_role("heading", level=1, name=names)


@pytest.mark.parametrize("kind", ["scale", "choice", "rank", "open"])
def test_phone_question_tree_focus_and_announcements(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
    kind: str,
) -> None:
    """Heading focused on arrival; the tree as expected; confirmation focused; reveal said."""
    workshop = room.create_workshop(min_group=3)
    phone = join(contexts(**PHONE), room, workshop.code)
    room.goto_first(workshop.id, kind)
    activity = room.control(workshop.id)["activity"]
    heading = current_heading(phone, activity["prompt"])
    expect(heading).to_be_focused()
    if phone.get_by_role("button", name="Continue").count():
        phone.get_by_role("button", name="Continue").press("Enter")
        expect(phone.get_by_role("heading", level=1, name=activity["prompt"])).to_be_focused()
    card = phone.locator("section.question")
    expect(card).to_match_aria_snapshot(SNAPSHOTS[kind])

    answer_by_keyboard(phone, kind)
    # The confirmation takes focus (and so is read out) once the server has the answer.
    confirmation = phone.locator("#screen .answer-status")
    expect(confirmation).to_be_focused()
    expect(confirmation).to_have_text(re.compile(r"^Your answer is in —"))
    for other in range(2):
        answer_by_socket(room, workshop.code, activity, other)
    room.act(workshop.id, "reveal")
    expect(phone.locator("#announcer")).to_have_text("Results are in.")
    # The results have a text equivalent: every figure is text in the tree, not only a bar.
    if kind != "open":
        expect(phone.locator(".results-slot")).to_contain_text(re.compile(r"\d"))
    # And the next activity takes focus on its heading.
    room.act(workshop.id, "next")
    following = room.control(workshop.id)["activity"]
    name = following.get("prompt") or following.get("title") or ""
    expect(phone.get_by_role("heading", level=1).filter(has_text=name[:20])).to_be_focused()


def test_timer_warns_once_in_its_last_ten_seconds(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
) -> None:
    """A polite line at ten seconds left, said once (later snapshots do not repeat it)."""
    workshop = room.create_workshop(min_group=3)
    phone = join(contexts(**PHONE), room, workshop.code)
    room.goto_first(workshop.id, "scale")
    room.act(workshop.id, "timer", seconds=12)
    warning = phone.locator(".countdown-slot [aria-live=polite]")
    expect(warning).to_have_text("")
    expect(warning).to_have_text("10 seconds left to answer.", timeout=6000)
    answer_by_socket(room, workshop.code, room.control(workshop.id)["activity"], 0)
    phone.wait_for_timeout(500)
    expect(warning).to_have_text("10 seconds left to answer.")


def test_control_room_shortcut_sheet_on_question_mark(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
) -> None:
    """ "?" opens the list of shortcuts; Escape closes it and focus returns to the page."""
    workshop = room.create_workshop(min_group=3)
    control = log_in(contexts(**LAPTOP), room)
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.locator("#counts")).to_contain_text("connected")
    control.keyboard.press("Shift+?")
    sheet = control.get_by_role("dialog", name="Keyboard shortcuts")
    expect(sheet).to_be_visible()
    expect(sheet.get_by_role("button", name="Close")).to_be_focused()
    control.keyboard.press("Escape")
    expect(sheet).to_be_hidden()
    control.get_by_role("button", name="Keyboard shortcuts").click()
    expect(sheet).to_be_visible()
