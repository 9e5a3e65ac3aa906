"""The plan editor in Chromium: build a plan with every kind, reorder it by mouse and by keyboard
alone, see the server's validation error next to its activity, save, and run it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml
from playwright.sync_api import Browser, BrowserContext, Locator, Page, Route, expect

from .live import LiveServer

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


def _log_in(browser: Browser, server: LiveServer) -> tuple[BrowserContext, Page]:
    """A laptop logged in through the login form, on the dashboard."""
    laptop = browser.new_context(**LAPTOP)
    laptop.set_default_timeout(TIMEOUT_MS)
    page = laptop.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    page.errors = errors  # type: ignore[attr-defined]
    return laptop, page


def _card(page: Page, number: int) -> Locator:
    """The editor's card of activity `number` (1-based)."""
    return page.locator("#activity-list > .activity-card").nth(number - 1)


def _pinned(page: Page, number: int) -> Locator:
    """The card that is activity `number` now, followed wherever it moves."""
    key = _card(page, number).get_attribute("data-key")
    return page.locator(f"#activity-list > .activity-card[data-key='{key}']")


def _add(page: Page, kind: str) -> Locator:
    """Add an activity of a kind; the new card is the last one."""
    page.locator(f"#kind-picker [data-kind={kind}]").click()
    return page.locator("#activity-list > .activity-card").last


def _summaries(page: Page) -> list[str]:
    """The one-line summary of every card, in order."""
    return [text.strip() for text in page.locator(".activity-card__summary").all_text_contents()]


def _saved_plan(page: Page) -> dict[str, Any]:
    """The stored plan, through its YAML download (with the page's login cookie)."""
    download = page.locator("#download-link").get_attribute("href")
    assert download and download.endswith(".yaml"), download
    reply = page.request.get(urljoin(page.url, download))
    assert reply.ok, reply.status
    return dict(yaml.safe_load(reply.text()))


def _new_plan(page: Page, title: str) -> None:
    """Open an empty editor from the dashboard and give the plan a title."""
    page.get_by_role("link", name="New plan").click()
    expect(page.get_by_role("heading", name="New plan")).to_be_visible()
    expect(page.locator("#editor[data-ready=true]")).to_have_count(1)
    expect(page.locator("#save-status")).to_have_text("Not saved yet")
    page.get_by_label("Title", exact=True).fill(title)
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")


