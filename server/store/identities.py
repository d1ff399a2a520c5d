"""A short-lived, in-process memory of which cookie token belongs to which identity.

Every request resolves its cookie; remembering the answer for a few seconds would save a database
read per request, but another process would then honour a revoked token (a logout, a password
change) or a changed role for up to `ttl` seconds. The default is therefore 0: nothing is cached,
and every request reads the token and the account's role from the database (one indexed read,
tens of microseconds on SQLite). A positive `ttl` is for single-process deployments that accept
that delay; revoking through this process forgets the token here at once either way.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from server.store.records import Identity

DEFAULT_TTL = 0.0


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
