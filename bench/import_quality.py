"""Benchmark: how much of a previous barnbokslut the import gets back (issue 14, item 5).

Per document it prints parts found / expected, table rows found / expected, cells equal / compared, and the
time of reading and understanding it (CPU time of this process). The documents:

- both example folders built as DOCX and PDF by our own builder (round trips), and the DOCX exported to PDF by
  LibreOffice (``soffice``, when installed: a PDF without tags, as many municipalities' are): expected are the source
  folder's own files, its texter/*.md and barnbokslut.toml's [[uppfoljning]] and [[utvecklingsomrade]]
  (the goal: every row and every cell);
- the Göteborg seed (OCR text, when it is on this machine): 12 follow-up rows and 10 development areas,
  counted by hand (see tests/importing/test_seeds_and_faults.py); its cells against the hand-made reference of
  both tables (tests/importing/data/goteborg_tables.json; bench/interleaved_quality.py tells the column
  separation from the OCR repair). The diacritic repairs are measured by bench/ocr_repair_quality.py on a
  hand-corrected excerpt; its default-mode figures are printed at the end.

A 30-page report must be imported in at most 5 s. The exit code is 0 either way (this is a benchmark).

Run from the project root::

    .venv/bin/python bench/import_quality.py
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import pypdfium2 as pdfium  # noqa: E402

import interleaved_quality as tables  # noqa: E402
from barnbokslut.importing import read_document, understand  # noqa: E402
from barnbokslut.importing.understand import EXPECTED, TEXT_FILES, Found  # noqa: E402
from barnbokslut.koladaserver import KoladaServer  # noqa: E402
from barnbokslut.report.build import write_all  # noqa: E402
from barnbokslut.report.folder import report_from_folder  # noqa: E402
from ocr_repair_quality import measure  # noqa: E402

EXAMPLES = {
    "namnd": ROOT / "examples" / "barnbokslut-namnd",
    "exempel": ROOT / "examples" / "barnbokslut-exempel",
}
SNAPSHOT = ROOT / "data" / "example" / "kolada"
SEED = Path("/work/shared/seeds/001_eba51dd164c3257f.txt")
SEED_ROWS = (12, 10)  # follow-up rows, development areas: counted by hand
# The seed's parts, read by hand: all the importer knows except Slutsatser, which the Göteborg report does not
# have (it ends with next year's development areas and the abbreviation key).
SEED_PARTS = tuple(part for part in EXPECTED if part != "slutsatser")


def plain(markdown: str) -> str:
    """The words a reader sees: no Markdown marks, escapes or links, spaces folded."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", markdown).replace("\\", "")
    text = re.sub(r"(?m)^\s*(?:>\s*)+|^\s*(?:#{1,6}\s+|[-*]\s+|\d{1,2}\.\s+)", "", text).replace("**", "")
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?)[*_](?!\w)", r"\1", text)
    return re.sub(r"\s+", " ", text).strip()


def build(folder: Path, out: Path, name: str) -> dict[str, Path]:
    if name == "exempel":
        with KoladaServer(SNAPSHOT, port=0) as server:
            report = report_from_folder(folder, base_url=server.url, cache=None)
    else:
        report = report_from_folder(folder, base_url="http://127.0.0.1:9", cache=None)
    built = {
        path.suffix[1:]: path
        for path, _seconds in write_all(report, ["docx", "pdf"], out)
        if path.suffix in (".docx", ".pdf") and "barnversion" not in path.name
    }
    # The same Word file as LibreOffice exports it: a PDF without tags, its tables known only by their lines.
    if shutil.which("soffice") and "docx" in built:
        lo = out / "libreoffice"
        subprocess.run(
            ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(lo), str(built["docx"])],
            check=True,
            capture_output=True,
            timeout=180,
        )
        built["pdf utan taggar"] = lo / (built["docx"].stem + ".pdf")
    return built


def cells(found: Found, settings: dict[str, Any]) -> tuple[int, int]:
    """(equal, compared) over every cell of both tables."""
    equal = compared = 0

    def same(got: str, want: str) -> None:
        nonlocal equal, compared
        compared += 1
        equal += plain(got) == plain(want)

    for got, want in zip(found.followup, settings.get("uppfoljning", []), strict=False):
        same(got.omrade, want["område"])
        actions = want.get("åtgärder") or [
            {"text": want["åtgärd"], "status": want.get("status"), "kommentar": want.get("kommentar", "")}
        ]
        for index, expected in enumerate(actions):
            action = got.atgarder[index] if index < len(got.atgarder) else None
            same(action.text if action else "", expected["text"])
            same((action.status or "") if action else "", expected.get("status") or "")
            same(action.kommentar if action else "", expected.get("kommentar", ""))
    for got, want in zip(found.development, settings.get("utvecklingsomrade", []), strict=False):
        same(got.omrade, want["område"])
        same(got.atgarder, want["åtgärder"])
        same(got.forvantade_resultat, want["förväntade_resultat"])
    return equal, compared


def line(
    label: str, found: Found, parts: tuple[int, int], rows: tuple[int, int], cell: str, seconds: float
) -> None:
    print(
        f"{label:<26} delar {parts[0]}/{parts[1]}  rader {rows[0]}/{rows[1]}  celler {cell:<9}  {seconds:.2f} s"
        + (f"  ({len(found.repairs)} OCR-rättelser listade)" if found.repairs else "")
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as temp:
        for name, folder in EXAMPLES.items():
            with (folder / "barnbokslut.toml").open("rb") as handle:
                settings = tomllib.load(handle)
            for kind, path in sorted(build(folder, Path(temp) / name, name).items()):
                start = time.process_time()
                found = understand(read_document(path))
                seconds = time.process_time() - start
                expected = {k for k, rel in TEXT_FILES.items() if (folder / rel).is_file()}
                got = expected & set(found.parts)
                want_rows = len(settings.get("uppfoljning", [])) + len(settings.get("utvecklingsomrade", []))
                equal, compared = cells(found, settings)
                pages = f", {len(pdfium.PdfDocument(path))} s." if kind.startswith("pdf") else ""
                line(
                    f"{name} ({kind}{pages})",
                    found,
                    (len(got), len(expected)),
                    (len(found.followup) + len(found.development), want_rows),
                    f"{equal}/{compared}",
                    seconds,
                )
    if SEED.is_file():
        start = time.process_time()
        found = understand(read_document(SEED))
        seconds = time.process_time() - start
        present = set(found.present())
        seed_cells = "–"
        if tables.REFERENCE.is_file():
            # Against the hand-made reference of both tables (bench/interleaved_quality.py prints more).
            follow = tables.score(tables.reference_cells(), [tables.found_cells(r) for r in found.followup])
            dev = tables.score(
                tables.development_reference(), [tables.development_cells(r) for r in found.development]
            )
            seed_cells = f"{follow.equal + dev.equal}/{follow.cells + dev.cells}"
        line(
            "Göteborg (OCR-text)",
            found,
            (len(present & set(SEED_PARTS)), len(SEED_PARTS)),
            (len(found.followup) + len(found.development), sum(SEED_ROWS)),
            seed_cells,
            seconds,
        )
        score = measure()
        print(
            f"OCR-rättning (utdrag, standardläge): {score.damaged} skadade ord, {score.right_pct:.1f} % rätt, "
            f"{score.wrong_pct:.1f} % av ändringarna fel, {score.missed_pct:.1f} % missade "
            "(mål ≥ 95 % rätt, ≤ 1 % fel)"
        )
    else:
        print(f"Göteborgsfröet finns inte här ({SEED}); bara rundturerna mättes.")


if __name__ == "__main__":
    main()
