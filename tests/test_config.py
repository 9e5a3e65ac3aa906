"""hearth.config: defaults, instance/hearth.toml, HEARTH_* variables, test config, secret key."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask

from hearth.config import DEFAULTS, load_settings


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    """No HEARTH_* variable from the developer's shell."""
    for key in list(os.environ):
        if key.startswith("HEARTH_"):
            monkeypatch.delenv(key)
    return monkeypatch


def test_defaults_are_room_mode(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    settings = load_settings(tmp_path, {"SECRET_KEY": "s"})
    assert settings["MIN_GROUP"] == 5
    assert settings["TICK_MS"] == 200
    assert settings["ASYNC_MODE"] == "eventlet"
    assert settings["ACCESS_LOG"] is False
    assert settings["DATABASE_URL"] == f"sqlite:///{tmp_path / 'hearth.db'}"


def test_environment_overrides_defaults_with_typed_values(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HEARTH_MIN_GROUP", "7")
    clean_env.setenv("HEARTH_TICK_MS", "50")
    clean_env.setenv("HEARTH_ACCESS_LOG", "yes")
    clean_env.setenv("HEARTH_PUBLIC_URL", "https://room.example")
    clean_env.setenv("HEARTH_DATABASE_URL", "postgresql+psycopg://h@db/hearth")
    settings = load_settings(tmp_path, {"SECRET_KEY": "s"})
    assert settings["MIN_GROUP"] == 7
    assert settings["TICK_MS"] == 50
    assert settings["ACCESS_LOG"] is True
    assert settings["PUBLIC_URL"] == "https://room.example"
    assert settings["DATABASE_URL"] == "postgresql+psycopg://h@db/hearth"


def test_an_empty_variable_keeps_the_default(tmp_path: Path, clean_env: pytest.MonkeyPatch) -> None:
    clean_env.setenv("HEARTH_MIN_GROUP", "")
    assert load_settings(tmp_path, {"SECRET_KEY": "s"})["MIN_GROUP"] == DEFAULTS["MIN_GROUP"]


def test_instance_toml_is_read_and_the_environment_wins(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    (tmp_path / "hearth.toml").write_text('min_group = 8\ntick_ms = 100\nunknown = "x"\n')
    clean_env.setenv("HEARTH_TICK_MS", "300")
    settings = load_settings(tmp_path, {"SECRET_KEY": "s"})
    assert settings["MIN_GROUP"] == 8
    assert settings["TICK_MS"] == 300
    assert "UNKNOWN" not in settings


def test_test_config_wins_over_the_environment(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HEARTH_MIN_GROUP", "9")
    assert load_settings(tmp_path, {"SECRET_KEY": "s", "MIN_GROUP": 4})["MIN_GROUP"] == 4


@pytest.mark.parametrize(("configured", "effective"), [(0, 3), (1, 3), (2, 3), (3, 3), (50, 50)])
def test_k_is_never_below_three(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, configured: int, effective: int
) -> None:
    settings = load_settings(tmp_path, {"SECRET_KEY": "s", "MIN_GROUP": configured})
    assert settings["MIN_GROUP"] == effective


def test_k_from_the_environment_is_clamped_too(
    tmp_path: Path, clean_env: pytest.MonkeyPatch
) -> None:
    clean_env.setenv("HEARTH_MIN_GROUP", "1")
    assert load_settings(tmp_path, {"SECRET_KEY": "s"})["MIN_GROUP"] == 3
    clean_env.setenv("HEARTH_MIN_GROUP", "500")
    assert load_settings(tmp_path, {"SECRET_KEY": "s"})["MIN_GROUP"] == 50


def test_app_config_carries_the_settings(make_app: Callable[..., Flask]) -> None:
    app = make_app(migrate=False, MIN_GROUP=2, TICK_MS=0)
    assert app.config["HEARTH_MIN_GROUP"] == 3
    assert app.config["HEARTH_TICK_MS"] == 0
    assert app.config["HEARTH_TICKER"] is False
    assert app.config["TESTING"] is True


def test_secret_key_is_generated_into_the_instance_folder_once(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    first = make_app(migrate=False, SECRET_KEY=None)
    key_file = Path(first.instance_path) / "secret_key"
    assert key_file.parent == tmp_path / "instance"
    assert key_file.read_text() == first.config["SECRET_KEY"]
    assert len(first.config["SECRET_KEY"]) >= 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    second = make_app(migrate=False, SECRET_KEY=None)
    assert second.config["SECRET_KEY"] == first.config["SECRET_KEY"]


def test_an_explicit_secret_key_writes_no_file(
    make_app: Callable[..., Flask], tmp_path: Path
) -> None:
    app = make_app(migrate=False, SECRET_KEY="given")
    assert app.config["SECRET_KEY"] == "given"
    assert not (tmp_path / "instance" / "secret_key").exists()


def test_server_mode_defaults_to_websocket_only(tmp_path: Path) -> None:
    room = load_settings(tmp_path, {"SECRET_KEY": "k"})
    server = load_settings(tmp_path, {"SECRET_KEY": "k", "MESSAGE_QUEUE": "redis://127.0.0.1:6379"})
    assert room["TRANSPORTS"] == "websocket,polling"
    assert server["TRANSPORTS"] == "websocket"
