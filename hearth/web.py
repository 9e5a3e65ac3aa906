"""HTTP plumbing every side shares: JSON or page, the error shape, reading request bodies, and the
headers on every response (security, privacy, the access log).

The sides (facilitator/, participant/) import from here, never from the app factory: the factory
composes them, so their importing it back would make a cycle (docs/architecture.md, Layers).
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Request, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy import text
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import HTTPException

from hearth.errors import N_, HearthError, Message, invalid_payload
from hearth.extensions import db
from hearth.i18n import say
from hearth.importer import MAX_ARTICLE_BYTES

# --- JSON or a page -----------------------------------------------------------------------


def wants_json() -> bool:
    """True when the request is for the JSON API rather than a page."""
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def error_response(error: HearthError) -> tuple[Response | str, int]:
    """Render a HearthError as JSON for the API and as a page for people, its message in the
    request's language (the code stays the same English identifier in every language)."""
    message = say(error)
    if wants_json():
        return jsonify({"error": {"code": error.code, "message": message}}), error.status
    return render_template("error.html", message=message, code=error.code), error.status


def register_errors(app: Flask) -> None:
    """Every error becomes the shape of docs/protocol.md (or a page); never a traceback."""
    app.register_error_handler(HearthError, error_response)
    app.register_error_handler(CSRFError, _csrf_failed)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)


def _csrf_failed(_error: CSRFError) -> tuple[Response | str, int]:
    return error_response(
        HearthError("csrf_failed", "The form expired. Go back, reload the page and try again.", 400)
    )


TOO_LARGE = N_("That upload is too large.")

# Werkzeug's own refusals, in Hearth's words; any other status keeps a generic sentence.
HTTP_CODES = {404: "not_found", 405: "method_not_allowed", 413: "too_large"}
HTTP_MESSAGES = {
    404: N_("There is nothing at this address. Check the link or the code."),
    405: N_("That method is not allowed here."),
    413: TOO_LARGE,
}


def _http_error(error: HTTPException) -> tuple[Response | str, int]:
    status = error.code or 500
    code = HTTP_CODES.get(status, "bad_request" if status < 500 else "server_error")
    message = HTTP_MESSAGES.get(status, N_("The request could not be understood."))
    return error_response(HearthError(code, message, status))


def _unexpected(_error: Exception) -> tuple[Response | str, int]:
    current_app.logger.exception("Unexpected error on %s %s", request.method, request.url_rule)
    return error_response(
        HearthError("server_error", "Something went wrong on our side. Please try again.", 500)
    )


# --- reading request bodies ---------------------------------------------------------------
# Every route reads its body through these: a JSON object, the raw bytes (plan files and
# articles sent to the API), or an uploaded file; text is always UTF-8, a byte-order mark dropped.

JSON_OBJECT_HINT = N_("Send a JSON object with Content-Type: application/json.")


def json_object(hint: str = JSON_OBJECT_HINT) -> dict[str, Any]:
    """The request's JSON object, or invalid_payload with `hint` (how to send one)."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid_payload(hint)
    return body


NOT_UTF8 = N_("Send the text encoded as UTF-8.")


def body_bytes(limit: int | None = None, too_large: str | Message = TOO_LARGE) -> bytes:
    """The raw request body; a declared length above `limit` is refused (413) before reading.

    Without a declared length the read is still bounded by the request's max_content_length.
    """
    if limit is not None and (request.content_length or 0) > limit:
        raise HearthError("too_large", too_large, 413)
    return request.get_data(cache=False)


def file_bytes(upload: FileStorage, limit: int) -> bytes:
    """At most `limit` + 1 bytes of an uploaded file (one more than allowed tells it is too
    long), and the file closed: a large upload is spooled to a temporary file."""
    try:
        return upload.read(limit + 1)
    finally:
        upload.close()


def utf8_text(data: bytes, hint: str = NOT_UTF8) -> str:
    """Bytes from a body or a file as text, or invalid_payload with `hint`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise invalid_payload(hint) from None


# Every request is held to 2 MB (MAX_CONTENT_LENGTH) except an article to import, which may be
# a Word file or a PDF with pictures; its form may also carry the pasted text or HTML.
ARTICLE_PATHS = ("/api/v1/plans/import", "/facilitator/plans/import")


class HearthRequest(Request):
    """A request whose size limits are widened for the two article import routes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.path in ARTICLE_PATHS:
            self.max_content_length = 2 * MAX_ARTICLE_BYTES
            self.max_form_memory_size = MAX_ARTICLE_BYTES


# --- headers on every response ------------------------------------------------------------

# connect-src is filled in per app: 'self' and the public origin's WebSocket URL, no other host.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src {connect}; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)

# Two years, as browsers' preload lists expect; sent only when the public address is https.
HSTS = "max-age=63072000"

# The take-home page (/s/<key>) counts too: its path holds a secret key.
PARTICIPANT_PATHS = ("/j/", "/join", "/privacy", "/exit", "/s/", "/socket.io", "/participant")

# Paths that carry a secret: the projector's key and the first-run setup token.
SECRET_PATHS = ("/present/", "/facilitator/setup/")

access_log = logging.getLogger("hearth.access")


def is_https(public_url: str | None) -> bool:
    """True when people reach Hearth over https (server mode behind TLS)."""
    return bool(public_url) and str(public_url).lower().startswith("https://")


def is_participant_path(path: str) -> bool:
    """True for paths phones use; they are never access-logged (docs/privacy.md)."""
    return path == "/" or path.startswith(PARTICIPANT_PATHS)


def is_unlogged_path(path: str) -> bool:
    """True for paths the access log never records: phones' paths and secret-bearing ones."""
    return is_participant_path(path) or path.startswith(SECRET_PATHS)


def content_security_policy() -> str:
    """The CSP: sockets may connect to this origin and the public address only."""
    policy = current_app.extensions.get("hearth_csp")
    if policy is None:
        # Computed on first use: `hearth serve --port` sets the port after the app is built.
        from hearth.network import public_url

        origin = urlsplit(public_url())
        scheme = "wss" if origin.scheme == "https" else "ws"
        policy = CONTENT_SECURITY_POLICY.format(connect=f"'self' {scheme}://{origin.netloc}")
        current_app.extensions["hearth_csp"] = policy
    return str(policy)


def register_headers(app: Flask) -> None:
    """Security and privacy headers on every response, and the access log if it is on."""

    https = is_https(app.config["HEARTH_PUBLIC_URL"])

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", content_security_policy())
        if https:
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=()"
        )
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        if app.config["HEARTH_ACCESS_LOG"] and not is_unlogged_path(request.path):
            # Method, path and status only: never the client address or user agent.
            access_log.info("%s %s %s", request.method, request.path, response.status_code)
        return response


def register_health(app: Flask) -> None:
    """GET /healthz reports whether the database answers."""

    @app.get("/healthz")
    def healthz() -> tuple[Response, int]:
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:
            app.logger.warning("Health check: the database is unreachable")
            return jsonify({"ok": False, "database": "unreachable"}), 503
        return jsonify({"ok": True, "database": "ok"}), 200
