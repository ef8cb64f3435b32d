"""Benchmark: the importer's readers on the largest files they accept (hostile uploads found in the web app).

Each case is read in a child process of its own (``read_document`` and ``understand``, as the web's
``import_review.read_file``), and its wall time and peak memory (``ru_maxrss``, which is what the task worker or
the web worker grows by) are printed:

- ``pdf-300-dense``: an untagged PDF of 300 pages (the limit) of 55 lines and ~4 000 characters each, written with
  pikepdf. Before pages were closed once read it took 110 s and 2.7 GB in the worker; 70-80 s and 0.3 GB since.
- ``text-1M``: the Göteborg seed (OCR text) repeated to just under the text limit of 1 000 000 characters.
- ``text-5M`` (refused at once): the seed repeated to 5 MB, the upload limit; before the limit the request took 25 s,
  500 MB and left a 50 MB review in the database.

Run from the project root (no database, no server)::

    .venv/bin/python bench/import_hostile.py
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")

CHILD = """
import resource, sys, time
from pathlib import Path
from barnbokslut.importing import ImportFault, read_document, understand
start = time.monotonic()
try:
    understand(read_document(Path(sys.argv[1])))
    outcome = "read"
except ImportFault as fault:
    outcome = "refused: " + fault.problem[:70]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(f"{time.monotonic() - start:7.1f} s {peak:6d} MB  {outcome}")
"""


def dense_pdf(path: Path, pages: int = 300) -> None:
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    lines = [
        f"BT /F1 10 Tf 50 {770 - i * 13} Td (Barnen i kommunen ska ha inflytande over sin vardag, rad {i}.) Tj ET"
        for i in range(55)
    ]
    stream = pdf.make_stream(("BT /F1 16 Tf 50 790 Td (Inledning) Tj ET\n" + "\n".join(lines)).encode())
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for _ in range(pages):
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page, MediaBox=[0, 0, 612, 800], Resources=resources, Contents=stream
        )
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-import-") as folder:
        cases: dict[str, Path] = {}
        cases["pdf-300-dense"] = Path(folder) / "tät.pdf"
        dense_pdf(cases["pdf-300-dense"])
        if SEED.is_file():
            seed = SEED.read_text(encoding="utf-8")
            cases["text-1M"] = Path(folder) / "nära-gränsen.txt"
            cases["text-1M"].write_text(seed * (999_000 // len(seed)), encoding="utf-8")
            cases["text-5M"] = Path(folder) / "fem-mb.txt"
            cases["text-5M"].write_text(seed * (5_000_000 // len(seed)), encoding="utf-8")
        for name, path in cases.items():
            result = subprocess.run(
                [sys.executable, "-c", CHILD, str(path)],
                capture_output=True,
                text=True,
                env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"},
                check=False,
            )
            print(f"{name:14s} {result.stdout.strip() or result.stderr.strip()[-300:]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
