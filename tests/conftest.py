"""Fixtures shared by every test package: our Kolada server on a free loopback port."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.koladaserver import KoladaServer


@pytest.fixture
def start_server() -> Iterator[Callable[..., KoladaServer]]:
    """Start our Kolada server on a free loopback port; every server started is stopped at teardown."""
    servers: list[KoladaServer] = []

    def start(folder: Path, **options: Any) -> KoladaServer:
        server = KoladaServer(folder, **options).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
