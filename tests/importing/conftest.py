"""Fixtures for the import tests: DOCX and PDF of both example folders built once per session with our own
builder (the example with figures through the example Kolada snapshot, the committee example without Kolada), and
the DOCX exported to an untagged PDF by LibreOffice."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from import_examples import EXAMPLES, NOWHERE

from barnbokslut.report.build import write_all
from barnbokslut.report.folder import report_from_folder
from example_kolada import example_server


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """(example, format) → the built file, for both examples and docx/pdf."""
    files: dict[tuple[str, str], Path] = {}
    for name, folder in EXAMPLES.items():
        out = tmp_path_factory.mktemp(f"built-{name}")
        if name == "exempel":
            with example_server(port=0) as server:
                report = report_from_folder(folder, base_url=server.url, cache=None)
        else:
            report = report_from_folder(folder, base_url=NOWHERE, cache=None)
        for path, _seconds in write_all(report, ["docx", "pdf"], out):
            if path.suffix in (".docx", ".pdf") and "barnversion" not in path.name:
                files[(name, path.suffix[1:])] = path
        # The Word file as LibreOffice exports it (installed by scripts/bootstrap.sh): a PDF without tags, whose
        # tables are known only by their lines, as many municipalities' PDFs are.
        subprocess.run(
            [
                "soffice",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(out / "lo"),
                str(files[(name, "docx")]),
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
        files[(name, "pdf-lo")] = out / "lo" / (files[(name, "docx")].stem + ".pdf")
    return files
