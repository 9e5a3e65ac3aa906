"""Issue #11 in Chromium: a phone's errors in its own language, the take-home link on its end
screen, a calm word on the Questions panel when something new opens, and the resources dialog's
region. Each state runs axe and leaves screenshots at 390x844 and 1366x768, in German, Arabic and
the dark scheme (test-artifacts/e2e/i18n-errors/, or HEARTH_SHOTS when set).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS, _hearth, _serve
from .live import LiveServer, Recorder, Workshop

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
LAPTOP = {"width": 1366, "height": 768}
TIMEOUT_MS = 10_000
# page language, colour scheme, the Join button, the panel's notice, the take-home link,
# the unknown code's message on the error page
VARIANTS = [
    (
        "de",
        "light",
        "Mitmachen",
        "In der Sitzung gibt es etwas Neues.",
        "Seite zum Mitnehmen öffnen",
        "Kein Workshop hat diesen Code.",
    ),
    (
        "ar",
        "light",
        "انضم",
        "فُتح شيء جديد في الجلسة.",
        "افتح صفحة الملخّص",
        "لا توجد ورشة بهذا الرمز.",
    ),
    (
        "de",
        "dark",
        "Mitmachen",
        "In der Sitzung gibt es etwas Neues.",
        "Seite zum Mitnehmen öffnen",
        "Kein Workshop hat diesen Code.",
    ),
]
IDS = ["de", "ar", "dark"]

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def room() -> Iterator[LiveServer]:
    """One server (eventlet) that lets one new phone per address join each workshop, so that a
    second one is refused with `rate_limited` (the refusal a phone can meet in a real room)."""
    with _serve({"HEARTH_ASYNC_MODE": "eventlet", "HEARTH_PHONES_PER_ADDRESS": "1"}) as live:
        password = f"{live.password}\n{live.password}\n"
        _hearth(live.instance, "facilitator", "create", live.email, stdin=password)
        live.token = _hearth(live.instance, "token", "create", live.email).strip().splitlines()[-1]
        yield live


@pytest.fixture(scope="module")
def shots() -> Path:
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "i18n-errors")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _phone(browser: Browser, lang: str, scheme: str) -> Page:
    context = browser.new_context(
        locale=lang, color_scheme=scheme, reduced_motion="reduce", **PHONE
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def _workshop(room: LiveServer, lang: str, region: str) -> Workshop:
    """A workshop of the built-in plan that speaks `lang` in a room of `region`."""
    settings = {"min_group": 3, "language": lang, "region": region}
    reply = room.api("POST", "/workshops", json={"plan": "rebuilding-trust", "settings": settings})
    assert reply.status_code == 201, reply.text
    body = reply.json()
    return Workshop(body["id"], body["code"], body["join_url"], body["present_url"])


REGIONS = {"de": "DE", "ar": "LB"}


def _shoot(page: Page, shots: Path, name: str) -> None:
    """The page at phone size and at laptop size; neither scrolls sideways."""
    for label, size in (("390", PHONE["viewport"]), ("1366", LAPTOP)):
        page.set_viewport_size(size)
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), (name, label)
        page.screenshot(path=str(shots / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(PHONE["viewport"])


def _publish(room: LiveServer, workshop_id: int) -> str:
    """Publish the take-home page as the logged-in facilitator (form login, CSRF header)."""
    session = requests.Session()
    login = session.get(f"{room.base_url}/facilitator/login", timeout=10).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', login)
    assert token is not None
    session.post(
        f"{room.base_url}/facilitator/login",
        data={"email": room.email, "password": room.password, "csrf_token": token.group(1)},
        timeout=10,
    )
    control = session.get(f"{room.base_url}/facilitator/workshops/{workshop_id}", timeout=10).text
    fresh = re.search(r'name="csrf_token" value="([^"]+)"', control)
    assert fresh is not None
    reply = session.post(
        f"{room.base_url}/facilitator/workshops/{workshop_id}/publish",
        headers={"X-CSRFToken": fresh.group(1), "Accept": "application/json"},
        timeout=10,
    )
    assert reply.status_code == 200, reply.text
    summary = room.control(workshop_id)["summary_url"]
    assert summary
    return str(summary)


@pytest.mark.parametrize(
    ("lang", "scheme", "join", "news", "take_home", "unknown"), VARIANTS, ids=IDS
)
def test_a_phone_is_told_calmly_and_gets_the_take_home_link(
    browser: Browser,
    room: LiveServer,
    shots: Path,
    lang: str,
    scheme: str,
    join: str,
    news: str,
    take_home: str,
    unknown: str,
) -> None:
    name = f"{lang}-{scheme}"
    workshop = _workshop(room, lang, REGIONS[lang])
    page = _phone(browser, lang, scheme)
    try:
        page.goto(f"{room.base_url}/j/{workshop.code}?lang={lang}")
        page.get_by_role("button", name=join, exact=True).click()
        room.act(workshop.id, "start")
        # Resting on the Questions panel when the facilitator moves on.
        page.locator("#questions-button").click()
        panel = page.locator(".panel-news")
        expect(panel).to_be_hidden()
        room.act(workshop.id, "next")
        expect(panel).to_be_visible()
        expect(panel).to_contain_text(news)
        expect(page.locator("#announcer")).to_contain_text(news)
        assert_no_violations(page, label=f"questions panel, something new ({name})")
        _shoot(page, shots, f"phone-questions-news-{name}")
        # Its button goes to the session; the word is gone when the panel opens again.
        panel.get_by_role("button").click()
        expect(page.locator("#screen")).to_be_visible()
        page.locator("#questions-button").click()
        expect(panel).to_be_hidden()

        # The end, then the take-home page once the facilitator publishes it.
        room.act(workshop.id, "end")
        link = page.locator(".take-home-link a")
        expect(page.locator(".screen.ended")).to_be_visible()
        expect(link).to_be_hidden()
        summary_url = _publish(room, workshop.id)
        expect(link).to_be_visible()
        expect(link).to_have_text(take_home)
        href = link.get_attribute("href") or ""
        assert href.startswith(summary_url) and f"lang={lang}" in href, href
        assert_no_violations(page, label=f"end screen with the take-home link ({name})")
        _shoot(page, shots, f"phone-end-take-home-{name}")
        link.click()
        expect(page).to_have_url(re.compile(r"/s/[\w-]+\?lang=" + lang))
        expect(page.locator("html")).to_have_attribute("lang", lang)
        # Support numbers on the take-home page are tel: links, and the room's own line is there.
        expect(page.locator('.contact a[href^="tel:"]')).not_to_have_count(0)
        local = {"de": "TelefonSeelsorge", "ar": "Embrace LifeLine"}[lang]
        expect(page.get_by_text(local)).to_be_visible()

        # A wrong code: the error page speaks the phone's language; the code stays English.
        page.goto(f"{room.base_url}/j/ZZZZZZ?lang={lang}")
        expect(page.locator("[data-code=unknown_code]")).to_contain_text(unknown)
        assert "No workshop has that code" not in page.content()
        assert_no_violations(page, label=f"error page ({name})")
        _shoot(page, shots, f"phone-error-page-{name}")
    finally:
        page.context.close()


REFUSED = {
    "de": "Gerade sind zu viele Leute aus diesem Netz beigetreten.",
    "ar": "انضم عدد كبير جدًا من الأشخاص من هذه الشبكة للتو.",
}


@pytest.mark.parametrize(
    ("lang", "scheme"), [("de", "light"), ("ar", "light"), ("de", "dark")], ids=IDS
)
def test_a_refused_phone_reads_why_in_its_language(
    browser: Browser, room: LiveServer, shots: Path, lang: str, scheme: str
) -> None:
    workshop = room.create_workshop()
    first = Recorder("/participant").connect(room.base_url, {"code": workshop.code})
    page = _phone(browser, lang, scheme)
    try:
        # One new phone per address and workshop here: this browser is the second.
        page.goto(f"{room.base_url}/j/{workshop.code}?lang={lang}")
        page.locator("#join-button").click()
        refused = page.locator(".problem-screen")
        expect(refused).to_be_visible()
        # The server's own sentence, in the language the page sent as `lang`.
        expect(refused).to_contain_text(REFUSED[lang])
        expect(refused).not_to_contain_text("Too many people joined")
        assert_no_violations(page, label=f"refused phone ({lang}-{scheme})")
        _shoot(page, shots, f"phone-refused-{lang}-{scheme}")
    finally:
        first.disconnect()
        page.context.close()


@pytest.mark.parametrize(
    ("lang", "scheme", "region"),
    [("de", "light", "DE"), ("ar", "light", "LB"), ("de", "dark", "DE")],
    ids=IDS,
)
def test_the_resources_dialog_sets_the_rooms_region(
    browser: Browser, room: LiveServer, shots: Path, lang: str, scheme: str, region: str
) -> None:
    workshop = room.create_workshop()
    context = browser.new_context(
        locale=lang, color_scheme=scheme, reduced_motion="reduce", viewport=LAPTOP
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{room.base_url}/facilitator/login")
        page.locator("input[name=email]").fill(room.email)
        page.locator("input[name=password]").fill(room.password)
        page.locator("form:has(input[name=password]) button[type=submit]").click()
        page.goto(f"{room.base_url}/facilitator/workshops/{workshop.id}")
        # The first `control` snapshot has arrived once the review banner shows.
        expect(page.locator("#resources-banner")).to_be_visible()
        page.locator("#resources-button").click()
        dialog = page.locator("#resources-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#resources-region")).to_have_value("any")
        rows = dialog.locator(".resources-row")
        expect(rows.nth(4).locator("[name=region]")).to_have_value("DE")
        expect(rows.nth(4).locator("[name=language]")).to_have_value("de")
        page.locator("#resources-region").fill(region)
        assert_no_violations(page, label=f"resources dialog ({lang}-{scheme})")
        _shoot(page, shots, f"resources-dialog-{lang}-{scheme}")
        # A region that is no country: refused inside the dialog, in the page's language.
        rows.nth(0).locator("[name=region]").fill("Atlantis")
        dialog.locator("button[type=submit]").click()
        error = page.locator("#resources-error")
        expect(error).to_be_visible()
        expect(error).not_to_contain_text("must be")
        page.set_viewport_size(PHONE["viewport"])
        page.screenshot(path=str(shots / f"resources-dialog-refused-{lang}-{scheme}-390.png"))
        page.set_viewport_size(LAPTOP)
        rows.nth(0).locator("[name=region]").fill("any")
        dialog.locator("button[type=submit]").click()
        expect(dialog).to_be_hidden()
        assert room.control(workshop.id)["region"] == region
    finally:
        context.close()


def test_the_phone_shows_only_the_resources_of_its_room(browser: Browser, room: LiveServer) -> None:
    workshop = room.create_workshop()
    room.act(
        workshop.id, "resources", resources=room.control(workshop.id)["resources"], region="FR"
    )
    page = _phone(browser, "fr", "light")
    try:
        page.goto(f"{room.base_url}/j/{workshop.code}")
        page.locator("#join-button").click()
        page.locator("#break-button").click()
        resources = page.locator(".panel .resources")
        expect(resources).to_contain_text("3114")
        expect(resources).not_to_contain_text("TelefonSeelsorge")
        expect(resources.locator('a[href="tel:3114"]')).to_be_visible()
        assert_no_violations(page, label="break screen, resources for France")
    finally:
        page.context.close()
