"""Our own Kolada-compatible HTTP server (API v3 shapes) serving a snapshot folder over loopback.

Used by the tests, the example and the benchmarks; standard library only. See `KoladaServer` for the API,
`Fault` for fault injection and `Snapshot` for the folder format.
"""

from __future__ import annotations

from ._faults import Fault
from ._server import KoladaServer, run
from ._snapshot import Snapshot, SnapshotError

__all__ = ["Fault", "KoladaServer", "Snapshot", "SnapshotError", "run"]
