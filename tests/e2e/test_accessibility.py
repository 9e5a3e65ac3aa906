"""axe-core on every page and state that matters, in the light and the dark scheme.

Zero violations at any impact, with the WCAG 2.2 AA and best-practice rules (tests/e2e/axe.py).
docs/accessibility.md lists which test proves which point. One server serves the whole module
(eventlet only: the markup does not depend on the async mode, and the other e2e modules already
run both); each test makes its own workshop, so tests stay independent.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .axe import assert_no_violations
from .conftest import _serve
from .live import LiveServer, Recorder

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PROJECTOR = {"viewport": {"width": 1280, "height": 720}}
TIMEOUT_MS = 10_000
SCHEMES = ["light", "dark"]
ANSWERABLE = ["choice", "multi", "scale", "rank", "words", "open"]
# Two socket phones answer besides the browser's, so results reach the smallest group (3).
OTHERS = 2

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(params=SCHEMES)
def scheme(request: pytest.FixtureRequest) -> str:
    """The colour scheme the browser asks for."""
    return str(request.param)


@pytest.fixture
def contexts(browser: Browser, scheme: str) -> Iterator[Callable[..., BrowserContext]]:
    """A factory of browser contexts in this test's scheme; all closed afterwards."""
    made: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(color_scheme=scheme, reduced_motion="reduce", **options)
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def log_in(context: BrowserContext, room: LiveServer) -> Page:
    """The facilitator logged in through the form, on the dashboard."""
    page = context.new_page()
    page.goto(f"{room.base_url}/facilitator/login")
    page.get_by_label("Email").fill(room.email)
    page.get_by_label("Password").fill(room.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    return page


def join(context: BrowserContext, room: LiveServer, code: str) -> Page:
    """A phone that opened the join link and accepted the intro."""
    page = context.new_page()
    page.goto(f"{room.base_url}/j/{code}")
    assert_no_violations(page, label="phone intro")
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="You're in.")).to_be_visible()
    return page


def sample_answer(activity: dict[str, Any], other: int) -> Any:
    """A valid answer of `activity`'s kind for socket phone number `other`."""
    kind = activity["kind"]
    options = activity.get("options") or []
    return {
        "choice": other % max(len(options), 1),
        "multi": [other % max(len(options), 1)],
        "scale": activity.get("min", 1),
        "rank": list(range(len(options))),
        "words": ["steady"],
        "open": "Listening helped.",
    }[kind]


def answer_by_socket(room: LiveServer, code: str, activity: dict[str, Any], other: int) -> None:
    """Another phone in the room answers the current activity."""
    phone = Recorder("/participant")
    phone.connect(room.base_url, {"code": code})
    try:
        ack = phone.call(
            "answer",
            {
                "activity_id": activity["id"],
                "value": sample_answer(activity, other),
                "msg_id": uuid.uuid4().hex,
            },
        )
        assert ack["ok"], ack
    finally:
        phone.disconnect()


def answer_by_keyboard(page: Page, kind: str) -> None:
    """Answer the showing question with the keyboard alone."""
    form = page.locator("form.answer-form")
    if kind in ("choice", "multi", "scale"):
        first = form.locator("input").first
        first.focus()
        page.keyboard.press("Space")
        expect(first).to_be_checked()
    elif kind == "rank":
        for button in form.locator(".rank-option").all():
            button.focus()
            page.keyboard.press("Enter")
        expect(form.locator(".rank-count")).to_have_text(re.compile(r"^(\d+) of \1 placed$"))
    elif kind == "words":
        form.locator("input").first.focus()
        page.keyboard.type("calm")
    else:
        form.locator("textarea").focus()
        page.keyboard.type("It felt safe to listen.")
    send = page.get_by_role("button", name="Send answer")
    send.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text(re.compile(r"^Your answer is in —"))).to_be_visible()


