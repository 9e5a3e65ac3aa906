"""Room mode as an application: `hearth` alone starts Hearth on this laptop (docs/install.md).

The steps, in order; each one that cannot go on stops with one plain sentence, never a
traceback: the data folder (created 0700, must be writable), one Hearth per data folder (a
lock; a second `hearth` prints the first one's address), the port, the database (migrated
forward; one from a newer Hearth is refused), then the join address with a QR code drawn in
the terminal, and the default browser on the first-run setup page or the dashboard.
"""

from __future__ import annotations

import os
import sys
import tempfile
import webbrowser
from pathlib import Path
from typing import Any, TextIO

import click
import segno
from filelock import FileLock, Timeout
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from hearth import __version__

LOCK_FILE = "hearth.lock"
# The address of the Hearth that holds the lock, for a second `hearth` to print.
ADDRESS_FILE = "running.txt"


def prepare_data_dir(path: Path) -> Path:
    """Create the data folder (only its owner may enter) and check that Hearth can write there."""
    path = path.expanduser().absolute()
    try:
        if not path.is_dir():
            path.mkdir(parents=True)
            # On Windows this only clears the read-only flag; the folder sits in the user's
            # own profile there, which other accounts cannot read by default.
            path.chmod(0o700)
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as error:
        reason = error.strerror or str(error)
        raise click.ClickException(
            f"Hearth cannot write to its data folder {path} ({reason}): choose another folder "
            "with --data-dir, or give your user account write access to this one."
        ) from None
    return path


def hold_data_dir(path: Path) -> FileLock:
    """Take the data folder's lock, or stop with the address of the Hearth that holds it."""
    lock = FileLock(path / LOCK_FILE)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        address_file = path / ADDRESS_FILE
        address = address_file.read_text().strip() if address_file.is_file() else ""
        where = f" at {address}" if address else ""
        raise click.ClickException(
            f"Hearth is already running with this data folder{where}: open that address, or "
            "stop that Hearth (Ctrl+C in its window) before starting another."
        ) from None
    return lock


def local_url(port: int) -> str:
    """The address this laptop's own browser uses: loopback works whatever the Wi-Fi does."""
    return f"http://127.0.0.1:{port}"


def print_qr_code(url: str, out: TextIO) -> None:
    """Draw a QR code of `url` in the terminal, so a phone can join before the projector is up."""
    code = segno.make(url, error="m")
    try:
        code.terminal(out=out, compact=True, border=2)
    except UnicodeEncodeError:
        # A terminal without block characters (an old Windows code page): ANSI colours instead.
        code.terminal(out=out, border=2)
    out.flush()


def open_browser(url: str) -> bool:
    """Open the default browser on `url` without waiting for it; False where none can show it.

    webbrowser picks the platform's own opener: `open` on macOS, the shell's default browser
    (os.startfile) on Windows, xdg-open or a known browser on Linux. A Linux session without a
    display (SSH, a server) is left alone: its only browsers would take over the terminal.
    """
    if sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    ):
        return False
    from hearth.extensions import socketio

    # A green task: some browsers' launchers only return when the browser closes.
    socketio.start_background_task(webbrowser.open, url, new=2)
    return True


def run_room(data_dir: Path, port: int | None, browser: bool) -> None:
    """Start room mode on `data_dir` until Ctrl+C."""
    from hearth.cli import serve_app

    data_dir = prepare_data_dir(data_dir)
    lock = hold_data_dir(data_dir)
    app, listener, join, setup_token = _start(data_dir, port)
    (data_dir / ADDRESS_FILE).write_text(f"{join}/\n", encoding="utf-8")
    _announce(data_dir, join, local_url(int(app.config["HEARTH_PORT"])), setup_token, browser)
    try:
        serve_app(app, app.config["HEARTH_HOST"], int(app.config["HEARTH_PORT"]), listener)
    finally:
        (data_dir / ADDRESS_FILE).unlink(missing_ok=True)
        lock.release()


def _start(data_dir: Path, port: int | None) -> tuple[Flask, Any, str, str | None]:
    """The app, its bound port, the address phones join at and a first-run setup token."""
    from hearth import create_app
    from hearth.cli import open_listener, upgrade_database
    from hearth.network import public_url
    from hearth.services.accounts import issue_setup_token

    # The app (and any `hearth` command it runs) finds the data folder here.
    os.environ["HEARTH_INSTANCE"] = str(data_dir)
    app: Flask = create_app()
    if port is not None:
        app.config["HEARTH_PORT"] = port
    port = int(app.config["HEARTH_PORT"])
    listener = open_listener(app, app.config["HEARTH_HOST"], port)
    with app.app_context():
        try:
            upgrade_database()
        except SQLAlchemyError as error:
            raise click.ClickException(
                f"Hearth cannot open the database in {data_dir} ({type(error).__name__}): "
                "start with another --data-dir, or restore the folder from a backup."
            ) from None
        return app, listener, public_url(), issue_setup_token()


def _announce(data_dir: Path, join: str, here: str, setup_token: str | None, browser: bool) -> None:
    """Tell the facilitator where phones join (with a QR code) and where to start."""
    start_page = f"{here}/facilitator/" + (f"setup/{setup_token}" if setup_token else "")
    click.echo(f"\n  Hearth {__version__} is running. Data folder: {data_dir}")
    click.echo(f"\n  Phones join at {join}/ (scan this code, or type the address):\n")
    print_qr_code(f"{join}/", sys.stdout)
    click.echo("")
    if setup_token:
        click.echo(f"  First run: create your account at {start_page}")
        click.echo("  (this link works once; restart Hearth for a new one)")
    else:
        click.echo(f"  Facilitators: {start_page}")
    if browser and open_browser(start_page):
        click.echo("  Your browser is opening that page.")
    click.echo("\n  Stop Hearth with Ctrl+C.\n")
