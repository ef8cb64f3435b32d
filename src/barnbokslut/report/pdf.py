"""The report as PDF/A-2a and PDF/UA-1 in one file through WeasyPrint: ``write_pdf(report, path)``.

The print variant of the HTML (``render_html(report, for_print=True)``), which inlines this package's print
stylesheet (``static/print.css``: A4, pinned fonts, table of contents with page numbers, no orphaned headings, repeated
table headers, Swedish hyphenation) and a generated rule for the running footer ("Barnbokslut 2025 3(14)").
The PDF is tagged (PDF/UA-1), has the document title, author and language (sv) in its metadata and bookmarks
from the headings. By default the same file is also PDF/A-2a, for a municipality's e-archive. WeasyPrint writes
one variant per file, so it writes ``pdf/a-2a`` (tags, sRGB output intent, PDF/A identification) and our
metadata class (``_archival_metadata_class``) adds the PDF/UA-1 identification (``pdfuaid:part`` with the PDF/A
extension schema that declares it) to the same XMP packet and leaves that one stream uncompressed: WeasyPrint 70
compresses it for PDF/A-2, and PDF/A wants the metadata stream unfiltered (only PDF/A-1 is handled upstream;
``uncompressed_pdf=True`` would fix it too, for the whole file). ``archival=False`` writes a PDF/UA-1 file only.
tests/pdfcheck.py validates our PDFs against both with page-validation.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from barnbokslut.report.model import Report

if TYPE_CHECKING:
    from weasyprint import CSS

__all__ = [
    "ARCHIVAL_VARIANT",
    "PDF_VARIANT",
    "PRINT_CSS",
    "PdfResult",
    "build_pdf",
    "footer_css",
    "write_markup_pdf",
    "write_pdf",
]

PRINT_CSS = Path(__file__).with_name("static") / "print.css"
PRINT_MARKER = "barnbokslut-print-css"
PDF_VARIANT = "pdf/ua-1"
#: The archival variant: PDF/A-2a from WeasyPrint, PDF/UA-1 identification added (see the module docstring).
ARCHIVAL_VARIANT = "pdf/a-2a"
#: The margin boxes do not inherit the body font: the footer names its own (pinned, embedded).
FOOTER_FONT = '"Liberation Sans", "DejaVu Sans", sans-serif'


@dataclass(frozen=True)
class PdfResult:
    path: Path
    pages: int


def write_pdf(report: Report, path: Path | str, *, archival: bool = True) -> Path:
    """Write ``report`` as a tagged PDF/UA-1 file to ``path``, also PDF/A-2a unless ``archival`` is false;
    returns the path."""
    return build_pdf(report, path, archival=archival).path


def build_pdf(report: Report, path: Path | str, *, archival: bool = True) -> PdfResult:
    """Like :func:`write_pdf`, also telling how many pages the PDF has (for the benchmark)."""
    from barnbokslut.report.html import render_html

    markup = render_html(report, for_print=True)
    stylesheets = [_footer_stylesheet(report.footer_label)]
    if PRINT_MARKER not in markup:  # the print HTML normally inlines print.css itself
        stylesheets.insert(0, _print_stylesheet())
    return write_markup_pdf(
        markup,
        path,
        stylesheets=stylesheets,
        title=report.title,
        language=report.language,
        author=report.cover.organisation,
        description=report.cover.subtitle or report.title,
        archival=archival,
    )


def write_markup_pdf(
    markup: str,
    path: Path | str,
    *,
    stylesheets: list[CSS],
    title: str,
    language: str,
    author: str,
    description: str,
    archival: bool = True,
    base_url: Path = PRINT_CSS.parent,
) -> PdfResult:
    """Write self-contained print HTML as a tagged PDF/UA-1 (and PDF/A-2a unless not ``archival``) with its
    metadata: the one WeasyPrint path of the report and the barnversion poster."""
    from weasyprint import HTML

    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    _unambiguous_stream_ends()
    options = {"pdf_variant": ARCHIVAL_VARIANT if archival else PDF_VARIANT, "pdf_tags": True}
    with _quiet_weasyprint():
        document = HTML(string=markup, base_url=str(base_url)).render(stylesheets=stylesheets, **options)
        if archival:
            document.metadata = _archival_metadata(document.metadata)
        metadata = document.metadata
        metadata.title = title
        metadata.lang = _language(language)
        metadata.authors = [author]
        metadata.description = description
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


#: The PDF/A extension schema that declares ``pdfuaid`` (PDF/A allows only declared XMP namespaces); the
#: wording is the one ISO 14289-1 gives and validators expect.
_PDFUA_EXTENSION = """\
<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about=""
    xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
    xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#"
    xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
  <pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
    <pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
    <pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
    <pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
    <pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
      <pdfaProperty:name>part</pdfaProperty:name>
      <pdfaProperty:valueType>Integer</pdfaProperty:valueType>
      <pdfaProperty:category>internal</pdfaProperty:category>
      <pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
    </rdf:li></rdf:Seq></pdfaSchema:property>
  </rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>"""
_PDFUA_PART = (
    '<rdf:Description xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" rdf:about=""'
    ' xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>'
)


_EXTENSION_NAMESPACES = {
    "pdfaExtension": "http://www.aiim.org/pdfa/ns/extension/",
    "pdfaSchema": "http://www.aiim.org/pdfa/ns/schema#",
    "pdfaProperty": "http://www.aiim.org/pdfa/ns/property#",
}


def _archival_metadata(metadata: Any) -> Any:
    """``metadata`` (WeasyPrint's DocumentMetadata) as an :func:`_archival_metadata_class`, same fields."""
    archival = _archival_metadata_class()()
    archival.__dict__.update(vars(metadata))
    return archival


@lru_cache(maxsize=1)
def _archival_metadata_class() -> type:
    from xml.etree.ElementTree import fromstring, register_namespace, tostring

    from weasyprint.pdf.metadata import DocumentMetadata

    for prefix, uri in _EXTENSION_NAMESPACES.items():  # serialised with the prefixes PDF/A names
        register_namespace(prefix, uri)

    class ArchivalMetadata(DocumentMetadata):
        """PDF/A's XMP packet, also naming PDF/UA-1, in an unfiltered stream.

        Relies on two methods of WeasyPrint 70's DocumentMetadata (pinned <71): ``include_in_pdf`` and
        ``generate_rdf_metadata``; tests/report/test_pdf.py validates the result against both standards.
        """

        def include_in_pdf(
            self, pdf: Any, variant: str, version: int, conformance: Any, compress: bool
        ) -> None:
            super().include_in_pdf(pdf, variant, version, conformance, compress=False)

        def generate_rdf_metadata(self, variant: str, version: int, conformance: Any) -> bytes:
            rdf = fromstring(super().generate_rdf_metadata(variant, version, conformance))
            if variant == "a":
                rdf.append(fromstring(_PDFUA_PART))
                rdf.append(fromstring(_PDFUA_EXTENSION))
            return bytes(tostring(rdf, encoding="utf-8"))

    return ArchivalMetadata


_STREAM_END = b"\nendstream"


@lru_cache(maxsize=1)
def _unambiguous_stream_ends() -> bool:
    """Make pydyf end a stream whose data ends with CR with CR LF before ``endstream``; True when patched.

    pydyf 0.13 writes ``data LF endstream``. When the (compressed) data happens to end with a CR byte, about one
    stream in 256, a reader takes that CR and the LF for the end-of-line marker, one byte short of /Length:
    PDF/A's rule 6.1.7.1 (page-validation: PDFA2A-STREAM-LENGTH-001) fails, the committee example hit it.
    With CR LF after such data the marker is unambiguous. The property is patched once, for every pydyf stream
    in this process, and only while pydyf still writes streams the way checked here.
    """
    import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer, untyped

    original = pydyf.Stream.data
    if not isinstance(original, property) or original.fget is None:
        return False
    if not original.fget(pydyf.Stream([b"x\r"])).endswith(b"stream\nx\r" + _STREAM_END):
        return False
    fget = original.fget

    def data(self: Any) -> bytes:
        written: bytes = fget(self)
        if written.endswith(b"\r" + _STREAM_END):
            return written[: -len(_STREAM_END)] + b"\r" + _STREAM_END
        return written

    pydyf.Stream.data = property(data)
    return True


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