def continue_past_note(page: Page, prompt: str) -> None:
    """Wait for the activity (or its content note) and accept the note if there is one."""
    names = re.compile(f"^(Before this one|{re.escape(prompt)})$")
    expect(page.get_by_role("heading", level=1, name=names)).to_be_visible()
    button = page.get_by_role("button", name="Continue")
    if button.count():
        assert_no_violations(page, label="phone content note")
        button.click()


@pytest.mark.parametrize("kind", ANSWERABLE)
def test_phone_and_projector_through_a_question(
    room: LiveServer, contexts: Callable[..., BrowserContext], kind: str, scheme: str
) -> None:
    """Phone before answering, answered and revealed; the projector before and after reveal."""
    workshop = room.create_workshop(min_group=3)
    phone = join(contexts(**PHONE), room, workshop.code)
    assert_no_violations(phone, label="phone lobby")
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(f"{workshop.present_url}?theme={scheme}")
    expect(projector.locator("#lobby-code")).to_have_text(workshop.code)
    assert_no_violations(projector, label="projector lobby")

    activity = room.goto_first(workshop.id, kind)
    activity = room.control(workshop.id)["activity"]
    continue_past_note(phone, activity["prompt"])
    expect(phone.locator("form.answer-form")).to_be_visible()
    assert_no_violations(phone, label=f"phone {kind} before answering")
    assert_no_violations(projector, label=f"projector {kind} open")

    answer_by_keyboard(phone, kind)
    assert_no_violations(phone, label=f"phone {kind} answered")
    for other in range(OTHERS):
        answer_by_socket(room, workshop.code, activity, other)
    room.act(workshop.id, "reveal")
    expect(phone.locator(".results, .results-card, [data-results]").first).to_be_attached()
    assert_no_violations(phone, label=f"phone {kind} revealed")
    assert_no_violations(projector, label=f"projector {kind} revealed")


def test_phone_slide_break_questions_and_end(
    room: LiveServer, contexts: Callable[..., BrowserContext], scheme: str
) -> None:
    """A content slide, the break screen, the Questions panel and the end screen."""
    workshop = room.create_workshop(min_group=3)
    phone = join(contexts(**PHONE), room, workshop.code)
    projector = contexts(**PROJECTOR).new_page()
    projector.goto(f"{workshop.present_url}?theme={scheme}")
    room.act(workshop.id, "start")  # the plan opens with a slide
    expect(phone.get_by_role("heading", name="How we'll be together today")).to_be_visible()
    assert_no_violations(phone, label="phone slide")
    assert_no_violations(projector, label="projector slide")

    phone.get_by_role("button", name="I need a break").click()
    expect(phone.get_by_role("heading", name="Take the time you need")).to_be_focused()
    # Support numbers are tel: links, so one tap calls them.
    expect(phone.locator('.resources a[href="tel:988"]')).to_be_visible()
    assert_no_violations(phone, label="phone break screen")
    phone.get_by_role("button", name="Back to the session").click()

    room.act(workshop.id, "qa_open")
    asker = Recorder("/participant")
    asker.connect(room.base_url, {"code": workshop.code})
    try:
        ack = asker.call("ask", {"text": "How do we start again?", "msg_id": uuid.uuid4().hex})
        assert ack["ok"], ack
    finally:
        asker.disconnect()
    phone.get_by_role("button", name="Ask a question").click()
    expect(phone.get_by_role("heading", name="Questions")).to_be_focused()
    assert_no_violations(phone, label="phone questions")
    question = room.control(workshop.id)["qa"]["questions"][0]
    room.act(workshop.id, "qa_approve", question_id=question["id"])
    expect(projector.get_by_text("How do we start again?")).to_be_visible()
    assert_no_violations(projector, label="projector questions")

    room.act(workshop.id, "end")
    expect(phone.get_by_role("heading", name="Thank you for taking part.")).to_be_visible()
    assert_no_violations(phone, label="phone ended")
    expect(projector.get_by_role("heading", name="Thank you")).to_be_visible()
    assert_no_violations(projector, label="projector ended")


