"""Read a plain-text report, OCR output included: paragraphs split at blank lines, headings found by
heuristics (Markdown "#" headings, numbered headings like "3.2 Styrkor", "Artikel 2 – …", all-caps lines,
short lines without a final period that are followed by text), bullets ("•", "-", and the OCR's "e " for a
bullet) as list items, Markdown tables ("| a | b |") as tables, page furniture ("Barnbokslut 2024 3(14)", a
lone "3(14)", lone heading numbers) dropped.

Tables can't be read from plain text as cells; :mod:`understand` finds the follow-up and development-area rows
in :attr:`Document.raw_text` as a best effort.

OCR damage to å, ä, ö and é is repaired by :func:`repair`, the one place in the pipeline where
``importing/ocr_repair.py`` is applied, before anything else reads the text; every repair and every unapplied
suggestion is kept on the document for review. Without the Swedish word list the text is read unrepaired and
a note says so.

The text is decoded as UTF-8, Windows-1252 or (with its byte order mark) UTF-16; a text with a NUL character,
more than :data:`MAX_CHARS` characters (about 300 pages) or a line over :data:`MAX_LINE` characters is refused
with a Swedish message naming the line, before the OCR repair spends seconds and memory on it.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from barnbokslut.importing import ocr_repair
from barnbokslut.importing.model import Block, Document, Heading, ImportFault, ListItem, Paragraph, Table
from barnbokslut.numbers import format_number

MAX_BYTES = 20 * 1024 * 1024
#: The most characters a text may have: about the 300 pages a PDF may have (``pdf_reader.MAX_PAGES``); OCR repair
#: takes about 2.5 s a million characters and the review about ten times the text's size.
MAX_CHARS = 1_000_000
#: The longest line: a paragraph of a report saved as text without line breaks is a few thousand characters.
MAX_LINE = 20_000

_PAGE_NUMBER = re.compile(
    r"^(?:.{0,40}?\s)?\d{1,3}\s*\(\s*\d{1,3}\s*\)$|^sida\s+\d{1,3}(?:\s+av\s+\d{1,3})?$", re.I
)
_LONE_NUMBER = re.compile(r"^\d{1,2}(?:\.\d{1,2}){0,3}\.?$")
_NUMBERED_HEADING = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+([A-ZÅÄÖÉ].{1,100})$")
_ARTICLE = re.compile(r"^artikel\s+\d{1,2}\b", re.I)
_BULLET = re.compile(r"^(?:[•·▪◦\-–*]|e)\s+(?=[A-ZÅÄÖÉ0-9])")


def repair(text: str, source: Path) -> tuple[str, list[dict[str, Any]], list[str]]:
    """Repair OCR damage: the text with the sure repairs applied, every repair and suggestion, and notes."""
    try:
        result = ocr_repair.repair(text)
    except ocr_repair.WordListMissing as missing:
        return text, [], [f"{source.name}: ingen OCR-rättning: {missing}"]
    repairs = [
        {
            "rad": r.line,
            "kolumn": r.column,
            "offset": r.offset,
            "original": r.original,
            "ersättning": r.replacement,
            "skäl": r.reason,
            "tillämpad": r.applied,
        }
        for r in result.repairs
    ]
    applied = sum(1 for r in result.repairs if r.applied)
    return result.text, repairs, _repair_notes(applied, len(result.repairs))


def _decode(path: Path, data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark (Notepad's "Unicode")
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ImportFault(path, f"texten är trasig UTF-16 (byte {exc.start}).") from exc
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFault(path, "texten är varken UTF-8 eller Windows-1252.")


_MD_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*$")


def _heading_level(line: str) -> int | None:
    """The heading level a single line has on its own, or None."""
    text = line.strip()
    markdown = _MD_HEADING.match(text)
    if markdown:
        return len(markdown.group(1))
    if len(text) > 110 or text.endswith((".", ",", ";", ":")):
        return None
    numbered = _NUMBERED_HEADING.match(text)
    if numbered and re.fullmatch(r"\d{1,2}\.", text.split()[0]):
        return None  # "1. Kartläggning av …": a numbered list item, not a heading
    if numbered and not re.search(r"\.\s", numbered.group(2)):
        return numbered.group(1).count(".") + 1
    if _ARTICLE.match(text) and len(text) < 90 and ": " not in text:
        return 3
    letters = [c for c in text if c.isalpha()]
    if len(letters) >= 4 and all(c.isupper() for c in letters) and len(text) < 70 and "(" not in text:
        return 1
    return None


def read_text(path: Path) -> Document:
    data = path.read_bytes()
    if len(data) > MAX_BYTES:
        raise ImportFault(
            path, f"textfilen är {len(data) // (1024 * 1024)} MB; högst {MAX_BYTES // (1024 * 1024)} MB."
        )
    nul = data.find(b"\x00", 0, 4096)
    if nul >= 0 and not data.startswith((b"\xff\xfe", b"\xfe\xff")):  # binary: refused before decoding it
        raise ImportFault(path, _nul_problem(data.count(b"\n", 0, nul) + 1))
    original = _decode(path, data).replace("\r\n", "\n").replace("\f", "\n\n")
    _check_size(path, original)
    text, repairs, notes = repair(original, path)
    return parse_text(path, original, text, repairs, notes)


def _nul_problem(line: int) -> str:
    return f"filen är ingen textfil: rad {line} har ett NUL-tecken (binära data)."


def _check_size(path: Path, text: str) -> None:
    """Refuse a text with a NUL character (no text file has one, and PostgreSQL can't store it), more than
    ``MAX_CHARS`` characters or a line longer than ``MAX_LINE``, naming the line."""
    nul = text.find("\0")
    if nul >= 0:
        raise ImportFault(path, _nul_problem(text.count("\n", 0, nul) + 1))
    if len(text) > MAX_CHARS:
        raise ImportFault(
            path,
            f"texten har {format_number(len(text), decimals=0)} tecken; högst {format_number(MAX_CHARS, decimals=0)}"
            " (ungefär 300 sidor) kan importeras.",
        )
    for number, line in enumerate(text.split("\n"), start=1):
        if len(line) > MAX_LINE:
            raise ImportFault(
                path,
                f"rad {number} har {format_number(len(line), decimals=0)} tecken; en rad får ha högst "
                f"{format_number(MAX_LINE, decimals=0)} (är det verkligen en textfil med ett barnbokslut?).",
            )


def reread_text(source: Path, original: str, repairs: list[dict[str, Any]], accepted: set[int]) -> Document:
    """Read ``original`` (a document's :attr:`Document.original_text`) again with exactly the repairs whose
    index in ``repairs`` is in ``accepted`` written: the reviewer's choice of repairs and suggestions. No
    word list is needed: the repairs were found when the file was first read."""
    chosen = [
        (int(r["offset"]), str(r["original"]), str(r["ersättning"]))
        for i, r in enumerate(repairs)
        if i in accepted
    ]
    text = ocr_repair.apply_repairs(original, chosen)
    marked = [{**r, "tillämpad": i in accepted} for i, r in enumerate(repairs)]
    applied = len(chosen)
    notes = _repair_notes(applied, len(repairs))
    return parse_text(source, original, text, marked, notes)


def parse_text(
    path: Path, original: str, text: str, repairs: list[dict[str, Any]], notes: list[str]
) -> Document:
    """The blocks of ``text`` (``original`` with its repairs written), the repairs and notes kept."""
    lines = [
        line.rstrip()
        for line in text.split("\n")
        if not _PAGE_NUMBER.match(line.strip()) and not _LONE_NUMBER.match(line.strip())
    ]
    document = Document(source=path, kind="text", raw_text="\n".join(lines), original_text=original)
    document.notes.extend(notes)
    document.repairs.extend(repairs)
    paragraphs: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            paragraphs[-1].append(line.strip())
        elif paragraphs[-1]:
            paragraphs.append([])
    blocks: list[Block] = []
    for index, para in enumerate(p for p in paragraphs if p):
        del index
        if all(line.startswith("|") for line in para):
            # A Markdown table: its rows and cells, the separator row (|---|) left out.
            rows = [
                tuple(cell.strip() for cell in line.strip().strip("|").split("|"))
                for line in para
                if not re.fullmatch(r"\|?[\s:|-]+\|?", line)
            ]
            blocks.append(Table(tuple(rows)))
            continue
        # A heading on the paragraph's first line(s), the text right under it.
        while para:
            level = _heading_level(para[0])
            short = (
                len(para[0]) <= 50 and not para[0].endswith((".", ",", ";", ":")) and para[0][:1].isupper()
            )
            short = short and "(" not in para[0] and "=" not in para[0] and not re.match(r"\d", para[0])
            if level is None and short and len(para) > 1 and not _BULLET.match(para[0]):
                level = 2
            if level is None and short and len(para) == 1 and not re.search(r"[=|]", para[0]):
                level = 2
            if level is None:
                break
            heading = para.pop(0)
            markdown = _MD_HEADING.match(heading)
            if markdown:
                heading = markdown.group(2).strip().strip("*_").strip()
            blocks.append(Heading(level, heading))
        if not para:
            continue
        items: list[list[str]] = []
        plain: list[str] = []
        for line in para:
            if _BULLET.match(line):
                items.append([_BULLET.sub("", line)])
            elif items:
                items[-1].append(line)
            else:
                plain.append(line)
        if plain:
            blocks.append(Paragraph(" ".join(plain)))
        blocks.extend(ListItem(" ".join(item)) for item in items)
    if not blocks:
        raise ImportFault(path, "textfilen är tom.")
    document.blocks = blocks
    return document


def _repair_notes(applied: int, total: int) -> list[str]:
    """The note on the OCR repairs, numbers the Swedish way ("1 097 ord rättade …")."""
    if not total:
        return []
    return [
        f"{format_number(applied, decimals=0)} ord rättade efter OCR-skador och "
        f"{format_number(total - applied, decimals=0)} förslag som inte ändrats; se rättelserna."
    ]
