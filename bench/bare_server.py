"""Baseline (b): a bare python-socketio server on eventlet that only acks — the stack's floor.

Same async mode, same Engine.IO settings and the same eventlet WSGI server (listen backlog,
`max_size`) as `hearth serve`, but no Flask, no session, no database and no
broadcast: `/participant` accepts any connect and acks `answer` at once. `GET /healthz`
answers `{"ok": true, "answers": n}`.

    python -m bench.bare_server --port 5199
"""

from __future__ import annotations

import eventlet

eventlet.monkey_patch()

import argparse  # noqa: E402
import json  # noqa: E402
from typing import Any  # noqa: E402

import eventlet.wsgi  # noqa: E402
import socketio  # noqa: E402

MAX_MESSAGE_BYTES = 64 * 1024  # as hearth/app.py
LISTEN_BACKLOG = 2048  # as `hearth serve` (hearth/cli/serve.py)

sio = socketio.Server(
    async_mode="eventlet",
    max_http_buffer_size=MAX_MESSAGE_BYTES,
    ping_interval=15,
    ping_timeout=10,
    logger=False,
    engineio_logger=False,
)
answers = 0


@sio.on("connect", namespace="/participant")
def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
    """Accept every phone."""
    return True


@sio.on("answer", namespace="/participant")
def answer(sid: str, data: Any = None) -> dict[str, Any]:
    """Ack at once, in the shape Hearth acks with."""
    global answers
    answers += 1
    data = data if isinstance(data, dict) else {}
    return {
        "ok": True,
        "activity_id": data.get("activity_id"),
        "mine": {"value": data.get("value"), "passed": False},
    }


def health(environ: dict[str, Any], start_response: Any) -> list[bytes]:
    """Every path that is not Socket.IO: /healthz, or 404."""
    if environ.get("PATH_INFO") == "/healthz":
        body = json.dumps({"ok": True, "answers": answers}).encode()
        start_response("200 OK", [("Content-Type", "application/json")])
        return [body]
    start_response("404 Not Found", [("Content-Type", "text/plain")])
    return [b"not found"]


def main() -> None:
    """Serve on 127.0.0.1 until killed."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5199)
    parser.add_argument("--max-connections", type=int, default=5000)
    parser.add_argument(
        "--backlog",
        type=int,
        default=LISTEN_BACKLOG,
        help=f"listen backlog ({LISTEN_BACKLOG}: what hearth serve opens its port with)",
    )
    args = parser.parse_args()
    app = socketio.WSGIApp(sio, health)
    # As `hearth serve` does (hearth.cli.open_listener).
    listener = eventlet.listen((args.host, args.port), backlog=args.backlog)
    eventlet.wsgi.server(listener, app, log_output=False, max_size=args.max_connections)


if __name__ == "__main__":
    main()
