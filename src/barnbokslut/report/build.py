"""One build of a report: read the folder, analyse, render every requested format from the same model.

Charts are drawn once per build (``charts.render_chart`` caches by content, in memory and in a disk cache under
the user cache folder), so HTML, PDF and DOCX share one rendering. The PDF and DOCX writers are imported only
when asked for: ``barnbokslut.report.pdf.write_pdf(report, path)`` and
``barnbokslut.report.docx.write_docx(report, path)``.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import platformdirs

from barnbokslut.report import charts
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report
from barnbokslut.report.folder import report_from_folder

__all__ = ["FORMATS", "build_outputs", "default_chart_cache", "file_stem", "write_html", "write_report"]

FORMATS = ("html", "pdf", "docx")


def default_chart_cache() -> Path:
    return Path(platformdirs.user_cache_dir("barnbokslut")) / "diagram"


def file_stem(report: Report) -> str:
    """ "barnbokslut-2025-soderhamns-kommun"."""
    text = f"barnbokslut-{report.cover.year}-{report.cover.organisation}"
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def write_html(report: Report, path: Path) -> None:
    path.write_text(render_html(report), encoding="utf-8")


def write_report(report: Report, fmt: str, path: Path) -> None:
    """Write ``report`` as ``fmt`` (html, pdf or docx) to ``path``."""
    if fmt == "html":
        write_html(report, path)
    elif fmt == "pdf":
        from barnbokslut.report.pdf import write_pdf

        write_pdf(report, path)
    elif fmt == "docx":
        from barnbokslut.report.docx import write_docx

        write_docx(report, path)
    else:
        raise ValueError(f"Okänt format: {fmt}")


def build_outputs(
    folder: Path,
    formats: Sequence[str],
    out: Path,
    *,
    base_url: str,
    cache: Any = "default",
    mode: Any = "normal",
    chart_cache: Path | None = None,
) -> list[tuple[Path, float]]:
    """Build the report in ``folder`` in each of ``formats`` under ``out``; return (path, seconds) per file."""
    charts.set_disk_cache(chart_cache if chart_cache is not None else default_chart_cache())
    report = report_from_folder(folder, base_url=base_url, cache=cache, mode=mode)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for fmt in formats:
        path = out / f"{file_stem(report)}.{fmt}"
        start = time.perf_counter()
        write_report(report, fmt, path)
        written.append((path, time.perf_counter() - start))
    return written
