"""Build hook: a wheel carries templates, static files, migrations and plans (docs/install.md).

Everything else about the package is declared in pyproject.toml. The folders named in
hearth.bundle.ASSET_FOLDERS are copied into hearth/assets/ of the build, and the Socket.IO
client is copied from npm's node_modules (or, building from an sdist, from static/vendor/)
so that installing the wheel needs neither Node nor npm.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
# Kept in step with hearth/bundle.py (which the build cannot import: its dependencies may be
# missing in the isolated build environment).
ASSET_FOLDERS = ("templates", "static", "migrations", "plans")
CLIENT_FILES = ("socket.io.esm.min.js", "socket.io.esm.min.js.map")
NPM_CLIENT = HERE / "node_modules" / "socket.io-client" / "dist"
SKIPPED = shutil.ignore_patterns("__pycache__", "*.pyc", ".copied")


def copy_assets(target: Path) -> None:
    """Copy the asset folders into `target` (hearth/assets), the Socket.IO client from npm."""
    if target.exists():
        shutil.rmtree(target)
    for name in ASSET_FOLDERS:
        shutil.copytree(HERE / name, target / name, ignore=SKIPPED)
    # static/vendor/ (copied by `make setup`, or shipped in the sdist) came along; npm's own
    # build, when present, is the fresher source of the client.
    vendor = target / "static" / "vendor" / "socket.io"
    if (NPM_CLIENT / CLIENT_FILES[0]).is_file():
        vendor.mkdir(parents=True, exist_ok=True)
        for name in CLIENT_FILES:
            shutil.copy2(NPM_CLIENT / name, vendor / name)
    if not (vendor / CLIENT_FILES[0]).is_file():
        raise SystemExit(
            "The Socket.IO client is missing: run `npm ci` (or `make setup`) before building."
        )


class BuildWithAssets(build_py):
    """build_py, plus the asset folders a run needs (not for editable installs: a checkout
    finds its own folders, see hearth/bundle.py)."""

    def run(self) -> None:
        """Build the packages, then copy the assets beside them."""
        super().run()
        if not getattr(self, "editable_mode", False):
            copy_assets(Path(self.build_lib) / "hearth" / "assets")


setup(cmdclass={"build_py": BuildWithAssets})
