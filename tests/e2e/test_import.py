"""The Import page in Chromium: a Word file by the picker, Markdown dropped on the page, formatted
text pasted from the clipboard, a scanned PDF refused; the review page shows what was read.
Each state is also checked with axe-core (tests/e2e/axe.py)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import article_files as files
from playwright.sync_api import Browser, BrowserContext, Page, expect

from .axe import assert_no_violations
from .live import LiveServer

LAPTOP = {"viewport": {"width": 1366, "height": 768}}
PHONE = {"viewport": {"width": 390, "height": 844}}
TIMEOUT_MS = 10_000

expect.set_options(timeout=TIMEOUT_MS)


def _import_page(browser: Browser, server: LiveServer, size: dict) -> tuple[BrowserContext, Page]:
    """A logged-in browser of this size on the Import page."""
    context = browser.new_context(**size)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{server.base_url}/facilitator/login")
    page.get_by_label("Email").fill(server.email)
    page.get_by_label("Password").fill(server.password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/facilitator/?$"))
    page.get_by_role("link", name="Import an article").click()
    expect(page.get_by_role("heading", name="Import an article")).to_be_visible()
    # A module script runs after the heading is drawn: drop nothing before it listens.
    expect(page.locator("#import-form[data-ready=true]")).to_have_count(1)
    page.errors = errors  # type: ignore[attr-defined]
    return context, page


def _report(page: Page) -> str:
    """The review page's report, as one line of text."""
    expect(page.get_by_role("heading", name="Review the draft")).to_be_visible()
    expect(page.locator("#editor[data-ready=true]")).to_have_count(1)
    return " ".join(page.locator("#import-report").inner_text().split())


def test_a_word_file_becomes_a_draft_with_its_report(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    plans_before = len(server.api("GET", "/plans").json()["plans"])
    context, page = _import_page(browser, server, LAPTOP)
    page.screenshot(path=str(artifacts / "import-page-laptop.png"), full_page=True)
    page.get_by_label("Choose a file").set_input_files(
        {
            "name": "boundaries.docx",
            "mimeType": "application/octet-stream",
            "buffer": files.docx_article(long_table=12),
        }
    )
    expect(page.locator("#file-status")).to_have_text(
        "Chosen: boundaries.docx, read as a Word document. It is used instead of pasted text."
    )
    assert_no_violations(page, label="import page, a file chosen")
    page.get_by_role("button", name="Make a draft").click()
    report = _report(page)
    assert "Read as a Word document, boundaries.docx." in report
    for count in ("3 sections → 3 slides", "2 lists → 2 polls", "1 table → a poll"):
        assert count in report
    assert "2 questions → 2 open prompts" in report and "1 quote → a quote slide" in report
    assert re.search(r"All \d+ sentences of the article are in the draft\.", report)
    assert "Left out on purpose" in report
    assert "The table “Boundary type” has 14 rows" in report
    expect(page.locator("#plan-title")).to_have_value(files.TITLE)
    page.screenshot(path=str(artifacts / "import-review-laptop.png"), full_page=True)
    assert_no_violations(page, label="review page with the import report")
    assert len(server.api("GET", "/plans").json()["plans"]) == plans_before, "nothing saved"
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_a_dropped_markdown_file_and_a_pdf_are_read(server: LiveServer, browser: Browser) -> None:
    context, page = _import_page(browser, server, LAPTOP)
    markdown = (Path(__file__).resolve().parents[1] / "fixtures" / "boundaries.md").read_text()
    page.evaluate(
        """(text) => {
            const files = new DataTransfer();
            files.items.add(new File([text], "boundaries.md", {type: "text/markdown"}));
            const zone = document.getElementById("drop-zone");
            zone.dispatchEvent(new DragEvent("dragover", {dataTransfer: files, bubbles: true}));
            zone.dispatchEvent(new DragEvent("drop", {dataTransfer: files, bubbles: true}));
        }""",
        markdown,
    )
    expect(page.locator("#file-status")).to_contain_text("boundaries.md, read as Markdown")
    page.get_by_role("button", name="Make a draft").click()
    report = _report(page)
    assert "Read as Markdown, boundaries.md." in report
    assert "1 × image" in report and "1 × code block" in report

    page.goto(f"{server.base_url}/facilitator/plans/import")
    page.get_by_label("Choose a file").set_input_files(
        {"name": "handout.pdf", "mimeType": "application/pdf", "buffer": files.pdf_article()}
    )
    page.get_by_role("button", name="Make a draft").click()
    report = _report(page)
    assert "Read as a PDF, handout.pdf." in report
    assert "2 × page number" in report and "2 × running header or footer line" in report
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_formatted_text_pasted_on_a_phone_keeps_its_lists(
    server: LiveServer, browser: Browser, artifacts: Path
) -> None:
    context, page = _import_page(browser, server, PHONE)
    page.screenshot(path=str(artifacts / "import-page-phone.png"), full_page=True)
    plain = f"Why boundaries slip\n{files.SLIP}\nGuilt\nAvoidance\n{files.QUESTION}"
    # What a browser does on paste: the paste event (with the clipboard's HTML and text), the
    # text into the box, then an input event.
    page.locator("#article-text").evaluate(
        """(box, [html, plain]) => {
            const clipboard = new DataTransfer();
            clipboard.setData("text/html", html);
            clipboard.setData("text/plain", plain);
            const paste = {clipboardData: clipboard, bubbles: true};
            box.dispatchEvent(new ClipboardEvent("paste", paste));
            box.value = plain;
            box.dispatchEvent(new Event("input", {bubbles: true}));
        }""",
        [files.clipboard_html(), plain],
    )
    expect(page.locator("#paste-status-text")).to_contain_text("Formatted text pasted")
    assert_no_violations(page, label="import page, formatted text pasted")
    page.get_by_role("button", name="Make a draft").click()
    report = _report(page)
    assert "Read as formatted text pasted from a page or document." in report
    assert "1 list → a poll" in report
    page.screenshot(path=str(artifacts / "import-review-phone.png"), full_page=True)
    data = json.loads(page.locator("#editor-data").text_content() or "{}")
    polls = [a for a in data["plan"]["activities"] if a["kind"] == "multi"]
    assert polls and polls[0]["options"] == ["Guilt", "Avoidance"]
    assert page.errors == []  # type: ignore[attr-defined]
    context.close()


def test_a_scanned_pdf_is_refused_and_nothing_is_saved(
    server: LiveServer, browser: Browser
) -> None:
    plans_before = len(server.api("GET", "/plans").json()["plans"])
    context, page = _import_page(browser, server, LAPTOP)
    page.get_by_label("Choose a file").set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": files.scanned_pdf()}
    )
    page.get_by_role("button", name="Make a draft").click()
    expect(page.get_by_role("heading", name="Import an article")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("no text to read: it may be a scan")
    assert_no_violations(page, label="import page, a refused file")
    assert len(server.api("GET", "/plans").json()["plans"]) == plans_before
    context.close()
