"""The bundled example Kolada snapshot, loaded once per test process, for every test that serves it.

Loading the snapshot parses and encodes its 135,000 rows, which took 4-6 s per ``KoladaServer`` started; the tests
start dozens. A server never changes the snapshot it serves (``DataSelector`` keeps its caches per server), so
each test still gets its own server, port, request log and faults, over the same loaded rows. Loading a folder
(and refusing a bad one) is tested in tests/koladaserver/test_snapshot.py; the product's own ``--exempeldata``,
``serve --exempel`` and ``load_example`` still load the folder themselves.
"""

from __future__ import annotations

import functools
from typing import Any

from barnbokslut.example import EXAMPLE_SNAPSHOT
from barnbokslut.koladaserver import KoladaServer, Snapshot

__all__ = ["example_server", "example_snapshot", "unused_kolada_url"]


@functools.cache
def example_snapshot() -> Snapshot:
    """The example snapshot folder, loaded on first use and kept for the rest of the session."""
    return Snapshot.load(EXAMPLE_SNAPSHOT)


def example_server(**options: Any) -> KoladaServer:
    """A new (not yet started) server of the example snapshot; ``options`` as for ``KoladaServer``."""
    return KoladaServer(example_snapshot(), **options)


def unused_kolada_url() -> str:
    """The URL a server of the example snapshot had until it stopped: nothing listens there any more."""
    with example_server(port=0) as stopped:
        return stopped.url
