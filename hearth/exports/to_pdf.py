"""The PDF format: the HTML summary printed by a headless Chromium-family browser.

The browser runs offline with no network at all, and the PDF's dates are cut to the day
(docs/export-format.md, docs/privacy.md). Without a browser the export says so (503).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from flask import current_app

from hearth.errors import N_, HearthError
from hearth.exports.to_html import render_html

PDF_TIMEOUT_SECONDS = 60
# Chromium-family browsers, by the names and places they install under.
BROWSER_NAMES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "microsoft-edge",
    "microsoft-edge-stable",
    "msedge",
    "chrome",
    "brave-browser",
)
BROWSER_PATHS = (
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
    "/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
    "/Applications/Brave Browser.app/Contents/MacOS/Brave Browser",
    r"C:\Program Files\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Google\Chrome\Application\chrome.exe",
    r"C:\Program Files (x86)\Microsoft\Edge\Application\msedge.exe",
    r"C:\Program Files\Microsoft\Edge\Application\msedge.exe",
)
# Offline, quiet, and unable to reach any host: the document is self-contained, and a
# summary of a counselling group must not make a request anywhere (docs/privacy.md).
BROWSER_FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-default-apps",
    "--no-first-run",
    "--no-default-browser-check",
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-pdf-header-footer",
)


def find_browser() -> str | None:
    """The Chromium-family browser that prints PDFs: HEARTH_PDF_BROWSER, else one installed."""
    configured = current_app.config.get("HEARTH_PDF_BROWSER")
    if configured:
        found = shutil.which(str(configured))
        return found or (str(configured) if Path(str(configured)).is_file() else None)
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return next((path for path in BROWSER_PATHS if Path(path).is_file()), None)


def _pdf_unavailable(message: str) -> HearthError:
    """The refusal when no PDF can be made here (`message` marked with N_)."""
    return HearthError("pdf_unavailable", message, 503)


def render_pdf(data: dict[str, Any]) -> bytes:
    """The HTML summary printed to PDF by headless Chromium, Chrome or Edge."""
    return print_pdf(render_html(data))


def print_pdf(html: bytes) -> bytes:
    """A self-contained HTML document printed to PDF (a session's or a series' summary)."""
    browser = find_browser()
    if browser is None:
        raise _pdf_unavailable(
            N_(
                "PDF export needs Chrome, Chromium or Edge on this computer (or HEARTH_PDF_BROWSER "
                "set to one). Download the HTML summary and print it to PDF instead."
            )
        )
    with tempfile.TemporaryDirectory(prefix="hearth-pdf-") as folder:
        page = Path(folder) / "summary.html"
        target = Path(folder) / "summary.pdf"
        page.write_bytes(html)
        _run_browser(_browser_command(browser, Path(folder), page, target))
        if not target.is_file() or not target.read_bytes().startswith(b"%PDF"):
            current_app.logger.warning("PDF export: the browser produced no PDF")
            raise _pdf_unavailable(_NOT_MADE)
        return _pdf_dates_to_day(target.read_bytes())


_NOT_MADE = N_("The PDF could not be made. Download the HTML summary and print it to PDF.")


def _browser_command(browser: str, folder: Path, page: Path, target: Path) -> list[str]:
    """The command line that prints `page` to `target` with a throwaway profile in `folder`."""
    command = [
        browser,
        *BROWSER_FLAGS,
        f"--user-data-dir={folder / 'profile'}",
        f"--print-to-pdf={target}",
        page.as_uri(),
    ]
    # Chromium refuses to run as root with its sandbox on (containers, some servers).
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.insert(1, "--no-sandbox")
    return command


def _run_browser(command: list[str]) -> None:
    """Run the browser to completion; a browser that cannot start or hangs is a 503."""
    try:
        subprocess.run(
            command,
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        current_app.logger.warning("PDF export: the browser did not run or timed out")
        raise _pdf_unavailable(_NOT_MADE) from None


_PDF_DATE = re.compile(rb"\(D:(\d{8})(\d{6})([^)]*)\)")


def _pdf_dates_to_day(pdf: bytes) -> bytes:
    """Zero the time of day in the PDF's creation and modification dates.

    The browser stamps the moment of printing; an export holds no time finer than the day.
    The replacement has the same length, so the PDF's byte offsets stay valid.
    """

    def to_midnight(match: re.Match[bytes]) -> bytes:
        rest = re.sub(rb"\d", b"0", match.group(3))
        return b"(D:" + match.group(1) + b"000000" + rest + b")"

    return _PDF_DATE.sub(to_midnight, pdf)
