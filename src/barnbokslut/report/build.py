"""One build of a report: read the folder, analyse, render every requested format from the same model.

Charts are drawn once per build (``charts.render_chart`` caches by content, in memory and in a disk cache under
the user cache folder), so HTML, PDF and DOCX share one rendering. The PDF and DOCX writers are imported only
when asked for: ``barnbokslut.report.pdf.write_pdf(report, path)`` and
``barnbokslut.report.docx.write_docx(report, path)``.
"""

from __future__ import annotations

import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs

from barnbokslut.report import charts
from barnbokslut.report.folder import FolderReport, load_report
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report

if TYPE_CHECKING:
    from barnbokslut.kolada import Progress

__all__ = [
    "CHILD_FORMATS", "FORMATS", "Built", "OutputError", "build_outputs", "default_chart_cache", "file_stem",
    "write_all", "write_child", "write_html", "write_report",
]  # fmt: skip

FORMATS = ("html", "pdf", "docx")


@dataclass(frozen=True)
class Built:
    written: list[tuple[Path, float]]
    loaded: FolderReport


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


#: The barnversion is written beside the report as a web page (html) and an A4 poster (pdf).
CHILD_FORMATS = ("html", "pdf")


def write_child(report: Report, fmt: str, path: Path) -> None:
    """Write the report's barnversion as ``fmt`` (html: the page, linking to the report beside it; pdf: the
    poster)."""
    from barnbokslut.report.child_version import render_child_html, write_child_pdf

    version = report.child_version
    if version is None:
        raise ValueError("Rapporten har ingen barnversion.")
    if fmt == "html":
        path.write_text(render_child_html(version, report_url=f"{file_stem(report)}.html"), encoding="utf-8")
    elif fmt == "pdf":
        write_child_pdf(version, path)
    else:
        raise ValueError(f"Barnversionen finns inte som {fmt}.")


def build_outputs(
    folder: Path,
    formats: Sequence[str],
    out: Path,
    *,
    base_url: str,
    cache: Any = "default",
    mode: Any = "normal",
    max_retries: int | None = None,
    progress: Progress | None = None,
    chart_cache: Path | None = None,
) -> Built:
    """Build the report in ``folder`` in each of ``formats`` under ``out``: (path, seconds) per file, and the
    folder's report with its warnings and Kolada job. ``max_retries`` and ``progress`` go to the Kolada client
    (``progress`` gets its Swedish lines while it waits and retries)."""
    charts.set_disk_cache(chart_cache if chart_cache is not None else default_chart_cache())
    loaded = load_report(
        folder, base_url=base_url, cache=cache, mode=mode, max_retries=max_retries, progress=progress
    )
    return Built(write_all(loaded.report, formats, out), loaded)


def write_all(report: Report, formats: Sequence[str], out: Path) -> list[tuple[Path, float]]:
    """Write every format into a temporary folder beside ``out``, then move them in: all or none.

    A format that fails (a Word file open in Word, a full disk) leaves the files already in ``out`` as they were,
    so the output set is never half old and half new.
    """
    out.mkdir(parents=True, exist_ok=True)
    timed = []
    with tempfile.TemporaryDirectory(prefix=".barnbokslut-", dir=out) as work:
        for fmt in formats:
            path = Path(work) / f"{file_stem(report)}.{fmt}"
            start = time.perf_counter()
            write_report(report, fmt, path)
            timed.append((path, time.perf_counter() - start))
            if report.child_version is not None and fmt in CHILD_FORMATS:
                path = Path(work) / f"{file_stem(report)}-barnversion.{fmt}"
                start = time.perf_counter()
                write_child(report, fmt, path)
                timed.append((path, time.perf_counter() - start))
        written = []
        for path, seconds in timed:
            target = out / path.name
            try:
                os.replace(path, target)
            except OSError as exc:
                raise OutputError(target, exc) from exc
            written.append((target, seconds))
    return written


class OutputError(OSError):
    """A report file could not be put in place; the message says which and why, in Swedish."""

    def __init__(self, path: Path, cause: OSError) -> None:
        super().__init__(
            f"Kunde inte skriva {path}: {cause.strerror or cause}. Är filen öppen i ett annat program?"
        )
