"""Logged faults name their type and where they happened, never their message.

An exception's message can carry what a person typed: openpyxl's "cannot be used in
worksheets" error quotes the cell, a JSON error quotes the input, a driver error quotes its
parameters. So every log record that carries an exception, from Hearth or from a library,
has its traceback replaced by the exception's type and its file:line locations (innermost
first), e.g. `ValueError at openpyxl/cell/cell.py:218 < hearth/exports.py:801`. That is
enough to find the fault in the code and holds nothing anyone wrote (docs/privacy.md).
"""

from __future__ import annotations

import logging
import traceback
from pathlib import Path
from types import TracebackType
from typing import Any

# Frames shown per exception: the innermost ones say where it happened.
MAX_FRAMES = 8

_installed = False


def fault_summary(
    exc_info: tuple[type[BaseException], BaseException, TracebackType | None],
) -> str:
    """`Type at file:line < file:line …`, plus the exception it happened during, if any."""
    _type, error, _tb = exc_info
    lines = [_one_fault(error)]
    seen = {id(error)}
    cause = error.__cause__ or error.__context__
    while cause is not None and id(cause) not in seen and len(lines) < 4:
        seen.add(id(cause))
        lines.append(f"  during {_one_fault(cause)}")
        cause = cause.__cause__ or cause.__context__
    return "\n".join(lines)


def _one_fault(error: BaseException) -> str:
    """One exception's qualified type name and its innermost frames, never its message."""
    kind = type(error)
    name = kind.__qualname__
    if kind.__module__ not in ("builtins", "__main__"):
        name = f"{kind.__module__}.{name}"
    frames = traceback.extract_tb(error.__traceback__)[-MAX_FRAMES:]
    where = " < ".join(f"{_short_path(f.filename)}:{f.lineno}" for f in reversed(frames))
    return f"{name} at {where}" if where else name


def _short_path(filename: str) -> str:
    """A path from the package down (site-packages/openpyxl/x.py → openpyxl/x.py)."""
    parts = Path(filename).parts
    for marker in ("site-packages", "dist-packages"):
        if marker in parts:
            return "/".join(parts[parts.index(marker) + 1 :])
    return "/".join(parts[-2:])


def log_faults_without_messages() -> None:
    """Make every log record's exception text a fault_summary (once per process)."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if record.exc_info and record.exc_info[1] is not None:
            # Formatters use a record's exc_text as it is when it is already set.
            record.exc_text = fault_summary(record.exc_info)
        return record

    logging.setLogRecordFactory(make_record)
    _installed = True
