"""Fixtures for the Kolada client tests: snapshot folders, our Kolada server on loopback, clients, a cache."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.kolada import KoladaClient, ResponseCache

from .snapshots import make_snapshot


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    """A snapshot folder: the real municipality list, three KPIs, one peer group, units; no data yet."""
    return make_snapshot(tmp_path / "snapshot")


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "cache" / "kolada.sqlite3"


class Sleeps(list[float]):
    """Stands in for ``time.sleep`` between retries: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def make_client(sleeps: Sleeps) -> Iterator[Callable[..., KoladaClient]]:
    """Make clients (retry waits recorded, not slept); all are closed at teardown."""
    clients: list[KoladaClient] = []

    def make(**options: Any) -> KoladaClient:
        options.setdefault("sleep", sleeps)
        options.setdefault("cache", None)
        client = KoladaClient(**options)
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()


@pytest.fixture
def open_cache(cache_path: Path) -> Iterator[Callable[[], ResponseCache]]:
    """Open the test's cache file (as often as needed); all are closed at teardown."""
    caches: list[ResponseCache] = []

    def open_() -> ResponseCache:
        cache = ResponseCache(cache_path)
        caches.append(cache)
        return cache

    yield open_
    for cache in caches:
        cache.close()
