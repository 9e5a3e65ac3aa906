"""Monkey-patching for the async mode, done before anything else is imported."""

from __future__ import annotations

import os


def async_mode() -> str:
    """Return the configured async mode: eventlet (default), gevent or threading."""
    mode = os.environ.get("HEARTH_ASYNC_MODE", "eventlet").strip().lower()
    return mode if mode in {"eventlet", "gevent", "threading"} else "eventlet"


def monkey_patch() -> str:
    """Patch the standard library for the configured async mode and return the mode."""
    mode = async_mode()
    if mode == "eventlet":
        import warnings

        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            import eventlet

        eventlet.monkey_patch()
    elif mode == "gevent":
        from gevent import monkey

        monkey.patch_all()
    if mode != "threading" and os.environ.get("PSYCOPG_WAIT_FUNC") is None:
        # psycopg 3 waits for the server inside C, which would freeze the hub; a select-based
        # wait on a patched `select` yields to other green threads instead.
        os.environ["PSYCOPG_WAIT_FUNC"] = "wait_select"
    return mode
