"""Time and memory of one call, for the pathology tests and bench/pathological.py.

Bounds are ratios to a small input measured the same way, never absolute seconds, so a slow machine or a busy
core does not fail them: ``best_time`` takes the fastest of a few runs (the least disturbed) in this process's own
CPU time (another process on the same cores does not count in it, as it did in wall-clock time), ``peak_memory`` the
peak of Python's allocations during one run (tracemalloc), ``ratio`` the one over the other.
"""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable
from typing import Any


def best_time(call: Callable[[], Any], *, repeat: int = 3) -> float:
    """The fastest of ``repeat`` runs of ``call()``, in seconds of this process's CPU time."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        gc.disable()  # as timeit does: a collection of the rest of the suite's objects is not the call's cost
        try:
            start = time.process_time()
            call()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return max(best, 1e-6)


def peak_memory(call: Callable[[], Any]) -> int:
    """The peak of Python's allocations (bytes) during one run of ``call()``."""
    gc.collect()
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def time_ratio(large: Callable[[], Any], small: Callable[[], Any], *, repeat: int = 3) -> float:
    """How many times longer ``large()`` takes than ``small()``."""
    return best_time(large, repeat=repeat) / best_time(small, repeat=repeat)
