"""The Q&A board on the projector on demand, and taking back a Reject or a Dismiss, in Chromium.

A facilitator shows the board on the projector during a poll (the projector reloads and still
shows it) and hides it again; rejects an open answer and undoes it; dismisses a question and
restores it from the Dismissed list, votes and all. axe runs on each new state, and screenshots
of the projector's board and the control room's lists, at 390x844 and 1366x768, light, dark and
Arabic, go to test-artifacts/e2e/qa-board/ (or HEARTH_SHOTS) for a person to look at.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer, Recorder

TIMEOUT_MS = 10_000
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}
QUESTIONS = [
    "How do we start again after a big breach of trust?",
    "Is it normal to feel wary even when things are going well?",
    "What if only one of us wants to rebuild?",
]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "qa-board")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def laptop(browser: Browser, room: LiveServer) -> Iterator[Callable[..., BrowserContext]]:
    """Logged-in laptop contexts (light or dark); all closed after the test."""
    made: list[BrowserContext] = []

    def make(scheme: str = "light") -> BrowserContext:
        context = browser.new_context(
            viewport={"width": 1366, "height": 768}, color_scheme=scheme, reduced_motion="reduce"
        )
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        page = context.new_page()
        page.goto(f"{room.base_url}/facilitator/login")
        page.get_by_label("Email").fill(room.email)
        page.get_by_label("Password").fill(room.password)
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        page.close()
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def phones(room: LiveServer) -> Iterator[Callable[[str], Recorder]]:
    made: list[Recorder] = []

    def join(code: str) -> Recorder:
        phone = Recorder("/participant")
        phone.connect(room.base_url, {"code": code})
        made.append(phone)
        return phone

    yield join
    for phone in made:
        phone.disconnect()


def _shoot(page: Page, shots: Path, name: str, show: Locator | None = None) -> None:
    """Both sizes the project checks (scrolled to `show`), then back to the first."""
    first = page.viewport_size
    for size, (width, height) in SIZES.items():
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(200)  # the projector refits its text on resize
        if show is not None:
            show.scroll_into_view_if_needed()
        page.screenshot(path=shots / f"{name}-{size}.png")
    if first:
        page.set_viewport_size(first)


def _ask(room: LiveServer, workshop_id: int, phone: Recorder, text: str) -> int:
    """A phone asks; the facilitator approves it. Returns the question's id."""
    ack = phone.call("ask", {"text": text, "msg_id": uuid.uuid4().hex})
    assert ack["ok"], ack
    room.act(workshop_id, "qa_approve", question_id=ack["question_id"])
    return int(ack["question_id"])


def _board_with_questions(
    room: LiveServer, phones: Callable[[str], Recorder], plan: str = "rebuilding-trust"
) -> tuple[int, str, str, list[int]]:
    """A live workshop on its first poll with three approved questions, the first most voted."""
    workshop = room.create_workshop(min_group=3, plan=plan)
    room.goto_first(workshop.id, "choice")
    voters = [phones(workshop.code) for _ in range(3)]
    ids = [_ask(room, workshop.id, voters[0], text) for text in QUESTIONS]
    for phone in voters[1:]:
        assert phone.call("upvote", {"question_id": ids[0]})["counted"]
    assert voters[2].call("upvote", {"question_id": ids[1]})["counted"]
    return workshop.id, workshop.present_url, workshop.code, ids


def _questions_tab(control: Page) -> None:
    control.get_by_role("tab", name="Questions").click()


