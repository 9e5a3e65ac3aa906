"""The series page in Chromium: a series of two sessions made through the API (one at k, one
below it), drawn as a chart with its table, in both schemes, on a phone and a laptop; axe finds
nothing, and the page never shows the figures of the session below k."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .live import LiveServer, Recorder

TIMEOUT_MS = 10_000
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}

expect.set_options(timeout=TIMEOUT_MS)


def _session(
    server: LiveServer,
    sockets: Callable[[str], Recorder],
    series_id: int,
    before: list[int],
    after: list[int],
) -> int:
    """A workshop of the series in which phones answer its check-in and check-out, then end."""
    settings = {"min_group": 3, "series": series_id}
    reply = server.api(
        "POST", "/workshops", json={"plan": "rebuilding-trust", "settings": settings}
    )
    assert reply.status_code == 201, reply.text
    workshop = reply.json()
    scales = [a for a in server.act(workshop["id"], "start")["activities"] if a["kind"] == "scale"]
    phones = [sockets("/participant") for _ in before]
    for phone in phones:
        phone.connect(server.base_url, {"code": workshop["code"]})
    for scale, values in ((scales[0], before), (scales[-1], after)):
        server.act(workshop["id"], "goto", index=scale["index"])
        for phone, value in zip(phones, values, strict=True):
            message = {"activity_id": scale["id"], "value": value, "msg_id": uuid.uuid4().hex}
            assert phone.call("answer", message)["ok"]
    for phone in phones:
        phone.disconnect()
    server.act(workshop["id"], "end")
    return int(workshop["id"])


def _log_in(page: Page, server: LiveServer) -> None:
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))


def _series(server: LiveServer, sockets: Callable[[str], Recorder], title: str) -> int:
    """A series of two sessions: one at k (three answers each side), one below it (two)."""
    reply = server.api("POST", "/series", json={"title": title})
    assert reply.status_code == 201, reply.text
    series = int(reply.json()["id"])
    _session(server, sockets, series, before=[2, 3, 3], after=[4, 4, 5])
    _session(server, sockets, series, before=[1, 2], after=[5, 5])
    report = server.api("GET", f"/series/{series}").json()
    assert [s["comparisons"][0]["hidden"] for s in report["sessions"]] == [None, "below_threshold"]
    return series


def _check_page(page: Page, width: int) -> None:
    """The chart and its table: the session at k in figures, the one below k in words only."""
    chart = page.get_by_role("img", name=re.compile("Mean check-in and check-out"))
    expect(chart).to_be_visible()
    rows = page.get_by_role("table").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("2.67")
    expect(rows.nth(0)).to_contain_text("+1.66")  # the export's mean_shift
    expect(rows.nth(1)).to_contain_text("Fewer than 3 answers")
    # One point per line: the session below k is not drawn, and its figures are nowhere.
    expect(page.locator(".series-chart__svg circle")).to_have_count(1)
    expect(page.locator(".series-chart__svg rect")).to_have_count(1)
    assert "1.50" not in page.content() and "(2 answered)" not in page.content()
    expect(page.get_by_role("button", name="Start session 3")).to_be_visible()
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"the page scrolls sideways ({scroll} px)"


def test_the_series_page_draws_the_group_over_the_sessions(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder], artifacts: Path
) -> None:
    series_id = _series(server, sockets, "Tuesday trust group")
    for size, (width, height) in SIZES.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(
                viewport={"width": width, "height": height}, color_scheme=scheme
            )
            context.set_default_timeout(TIMEOUT_MS)
            page = context.new_page()
            try:
                _log_in(page, server)
                page.goto(f"{server.base_url}/facilitator/series/{series_id}")
                _check_page(page, width)
                assert_no_violations(page, label=f"series page, {size}, {scheme}")
                page.screenshot(path=artifacts / f"series-{size}-{scheme}.png", full_page=True)
                page.get_by_role("link", name="Dashboard").click()
                section = page.locator("section", has=page.locator("#series-heading"))
                expect(section.get_by_role("link", name="Tuesday trust group")).to_be_visible()
                assert_no_violations(page, label=f"dashboard with a series, {size}, {scheme}")
                section.screenshot(path=artifacts / f"series-dashboard-{size}-{scheme}.png")
            finally:
                context.close()


def test_the_series_page_reflows_at_200_percent_text(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder], artifacts: Path
) -> None:
    """A phone with the browser's text at 200% (32 px): the content does not scroll sideways."""
    series_id = _series(server, sockets, "Friday group")
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.context.new_cdp_session(page).send(
            "Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}}
        )
        _log_in(page, server)
        page.goto(f"{server.base_url}/facilitator/series/{series_id}")
        expect(page.get_by_role("table").locator("tbody tr")).to_have_count(2)
        # The page's own content (the shared app header is not this page's: see the report).
        wide = page.evaluate(
            "[...document.querySelectorAll('main *:not(.series-table-wrap *)')]"
            ".filter(e => e.getBoundingClientRect().right > innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className)"
        )
        assert wide == [], wide
        # The table scrolls inside its own box, which the keyboard can reach.
        region = page.get_by_role("region", name="The figures of each session")
        expect(region).to_have_attribute("tabindex", "0")
        page.screenshot(path=artifacts / "series-phone-text200.png")
    finally:
        context.close()


def test_the_dashboard_starts_the_next_session_with_the_keyboard(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder]
) -> None:
    series_id = _series(server, sockets, "Thursday group")
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        _log_in(page, server)
        button = page.get_by_role("button", name="Start session 3 of Thursday group")
        button.focus()
        page.keyboard.press("Enter")
        expect(page).to_have_url(re.compile(r"/facilitator/workshops/\d+$"))
        sessions = server.api("GET", f"/series/{series_id}").json()["sessions"]
        assert len(sessions) == 3 and sessions[-1]["phase"] == "lobby"
        assert page.url.endswith(f"/facilitator/workshops/{sessions[-1]['workshop_id']}")
    finally:
        context.close()


def test_the_series_summary_html_is_drawn_and_passes_axe(
    server: LiveServer, browser: Browser, sockets: Callable[[str], Recorder], artifacts: Path
) -> None:
    """The series summary a facilitator downloads as HTML (the PDF prints the same page)."""
    series_id = _series(server, sockets, "Saturday group")
    reply = server.api("GET", f"/series/{series_id}/export", params={"format": "html"})
    assert reply.status_code == 200, reply.text
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    try:
        page.set_content(reply.text)
        expect(
            page.get_by_role("img", name=re.compile("Mean check-in and check-out"))
        ).to_be_visible()
        expect(page.locator("tbody tr").nth(1)).to_contain_text("Fewer than 3 answers")
        assert_no_violations(page, label="series summary (HTML export)")
        page.screenshot(path=artifacts / "series-summary-html.png", full_page=True)
    finally:
        context.close()
