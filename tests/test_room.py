"""`hearth` alone: room mode's start-up, and the plain sentences that stop it when it cannot start.

Each test runs the real `hearth` command in its own process, as a counsellor would, and reads
what the terminal shows.
"""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from hearth import __version__
from hearth.launch import command_name

HEARTH = Path(sys.executable).with_name("hearth")
STARTUP_SECONDS = 30


def _free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _env() -> dict[str, str]:
    """The caller's environment without HEARTH_* settings, listening on loopback only."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEARTH_")}
    return env | {"HEARTH_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"}


def _hearth(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `hearth` to its end and return what it printed."""
    return subprocess.run(
        [str(HEARTH), *args], capture_output=True, text=True, env=_env(), timeout=60, check=False
    )


def _refused(result: subprocess.CompletedProcess[str], *words: str) -> str:
    """Assert `hearth` stopped with one plain sentence containing `words`; return it."""
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("Error: ") and lines[0].endswith("."), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def running(tmp_path: Path) -> Iterator[tuple[Path, int, Path]]:
    """A room-mode `hearth` on a fresh data folder: (data folder, port, its terminal output)."""
    data, port, output = tmp_path / "data", _free_port(), tmp_path / "terminal.txt"
    with output.open("wb") as out:
        process = subprocess.Popen(
            [str(HEARTH), "--no-browser", "--data-dir", str(data), "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_env() | {"HEARTH_PUBLIC_URL": f"http://127.0.0.1:{port}"},
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Stop Hearth with Ctrl+C" not in output.read_text(errors="replace"):
            assert process.poll() is None, output.read_text(errors="replace")
            assert time.monotonic() < deadline, output.read_text(errors="replace")
            time.sleep(0.1)
        yield data, port, output
    finally:
        process.terminate()
        process.wait(timeout=15)


def test_first_run_prints_the_join_address_a_qr_code_and_the_setup_link(
    running: tuple[Path, int, Path],
) -> None:
    """The data folder is private, and the printed setup link opens the account form."""
    data, port, output = running
    text = output.read_text(encoding="utf-8")
    assert f"Phones join at http://127.0.0.1:{port}/" in text
    assert "█" in text or "▀" in text  # the QR code, drawn with block characters
    setup = next(word for word in text.split() if "/facilitator/setup/" in word)
    assert setup.startswith(f"http://127.0.0.1:{port}/facilitator/setup/")
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["ok"]
    page = requests.get(setup, timeout=5)
    assert page.status_code == 200 and "password" in page.text.lower()
    assert (data / "hearth.db").is_file() and (data / "secret_key").is_file()
    assert data.stat().st_mode & 0o777 == 0o700


def test_a_second_hearth_on_the_same_data_folder_prints_the_first_ones_address(
    running: tuple[Path, int, Path],
) -> None:
    """The second one changes nothing and says where the first one is."""
    data, port, _output = running
    result = _hearth("--no-browser", "--data-dir", str(data), "--port", str(_free_port()))
    _refused(result, "already running", f"http://127.0.0.1:{port}/")
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).json()["ok"]


def test_a_port_in_use_is_one_sentence(tmp_path: Path) -> None:
    """Another program on the port: Hearth says so and suggests the next port."""
    with socket.socket() as other:
        other.bind(("127.0.0.1", 0))
        other.listen()
        port = other.getsockname()[1]
        result = _hearth("--no-browser", "--data-dir", str(tmp_path / "data"), "--port", str(port))
    _refused(result, f"Port {port} is already in use", f"--port {port + 1}")


def test_an_unusable_data_folder_is_one_sentence(tmp_path: Path) -> None:
    """A data folder that cannot be created (a file is in the way) stops before anything else."""
    (tmp_path / "file").write_text("not a folder")
    data = tmp_path / "file" / "data"
    result = _hearth("--no-browser", "--data-dir", str(data), "--port", str(_free_port()))
    _refused(result, "cannot write to its data folder", str(data), "--data-dir")


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_data_folder_is_one_sentence(tmp_path: Path) -> None:
    """A data folder this user may not write to."""
    data = tmp_path / "data"
    data.mkdir(mode=0o500)
    result = _hearth("--no-browser", "--data-dir", str(data), "--port", str(_free_port()))
    _refused(result, "cannot write to its data folder")


def test_a_database_from_a_newer_hearth_is_refused_and_left_alone(tmp_path: Path) -> None:
    """A schema this version does not know: stop before migrating anything."""
    data = tmp_path / "data"
    upgraded = _hearth("--data-dir", str(data), "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    with sqlite3.connect(data / "hearth.db") as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    result = _hearth("--no-browser", "--data-dir", str(data), "--port", str(_free_port()))
    _refused(result, "newer version of Hearth", "9999_from_the_future")
    with sqlite3.connect(data / "hearth.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [
            ("9999_from_the_future",)
        ]


def test_version_comes_from_the_package() -> None:
    """`hearth --version` prints hearth.__version__ and starts nothing."""
    result = _hearth("--version")
    assert result.returncode == 0 and result.stdout == f"hearth {__version__}\n"


@pytest.mark.parametrize(
    ("args", "command"),
    [
        ([], None),
        (["--no-browser", "--port", "5001"], None),
        (["--data-dir", "serve", "--port", "1"], None),
        (["serve", "--port", "5001"], "serve"),
        (["--data-dir", "x", "db", "upgrade"], "db"),
        (["--data-dir=x", "token", "create", "a@b"], "token"),
    ],
)
def test_the_launcher_tells_room_mode_from_a_command(args: list[str], command: str | None) -> None:
    """Only `hearth` alone and `hearth serve` run the server (and patch for green threads)."""
    assert command_name(args) == command


def test_the_next_run_prints_the_dashboard_instead_of_a_setup_link(tmp_path: Path) -> None:
    """Once an account exists, the browser is sent to the dashboard and no setup link is made."""
    data, port = tmp_path / "data", _free_port()
    assert _hearth("--data-dir", str(data), "db", "upgrade").returncode == 0
    created = subprocess.run(
        [str(HEARTH), "--data-dir", str(data), "facilitator", "create", "you@example.org"],
        input="correct horse battery\ncorrect horse battery\n",
        capture_output=True,
        text=True,
        env=_env(),
        timeout=60,
        check=False,
    )
    assert created.returncode == 0, created.stderr
    process = subprocess.Popen(
        [str(HEARTH), "--no-browser", "--data-dir", str(data), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        text=True,
        env=_env(),
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "Stop Hearth with Ctrl+C" in line:
                break
        text = "".join(lines)
        assert f"Facilitators: http://127.0.0.1:{port}/facilitator/\n" in text, text
        assert "/facilitator/setup/" not in text
    finally:
        process.terminate()
        process.communicate(timeout=15)


@pytest.mark.parametrize(
    ("platform", "display", "opens"),
    [
        ("linux", {}, False),  # SSH or a server: a text browser would take over the terminal
        ("linux", {"DISPLAY": ":0"}, True),
        ("linux", {"WAYLAND_DISPLAY": "wayland-0"}, True),
        ("darwin", {}, True),
        ("win32", {}, True),
    ],
)
def test_the_browser_opens_where_a_desktop_can_show_it(
    monkeypatch: pytest.MonkeyPatch, platform: str, display: dict[str, str], opens: bool
) -> None:
    """webbrowser.open runs as a background task, and only where a browser can be shown."""
    from hearth import room
    from hearth.extensions import socketio

    started: list[tuple[object, ...]] = []
    monkeypatch.setattr(room.sys, "platform", platform)
    for name in ("DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    for name, value in display.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(socketio, "start_background_task", lambda *args, **kw: started.append(args))
    assert room.open_browser("http://127.0.0.1:5000/facilitator/") is opens
    expected = [(room.webbrowser.open, "http://127.0.0.1:5000/facilitator/")] if opens else []
    assert started == expected
