"""Fixtures shared by every test package: our Kolada server on a free loopback port, and the browser.

Browser tests use pytest-playwright's ``page`` fixture (and ``browser``, ``context``); the launch is pointed at
Debian's Chromium (never ``playwright install``), headless, with the background-network features off so the
closed network does not make Chromium retry connections (docs: /work/shared/notes/stack.md, trap 1). Check a
page with ``axecheck.axe_check(page)``.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.koladaserver import KoladaServer

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # the tests run as root
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


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


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """pytest-playwright's launch arguments, pointed at Debian's Chromium (headless is pytest-playwright's default)."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS],
    }
