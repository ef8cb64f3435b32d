"""A transport that passes requests on to our real Kolada server, noting when each was sent."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx


class Forwarding(httpx.BaseTransport):
    """Sends requests on to the real server, first noting when each left and calling ``before``.

    ``before`` lets a test decide *when* the server injects a fault (e.g. only on page 2); the
    fault itself is still the server's.
    """

    def __init__(self, before: Callable[[httpx.Request], None] | None = None) -> None:
        self._inner = httpx.HTTPTransport()
        self._before = before
        self.sent: list[tuple[float, str]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append((time.monotonic(), str(request.url)))
        if self._before is not None:
            self._before(request)
        return self._inner.handle_request(request)

    def close(self) -> None:
        self._inner.close()
