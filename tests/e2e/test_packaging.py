"""The built packages are complete: an sdist, and a wheel built from it that needs no checkout.

`python -m build` makes the sdist and then the wheel from that sdist, so one build proves both:
the sdist carries what the build step needs, and the wheel carries every package and every file
the app reads at run time (templates, static files with the Socket.IO client, migrations, plans).
Then the wheel goes into a fresh virtual environment, and its `hearth` runs a workshop from a
folder far from the checkout, as on a counsellor's laptop after `pipx install`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import requests

from .live import LiveServer, Recorder, free_port, wait_until

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hearth", "facilitator", "participant")
ASSET_FOLDERS = ("templates", "static", "migrations", "plans")
CLIENT = "static/vendor/socket.io/socket.io.esm.min.js"
STARTUP_SECONDS = 60
# Build leftovers and stamps that are no part of Hearth.
NOT_SHIPPED = {"__pycache__", ".copied"}


def _files(folder: Path) -> set[str]:
    """Every file under `folder`, relative to the checkout, without build leftovers."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in folder.rglob("*")
        if path.is_file() and not NOT_SHIPPED & set(path.relative_to(ROOT).parts)
    }


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and wheel that `make dist` would build, in a temporary folder."""
    if not (ROOT / "static" / "vendor" / "socket.io").is_dir():
        pytest.fail("static/vendor/ is empty: run `make setup` to copy the front-end packages")
    out = tmp_path_factory.mktemp("dist")
    result = subprocess.run(
        [sys.executable, "-m", "build", "--outdir", str(out), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    # setuptools' deprecation notices would mean the metadata is on borrowed time.
    assert "SetuptoolsDeprecationWarning" not in result.stdout + result.stderr
    return out


def _wheel(dist: Path) -> Path:
    """The one wheel in the build folder."""
    (wheel,) = dist.glob("hearth-*.whl")
    return wheel


def _wheel_names(dist: Path) -> set[str]:
    """The paths inside the wheel."""
    with zipfile.ZipFile(_wheel(dist)) as archive:
        return set(archive.namelist())


def test_wheel_holds_every_module_and_package_file(dist: Path) -> None:
    """Every file of the three packages (hearth.services included) is in the wheel."""
    names = _wheel_names(dist)
    expected = set().union(*(_files(ROOT / package) for package in PACKAGES))
    expected = {name for name in expected if not name.startswith("hearth/assets/")}
    assert "hearth/services/__init__.py" in expected
    assert expected - names == set()


def test_wheel_holds_everything_the_app_reads_at_run_time(dist: Path) -> None:
    """Templates, static files, migrations and plans sit in hearth/assets/ of the wheel."""
    names = _wheel_names(dist)
    for folder in ASSET_FOLDERS:
        expected = {f"hearth/assets/{name}" for name in _files(ROOT / folder)}
        assert expected, folder
        assert expected - names == set(), folder
    assert f"hearth/assets/{CLIENT}" in names
    assert not [name for name in names if name.endswith(".copied") or "__pycache__" in name]


def test_wheel_metadata_has_the_version_license_and_command(dist: Path) -> None:
    """One version (hearth.__version__), an SPDX license expression and the `hearth` command."""
    from hearth import __version__

    assert _wheel(dist).name == f"hearth-{__version__}-py3-none-any.whl"
    with zipfile.ZipFile(_wheel(dist)) as archive:
        info = f"hearth-{__version__}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "License-Expression: AGPL-3.0-or-later" in metadata
    assert "hearth = hearth.launch:main" in entry_points


def test_sdist_can_build_the_wheel_without_node(dist: Path) -> None:
    """The sdist ships the Socket.IO client the Makefile copied, so no npm is needed later."""
    (sdist,) = dist.glob("hearth-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {"setup.py", "MANIFEST.in", "pyproject.toml", CLIENT} <= names
    for folder in ASSET_FOLDERS:
        assert _files(ROOT / folder) - names == set(), folder


# --- the installed wheel -------------------------------------------------------------------


@pytest.fixture(scope="module")
def installed(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bin/ folder of a fresh virtual environment holding only the wheel and its deps."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    # This environment's pip installs into the new one (dependencies from PyPI or its cache).
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet"]
        + ["--disable-pip-version-check", str(_wheel(dist))],
        env=_clean_env(0),
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return venv / "bin"


def _clean_env(port: int) -> dict[str, str]:
    """No HEARTH_* or PYTHONPATH of the caller: the installed copy must stand on its own."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HEARTH_", "PYTHON"))}
    return env | {
        "HEARTH_HOST": "127.0.0.1",
        "HEARTH_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def room(installed: Path, tmp_path: Path) -> Iterator[LiveServer]:
    """The installed `hearth --no-browser` on a fresh data folder, run from outside the checkout."""
    port = free_port()
    live = LiveServer(
        base_url=f"http://127.0.0.1:{port}",
        port=port,
        instance=tmp_path / "data",
        log_path=tmp_path / "terminal.txt",
        email="counsellor@example.org",
        password="correct horse battery",
    )
    command = [str(installed / "hearth"), "--no-browser", "--data-dir", str(live.instance)]
    with live.log_path.open("wb") as out:
        process = subprocess.Popen(
            [*command, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=_clean_env(port),
            cwd=tmp_path,
        )
    try:
        deadline = time.monotonic() + STARTUP_SECONDS
        while "Stop Hearth with Ctrl+C" not in live.log_text():
            assert process.poll() is None, live.log_text()
            assert time.monotonic() < deadline, live.log_text()
            time.sleep(0.1)
        yield live
    finally:
        process.terminate()
        process.wait(timeout=15)


def _installed_hearth(installed: Path, live: LiveServer, *args: str, stdin: str = "") -> str:
    """Run a command of the installed `hearth` on the room's data folder; return its output."""
    result = subprocess.run(
        [str(installed / "hearth"), "--data-dir", str(live.instance), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_clean_env(live.port),
        cwd=live.instance.parent,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def test_the_installed_wheel_runs_from_its_own_files(installed: Path, room: LiveServer) -> None:
    """Pages, the Socket.IO client and the setup link are served from the installed package."""
    where = subprocess.run(
        [str(installed / "python"), "-c", "import hearth.bundle as b; print(b.asset_root())"],
        capture_output=True,
        text=True,
        env=_clean_env(room.port),
        cwd=room.instance.parent,
        check=True,
    ).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT)), where
    assert requests.get(f"{room.base_url}/healthz", timeout=5).json()["ok"]
    text = room.log_text()
    assert f"Phones join at {room.base_url}/" in text
    setup = next(word for word in text.split() if "/facilitator/setup/" in word)
    assert requests.get(setup, timeout=5).status_code == 200
    assert requests.get(f"{room.base_url}/", timeout=5).status_code == 200
    client = requests.get(f"{room.base_url}/{CLIENT}", timeout=5)
    assert client.status_code == 200
    assert client.content == (ROOT / CLIENT).read_bytes()
    for page in ("/static/css/participant.css", "/static/js/participant/app.js"):
        assert requests.get(f"{room.base_url}{page}", timeout=5).status_code == 200, page


def test_the_installed_wheel_runs_a_workshop_with_an_exact_tally(
    installed: Path, room: LiveServer, sockets: Callable[[str], Recorder]
) -> None:
    """An account from the installed CLI, the built-in plan, three phones, one exact tally.

    Three phones, not two: results show only to groups of at least three (docs/privacy.md).
    """
    password = f"{room.password}\n{room.password}\n"
    _installed_hearth(installed, room, "facilitator", "create", room.email, stdin=password)
    room.token = _installed_hearth(installed, room, "token", "create", room.email).split()[-1]
    workshop = room.create_workshop(min_group=3)
    assert requests.get(f"{room.base_url}/j/{workshop.code}", timeout=5).status_code == 200
    phones = [sockets("/participant").listen("welcome", "state", "results") for _ in range(3)]
    for phone in phones:
        phone.connect(room.base_url, {"code": workshop.code})
    activity = room.goto_first(workshop.id, "choice")
    choices = [0, 1, 1]
    for phone, value in zip(phones, choices, strict=True):
        answer = {"activity_id": activity["id"], "value": value, "msg_id": uuid.uuid4().hex}
        assert phone.call("answer", answer).get("ok") is True
    room.act(workshop.id, "reveal")

    def revealed() -> list[int] | None:
        held = [*phones[0].of("results"), *(s.get("results") for s in phones[0].of("state"))]
        results = [r for r in held if r and r["activity_id"] == activity["id"]]
        latest = max(results, key=lambda r: r["version"]) if results else {}
        return latest.get("counts") if latest.get("hidden", "x") is None else None

    counts = wait_until(revealed, message="the revealed tally on a phone")
    assert counts[:2] == [1, 2] and sum(counts) == 3, counts
