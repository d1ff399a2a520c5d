"""A short-lived, in-process memory of which cookie token belongs to which identity.

Every request resolves its cookie; remembering the answer for a few seconds saves a database read
per request. Revoking a token through this process forgets it at once; another process forgets it
within `ttl` seconds, so a logout takes effect everywhere within that time.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from server.store.records import Identity

DEFAULT_TTL = 5.0


class IdentityCache:
    """token hash -> (identity, expiry), least recently used first out."""

    def __init__(self, ttl: float = DEFAULT_TTL, capacity: int = 10_000) -> None:
        self.ttl = ttl
        self._capacity = capacity
        self._items: OrderedDict[str, tuple[Identity, float]] = OrderedDict()

    def get(self, key: str) -> Identity | None:
        """The remembered identity, if still fresh."""
        found = self._items.get(key)
        if found is None:
            return None
        if found[1] < time.monotonic():
            del self._items[key]
            return None
        return found[0]

    def put(self, key: str, identity: Identity) -> None:
        """Remember an identity for `ttl` seconds."""
        if self.ttl <= 0:
            return
        self._items[key] = (identity, time.monotonic() + self.ttl)
        self._items.move_to_end(key)
        while len(self._items) > self._capacity:
            self._items.popitem(last=False)

    def forget(self, key: str) -> None:
        """Drop a token (it was revoked here)."""
        self._items.pop(key, None)
