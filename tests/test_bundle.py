"""hearth.bundle: where a checkout and an installed wheel keep templates, static files and data."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearth import bundle

ROOT = Path(__file__).resolve().parents[1]


def test_a_checkout_finds_its_own_folders() -> None:
    """From a checkout, every asset folder is the checkout's own, and data goes to instance/."""
    assert bundle.is_checkout()
    for name in bundle.ASSET_FOLDERS:
        assert bundle.asset_path(name) == ROOT / name
        assert bundle.asset_path(name).is_dir()
    assert bundle.default_data_dir() == ROOT / "instance"


def test_an_installed_package_uses_its_bundled_folders_and_the_user_data_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Once hearth/assets/ exists (as in a wheel), the assets and data folder come from there."""
    monkeypatch.setattr(bundle, "BUNDLED", tmp_path / "assets")
    (tmp_path / "assets").mkdir()
    monkeypatch.setattr(bundle.platformdirs, "user_data_dir", lambda *a, **k: str(tmp_path / "u"))
    assert not bundle.is_checkout()
    assert bundle.asset_path("templates") == tmp_path / "assets" / "templates"
    assert bundle.default_data_dir() == tmp_path / "u"


def test_an_unknown_asset_folder_is_refused() -> None:
    """Only the four folders the build copies can be asked for."""
    with pytest.raises(ValueError):
        bundle.asset_path("instance")
