"""The phone, the projector and the control room draw a kind's results with one module.

static/js/common/results.js draws for all three (docs/architecture.md, "The browser code"):
for the same revealed results, each screen shows the same labels and figures in the same
order, the bars are hidden from screen readers while every figure stays text, and only the
phone titles its drawing (the big screens have their own headings around it).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from .live import LiveServer, Recorder
from .test_accessibility import (
    LAPTOP,
    PHONE,
    TIMEOUT_MS,
    continue_past_note,
    join,
    log_in,
)

# Three different answers per kind, so that order and sizes differ between options.
ANSWERS: dict[str, list[Any]] = {
    "choice": [1, 1, 2],
    "multi": [[0, 1], [1], [2, 3]],
    "scale": [2, 5, 5],
    "rank": [[2, 0, 1, 3], [2, 1, 0, 3], [0, 2, 1, 3]],
    "words": [["steady"], ["calm"], ["steady"]],
}
# What each kind's drawing shows as text: (what a row is called, what its figure is).
FIGURES = {
    "choice": (".results-bar__label", ".results-bar__figure"),
    "multi": (".results-bar__label", ".results-bar__figure"),
    "rank": (".results-bar__label", ".results-bar__figure"),
    "scale": (".results-column__point", ".results-column__count"),
}


@pytest.fixture
def contexts(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of browser contexts, all closed afterwards."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(reduced_motion="reduce", **options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def answer(room: LiveServer, code: str, activity_id: int, value: Any) -> None:
    """Another phone in the room answers."""
    phone = Recorder("/participant")
    phone.connect(room.base_url, {"code": code})
    try:
        payload = {"activity_id": activity_id, "value": value, "msg_id": uuid.uuid4().hex}
        assert phone.call("answer", payload)["ok"]
    finally:
        phone.disconnect()


def texts(drawing: Locator, selector: str) -> list[str]:
    """The text of each match's own first text node (a word without its count)."""
    return [
        str(text).strip()
        for text in drawing.locator(selector).evaluate_all(
            "nodes => nodes.map((n) => n.firstChild.textContent)"
        )
    ]


@pytest.mark.parametrize("kind", list(ANSWERS))
def test_every_screen_draws_the_same_results(
    room: LiveServer,
    contexts: Callable[..., BrowserContext],
    kind: str,
) -> None:
    workshop = room.create_workshop(min_group=3)
    phone = join(contexts(**PHONE), room, workshop.code)
    projector: Page = contexts(**LAPTOP).new_page()
    projector.goto(workshop.present_url)
    control = log_in(contexts(**LAPTOP), room)
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.locator("#counts")).to_contain_text("connected")

    room.goto_first(workshop.id, kind)
    activity = room.control(workshop.id)["activity"]
    continue_past_note(phone, activity["prompt"])
    for value in ANSWERS[kind]:
        answer(room, workshop.code, activity["id"], value)
    room.act(workshop.id, "reveal")

    drawings = {
        "phone": phone.locator(".results-slot .results--phone"),
        "projector": projector.locator(".slide-results .results--projector"),
        "control": control.locator("#stage-results .results--facilitator"),
    }
    for drawing in drawings.values():
        expect(drawing).to_be_visible()
    # The phone's drawing is a titled region; the big screens title it themselves.
    expect(phone.get_by_role("region", name="Group results")).to_be_visible()
    expect(drawings["phone"].get_by_role("heading", level=2)).to_have_count(1)
    for screen in ("projector", "control"):
        expect(drawings[screen].get_by_role("heading")).to_have_count(0)

    if kind == "words":
        shown = {screen: texts(drawing, ".results-word") for screen, drawing in drawings.items()}
        assert shown["phone"] == ["steady", "calm"], shown
    else:
        label, figure = FIGURES[kind]
        shown = {
            screen: list(zip(texts(drawing, label), texts(drawing, figure), strict=True))
            for screen, drawing in drawings.items()
        }
        assert shown["phone"], shown
    assert shown["phone"] == shown["projector"] == shown["control"], shown
    # Bars and columns are pictures of figures that are text beside them.
    for drawing in drawings.values():
        for bar in drawing.locator(".results-bar__track").all():
            expect(bar).to_have_attribute("aria-hidden", "true")
