"""The built packages are complete: an sdist, and a wheel built from it that needs no checkout.

`python -m build` makes the sdist and then the wheel from that sdist, so one build proves both:
the sdist carries what the build step needs, and the wheel carries every package and every file
the app reads at run time (templates, static files with the Socket.IO client, migrations, plans).
"""

from __future__ import annotations

import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("hearth", "facilitator", "participant")
ASSET_FOLDERS = ("templates", "static", "migrations", "plans")
CLIENT = "static/vendor/socket.io/socket.io.esm.min.js"
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