def test_the_board_goes_on_the_projector_during_a_poll_and_off_again(
    room: LiveServer,
    laptop: Callable[..., BrowserContext],
    browser: Browser,
    phones: Callable[[str], Recorder],
    shots: Path,
) -> None:
    workshop_id, present_url, _, _ = _board_with_questions(room, phones)
    control = laptop().new_page()
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop_id}")
    projector_context = browser.new_context(viewport={"width": 1366, "height": 768})
    projector_context.set_default_timeout(TIMEOUT_MS)
    projector = projector_context.new_page()
    projector.goto(present_url)
    poll_prompt = projector.locator("#stage .slide-prompt")
    expect(poll_prompt).to_be_visible()
    board_heading = projector.get_by_role("heading", name="Questions from the room")
    expect(board_heading).to_be_hidden()

    _questions_tab(control)
    toggle = control.get_by_role("button", name="Show board on projector")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    assert_no_violations(control, label="control room, board on the projector")

    expect(board_heading).to_be_visible()
    expect(poll_prompt).to_be_hidden()
    items = projector.locator(".board__item")
    expect(items).to_have_count(3)
    expect(items.first).to_contain_text(QUESTIONS[0])
    expect(items.first).to_contain_text("2 votes")
    assert_no_violations(projector, label="projector board")
    _shoot(projector, shots, "projector-board-light")

    # The board is the workshop's state: a projector that reloads shows it again.
    projector.reload()
    expect(board_heading).to_be_visible()
    dark = projector_context.new_page()
    dark.goto(f"{present_url}?theme=dark")
    expect(dark.get_by_role("heading", name="Questions from the room")).to_be_visible()
    assert_no_violations(dark, label="projector board, dark")
    _shoot(dark, shots, "projector-board-dark")

    # The poll went on underneath: answers still count, and Hide brings it back.
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(board_heading).to_be_hidden()
    expect(poll_prompt).to_be_visible()
    assert room.control(workshop_id)["qa"]["shown"] is False
    projector_context.close()


def test_the_arabic_projector_board(
    room: LiveServer, browser: Browser, phones: Callable[[str], Recorder], shots: Path
) -> None:
    workshop_id, present_url, _, _ = _board_with_questions(room, phones, "rebuilding-trust-ar")
    room.act(workshop_id, "qa_show")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    context.set_default_timeout(TIMEOUT_MS)
    projector = context.new_page()
    projector.goto(present_url)
    expect(projector.locator("html")).to_have_attribute("dir", "rtl")
    expect(projector.get_by_role("heading", name="أسئلة من الغرفة")).to_be_visible()
    expect(projector.locator(".board__item").first).to_contain_text("صوتان")
    assert_no_violations(projector, label="projector board, Arabic")
    _shoot(projector, shots, "projector-board-ar")
    context.close()


