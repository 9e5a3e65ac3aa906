"""Flat configuration: defaults, then instance/hearth.toml, then HEARTH_* variables, then tests."""

from __future__ import annotations

import os
import secrets
import tomllib
from pathlib import Path
from typing import Any

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": None,
    "DATABASE_URL": None,  # default: sqlite in the instance folder
    "MESSAGE_QUEUE": None,
    "MESSAGE_QUEUE_CHANNEL": "hearth",
    "PUBLIC_URL": None,  # default: http://<LAN address>:<port>
    "HOST": "0.0.0.0",
    "PORT": 5000,
    "ASYNC_MODE": "eventlet",
    "TICK_MS": 200,
    "MIN_GROUP": 5,
    "RETENTION_DAYS": 30,
    "ACCESS_LOG": False,  # per-request access logs; /participant paths are never logged
    "MAX_CONNECTIONS": 5000,
    "JOIN_RATE": "30/minute",  # wrong join codes per client (a valid code always gets in)
    "LOGIN_RATE": "10/minute",
    # New participant identities one address may be issued per workshop an hour (0: no limit);
    # phones' questions, upvotes, signals and reactions per address scale with it. Default: 60
    # in room mode, 2000 in server mode, where a venue or a mobile carrier puts many phones
    # behind one address.
    "PHONES_PER_ADDRESS": None,  # failed logins per client
    # Where rate-limit counters live: memory:// in room mode; in server mode the Redis of the
    # message queue, so every worker counts the same attempts (docs/deploy.md).
    "RATE_LIMIT_STORAGE": None,
    # How many reverse proxies (nginx) stand in front of Hearth; their X-Forwarded-For, -Proto
    # and -Host are believed for that many hops. 0: the headers are ignored (room mode).
    "TRUSTED_PROXIES": 0,
    # Socket.IO transports, comma-separated; default: WebSocket only in server mode (no sticky
    # sessions needed), WebSocket with long-polling fallback in room mode.
    "TRANSPORTS": None,
    # The browser that prints PDF summaries (Chromium, Chrome or Edge); found on PATH if unset.
    "PDF_BROWSER": None,
}

INT_KEYS = {
    "PORT",
    "TICK_MS",
    "MIN_GROUP",
    "RETENTION_DAYS",
    "MAX_CONNECTIONS",
    "TRUSTED_PROXIES",
    "PHONES_PER_ADDRESS",
}
BOOL_KEYS = {"ACCESS_LOG"}

# k may never go below 3 (docs/privacy.md); 50 is the facilitator's ceiling.
MIN_GROUP_FLOOR = 3
MIN_GROUP_CEILING = 50


def _coerce(key: str, value: Any) -> Any:
    """Turn a string from the environment or TOML into the setting's type."""
    if key in INT_KEYS:
        return int(value)
    if key in BOOL_KEYS and isinstance(value, str):
        return value.strip().lower() in {"1", "true", "yes", "on"}
    return value


def load_settings(instance_path: Path, test_config: dict[str, Any] | None) -> dict[str, Any]:
    """Return the settings as HEARTH_-less keys, from every source in order of precedence."""
    settings = dict(DEFAULTS)
    toml_file = instance_path / "hearth.toml"
    if toml_file.exists():
        with toml_file.open("rb") as fh:
            for key, value in tomllib.load(fh).items():
                if key.upper() in DEFAULTS:
                    settings[key.upper()] = _coerce(key.upper(), value)
    for key in DEFAULTS:
        env = os.environ.get(f"HEARTH_{key}")
        if env not in (None, ""):
            settings[key] = _coerce(key, env)
    if test_config:
        settings.update({k: v for k, v in test_config.items() if k in DEFAULTS})
    settings["MIN_GROUP"] = max(MIN_GROUP_FLOOR, min(MIN_GROUP_CEILING, settings["MIN_GROUP"]))
    if not settings["DATABASE_URL"]:
        settings["DATABASE_URL"] = f"sqlite:///{instance_path / 'hearth.db'}"
    if settings["PHONES_PER_ADDRESS"] is None:
        settings["PHONES_PER_ADDRESS"] = 2000 if settings["MESSAGE_QUEUE"] else 60
    if settings["PHONES_PER_ADDRESS"] < 0:
        raise ValueError("HEARTH_PHONES_PER_ADDRESS is a number of phones: 0 (no limit) or more.")
    if not settings["TRANSPORTS"]:
        settings["TRANSPORTS"] = "websocket" if settings["MESSAGE_QUEUE"] else "websocket,polling"
    if not settings["RATE_LIMIT_STORAGE"]:
        queue = settings["MESSAGE_QUEUE"] or ""
        settings["RATE_LIMIT_STORAGE"] = queue if queue.startswith("redis") else "memory://"
    if settings["TRUSTED_PROXIES"] < 0:
        raise ValueError("HEARTH_TRUSTED_PROXIES is a number of proxies: 0 or more.")
    if not settings["SECRET_KEY"]:
        settings["SECRET_KEY"] = instance_secret_key(instance_path)
    return settings


def make_private_folder(path: Path) -> None:
    """Create a folder only its owner can enter (0700), if it does not exist yet."""
    if not path.exists():
        path.mkdir(parents=True, mode=0o700)
        path.chmod(0o700)  # mkdir's mode is filtered by the umask


def make_private_database_file(database_url: str, instance_path: Path) -> None:
    """Create a SQLite database file readable by its owner only (0600) before SQLite does.

    SQLite gives its -wal and -shm files the database file's permissions. The instance folder
    is created if needed (0700); any other folder must exist already.
    """
    if not database_url.startswith("sqlite:///"):
        return
    database = database_url.removeprefix("sqlite:///").split("?", 1)[0]
    if not database or database == ":memory:":
        return
    path = Path(database)
    if path.exists():
        return
    if path.parent.resolve() == instance_path.resolve():
        make_private_folder(instance_path)
    if not path.parent.is_dir():
        return  # SQLite will report it (and /healthz says the database is unreachable)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    path.chmod(0o600)


def instance_secret_key(instance_path: Path) -> str:
    """Read the secret key from the instance folder, creating it (mode 0600) on first run."""
    key_file = instance_path / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    make_private_folder(instance_path)
    key = secrets.token_urlsafe(48)
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key
