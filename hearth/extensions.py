"""Extension objects, bound to the app in create_app, and the database write discipline."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_login import LoginManager
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

from hearth import changes


class Base(DeclarativeBase):
    """Declarative base with a constraint naming convention, so migrations are stable."""

    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
socketio = SocketIO()
login_manager = LoginManager()
csrf = CSRFProtect()

# SQLite allows one writer; under eventlet two green threads writing at once fail with
# "database is locked", and busy_timeout would freeze the whole hub inside C. So every write
# transaction in this process takes this lock (green once monkey-patched). PostgreSQL gets
# a no-op lock: it handles concurrent writers itself.
_sqlite_write_lock = threading.Lock()


class _NoLock:
    """A context manager that does nothing (PostgreSQL needs no process-wide write lock)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: Any) -> None:
        return None


def _write_lock() -> Any:
    """Return the lock that serialises writes for the current database."""
    if db.engine.dialect.name == "sqlite":
        return _sqlite_write_lock
    return _NoLock()


@contextmanager
def writing() -> Iterator[None]:
    """Run a block as one write transaction: serialised, committed once, rolled back on error.

    It is also the unit of work of `hearth.changes`: the changes recorded inside are handed on
    after the commit succeeded and the write lock is released (a subscriber may read or write),
    and dropped on a rollback or a failed commit.
    """
    with changes.transaction(), _write_lock():
        try:
            yield
            db.session.commit()
        except BaseException:
            db.session.rollback()
            raise
