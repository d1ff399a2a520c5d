"""When a request arrived, for telling two turns sent at once from one sent after a reply.

Two tabs sending a turn for the same session at once must get one answer and one 409. A turn is
processed in a millisecond or two, so the second request often reaches the server only after the
first was answered (measured: 28 of 40 pairs sent at once over two connections were both accepted
when only overlap counted); what tells them apart is whether the second was sent before the
first's reply went out. A tab that waits for the reply sends its next turn after it; a
second tab sending at once sends before it. So `empowerer serve` runs uvicorn with an HTTP
protocol that stamps each request's scope with the time its first bytes were read (`ARRIVED`),
and the service refuses a turn that arrived before the session's last reply was sent.

Where the server does not stamp (another ASGI server, the tests' in-process transport), the turn
route stamps the request when it starts and yields once, so requests that came in together are
all stamped before any of them is answered.
"""

from __future__ import annotations

import time
from typing import Any

from uvicorn.protocols.http.auto import AutoHTTPProtocol

ARRIVED = "empowerer.arrived"  # scope key: time.monotonic() when the request's first bytes came


class StampedHTTPProtocol(AutoHTTPProtocol):  # type: ignore[misc,valid-type]
    """uvicorn's HTTP/1.1 protocol (httptools, or h11 without it), stamping `ARRIVED`."""

    def data_received(self, data: bytes) -> None:
        arrived = time.monotonic()
        super().data_received(data)
        # The request whose bytes these are (a later chunk of the same body keeps its stamp).
        scope: dict[str, Any] | None = getattr(self, "scope", None)
        if scope is not None:
            scope.setdefault(ARRIVED, arrived)
