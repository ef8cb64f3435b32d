"""Fixtures shared by every test package: our Kolada server on a free loopback port, and the browser.

Every Kolada this suite asks is our own server on loopback, so the session sets ``BARNBOKSLUT_KOLADA_RATE`` to
1000 requests per second instead of the 5 meant for the real Kolada: the CLI, the web app's refresh and every
client made without a rate of its own then spend no time waiting between requests (the CLI's Kolada tests spent
27 s doing so). The rate limiter itself, and the default of 5 without the variable, are tested in
tests/kolada/test_ratelimit.py and tests/kolada/test_client_faults.py.

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

from barnbokslut.kolada import RATE_ENV
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


#: Requests per second to our own Kolada server on loopback (see the module docstring).
LOOPBACK_RATE = "1000"


@pytest.fixture(scope="session", autouse=True)
def loopback_kolada_rate() -> Iterator[None]:
    """``BARNBOKSLUT_KOLADA_RATE`` for the whole session, for the processes the tests start too."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(RATE_ENV, LOOPBACK_RATE)
        yield


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
