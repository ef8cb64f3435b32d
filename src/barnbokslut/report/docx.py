"""The report as an editable Word document (python-docx): ``write_docx(report, path)``.

Built from real Word styles so a coordinator can keep working on it: Title, Heading 1–3 (navigation pane and
table of contents), List Bullet/Number, Quote, Table Grid with repeated header rows, charts as inline PNG
pictures with alt text, a TOC field and "sida X av Y" page fields in the footer, A4, Swedish proofing language.
No text boxes, no absolute positioning, no pictures of text.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from docx import Document as new_document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.shared import Cm, Pt, RGBColor

from barnbokslut.report import docx_sections
from barnbokslut.report.docx_xml import (
    add_field,
    request_field_update,
    set_a4,
    set_style_language,
)
from barnbokslut.report.model import Report

if TYPE_CHECKING:
    from docx.document import Document

__all__ = ["TOC_PLACEHOLDER", "write_docx"]

TOC_INSTRUCTION = 'TOC \\o "1-3" \\h \\z \\u'
TOC_PLACEHOLDER = "Högerklicka och välj Uppdatera fält för att visa innehållsförteckningen."
LANGUAGE = "sv-SE"
ACCENT = RGBColor(0x1D, 0x4E, 0x89)


def write_docx(report: Report, path: Path | str) -> Path:
    """Write ``report`` as a Word document to ``path``; returns the path."""
    target = Path(path)
    document = new_document()
    _set_up(document, report)
    _cover(document, report)
    docx_sections.add_sections(document, report)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def _set_up(document: Document, report: Report) -> None:
    """Page size, styles, language, footer and document properties."""
    section = document.sections[0]
    set_a4(section)
    styles = document.styles
    normal = styles["Normal"]
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    set_style_language(document, normal, LANGUAGE)
    for level, size in ((1, 18), (2, 14), (3, 12)):
        heading = styles[f"Heading {level}"]
        heading.font.size = Pt(size)
        heading.font.color.rgb = ACCENT
        heading.paragraph_format.keep_with_next = True
        heading.paragraph_format.space_before = Pt(18 if level == 1 else 12)
        heading.paragraph_format.space_after = Pt(6)
    caption = styles["Caption"]
    caption.font.size = Pt(9)
    caption.font.italic = False
    caption.font.color.rgb = RGBColor(0x4B, 0x55, 0x63)

    footer = section.footer.paragraphs[0]
    footer.style = styles["Footer"]
    footer.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    footer.add_run(f"{report.footer_label} · sida ")
    add_field(footer, "PAGE", "1")
    footer.add_run(" av ")
    add_field(footer, "NUMPAGES", "1")

    properties = document.core_properties
    properties.title = report.title
    properties.language = LANGUAGE
    properties.author = report.cover.organisation
    properties.last_modified_by = report.cover.organisation
    properties.subject = report.cover.subtitle or report.cover.title
    properties.keywords = "barnbokslut; barnkonventionen; Kolada"
    properties.comments = "Exempeldata" if report.is_example else ""
    properties.revision = 1
    request_field_update(document)


def _cover(document: Document, report: Report) -> None:
    """Cover page: organisation, title, optional logo and the table of contents, then a page break."""
    cover = report.cover
    if cover.logo is not None and cover.logo.is_file():
        from barnbokslut.report.docx_xml import set_alt_text

        shape = document.add_picture(str(cover.logo), height=Cm(2.5))
        set_alt_text(shape, cover.logo_alt or f"Logotyp för {cover.organisation}", cover.organisation)
    document.add_paragraph(cover.title, style="Title")
    organisation = document.add_paragraph(cover.organisation, style="Subtitle")
    organisation.paragraph_format.space_after = Pt(4)
    if cover.subtitle:
        document.add_paragraph(cover.subtitle, style="Subtitle")
    if cover.is_example or report.is_example:
        note = document.add_paragraph()
        run = note.add_run("Exempeldata")
        run.bold = True
        note.add_run(f" – {cover.example_note or 'siffrorna i den här rapporten är påhittade.'}")

    document.add_paragraph("Innehåll", style="TOC Heading")
    toc = document.add_paragraph()
    add_field(toc, TOC_INSTRUCTION, TOC_PLACEHOLDER)
    toc.add_run().add_break(WD_BREAK.PAGE)
