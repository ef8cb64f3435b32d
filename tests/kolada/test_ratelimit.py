"""Unit tests of the rate limiter, on a fake clock (the real-time test is in test_client_faults.py)."""

from __future__ import annotations

import itertools
import threading
import time

import pytest

from barnbokslut.kolada._ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def test_it_spaces_requests_at_least_one_interval_apart() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5.0, clock=clock, sleep=clock.sleep)
    starts = []
    for _ in range(11):
        limiter.acquire()
        starts.append(clock.now)
    assert starts[0] == 100.0
    assert starts[-1] - starts[0] == pytest.approx(2.0)
    assert all(later - earlier >= 0.2 - 1e-9 for earlier, later in itertools.pairwise(starts))


def test_time_already_spent_counts_towards_the_interval() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5.0, clock=clock, sleep=clock.sleep)
    limiter.acquire()
    clock.now += 0.15  # e.g. the request itself took 150 ms
    assert limiter.acquire() == pytest.approx(0.05)
    clock.now += 10.0  # idle time does not pile up into a burst
    assert limiter.acquire() == 0.0
    assert limiter.acquire() == pytest.approx(0.2)


def test_a_burst_lets_that_many_through_at_once() -> None:
    clock = FakeClock()
    limiter = RateLimiter(5.0, burst=3, clock=clock, sleep=clock.sleep)
    waits = [limiter.acquire() for _ in range(4)]
    assert waits[:3] == [0.0, 0.0, 0.0]
    assert waits[3] == pytest.approx(0.2)


def test_no_rate_means_no_waiting() -> None:
    limiter = RateLimiter(None)
    assert [limiter.acquire() for _ in range(100)] == [0.0] * 100


def test_it_refuses_a_rate_of_zero() -> None:
    with pytest.raises(ValueError, match="större än 0"):
        RateLimiter(0)


def test_threads_share_one_limit() -> None:
    limiter = RateLimiter(50.0)
    starts: list[float] = []
    lock = threading.Lock()

    def work() -> None:
        for _ in range(5):
            limiter.acquire()
            with lock:
                starts.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert len(starts) == 20
    # 20 acquisitions at 50/s: the first and the last are at least 19 intervals apart.
    assert starts[-1] - starts[0] >= 19 * 0.02 - 0.01
