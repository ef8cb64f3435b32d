"""Read a PDF with pdfplumber (on pdfminer.six): text and tables, page headers and footers removed.

A tagged PDF (PDF/UA, as ``barnbokslut bygg`` writes) is read through its structure tree: headings (H1–H6),
paragraphs, list items and tables with their real rows and cells, the text of each element gathered from its
marked content. Running headers and footers are artifacts there and never part of the tree. An untagged PDF is
read line by line: headings by font size or a line all in bold (a heading wrapped over two lines joined
again), and lines repeated on most pages or shaped like a page number
("Barnbokslut 2024 3(14)", "Sida 3 av 14") dropped; its ruled tables (as Word and LibreOffice export them) are
found by pdfplumber's table finder and read as rows and cells (wrapped cell lines joined again, a word broken by a
narrow column mended against the word list), tables without lines stay text (a note says so).

An encrypted PDF, one with no text (a scan), one longer than :data:`MAX_PAGES`, a broken or truncated one and a
file that is no PDF at all (a JPEG named .pdf: named for what it is) are refused with a Swedish message. Each page
is closed once read, and only what is used of its characters kept, so memory stays bounded by the text, not by
pdfplumber's ~30 attributes a character (2.7 GB for 300 dense pages, 0.3 GB now).
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from barnbokslut.importing.model import Block, Document, Heading, ImportFault, ListItem, Paragraph, Table
from barnbokslut.importing.ocr_repair import HYPHEN_NOT_JOINED, WordList, WordListMissing, load_word_list

MAX_PAGES = 300

_PAGE_NUMBER = re.compile(
    r"^(?:.{0,60}?\s)?(?:\d{1,3}\s*\(\s*\d{1,3}\s*\)|sida\s+\d{1,3}(?:\s+av\s+\d{1,3})?|\d{1,3}\s*/\s*\d{1,3})$|^\d{1,3}$",
    re.IGNORECASE,
)
_DOT_LEADER = re.compile(r"\.{6,}")
_ENCRYPTED = "PDF:en är krypterad (lösenordsskyddad). Spara den utan lösenord och försök igen."
_SOFT_BREAK = re.compile(r"[\u2010\u00ad]\n")
_HARD_BREAK = re.compile(r"(?<=\w)-[ \t]*\n(?!(?:och|eller|samt|respektive|som)\b)")


def is_page_furniture(line: str, repeated: set[str]) -> bool:
    """A running header or footer: repeated on most pages (digits ignored) or shaped like a page number."""
    text = line.strip()
    return bool(text) and (_PAGE_NUMBER.match(text) is not None or re.sub(r"\d+", "#", text) in repeated)


def _chars_to_text(chars: list[dict[str, Any]]) -> str:
    out: list[str] = []
    prev: dict[str, Any] | None = None
    for char in chars:
        text = char.get("text", "")
        if prev is not None:
            size = float(prev.get("size") or 10)
            if abs(float(char["top"]) - float(prev["top"])) > size * 0.5:
                out.append("\n")
            elif (
                float(char["x0"]) - float(prev["x1"]) > size * 0.2 and text != " " and out and out[-1] != " "
            ):
                out.append(" ")
        out.append(text)
        prev = char
    joined = _SOFT_BREAK.sub("", "".join(out))
    # A compound broken after its real hyphen ("HBTQI-" / "frågor") stays one word; "barn- och unga" keeps its space.
    joined = _HARD_BREAK.sub("-", joined)
    return re.sub(r"[ \t]*\n[ \t]*", "\n", joined)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


_INLINE = {"Span", "Link", "Quote", "Code", "Em", "Strong", "Sub", "Sup", "Reference", "Note", "Lbl"}


def _has_heading(element: dict[str, Any]) -> bool:
    return any(
        re.fullmatch(r"H[1-6]", str(child.get("type") or "")) is not None or _has_heading(child)
        for child in element.get("children") or []
    )


class _Tagged:
    """Blocks from a PDF's structure tree."""

    def __init__(self, path: Path) -> None:
        self.by_mcid = _marked_chars(path)
        self.blocks: list[Block] = []

    def chars(self, element: dict[str, Any], page: int | None = None) -> list[dict[str, Any]]:
        page = element.get("page_number") or page
        found: list[dict[str, Any]] = []
        for mcid in element.get("mcids") or []:
            if page is not None:
                found.extend(self.by_mcid.get((page, int(mcid)), []))
        for child in element.get("children") or []:
            if child.get("type") != "Artifact":
                found.extend(self.chars(child, page))
        return found

    def text(self, element: dict[str, Any]) -> str:
        return _chars_to_text(self.chars(element))

    def cell(self, element: dict[str, Any]) -> str:
        lines: list[str] = []
        loose: list[dict[str, Any]] = []

        def flush() -> None:
            if loose:
                lines.append(_flat(_chars_to_text(loose)))
                loose.clear()

        if element.get("mcids"):
            loose.extend(self.chars({"mcids": element["mcids"], "page_number": element.get("page_number")}))
        for child in element.get("children") or []:
            kind = child.get("type")
            if kind == "L":
                flush()
                lines.extend(self.list_lines(child))
            elif kind in ("P", "Div"):
                flush()
                lines.append(_flat(self.text(child)))
            else:
                loose.extend(self.chars(child))
        flush()
        return "\n".join(line for line in lines if line)

    def list_lines(self, element: dict[str, Any]) -> list[str]:
        lines: list[str] = []
        for item in element.get("children") or []:
            if item.get("type") != "LI":
                continue
            label = ""
            body = ""
            for part in item.get("children") or []:
                if part.get("type") == "Lbl":
                    label = _flat(self.text(part))
                else:
                    body += self.text(part) + "\n"
            body = _flat(_SOFT_BREAK.sub("", body))
            if re.fullmatch(r"\d+[.)]", label):
                lines.append(f"{label.rstrip(')').rstrip('.')}. {body}")
            elif label:
                lines.append(f"- {body}")
            else:
                lines.append(body)
        return lines

    def walk(self, element: dict[str, Any]) -> None:
        kind = str(element.get("type") or "")
        if re.fullmatch(r"H[1-6]", kind):
            text = _flat(self.text(element))
            if text:
                self.blocks.append(Heading(int(kind[1]), text))
        elif kind == "P":
            text = _flat(self.text(element))
            if text:
                self.blocks.append(Paragraph(text))
        elif kind == "L" and _has_heading(element):
            # A list whose items carry headings (the four articles as a list): read as headings and text.
            for child in element.get("children") or []:
                for part in child.get("children") or []:
                    if part.get("type") != "Lbl":
                        self.walk(part)
        elif kind == "L":
            for line in self.list_lines(element):
                if _DOT_LEADER.search(line):
                    continue  # the table of contents
                numbered = re.match(r"\d+\. ", line) is not None
                text = line[2:] if line.startswith("- ") else re.sub(r"^\d+\. ", "", line)
                self.blocks.append(ListItem(text, numbered))
        elif kind == "Table":
            rows: list[tuple[str, ...]] = []
            for row in self._rows(element):
                rows.append(
                    tuple(self.cell(c) for c in row.get("children") or [] if c.get("type") in ("TD", "TH"))
                )
            previous = self.blocks[-1] if self.blocks else None
            if rows and isinstance(previous, Table) and previous.rows and previous.rows[0] == rows[0]:
                self.blocks[-1] = Table(previous.rows + tuple(rows[1:]))  # the same table, over a page break
            elif rows:
                self.blocks.append(Table(tuple(rows)))
        elif kind in ("Figure", "Artifact", "TOC", "TOCI"):
            return
        else:
            # A container (Document, Sect, Div, BlockQuote, …): its blocks, and its loose inline content
            # (a quotation's attribution, say) as paragraphs of their own.
            loose: list[dict[str, Any]] = []
            for child in element.get("children") or []:
                if str(child.get("type") or "") in _INLINE:
                    loose.extend(self.chars(child))
                    continue
                if loose:
                    self._loose(loose)
                    loose = []
                self.walk(child)
            if element.get("mcids"):
                loose.extend(
                    self.chars({"mcids": element["mcids"], "page_number": element.get("page_number")})
                )
            if loose:
                self._loose(loose)

    def _loose(self, chars: list[dict[str, Any]]) -> None:
        text = _flat(_chars_to_text(chars))
        if text:
            self.blocks.append(Paragraph(text))

    def _rows(self, element: dict[str, Any]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for child in element.get("children") or []:
            if child.get("type") == "TR":
                rows.append(child)
            elif child.get("type") in ("THead", "TBody", "TFoot"):
                rows.extend(self._rows(child))
        return rows


_CELL_ITEM = re.compile(r"^(?:\d+[.)]|[-•–])\s")
_SYMBOL_BULLET = "\uf0b7"
_LIST_LINE = re.compile(r"^(?:(\d{1,2}[.)])|[\uf0b7•▪◦])\s+")
_KEY_LINE = re.compile(r"^[A-ZÅÄÖ][\wÅÄÖåäö]{0,9} = \S")


def _cell_text(lines: list[tuple[str, float]], words: WordList | None) -> str:
    """A cell of an untagged table from its (line, room left on it in font sizes) pairs: wrapped lines joined
    again, a word broken because it is wider than its column mended ("Förvaltnin" / "g" → "Förvaltning": the
    line before is that word alone, fills the cell, and the word list knows the joined word), a numbered or
    bulleted item on a line of its own, as a tagged cell reads."""
    out: list[str] = []
    room = 99.0  # the room left on the line before, in units of its font size
    for raw, left in lines:
        line = raw.strip()
        # Only a word wider than its column is broken inside: alone on its line, and filling it.
        room_before, room = room, left if " " not in line else 99.0
        if not line:
            continue
        if not out or _CELL_ITEM.match(line):
            out.append(line)
            continue
        last = out[-1]
        head, tail = last.rsplit(" ", 1)[-1], line.split(" ", 1)[0]
        if head.endswith("-") and len(head) > 1 and tail[:1].islower() and tail not in HYPHEN_NOT_JOINED:
            out[-1] = last + line  # a hyphen kept: "HBTQI-" / "frågor" → "HBTQI-frågor"
        elif room_before < 0.8 and words is not None and _broken(head, tail, words):
            out[-1] = last + line
        else:
            out[-1] = f"{last} {line}"
    text = "\n".join(re.sub(r"^[•–]\s", "- ", line) for line in out)
    if _SYMBOL_BULLET in text:
        # Word's bullet (U+F0B7 of the Symbol font) sits a little off its line, so it lands before or after its
        # item's text: the bullets only separate the items.
        items = [item.strip() for item in re.split(r"\s*\uf0b7\s*", text.replace("\n", " ")) if item.strip()]
        text = "\n".join(f"- {item}" for item in items)
    return text


def _broken(head: str, tail: str, words: WordList) -> bool:
    """``head`` + ``tail`` is one word the word list knows, broken because it did not fit its column. When both
    halves are words themselves ("ärendegenomgångar" / "med"), only a joined word of the list itself counts
    ("myndighetsutövning" / "en"), not a compound made up of the two."""
    if not (head[-1:].isalpha() and tail[:1].isalpha() and tail[:1].islower()):
        return False
    first, second = head.strip(".,:;()").lower(), tail.strip(".,:;()").lower()
    joined = first + second
    if second in words and (first in words or words.is_compound(first)):
        return joined in words
    return joined in words or words.is_compound(joined)


_Lines = list[tuple[str, float]]


def _tables(page: Any) -> list[tuple[float, float, float, float, list[list[_Lines]]]]:
    """The ruled tables of an untagged page: (x0, top, x1, bottom, rows of cells of (line, room left on it))."""
    found = []
    for table in page.find_tables():
        grid: list[list[list[tuple[str, float, float]]]] = []  # rows → cells → (text, gap to the right, size)
        for row in table.rows:
            cells: list[list[tuple[str, float, float]]] = []
            for bbox in row.cells:
                if bbox is None:
                    cells.append([])
                    continue
                lines = page.crop(bbox).extract_text_lines()
                cells.append(
                    [
                        (
                            line["text"],
                            float(bbox[2]) - float(line["x1"]),
                            max(float(c["size"]) for c in line["chars"]),
                        )
                        for line in lines
                        if line["chars"]
                    ]
                )
            grid.append(cells)
        if len(grid) < 2 or max(len(row) for row in grid) < 2:
            continue
        # The cell padding of each column: the smallest gap to the right edge of any of its lines.
        padding: dict[int, float] = {}
        for row in grid:
            for j, cell in enumerate(row):
                for _, gap, _ in cell:
                    padding[j] = min(padding.get(j, gap), gap)
        rows = [
            [
                [(text, (gap - padding.get(j, 0.0)) / size) for text, gap, size in cell]
                for j, cell in enumerate(row)
            ]
            for row in grid
        ]
        x0, top, x1, bottom = (float(v) for v in table.bbox)
        found.append((x0, top, x1, bottom, rows))
    return found


#: What is kept of a character of a tagged PDF once its page is read: all that _chars_to_text looks at.
_CHAR_KEYS = ("text", "top", "x0", "x1", "size")


def _marked_chars(path: Path) -> dict[tuple[int, int], list[dict[str, Any]]]:
    """The characters of each marked-content sequence, by (page number, MCID), as pdfplumber names a
    character's keys (``_CHAR_KEYS``; ``top`` from the page's top, by the font's ascent as pdfplumber has it).

    Read with PDFium (pypdfium2, which pdfplumber has as a dependency): its parser is C++, twenty times faster
    than pdfminer's Python on the same pages (0.3 s against 6 s for 37 pages), and a tagged PDF needs nothing of
    pdfminer's layout but each character's text, box, size and MCID. Characters PDFium adds itself (the spaces
    and line ends of its text page) and those outside marked content (artifacts: running headers, footers) are
    left out; text inside a form XObject (a chart's labels) has its own marked content, and figures are not
    read anyway."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    found: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
    box = pdfium_c.FS_RECTF()
    document = pypdfium2.PdfDocument(str(path))
    try:
        for index in range(len(document)):
            page = document[index]
            height = page.get_height()
            text_page = page.get_textpage()
            handle = text_page.raw
            for i in range(text_page.count_chars()):
                if pdfium_c.FPDFText_IsGenerated(handle, i) == 1:
                    continue
                code = pdfium_c.FPDFText_GetUnicode(handle, i)
                if code in (0, 10, 13, 0xFFFE):
                    continue
                if code == 2:  # PDFium's mark for a hyphen at a line's end: the hyphen it is
                    code = ord("-")
                obj = pdfium_c.FPDFText_GetTextObject(handle, i)
                mcid = pdfium_c.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
                if mcid < 0:
                    continue
                pdfium_c.FPDFText_GetLooseCharBox(handle, i, box)
                found[(index + 1, mcid)].append(
                    {
                        "text": chr(code),
                        "top": height - box.top,
                        "x0": box.left,
                        "x1": box.right,
                        "size": pdfium_c.FPDFText_GetFontSize(handle, i),
                    }
                )
            text_page.close()
            page.close()
    finally:
        document.close()
    return found


def _slim(char: dict[str, Any]) -> dict[str, Any]:
    return {key: char[key] for key in _CHAR_KEYS if key in char}


def _untagged(pdf: Any, document: Document) -> None:
    pages: list[list[dict[str, Any]]] = []
    tables: list[list[tuple[float, float, float, float, list[list[_Lines]]]]] = []
    sizes: Counter[float] = Counter()
    for page in pdf.pages:
        lines: list[dict[str, Any]] = []
        for line in page.extract_text_lines():
            chars = line["chars"]
            sizes.update(round(float(char["size"]), 1) for char in chars)
            lines.append(
                {
                    "text": line["text"],
                    "top": float(line["top"]),
                    "bottom": float(line["bottom"]),
                    "x0": float(line["x0"]),
                    "size": round(max((float(c["size"]) for c in chars), default=0.0), 1),
                    "bold": all("Bold" in str(c.get("fontname", "")) for c in chars if c["text"].strip()),
                }
            )
        pages.append(lines)
        tables.append(_tables(page))
        # pdfplumber keeps a page's layout and every character's ~30 attributes until the page is closed, and a
        # line keeps its characters: a 300-page PDF of 4 000 characters a page held 2.7 GB in the worker.
        page.close()
    try:
        words: WordList | None = load_word_list()
    except WordListMissing:
        words = None
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", line["text"].strip()) for line in lines[:2] + lines[-2:]})
    repeated = {shape for shape, n in counts.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2)}
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    bigger = sorted({s for s in sizes if s > body + 0.4}, reverse=True)[:4]
    paragraph: list[str] = []

    listing: list[bool] = []  # [numbered] while the lines gathered are a list item's

    def flush() -> None:
        if paragraph:
            text = _flat(_SOFT_BREAK.sub("", "\n".join(paragraph)).replace("\n", " "))
            document.blocks.append(ListItem(text, listing[0]) if listing else Paragraph(text))
            paragraph.clear()
        listing.clear()

    def table(rows: list[list[_Lines]]) -> None:
        flush()
        cells = tuple(tuple(_cell_text(cell, words) for cell in row) for row in rows)
        previous = document.blocks[-1] if document.blocks else None
        if isinstance(previous, Table) and previous.rows and previous.rows[0] == cells[0]:
            document.blocks[-1] = Table(previous.rows + cells[1:])  # the same table, over a page break
        else:
            document.blocks.append(Table(cells))

    found_tables = False
    for lines, page_tables in zip(pages, tables, strict=True):
        prev_bottom: float | None = None
        waiting = sorted(page_tables, key=lambda t: t[1])
        found_tables = found_tables or bool(waiting)
        for number, line in enumerate(lines):
            middle = (float(line["top"]) + float(line["bottom"])) / 2
            while waiting and waiting[0][3] < middle:
                table(waiting.pop(0)[4])
                prev_bottom = None
            if any(t[1] <= middle <= t[3] and t[0] <= float(line["x0"]) <= t[2] for t in page_tables):
                continue  # a line of a table, read as its cells
            text = line["text"].strip()
            size = line["size"]
            # Headers and footers live at a page's top and bottom, and differ from body text by a number or size.
            edge = number < 2 or number >= len(lines) - 2
            distinct = bool(re.search(r"\d", text)) or abs(size - body) > 0.4
            if not text or (edge and distinct and is_page_furniture(text, repeated)):
                continue
            bold = line["bold"]
            if (size in bigger or (bold and size >= body)) and len(text) < 120:
                flush()
                level = bigger.index(size) + 1 if size in bigger else min(6, len(bigger) + 1)
                previous = document.blocks[-1] if document.blocks else None
                if isinstance(previous, Heading) and previous.level == level and text[:1].islower():
                    document.blocks[-1] = Heading(
                        level, f"{previous.text} {text}"
                    )  # a heading wrapped in two
                else:
                    document.blocks.append(Heading(level, text))
            elif _KEY_LINE.match(text):
                flush()  # "SVF = Stadsområde, välfärd och fritid": a line of the abbreviation key, a paragraph
                paragraph.append(text)
                flush()
            elif item := _LIST_LINE.match(text):
                flush()  # "• Barn som är svåra att nå …": a list item, until a gap or another item
                listing.append(item.group(1) is not None)
                paragraph.append(text[item.end() :])
            else:
                if prev_bottom is not None and float(line["top"]) - prev_bottom > size * 0.8:
                    flush()
                paragraph.append(text)
            prev_bottom = float(line["bottom"])
        for rest in waiting:
            table(rest[4])
        flush()
    document.notes.append(
        "PDF:en saknar struktur (taggar): tabeller med linjer har lästs som rader och celler, "
        "tabeller utan linjer som text."
        if found_tables
        else "PDF:en saknar struktur (taggar): tabellerna har lästs som text, inte som rader och celler."
    )


def _encrypted(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect / PDFEncryptionError in its PdfminerException."""
    seen: list[object] = [exc, exc.__cause__, exc.__context__, *exc.args]
    return any("Password" in type(e).__name__ or "Encrypt" in type(e).__name__ for e in seen if e is not None)


#: The first bytes of files that are sometimes named .pdf by mistake, and what they are.
_OTHER_KINDS = (
    (b"\xff\xd8\xff", "en JPEG-bild"),
    (b"\x89PNG", "en PNG-bild"),
    (b"GIF8", "en GIF-bild"),
    (b"II*\x00", "en TIFF-bild"),
    (b"MM\x00*", "en TIFF-bild"),
    (b"PK\x03\x04", "en zip-fil (ett Word-dokument? spara det som .docx)"),
    (b"\xd0\xcf\x11\xe0", "ett äldre Office-dokument (.doc)"),
)


def _check_header(path: Path) -> None:
    """A PDF has ``%PDF-`` within its first 1 024 bytes; anything else is named for what it is."""
    with path.open("rb") as file:
        head = file.read(1024)
    if b"%PDF-" in head:
        return
    kind = next((name for magic, name in _OTHER_KINDS if head.startswith(magic)), "")
    if not head:
        raise ImportFault(path, "filen är tom.")
    raise ImportFault(
        path, f"filen är ingen PDF{f': den är {kind}' if kind else ' (den börjar inte med %PDF-)'}."
    )


def read_pdf(path: Path) -> Document:
    """The PDF at ``path`` as a document; refused with a Swedish message when it is encrypted, has no text or has
    more than :data:`MAX_PAGES` pages (the one limit of the command line and the web app, whose task worker
    reads it)."""
    import pdfplumber

    _check_header(path)
    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises its own kinds: PDFSyntaxError, PDFPasswordIncorrect, …
        if _encrypted(exc):
            raise ImportFault(path, _ENCRYPTED) from exc
        raise ImportFault(
            path, f"PDF:en är trasig eller avkortad och går inte att läsa ({type(exc).__name__})."
        ) from exc
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            raise ImportFault(path, f"PDF:en har {len(pdf.pages)} sidor; högst {MAX_PAGES} kan importeras.")
        try:
            has_text = any(page.chars for page in pdf.pages)
        except Exception as exc:
            if _encrypted(exc):
                raise ImportFault(path, _ENCRYPTED) from exc
            raise ImportFault(path, f"PDF:en går inte att läsa ({type(exc).__name__}).") from exc
        if not has_text:
            raise ImportFault(
                path,
                "PDF:en har ingen text, bara bilder (en inskannad rapport?). Kör OCR på den och importera texten"
                " som .txt.",
            )
        document = Document(source=path, kind="pdf")
        tree: list[dict[str, Any]] = []
        try:
            tree = list(pdf.structure_tree)
        except Exception:  # a broken or missing structure tree: read it as untagged
            tree = []
        if tree:
            tagged = _Tagged(path)
            for element in tree:
                tagged.walk(element)
            document.blocks = tagged.blocks
        if not document.blocks:
            _untagged(pdf, document)
    return document
