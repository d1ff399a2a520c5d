"""SQLite statements run straight through the driver, for the few per-turn ones.

A SQLAlchemy execution (parameter processing, a cached compiled statement, a result object) costs
several times what SQLite itself spends on a one-row read or write. The hottest statements are
compiled once here to SQLite text with their parameters in order and each parameter's SQLAlchemy
bind processor, so the same values are stored as SQLAlchemy would store them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime
from sqlalchemy.dialects import sqlite
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.expression import ClauseElement

from server.store.records import aware

DIALECT = sqlite.dialect()

_Slot = tuple[str, Callable[[Any], Any] | None, Any]


def _remember_last(process: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """`process`, answering again for the same object without redoing the work (one entry; a
    tuple swapped whole, so safe across threads)."""
    last: tuple[Any, Any] = (object(), None)

    def remembered(value: Any) -> Any:
        nonlocal last
        seen = last  # read once: another thread may swap `last` meanwhile
        if value is not seen[0]:
            seen = last = (value, process(value))
        return seen[1]

    return remembered


# SQLAlchemy's text for a DateTime value on SQLite. A change binds its one `at` 3-4 times (the
# session's bump, each new turn, the idempotency key): formatted once, as a str, the same text.
_DATETIME_PROCESSOR = DateTime(timezone=True).dialect_impl(DIALECT).bind_processor(DIALECT)
assert _DATETIME_PROCESSOR is not None
_DATETIME_TEXT = _remember_last(_DATETIME_PROCESSOR)


class SqliteStatement:
    """A built statement as SQLite text, with a way to turn named values into its parameters."""

    def __init__(self, statement: ClauseElement, column_keys: Sequence[str] | None = None) -> None:
        compiled = statement.compile(
            dialect=DIALECT, column_keys=list(column_keys) if column_keys else None
        )
        assert isinstance(compiled, SQLCompiler)
        self.sql = str(compiled)
        slots: list[_Slot] = []
        for name in compiled.positiontup or ():
            bind = compiled.binds[name]
            impl = bind.type.dialect_impl(DIALECT)
            process = _DATETIME_TEXT if isinstance(impl, DateTime) else impl.bind_processor(DIALECT)
            literal = None if bind.required else bind.effective_value
            slots.append((name, process, literal))
        self._slots = tuple(slots)

    def params(self, values: Mapping[str, Any]) -> tuple[Any, ...]:
        """The positional parameters for `values` (literals of the statement filled in)."""
        out = []
        for name, process, literal in self._slots:
            value = values.get(name, literal)
            out.append(value if process is None or value is None else process(value))
        return tuple(out)


def driver(conn: Connection) -> Any:
    """The sqlite3 connection under a SQLAlchemy one (its transaction is the same)."""
    return conn.connection.driver_connection


# What SQLAlchemy parses a DateTime column with on SQLite.
_STR_TO_DATETIME = DateTime(timezone=True).dialect_impl(DIALECT).result_processor(DIALECT, None)


def to_datetime(value: Any) -> datetime:
    """A DateTime column as SQLite hands it back (text), parsed as SQLAlchemy does, in UTC."""
    assert _STR_TO_DATETIME is not None
    parsed = _STR_TO_DATETIME(value)
    assert isinstance(parsed, datetime)
    return aware(parsed)
