"""The one error type services raise, and its JSON shape (docs/protocol.md, Errors)."""

from __future__ import annotations

from typing import Any


class HearthError(Exception):
    """A refusal a person can act on: a snake_case code, a sentence, an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status

    def as_dict(self) -> dict[str, Any]:
        """Return the error body: {"error": {"code", "message"}}."""
        return {"error": {"code": self.code, "message": self.message}}

    def as_ack(self) -> dict[str, Any]:
        """Return the socket acknowledgement for this error."""
        return {"ok": False, **self.as_dict()}


def invalid_payload(message: str) -> HearthError:
    """A payload that is not an object, or has a missing or wrongly typed field."""
    return HearthError("invalid_payload", message)


# Row ids are 64-bit; a larger number cannot name anything (and would overflow the driver).
MAX_ID = 2**63 - 1


def record_id(value: Any, field: str) -> int:
    """A whole-number id from a payload; 0 (which names no row) when it is out of range."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise invalid_payload(f"'{field}' must be a whole number.")
    return value if 1 <= value <= MAX_ID else 0


def not_found(message: str = "That could not be found.") -> HearthError:
    """A missing workshop, plan, activity or response."""
    return HearthError("not_found", message, 404)


def refuse_if_ended(phase: str) -> None:
    """The one "workshop has ended" refusal of phones' pages and messages (410)."""
    if phase == "ended":
        raise HearthError(
            "workshop_ended", "This workshop has ended. Thank you for taking part.", 410
        )
