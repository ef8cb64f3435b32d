"""The report as PDF/UA-1 through WeasyPrint: ``write_pdf(report, path)``.

The print variant of the HTML (``render_html(report, for_print=True)``), which inlines this package's print
stylesheet (``static/print.css``: A4, pinned fonts, table of contents with page numbers, no orphaned headings, repeated
table headers, Swedish hyphenation) and a generated rule for the running footer ("Barnbokslut 2025 3(14)").
The PDF is tagged (PDF/UA-1), has the document title, author and language (sv) in its metadata and bookmarks
from the headings.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from barnbokslut.report.model import Report

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = ["PRINT_CSS", "PdfResult", "build_pdf", "footer_css", "write_pdf"]

PRINT_CSS = Path(__file__).with_name("static") / "print.css"
PRINT_MARKER = "barnbokslut-print-css"
PDF_VARIANT = "pdf/ua-1"
#: The margin boxes do not inherit the body font: the footer names its own (pinned, embedded).
FOOTER_FONT = '"Liberation Sans", "DejaVu Sans", sans-serif'


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def write_pdf(report: Report, path: Path | str) -> Path:
    """Write ``report`` as a tagged PDF/UA-1 file to ``path``; returns the path."""
    return build_pdf(report, path).path


def build_pdf(report: Report, path: Path | str) -> PdfResult:
    """Like :func:`write_pdf`, also telling how many pages the PDF has (for the benchmark)."""
    from weasyprint import HTML

    from barnbokslut.report.html import render_html

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    markup = render_html(report, for_print=True)
    stylesheets = [_footer_stylesheet(report.footer_label)]
    if PRINT_MARKER not in markup:  # the print HTML normally inlines print.css itself
        stylesheets.insert(0, _print_stylesheet())
    options = {"pdf_variant": PDF_VARIANT, "pdf_tags": True}
    with _quiet_weasyprint():
        document = HTML(string=markup, base_url=str(PRINT_CSS.parent)).render(
            stylesheets=stylesheets, **options
        )
        metadata = document.metadata
        metadata.title = report.title
        metadata.lang = _language(report.language)
        metadata.authors = [report.cover.organisation]
        metadata.description = report.cover.subtitle or report.title
        metadata.keywords = ["barnbokslut", "barnkonventionen", "Kolada"]
        metadata.generator = "barnbokslut"
        document.write_pdf(target, **options)
    return PdfResult(target, len(document.pages))


def footer_css(label: str) -> str:
    """The running footer: ``label`` and "page(pages)" as in the seed, e.g. "Barnbokslut 2025 3(14)"."""
    quoted = label.replace("\\", "\\\\").replace('"', '\\"')
    return (
        "@page {\n"
        f'  @bottom-right {{ content: "{quoted} " counter(page) "(" counter(pages) ")";\n'
        f"    font-family: {FOOTER_FONT}; font-size: 8.5pt; color: #3b3b3b; }}\n"
        "}\n"
        "@page :first { @bottom-right { content: none; } }\n"
    )


def _language(language: str) -> str:
    return (language or "sv").split("-")[0].split("_")[0] or "sv"


@lru_cache(maxsize=1)
def _print_stylesheet() -> CSS:
    from weasyprint import CSS

    return CSS(filename=str(PRINT_CSS))


@lru_cache(maxsize=8)
def _footer_stylesheet(label: str) -> CSS:
    from weasyprint import CSS

    return CSS(string=footer_css(label))


@contextmanager
def _quiet_weasyprint() -> Iterator[None]:
    """Silence WeasyPrint's warnings about CSS it ignores (screen-only rules of the shared stylesheet)."""
    logger = logging.getLogger("weasyprint")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)