def test_a_plan_with_every_kind_is_built_saved_and_run(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """Every kind with its options, reordered, refused once, saved, started: the room has it."""
    laptop, page = _log_in(browser, server)
    _new_plan(page, "Every kind, end to end")

    # A new activity opens with its first box focused: typing goes straight in.
    _add(page, "content")
    page.keyboard.type("Welcome")
    card = _card(page, 1)
    card.get_by_label("Style").select_option("agreement")
    card.get_by_label("Text", exact=True).fill("What's said here stays here.\n\nYou can pass.")

    card = _add(page, "choice")
    page.keyboard.type("What shakes trust the most?")
    card.get_by_label("Option 1", exact=True).fill("Secrets")
    card.get_by_label("Option 2", exact=True).fill("Broken promises")
    page.keyboard.press("Enter")  # Enter adds the next option and moves into it
    page.keyboard.type("Silence")
    card.get_by_label("Show results").select_option("live")
    card.get_by_label("Timer in seconds").fill("60")

    card = _add(page, "multi")
    page.keyboard.type("Which of these have you noticed?")
    # A list pasted into an option box fills one box per line (bullets dropped).
    card.get_by_label("Option 1", exact=True).focus()
    page.evaluate(
        r"""() => {
            const data = new DataTransfer();
            data.setData("text/plain", "- Checking\n- Reassurance");
            const init = { clipboardData: data, bubbles: true, cancelable: true };
            document.activeElement.dispatchEvent(new ClipboardEvent("paste", init));
        }"""
    )
    expect(card.locator(".options-editor input")).to_have_count(2)
    expect(card.get_by_label("Option 1", exact=True)).to_have_value("Checking")
    expect(card.get_by_label("Option 2", exact=True)).to_have_value("Reassurance")
    card.get_by_role("button", name="Add option").click()
    page.keyboard.type("Keeping score")
    card.get_by_label("Most choices per person").fill("2")

    card = _add(page, "scale")
    page.keyboard.type("Right now, how settled do you feel?")
    card.get_by_label("Heading").fill("Check-in")
    card.get_by_label("Label for the lowest number").fill("Not settled")
    card.get_by_label("Label for the highest number").fill("Very settled")
    card.get_by_label("Before/after comparison").select_option("pre")

    card = _add(page, "open")
    page.keyboard.type("What helps you feel safe with someone?")
    card.get_by_label("Longest answer (characters)").fill("200")
    card.get_by_label("Content note").fill("This one asks about safety.")

    card = _add(page, "words")
    page.keyboard.type("One word for trust?")
    card.get_by_label("Words per person").select_option("1")

    card = _add(page, "rank")
    page.keyboard.type("Which step feels hardest?")
    card.get_by_label("Option 1", exact=True).fill("Acknowledge the hurt")
    card.get_by_label("Show results").select_option("on_close")
    card.get_by_label("Before/after comparison").select_option("post")

    # The phone preview draws the selected activity with the phone's own widgets.
    preview = page.frame_locator("#preview-frame")
    expect(preview.get_by_role("heading", name="Which step feels hardest?")).to_be_visible()
    expect(preview.get_by_role("button", name=re.compile("Acknowledge the hurt"))).to_be_visible()
    expect(preview.get_by_text("Step 7 of 7")).to_be_visible()

    # The server refuses a ranking of one option; the message sits on that activity.
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-status")).to_have_text("Not saved: activity 7 needs a change.")
    expect(card.locator(".activity-card__error")).to_have_text(
        "Activity 7 'Which step feels hardest?': a ranking needs 2 to 10 options."
    )
    expect(card.get_by_label("Option 1", exact=True)).to_be_focused()
    page.screenshot(path=str(artifacts / "editor-validation-error.png"))
    assert "/plans/new" in page.url, "nothing was stored"

    card.get_by_label("Option 2", exact=True).fill("Set clear boundaries")
    expect(preview.get_by_role("button", name=re.compile("Set clear boundaries"))).to_be_visible()

    # Reorder by mouse: the scale goes first, the rank swaps with the word cloud.
    scale = _pinned(page, 4)
    for _ in range(3):
        scale.get_by_role("button", name="Move up").click()
    _card(page, 7).get_by_role("button", name="Move up").click()
    expect(page.locator(".activity-card__summary")).to_have_text(
        [
            "Right now, how settled do you feel?",
            "Welcome",
            "What shakes trust the most?",
            "Which of these have you noticed?",
            "What helps you feel safe with someone?",
            "Which step feels hardest?",
            "One word for trust?",
        ]
    )

    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    expect(page).to_have_url(re.compile(r"/facilitator/plans/\d+/edit$"))
    expect(page.get_by_role("heading", name="Edit “Every kind, end to end”")).to_be_visible()
    expect(page).to_have_title("Edit “Every kind, end to end” · Hearth")
    page.screenshot(path=str(artifacts / "editor-every-kind.png"), full_page=True)

    saved = _saved_plan(page)
    assert saved["title"] == "Every kind, end to end"
    assert [a["kind"] for a in saved["activities"]] == [
        "scale", "content", "choice", "multi", "open", "rank", "words",
    ]  # fmt: skip
    scale_spec, content, choice, multi, open_, rank, words = saved["activities"]
    assert scale_spec == {
        "kind": "scale", "title": "Check-in", "prompt": "Right now, how settled do you feel?",
        "min": 0, "max": 10, "min_label": "Not settled", "max_label": "Very settled",
        "reveal": "manual", "pair": "pre",
    }  # fmt: skip
    assert content["style"] == "agreement" and content["body"].startswith("What's said")
    assert choice["options"] == ["Secrets", "Broken promises", "Silence"]
    assert (choice["reveal"], choice["seconds"]) == ("live", 60)
    assert multi["max_choices"] == 2 and len(multi["options"]) == 3
    assert open_["max_length"] == 200 and open_["note"] == "This one asks about safety."
    assert rank["options"] == ["Acknowledge the hurt", "Set clear boundaries"]
    assert (rank["reveal"], rank["pair"]) == ("on_close", "post")
    assert words["max_words"] == 1

    # Start a workshop from it: the control room lists the plan as saved.
    page.get_by_role("link", name="Dashboard").click()
    plan_card = page.get_by_role("article", name="Every kind, end to end")
    plan_card.get_by_label("Smallest group for results").fill("3")
    plan_card.get_by_role("button", name="Start a workshop").click()
    expect(page).to_have_url(re.compile(r"/facilitator/workshops/\d+$"))
    expect(page.locator("#plan-list .plan-item__label")).to_have_text(
        [
            "Check-in",  # the control room names an activity by its heading when it has one
            "Welcome",
            "What shakes trust the most?",
            "Which of these have you noticed?",
            "What helps you feel safe with someone?",
            "Which step feels hardest?",
            "One word for trust?",
        ]
    )
    workshop_id = int(page.url.rsplit("/", 1)[1])
    assert server.control(workshop_id)["activities"][0]["kind"] == "scale"
    assert page.errors == []  # type: ignore[attr-defined]
    laptop.close()


def test_the_preview_draws_even_when_its_frame_starts_before_the_editor(
    server: LiveServer, browser: Browser
) -> None:
    """The frame's first "ready" can go out before the editor listens (its modules were cached,
    the editor's were slow): the editor asks again, so the preview still draws.

    The editor's script is held back until the frame has said "ready" to no one, the order that
    left the preview on "Nothing to show yet" in about one load in ten.
    """
    laptop, page = _log_in(browser, server)
    held: list[Route] = []
    page.route("**/js/facilitator/editor/editor.js", lambda route: held.append(route))
    page.goto(f"{server.base_url}/facilitator/plans/new", wait_until="commit")
    preview = page.frame_locator("#preview-frame")
    # The frame's modules are asked for only after the editor's script was (both pages' scripts
    # are found while the page is read), so by now the held request has reached the handler.
    expect(preview.locator("html[data-ready=true]")).to_have_count(1)
    assert len(held) == 1
    expect(page.locator("#editor[data-ready=true]")).to_have_count(0)
    held[0].continue_()
    expect(page.locator("#editor[data-ready=true]")).to_have_count(1)

    _add(page, "content")
    page.keyboard.type("First words")
    expect(preview.get_by_role("heading", name="First words")).to_be_visible()
    assert page.errors == []  # type: ignore[attr-defined]
    laptop.close()


def test_the_editor_works_by_keyboard_alone(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """Add, reorder with Alt+arrows and Move buttons, delete and undo, save: no mouse."""
    laptop, page = _log_in(browser, server)
    _new_plan(page, "Keyboard only")

    for kind, prompt in [("open", "First"), ("words", "Second"), ("choice", "Third")]:
        page.locator(f"#kind-picker [data-kind={kind}]").focus()
        page.keyboard.press("Enter")
        page.keyboard.type(prompt)  # the new activity's question has focus
    assert _summaries(page) == ["First", "Second", "Third"]

    # Alt+↑ inside an activity moves it; focus stays where it was.
    third = _pinned(page, 3).locator(".activity-card__toggle")
    third.focus()
    page.keyboard.press("Alt+ArrowUp")
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator(".activity-card__summary")).to_have_text(["Third", "First", "Second"])
    expect(third).to_be_focused()
    expect(page.locator("#announcer")).to_have_text("Moved to position 1 of 3.")
    page.keyboard.press("Alt+ArrowUp")  # already first: nothing moves, it says so
    expect(page.locator("#announcer")).to_have_text("Already the first activity.")

    # Tab to the card's Move down button; Enter moves it, and focus stays on the button.
    page.keyboard.press("Tab")  # Preview
    page.keyboard.press("Tab")  # Move up
    page.keyboard.press("Tab")  # Move down
    move_down = _card(page, 1).get_by_role("button", name="Move down")
    expect(move_down).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".activity-card__summary")).to_have_text(["First", "Third", "Second"])
    expect(_card(page, 2).get_by_role("button", name="Move down")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.locator(".activity-card__summary")).to_have_text(["First", "Second", "Third"])
    page.screenshot(path=str(artifacts / "editor-keyboard-reorder.png"))

    # Delete the middle one: focus goes to the next activity; Undo puts it back.
    _card(page, 2).get_by_role("button", name="Delete activity").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".activity-card__summary")).to_have_text(["First", "Third"])
    expect(_card(page, 2).locator(".activity-card__toggle")).to_be_focused()
    expect(page.locator("#undo-text")).to_have_text("Deleted activity 2 “Second”.")
    page.get_by_role("button", name="Undo").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".activity-card__summary")).to_have_text(["First", "Second", "Third"])
    expect(_card(page, 2).locator(".activity-card__toggle")).to_be_focused()

    # The choice poll needs options before it saves: Ctrl+S shows why, on the activity.
    page.keyboard.press("Control+s")
    expect(_card(page, 3).locator(".activity-card__error")).to_contain_text("Activity 3 'Third'")
    expect(_card(page, 3).get_by_label("Option 1", exact=True)).to_be_focused()
    page.keyboard.type("Yes")
    page.keyboard.press("Enter")
    page.keyboard.type("No")
    page.keyboard.press("Control+s")
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    saved = _saved_plan(page)
    assert [a["prompt"] for a in saved["activities"]] == ["First", "Second", "Third"]
    assert saved["activities"][2]["options"] == ["Yes", "No"]

    # Saved means no warning on leaving; a change brings "Unsaved changes" back.
    _card(page, 1).locator(".activity-card__toggle").focus()
    page.keyboard.press("Alt+ArrowDown")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    page.keyboard.press("Alt+ArrowUp")
    expect(page.locator("#save-status")).not_to_have_text("Unsaved changes")
    assert page.errors == []  # type: ignore[attr-defined]
    laptop.close()


