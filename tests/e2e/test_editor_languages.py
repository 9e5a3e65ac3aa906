"""The plan editor, the import page and the draft's review page in German and Arabic (and in the
dark scheme): the facilitator's language everywhere, mirrored in Arabic, axe with zero
violations, nothing sideways at a phone's width, and screenshots for a person to look at
(test-artifacts/e2e/editor-languages/, or HEARTH_SHOTS when set)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Browser, Page, expect

from .axe import assert_no_violations
from .conftest import ARTIFACTS
from .live import LiveServer

TIMEOUT_MS = 10_000
SIZES = {"phone": (390, 844), "laptop": (1366, 768)}
# language, scheme, and what the pages say in it
WORDS = {
    "de": {
        "new": "Neuer Plan",
        "title": "Titel",
        "question": "Frage",
        "option": "Option 1",
        "save": "Speichern",
        "preview": "Vorschau",
        "saved": r"^Gespeichert um \d{1,2}:\d{2}",
        "edit": "„Ein kleiner Plan“ bearbeiten",
        "import": "Einen Artikel importieren",
        "paste": "Den Text einfügen",
        "draft": "Entwurf erstellen",
        "review": "Den Entwurf prüfen",
        "report": "Was Hearth gelesen hat",
    },
    "ar": {
        "new": "خطة جديدة",
        "title": "العنوان",
        "question": "السؤال",
        "option": "الخيار 1",
        "save": "حفظ",
        "preview": "معاينة",
        "saved": r"^حُفظ الساعة ",
        "edit": "تعديل «Ein kleiner Plan»",
        "import": "استيراد مقال",
        "paste": "الصق النص",
        "draft": "أنشئ مسودة",
        "review": "راجع المسودة",
        "report": "ما قرأه Hearth",
    },
    "en": {
        "new": "New plan",
        "title": "Title",
        "question": "Question",
        "option": "Option 1",
        "save": "Save",
        "preview": "Preview",
        "saved": r"^Saved at \d{1,2}:\d{2}",
        "edit": "Edit “Ein kleiner Plan”",
        "import": "Import an article",
        "paste": "Paste the text",
        "draft": "Make a draft",
        "review": "Review the draft",
        "report": "What Hearth read",
    },
}
VARIANTS = [("de", "light"), ("ar", "light"), ("en", "dark")]
ARTICLE = (Path(__file__).resolve().parents[1] / "fixtures" / "trust-issues.txt").read_text()

expect.set_options(timeout=TIMEOUT_MS)


@pytest.fixture(scope="module")
def shots() -> Path:
    """Where the screenshots go."""
    folder = Path(os.environ.get("HEARTH_SHOTS") or ARTIFACTS / "editor-languages")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _laptop(browser: Browser, room: LiveServer, size: str, scheme: str, code: str) -> Page:
    """A logged-in facilitator whose pages speak `code`, at one screen size and scheme."""
    width, height = SIZES[size]
    context = browser.new_context(
        locale="en-US",
        color_scheme=scheme,  # type: ignore[arg-type]
        reduced_motion="reduce",
        viewport={"width": width, "height": height},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    page.goto(f"{room.base_url}/facilitator/login")
    page.get_by_label("Email").fill(room.email)
    page.get_by_label("Password").fill(room.password)
    page.get_by_role("button", name="Log in").click()
    page.locator("#account-language").select_option(code if code != "en" else "")
    page.locator(".app-header__language button").click()
    expect(page.locator("html")).to_have_attribute("lang", code)
    return page


def _fits(page: Page) -> None:
    """Nothing sticks out sideways (mirroring mistakes usually do)."""
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("code", "scheme"), VARIANTS)
def test_the_editor_and_import_speak_the_facilitator_language(
    browser: Browser, room: LiveServer, shots: Path, code: str, scheme: str, size: str
) -> None:
    words = WORDS[code]
    name = f"{code}-{scheme}-{size}"
    page = _laptop(browser, room, size, scheme, code)
    try:
        page.goto(f"{room.base_url}/facilitator/plans/new")
        expect(page.locator("#editor[data-ready=true]")).to_have_count(1)
        expect(page.locator("html")).to_have_attribute("dir", "rtl" if code == "ar" else "ltr")
        expect(page.get_by_role("heading", name=words["new"], level=1)).to_be_visible()
        page.get_by_label(words["title"], exact=True).fill("Ein kleiner Plan")
        page.locator("#kind-picker [data-kind=choice]").click()
        page.keyboard.type("Was hilft dir, dich sicher zu fühlen?")
        card = page.locator("#activity-list > .activity-card").last
        card.get_by_label(words["option"], exact=True).fill("Zeit")
        card.get_by_label(words["option"].replace("1", "2"), exact=True).fill("Ruhe")
        assert_no_violations(page, label=f"editor ({name})")
        _fits(page)
        page.screenshot(path=str(shots / f"editor-{name}.png"), full_page=True)
        # The phone preview: beside the editor on a laptop, over it (Preview) on a phone.
        if size == "phone":
            card.get_by_role("button", name=words["preview"]).click()
            expect(page.locator("#preview-panel.is-open")).to_have_count(1)
        preview = page.frame_locator("#preview-frame")
        expect(preview.get_by_role("heading", name="Was hilft dir")).to_be_visible()
        expect(preview.locator("html")).to_have_attribute("lang", code)
        if size == "phone":
            assert_no_violations(page, label=f"editor preview ({name})")
            page.screenshot(path=str(shots / f"editor-preview-{name}.png"))
            page.keyboard.press("Escape")
            expect(page.locator("#preview-panel.is-open")).to_have_count(0)

        page.get_by_role("button", name=words["save"], exact=True).click()
        expect(page.locator("#save-status")).to_have_text(re.compile(words["saved"]))
        expect(page.get_by_role("heading", name=words["edit"], level=1)).to_be_visible()
        expect(page).to_have_title(f"{words['edit']} · Hearth")

        page.goto(f"{room.base_url}/facilitator/plans/import")
        expect(page.get_by_role("heading", name=words["import"], level=1)).to_be_visible()
        expect(page.locator("#import-form[data-ready=true]")).to_have_count(1)
        assert_no_violations(page, label=f"import ({name})")
        _fits(page)
        page.screenshot(path=str(shots / f"import-{name}.png"), full_page=True)

        page.get_by_label(words["paste"]).fill(ARTICLE)
        page.get_by_role("button", name=words["draft"]).click()
        expect(page.get_by_role("heading", name=words["review"], level=1)).to_be_visible()
        expect(page.get_by_role("heading", name=words["report"])).to_be_visible()
        expect(page.locator("#editor[data-ready=true]")).to_have_count(1)
        assert_no_violations(page, label=f"review ({name})")
        _fits(page)
        page.screenshot(path=str(shots / f"review-{name}.png"))
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()


UPLOAD_DELETE = {
    "de": ("Eine Plandatei hochladen", "„Ein kleiner Plan“ löschen?", "Behalten"),
    "ar": ("رفع ملف خطة", "حذف «Ein kleiner Plan»؟", "احتفظ بها"),
    "en": ("Upload a plan file", "Delete “Ein kleiner Plan”?", "Keep it"),
}


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize(("code", "scheme"), VARIANTS)
def test_the_upload_and_delete_pages_speak_the_facilitator_language(
    browser: Browser, room: LiveServer, shots: Path, code: str, scheme: str, size: str
) -> None:
    upload, delete, keep = UPLOAD_DELETE[code]
    name = f"{code}-{scheme}-{size}"
    page = _laptop(browser, room, size, scheme, code)
    try:
        page.goto(f"{room.base_url}/facilitator/plans/upload")
        expect(page.get_by_role("heading", name=upload, level=1)).to_be_visible()
        assert_no_violations(page, label=f"upload ({name})")
        _fits(page)
        page.screenshot(path=str(shots / f"upload-{name}.png"), full_page=True)

        created = page.request.post(
            f"{room.base_url}/facilitator/plans",
            data={
                "plan": {
                    "title": "Ein kleiner Plan",
                    "activities": [{"kind": "open", "prompt": "?"}],
                }
            },
            headers={
                "Accept": "application/json",
                "X-CSRFToken": page.locator("input[name=csrf_token]").first.get_attribute("value")
                or "",
            },
        )
        assert created.status == 201, created.text()
        page.goto(urljoin(room.base_url, created.json()["delete_url"]))
        expect(page.get_by_role("heading", name=delete, level=1)).to_be_visible()
        expect(page.get_by_role("link", name=keep)).to_be_focused()
        assert_no_violations(page, label=f"delete ({name})")
        _fits(page)
        page.screenshot(path=str(shots / f"delete-{name}.png"), full_page=True)
        assert page.errors == []  # type: ignore[attr-defined]
    finally:
        page.context.close()