def test_control_room_live_moderation_questions_and_summary(
    room: LiveServer, contexts: Callable[..., BrowserContext], scheme: str
) -> None:
    """The control room during a poll, with written answers to moderate, with Q&A, and after."""
    workshop = room.create_workshop(min_group=3)
    control = log_in(contexts(**LAPTOP), room)
    assert_no_violations(control, label="dashboard")
    control.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
    expect(control.locator("#counts")).to_contain_text("connected")
    assert_no_violations(control, label="control room lobby")

    poll = room.goto_first(workshop.id, "choice")
    poll = room.control(workshop.id)["activity"]
    for other in range(3):
        answer_by_socket(room, workshop.code, poll, other)
    expect(control.locator("#counts")).to_contain_text("3 answered")
    assert_no_violations(control, label="control room poll")
    room.act(workshop.id, "timer", seconds=60)
    room.act(workshop.id, "reveal")
    expect(control.locator("#stage-results .results-bar").first).to_be_visible()
    assert_no_violations(control, label="control room poll revealed")

    open_question = room.goto_first(workshop.id, "open")
    open_question = room.control(workshop.id)["activity"]
    for other in range(3):
        answer_by_socket(room, workshop.code, open_question, other)
    expect(control.locator("#counts")).to_contain_text("3 answered")
    assert_no_violations(control, label="control room moderation")

    room.act(workshop.id, "qa_open")
    asker = Recorder("/participant")
    asker.connect(room.base_url, {"code": workshop.code})
    try:
        ack = asker.call("ask", {"text": "Is it normal to feel wary?", "msg_id": uuid.uuid4().hex})
        assert ack["ok"], ack
    finally:
        asker.disconnect()
    control.get_by_role("tab", name=re.compile(r"^Questions")).click()
    expect(control.get_by_text("Is it normal to feel wary?")).to_be_visible()
    assert_no_violations(control, label="control room questions")

    room.act(workshop.id, "end")
    control.reload()
    expect(control.get_by_role("tab", name="Summary")).to_have_attribute("aria-selected", "true")
    assert_no_violations(control, label="control room summary")
    control.get_by_role("button", name="Publish and show the QR code").click()
    link = control.locator("#take-home-url")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{32}$"))
    assert_no_violations(control, label="control room summary published")
    control.get_by_role("tab", name="Look back").click()
    assert_no_violations(control, label="control room look back")

    take_home = contexts(**PHONE).new_page()
    take_home.goto(link.input_value())
    expect(take_home.get_by_role("heading", name="If today brought something up")).to_be_visible()
    expect(take_home.locator('a[href="tel:988"]')).to_be_visible()
    assert_no_violations(take_home, label="take-home page")


def test_html_export(room: LiveServer, contexts: Callable[..., BrowserContext]) -> None:
    """The HTML summary a facilitator downloads."""
    workshop = room.create_workshop(min_group=3)
    poll = room.goto_first(workshop.id, "choice")
    poll = room.control(workshop.id)["activity"]
    for other in range(3):
        answer_by_socket(room, workshop.code, poll, other)
    # The check-in and the check-out: the export compares them in a table.
    pair = [
        a
        for a in room.control(workshop.id)["activities"]
        if a["label"] in ("Check-in", "Check-out")
    ]
    for step in pair:
        room.act(workshop.id, "goto", index=step["index"])
        scale = room.control(workshop.id)["activity"]
        for other in range(3):
            answer_by_socket(room, workshop.code, scale, other)
    room.act(workshop.id, "end")
    reply = room.api("GET", f"/workshops/{workshop.id}/export", params={"format": "html"})
    assert reply.status_code == 200, reply.text
    page = contexts(**LAPTOP).new_page()
    page.set_content(reply.text)
    assert_no_violations(page, label="HTML export")


