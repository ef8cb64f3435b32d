"""A thread-safe token bucket that keeps every client at or under its request rate."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

__all__ = ["RateLimiter"]


class RateLimiter:
    """Let at most ``rate`` calls of ``acquire()`` through per second, across all threads.

    ``RateLimiter(5.0)``            # one request every 0.2 s at the most.
    ``RateLimiter(5.0, burst=5)``   # up to 5 at once after a quiet second, then 5 per second.

    With the default ``burst=1`` it is a minimum interval between requests, so no sliding
    window of one second ever holds more than ``rate`` requests. ``rate=None`` disables it.
    """

    def __init__(
        self,
        rate: float | None,
        *,
        burst: int = 1,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate is not None and rate <= 0:
            raise ValueError(f"Högsta antal anrop per sekund måste vara större än 0, inte {rate}")
        if burst < 1:
            raise ValueError(f"burst måste vara minst 1, inte {burst}")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()
        self._tokens = float(burst)
        self._updated = clock()

    def acquire(self) -> float:
        """Wait until a request may be sent, and return how long that took in seconds."""
        if self.rate is None:
            return 0.0
        with self._lock:
            now = self._clock()
            self._tokens = min(float(self.burst), self._tokens + (now - self._updated) * self.rate)
            self._updated = now
            # Taking the token before sleeping reserves a place in the queue, so the lock is
            # not held while waiting and threads are served in the order they arrived.
            self._tokens -= 1.0
            wait = 0.0 if self._tokens >= 0 else -self._tokens / self.rate
        if wait > 0:
            self._sleep(wait)
        return wait
