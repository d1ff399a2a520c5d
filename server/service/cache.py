"""A bounded, in-process cache of live sessions, valid only while its version matches the store's.

It saves re-reading and re-parsing a session's turns on every request; the store's version is
checked before each use, so another process writing the session simply makes the entry stale.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from server.store import SessionRow, StoredTurn

S = TypeVar("S")


@dataclass(slots=True)
class LiveSession(Generic[S]):
    """A session ready to take a turn: its row, its parsed practice state and its turns."""

    row: SessionRow
    state: S
    turns: list[StoredTurn] = field(default_factory=list)
    report: Any = None  # the report of exactly these turns, once computed (an entry never changes)
    replied_at: float = float("-inf")  # time.monotonic() when the last turn's reply was sent


class SessionCache(Generic[S]):
    """Least recently used first out."""

    def __init__(self, capacity: int = 4096) -> None:
        self._capacity = capacity
        self._items: OrderedDict[str, LiveSession[S]] = OrderedDict()

    def get(self, session_id: str, version: int) -> LiveSession[S] | None:
        """The entry if it is at `version`."""
        live = self._items.get(session_id)
        if live is None or live.row.version != version:
            return None
        self._items.move_to_end(session_id)
        return live

    def put(self, live: LiveSession[S]) -> None:
        """Remember a session at its row's version."""
        self._items[live.row.id] = live
        self._items.move_to_end(live.row.id)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def drop(self, session_id: str) -> None:
        """Forget a session."""
        self._items.pop(session_id, None)
