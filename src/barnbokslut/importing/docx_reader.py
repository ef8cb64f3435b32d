"""Read a Word file (DOCX) with python-docx: headings from the styles "Heading N" / "Rubrik N" (and Title),
paragraphs, list items (list styles or numbering) and tables with their cell structure.

Before python-docx opens anything the zip itself is checked: a file that is not a zip or has no
``word/document.xml`` is refused, and so is a zip bomb (too many entries, too much uncompressed data or an
absurd compression ratio) — bounded memory whatever the upload. python-docx parses with entities unresolved
and libxml2's limits (entity amplification, 256 levels of nesting); those refusals and broken XML get a Swedish
message.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from barnbokslut.importing.model import Block, Document, Heading, ImportFault, ListItem, Paragraph, Table

#: Limits for the zip inside a DOCX: a real barnbokslut is a few MB with a few hundred entries.
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200

_HEADING_STYLE = re.compile(r"^(?:heading|rubrik)\s*(\d)$", re.IGNORECASE)
_LIST_STYLE = re.compile(r"^(?:list|lista)", re.IGNORECASE)


def check_zip(path: Path) -> None:
    """Refuse what is not a DOCX or would unpack to too much, without unpacking it."""
    if not zipfile.is_zipfile(path):
        raise ImportFault(path, "filen är inte ett Word-dokument (DOCX är en zip-fil, och det här är ingen).")
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise ImportFault(path, f"zip-filen går inte att läsa ({exc}).") from exc
    if len(entries) > MAX_ENTRIES:
        raise ImportFault(path, f"filen har {len(entries)} delar; ett Word-dokument har högst {MAX_ENTRIES}.")
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    if total > MAX_UNCOMPRESSED:
        raise ImportFault(
            path,
            f"filen packas upp till {total // (1024 * 1024)} MB, mer än gränsen {MAX_UNCOMPRESSED // (1024 * 1024)} MB"
            " (en så kallad zip-bomb?). Inget har lästs.",
        )
    if total > 1024 * 1024 and total / packed > MAX_RATIO:
        raise ImportFault(path, "filen är misstänkt hårt packad (en så kallad zip-bomb?). Inget har lästs.")
    names = {e.filename for e in entries}
    if "word/document.xml" not in names:
        raise ImportFault(path, "zip-filen är inget Word-dokument: word/document.xml saknas.")


def _open_problem(exc: Exception) -> str:
    """What python-docx's failure means, in Swedish: libxml2's refusals of hostile XML (entities that expand
    a billion times, elements nested thousands deep) and broken XML are said as such, with where."""
    if type(exc).__name__ == "XMLSyntaxError":  # lxml's (it has no type stubs)
        message = str(getattr(exc, "msg", "") or exc)
        line, column = getattr(exc, "position", None) or (0, 0)
        where = f" på rad {line}, kolumn {column}" if line else ""
        if "amplification" in message or "entity reference loop" in message.lower():
            return (
                f"Word-dokumentets XML definierar{where} entiteter som växer till enorma mängder text (en så "
                "kallad billion laughs-attack?). Inget har lästs."
            )
        if "depth" in message.lower():
            return f"Word-dokumentets XML är nästlad djupare än 256 nivåer{where}. Inget har lästs."
        return f"Word-dokumentets XML är trasig{where}. Spara om filen i Word och försök igen."
    return f"Word-dokumentet går inte att öppna ({type(exc).__name__}: {exc})."


def _list_kind(paragraph: object) -> tuple[bool, bool]:
    """(is a list item, is numbered) from the style name or the paragraph's own numbering."""
    style = getattr(getattr(paragraph, "style", None), "name", "") or ""
    p_pr = paragraph._p.pPr  # type: ignore[attr-defined]
    has_num = p_pr is not None and p_pr.numPr is not None
    if _LIST_STYLE.match(style) or has_num:
        return True, "number" in style.lower() or "numrer" in style.lower()
    return False, False


def _cell_text(cell: object) -> str:
    lines: list[str] = []
    number = 0
    for paragraph in cell.paragraphs:  # type: ignore[attr-defined]
        text = paragraph.text.strip()
        if not text:
            continue
        is_item, numbered = _list_kind(paragraph)
        if is_item and numbered:
            number += 1
            lines.append(f"{number}. {text}")
        elif is_item:
            lines.append(f"- {text}")
        else:
            lines.append(text)
    return "\n".join(lines)


def read_docx(path: Path) -> Document:
    check_zip(path)
    from docx import Document as open_docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        docx = open_docx(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ImportFault(path, _open_problem(exc)) from exc
    document = Document(source=path, kind="docx")
    for element in docx.element.body.iterchildren():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = DocxParagraph(element, docx)
            text = paragraph.text.strip()
            if not text:
                continue
            style = paragraph.style.name if paragraph.style is not None else ""
            match = _HEADING_STYLE.match(style or "")
            if match:
                document.blocks.append(Heading(int(match.group(1)), text))
                continue
            if style in ("Title", "Rubrik"):
                document.blocks.append(Heading(1, text))
                continue
            if style in ("TOC Heading",) or style.lower().startswith("toc"):
                continue
            is_item, numbered = _list_kind(paragraph)
            block: Block = ListItem(text, numbered) if is_item else Paragraph(text)
            document.blocks.append(block)
        elif tag == "tbl":
            table = DocxTable(element, docx)
            rows: list[tuple[str, ...]] = []
            for row in table.rows:
                seen: set[int] = set()
                cells: list[str] = []
                for cell in row.cells:
                    if id(cell._tc) in seen:
                        continue
                    seen.add(id(cell._tc))
                    cells.append(_cell_text(cell))
                rows.append(tuple(cells))
            document.blocks.append(Table(tuple(rows)))
    if not document.blocks:
        raise ImportFault(path, "Word-dokumentet har ingen text.")
    return document
