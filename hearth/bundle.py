"""Where Hearth's files live: a checkout's folders, or the copies a built wheel carries.

A checkout keeps templates/, static/, migrations/ and plans/ beside the packages; a wheel
carries them inside the package, in hearth/assets/ (setup.py copies them at build time, see
docs/install.md). Everything that reads one of these folders asks this module for its path.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

PACKAGE = Path(__file__).resolve().parent
CHECKOUT = PACKAGE.parent
# The folder name inside the installed package; setup.py copies ASSET_FOLDERS into it.
BUNDLED = PACKAGE / "assets"
ASSET_FOLDERS = ("templates", "static", "migrations", "plans")
# Where the Socket.IO client sits under static/ (pages import it from /static/vendor/...).
SOCKET_IO_CLIENT = Path("vendor", "socket.io", "socket.io.esm.min.js")


def is_checkout() -> bool:
    """True when Hearth runs from a source checkout rather than an installed wheel."""
    return not BUNDLED.is_dir() and (CHECKOUT / "pyproject.toml").is_file()


def asset_root() -> Path:
    """The folder that holds templates/, static/, migrations/ and plans/."""
    return CHECKOUT if is_checkout() else BUNDLED


def asset_path(name: str) -> Path:
    """One of the asset folders (templates, static, migrations or plans), as an absolute path."""
    if name not in ASSET_FOLDERS:
        raise ValueError(f"{name!r} is not one of Hearth's asset folders")
    return asset_root() / name


def default_data_dir() -> Path:
    """Where the database, secret key and settings live unless --data-dir or HEARTH_INSTANCE say.

    A checkout keeps them in its own instance/ folder, as it always has; an installed Hearth uses
    the per-user data folder of the platform (~/.local/share/Hearth on Linux,
    ~/Library/Application Support/Hearth on macOS, %LOCALAPPDATA%\\Hearth on Windows).
    """
    if is_checkout():
        return CHECKOUT / "instance"
    return Path(platformdirs.user_data_dir("Hearth", appauthor=False))