def test_an_article_becomes_a_draft_that_is_saved_only_on_save(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    """Import an article: the editor opens with the draft, unsaved, and warns before leaving."""
    laptop, page = _log_in(browser, server)
    plans_before = len(server.api("GET", "/plans").json()["plans"])
    page.get_by_role("link", name="Import an article").click()
    article = Path(__file__).resolve().parents[1] / "fixtures" / "trust-issues.txt"
    page.get_by_label("Choose a file").set_input_files(str(article))
    page.get_by_role("button", name="Make a draft").click()
    expect(page.get_by_role("heading", name="Review the draft")).to_be_visible()
    expect(page.locator("#editor[data-ready=true]")).to_have_count(1)
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    assert page.locator("#activity-list > .activity-card").count() > 10
    page.screenshot(path=str(artifacts / "editor-import-draft.png"))
    assert len(server.api("GET", "/plans").json()["plans"]) == plans_before

    dialogs: list[str] = []

    def dismiss(dialog: Any) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("link", name="Dashboard").click()
    assert dialogs == ["beforeunload"]

    page.get_by_role("button", name="Save").click()
    expect(page.locator("#save-status")).to_have_text(re.compile(r"^Saved at "))
    assert len(server.api("GET", "/plans").json()["plans"]) == plans_before + 1
    page.get_by_role("link", name="Dashboard").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    laptop.close()
