"""A self-paced workshop in Chromium: three phones move through the plan by themselves, answer
out of order, and see an activity's results appear once k of them answered it (issue #13)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .axe import assert_no_violations
from .live import LiveServer

TIMEOUT_MS = 10_000
K = 3
PHONE = {"width": 390, "height": 844}
# Screenshots for the people who review the pages (HEARTH_SHOTS=folder); off by default.
SHOTS = os.environ.get("HEARTH_SHOTS")
PLAN = {
    "title": "Between sessions",
    "slug": "between-sessions",
    "activities": [
        {
            "kind": "content",
            "title": "Welcome back",
            "body": "A few questions to sit with this week.",
        },
        {"kind": "scale", "prompt": "How has this week felt?", "min": 1, "max": 5},
        {
            "kind": "choice",
            "prompt": "What helped most?",
            "options": ["Rest", "Talking", "Walking"],
        },
        {"kind": "open", "prompt": "One thing you noticed", "max_length": 200},
    ],
}

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture
def phones(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Phone-sized pages, each in its own context (its own sessionStorage)."""
    made: list[BrowserContext] = []

    def make(scheme: str = "light") -> Page:
        context = browser.new_context(viewport=PHONE, color_scheme=scheme)  # type: ignore[arg-type]
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context.new_page()

    yield make
    for context in made:
        context.close()


def _self_paced(server: LiveServer) -> dict[str, Any]:
    """Store the plan, create a self-paced workshop of it with k=3 and start it."""
    stored = server.api("POST", "/plans", json=PLAN)
    assert stored.status_code == 201, stored.text
    settings = {"pace": "self", "open_days": 7, "min_group": K}
    created = server.api("POST", "/workshops", json={"plan": PLAN["slug"], "settings": settings})
    assert created.status_code == 201, created.text
    body = dict(created.json())
    server.act(body["id"], "start")
    return body


def _join(page: Page, server: LiveServer, code: str, query: str = "") -> None:
    page.goto(f"{server.base_url}/j/{code}{query}")
    page.locator("#join-button").click()
    expect(page.locator(".pace-nav")).to_be_visible()


def _go_to(page: Page, prompt: str) -> None:
    """Press Next (or Previous) until the activity with this prompt shows."""
    heading = page.get_by_role("heading", name=prompt)
    for _ in range(len(PLAN["activities"])):
        if heading.is_visible():
            return
        nxt = page.get_by_role("button", name="Next")
        if nxt.is_disabled():
            break
        nxt.click()
    for _ in range(len(PLAN["activities"])):
        if heading.is_visible():
            return
        page.get_by_role("button", name="Previous").click()
    expect(heading).to_be_visible()


def _choose(page: Page, label: str) -> None:
    page.locator("form.answer-form").get_by_text(label, exact=True).first.click()
    page.locator("form.answer-form button[type=submit]").click()
    expect(page.locator(".answer-status, [role=status]").first).to_be_attached()


def _shoot(page: Page, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        page.wait_for_timeout(300)
        page.screenshot(path=Path(SHOTS) / f"{name}.png", full_page=True)


def test_three_phones_answer_out_of_order_and_results_appear_at_k(
    server: LiveServer, phones: Callable[..., Page]
) -> None:
    workshop = _self_paced(server)
    a, b, c = phones(), phones("dark"), phones()
    for page in (a, b, c):
        _join(page, server, workshop["code"])
    assert_no_violations(a, label="self-paced phone, first activity")

    # Out of order: a starts at the choice, b at the scale and then the choice, c skips ahead.
    _go_to(a, "What helped most?")
    _choose(a, "Rest")
    waiting = f"Results appear once at least {K} people have answered."
    expect(a.get_by_text(waiting)).to_be_visible()
    _go_to(b, "How has this week felt?")
    _choose(b, "4")
    _go_to(b, "What helped most?")
    _choose(b, "Talking")
    expect(a.get_by_text(waiting)).to_be_visible()  # two answers: still below k
    _go_to(c, "One thing you noticed")
    _go_to(c, "What helped most?")
    # a has moved on: the choice's results reach it as `results` for an activity it is not on.
    _go_to(a, "One thing you noticed")
    _choose(c, "Rest")

    # The third answer to the choice shows its results on every phone that is on it.
    for page in (b, c):
        expect(page.get_by_text(waiting)).to_be_hidden()
        expect(page.locator(".results-slot").get_by_text("Talking")).to_be_visible()
    # ...and on the one that comes back to it, from the results it kept in its plan.
    _go_to(a, "What helped most?")
    expect(a.get_by_text(waiting)).to_be_hidden()
    expect(a.locator(".results-slot").get_by_text("Talking")).to_be_visible()
    # The scale has one answer: its results stay hidden.
    _go_to(b, "How has this week felt?")
    expect(b.get_by_text(waiting)).to_be_visible()
    assert_no_violations(a, label="self-paced phone with results")
    _go_to(b, "What helped most?")
    assert_no_violations(b, label="self-paced phone, dark")
    _shoot(a, "self-paced-phone-light")
    _shoot(b, "self-paced-phone-dark")

    control = server.control(workshop["id"])
    counts = {row["kind"]: row["answered"] for row in control["activities"]}
    assert counts["choice"] == K and counts["scale"] == 1


def test_the_self_paced_phone_speaks_the_chosen_language(
    server: LiveServer, phones: Callable[..., Page]
) -> None:
    workshop = _self_paced(server)
    page = phones()
    _join(page, server, workshop["code"], "?lang=de")
    expect(page.locator(".pace-nav")).to_contain_text("Weiter")
    assert_no_violations(page, label="self-paced phone, German")
    _shoot(page, "self-paced-phone-de")
