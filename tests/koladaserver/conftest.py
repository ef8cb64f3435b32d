"""Fixtures for the koladaserver tests: a small snapshot folder, a running server and an httpx client."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

try:
    import barnbokslut  # noqa: F401
except ImportError:  # the package is not installed in the venv yet: use the source tree
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from barnbokslut.koladaserver import KoladaServer

from .snapshots import GROUPS, KPIS, SAMPLES, listing, write_json


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    """A snapshot folder with the real municipality list, three KPIs and three groups, no data yet."""
    folder = tmp_path / "snapshot"
    folder.mkdir()
    shutil.copy(SAMPLES / "municipality.json", folder / "municipality.json")
    write_json(folder / "kpi.json", listing(KPIS, source="test"))
    write_json(folder / "municipality_groups.json", listing(GROUPS))
    return folder


@pytest.fixture
def start_server() -> Iterator[Callable[..., KoladaServer]]:
    """Start a server on a free loopback port; every server started is stopped at teardown."""
    servers: list[KoladaServer] = []

    def start(folder: Path, **options: Any) -> KoladaServer:
        server = KoladaServer(folder, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client