def test_reject_then_undo_and_dismiss_then_restore(
    room: LiveServer,
    laptop: Callable[..., BrowserContext],
    phones: Callable[[str], Recorder],
    shots: Path,
) -> None:
    workshop_id, _, code, ids = _board_with_questions(room, phones)
    activity = room.goto_first(workshop_id, "open")
    for text in ("Kindness", "Time together", "Patience"):
        ack = phones(code).call(
            "answer", {"activity_id": activity["id"], "value": text, "msg_id": uuid.uuid4().hex}
        )
        assert ack["ok"], ack
    control = laptop().new_page()
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop_id}")
    queue = control.locator("#moderation-list")
    expect(queue.locator("li")).to_have_count(3)

    # Reject by keyboard, then Undo: the answer is back in the queue, nothing else moved.
    item = queue.locator("li", has_text="Time together")
    item.get_by_role("button", name="Reject").focus()
    control.keyboard.press("Enter")
    expect(queue.locator("li")).to_have_count(2)
    message = control.get_by_role("status").filter(has_text="Answer rejected.")
    expect(message).to_be_visible()
    expect(control.locator("#undo-text")).to_have_attribute("aria-live", "polite")
    undo = control.get_by_role("button", name="Undo")
    expect(control.locator("#rejected-answers summary")).to_have_text("1 rejected answer")
    assert_no_violations(control, label="control room, undo offered")
    _shoot(control, shots, "control-undo-light", control.locator("#undo"))
    undo.focus()  # reachable by keyboard, and Enter presses it
    control.keyboard.press("Enter")
    expect(queue.locator("li")).to_have_count(3)
    expect(control.locator("#toast")).to_have_text("The answer is back in the queue.")
    expect(undo).to_be_hidden()
    expect(control.locator("#rejected-answers")).to_be_hidden()
    assert [e["text"] for e in room.control(workshop_id)["rejected"]["answers"]] == []

    # Rejected again, it waits in the Rejected list; Restore puts it back in the queue.
    queue.locator("li", has_text="Time together").get_by_role("button", name="Reject").click()
    expect(queue.locator("li")).to_have_count(2)
    rejected = control.locator("#rejected-answers")
    rejected.locator("summary").click()
    expect(rejected.get_by_text("Time together")).to_be_visible()
    assert_no_violations(control, label="control room, rejected answers")

    # Dismiss a question; let the minute pass by restoring it from the Dismissed list instead.
    _questions_tab(control)
    board = control.locator("#qa-approved")
    board.locator("li", has_text=QUESTIONS[0]).get_by_role("button", name="Dismiss").click()
    expect(control.get_by_role("status").filter(has_text="Question dismissed.")).to_be_visible()
    expect(board.locator("li")).to_have_count(2)
    dismissed = control.locator("#rejected-questions")
    dismissed.locator("summary").click()
    expect(dismissed.locator("li")).to_contain_text("2 votes")
    assert_no_violations(control, label="control room, dismissed questions")
    _shoot(control, shots, "control-rejected-light", dismissed)
    dismissed.get_by_role("button", name="Restore").click()
    expect(control.locator("#toast")).to_contain_text("back in the queue")
    pending = control.locator("#qa-pending")
    expect(pending.locator("li", has_text=QUESTIONS[0])).to_be_visible()
    expect(dismissed).to_be_hidden()
    # Approved again, it stands first on the board with the votes it had.
    pending.get_by_role("button", name="Approve").click()
    expect(board.locator("li").first).to_contain_text(QUESTIONS[0])
    expect(board.locator("li").first).to_contain_text("2 votes")
    question = next(q for q in room.control(workshop_id)["qa"]["questions"] if q["id"] == ids[0])
    assert (question["status"], question["votes"]) == ("approved", 2)
    # Restore the rejected answer too, then leave one of each in the lists for the screenshots.
    control.get_by_role("tab", name="Answers").click()
    rejected.get_by_role("button", name="Restore").click()
    expect(queue.locator("li")).to_have_count(3)


@pytest.mark.parametrize("look", ["dark", "ar"])
def test_the_rejected_lists_dark_and_arabic(
    room: LiveServer,
    laptop: Callable[..., BrowserContext],
    phones: Callable[[str], Recorder],
    shots: Path,
    look: str,
) -> None:
    workshop_id, _, code, ids = _board_with_questions(room, phones)
    room.act(workshop_id, "qa_dismiss", question_id=ids[1])
    activity = room.goto_first(workshop_id, "open")
    for text in ("Kindness", "Time together", "Patience"):
        payload = {"activity_id": activity["id"], "value": text, "msg_id": uuid.uuid4().hex}
        assert phones(code).call("answer", payload)["ok"]
    answer = next(e for e in room.control(workshop_id)["moderation"] if e["text"] == "Patience")
    room.act(workshop_id, "reject", response_id=answer["response_id"])
    control = laptop("dark" if look == "dark" else "light").new_page()
    suffix = "?lang=ar" if look == "ar" else ""
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop_id}{suffix}")
    rejected = control.locator("#rejected-answers")
    expect(rejected).to_be_visible()
    rejected.locator("summary").click()
    expect(rejected.get_by_text("Patience")).to_be_visible()
    if look == "ar":
        expect(control.locator("html")).to_have_attribute("dir", "rtl")
        expect(rejected.locator("summary")).to_have_text("إجابة مرفوضة واحدة")
        expect(control.locator("#rejected-questions summary")).to_have_text("سؤال متجاهَل واحد")
    assert_no_violations(control, label=f"control room, rejected answers, {look}")
    _shoot(control, shots, f"control-rejected-answers-{look}", rejected)
    control.locator("[role=tab][aria-controls=panel-questions]").click()
    dismissed = control.locator("#rejected-questions")
    dismissed.locator("summary").click()
    expect(dismissed.get_by_text(QUESTIONS[1])).to_be_visible()
    assert_no_violations(control, label=f"control room, dismissed questions, {look}")
    _shoot(control, shots, f"control-rejected-{look}", dismissed)