@pytest.mark.parametrize(
    "path",
    [
        "/facilitator/",
        "/facilitator/plans/new",
        "/facilitator/plans/import",
        "/facilitator/plans/upload",
    ],
)
def test_facilitator_pages(
    room: LiveServer, contexts: Callable[..., BrowserContext], path: str
) -> None:
    """Dashboard, plan editor, import and upload."""
    page = log_in(contexts(**LAPTOP), room)
    page.goto(f"{room.base_url}{path}")
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, label=path)


def test_plan_editor_of_the_built_in_plan(
    room: LiveServer, contexts: Callable[..., BrowserContext]
) -> None:
    """The editor holding a whole plan (every kind's form)."""
    page = log_in(contexts(**LAPTOP), room)
    plans = room.api("GET", "/plans").json()
    plan_id = plans["plans"][0]["id"] if isinstance(plans, dict) else plans[0]["id"]
    page.goto(f"{room.base_url}/facilitator/plans/{plan_id}/edit")
    page.wait_for_load_state("networkidle")
    assert_no_violations(page, label="plan editor")


@pytest.mark.parametrize(
    "path", ["/", "/join", "/privacy", "/exit", "/facilitator/login", "/nowhere"]
)
def test_public_pages(room: LiveServer, contexts: Callable[..., BrowserContext], path: str) -> None:
    """Join, privacy, quick exit, login and the error page."""
    page = contexts(**PHONE).new_page()
    page.goto(f"{room.base_url}{path}")
    assert_no_violations(page, label=path)


def test_setup_page(contexts: Callable[..., BrowserContext]) -> None:
    """The first-run account page (a fresh server prints its one-time link)."""
    with contextlib.ExitStack() as stack:
        fresh = stack.enter_context(_serve({"HEARTH_ASYNC_MODE": "eventlet"}))
        match = re.search(r"(/facilitator/setup/\S+)", fresh.log_text())
        assert match, fresh.log_text()
        page = contexts(**LAPTOP).new_page()
        page.goto(f"{fresh.base_url}{match.group(1)}")
        expect(page.get_by_role("button")).not_to_have_count(0)
        assert_no_violations(page, label="setup")


def test_presenter_view(
    room: LiveServer, contexts: Callable[..., BrowserContext], scheme: str
) -> None:
    """The presenter view: the lobby, a slide with its script, a timed poll with the room's
    signals, and the end; the arrow keys move through the plan."""
    workshop = room.create_workshop(min_group=3)
    presenter = log_in(contexts(**LAPTOP), room)
    presenter.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}/presenter")
    expect(presenter.locator("#presenter-step")).to_have_text("Waiting to start")
    expect(presenter.locator("#presenter-next")).to_have_text("How we'll be together today")
    assert_no_violations(presenter, label="presenter lobby")

    room.act(workshop.id, "start")
    expect(presenter.locator("#presenter-script li").first).to_be_visible()
    expect(presenter.locator("#presenter-step")).to_have_text("Step 1 of 23")
    assert_no_violations(presenter, label="presenter slide with a script")

    presenter.keyboard.press("ArrowRight")
    expect(presenter.locator("#presenter-step")).to_have_text("Step 2 of 23")
    assert room.control(workshop.id)["index"] == 1

    room.goto_first(workshop.id, "choice")
    room.act(workshop.id, "timer", seconds=60)
    signaller = Recorder("/participant")
    signaller.connect(room.base_url, {"code": workshop.code})
    try:
        assert signaller.call("signal", {"kind": "break"}) is not None
        assert signaller.call("react", {"emoji": "💛"}) is not None
    finally:
        signaller.disconnect()
    expect(presenter.locator("#presenter-timer")).to_contain_text("Closes in")
    expect(presenter.locator("#presenter-breaks")).to_have_text("1")
    assert_no_violations(presenter, label="presenter poll with a timer and signals")

    room.act(workshop.id, "end")
    expect(presenter.locator("#presenter-step")).to_have_text("This workshop has ended")
    assert_no_violations(presenter, label="presenter ended")
