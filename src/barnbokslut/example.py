"""Where the bundled example snapshot is: the Kolada snapshot folder behind ``--exempeldata``, the example web
app and the tests (generated values, labelled "Exempeldata"; see data/README.md).

It belongs to the core, not to a shell: the CLI, the web app and the benchmarks all read it from here.
``BARNBOKSLUT_EXEMPELDATA`` names another folder.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["EXAMPLE_SNAPSHOT"]

#: The bundled example snapshot (generated values, labelled "Exempeldata"); see data/README.md.
EXAMPLE_SNAPSHOT = Path(
    os.environ.get(
        "BARNBOKSLUT_EXEMPELDATA", Path(__file__).resolve().parents[2] / "data" / "example" / "kolada"
    )
)
