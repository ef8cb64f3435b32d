"""Read a PDF with pdfplumber (on pdfminer.six): text and tables, page headers and footers removed.

A tagged PDF (PDF/UA, as ``barnbokslut bygg`` writes) is read through its structure tree: headings (H1–H6),
paragraphs, list items and tables with their real rows and cells, the text of each element gathered from its
marked content. Running headers and footers are artifacts there and never part of the tree. An untagged PDF is
read line by line: headings by font size, and lines repeated on most pages or shaped like a page number
("Barnbokslut 2024 3(14)", "Sida 3 av 14") dropped; its tables are not told apart from the text (a note says so).

An encrypted PDF, one with no text (a scan) and one longer than :data:`MAX_PAGES` are refused with a Swedish
message.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from barnbokslut.importing.model import Block, Document, Heading, ImportFault, ListItem, Paragraph, Table

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

    def __init__(self, pdf: Any) -> None:
        self.by_mcid: dict[tuple[int, int], list[dict[str, Any]]] = defaultdict(list)
        for page in pdf.pages:
            for char in page.chars:
                mcid = char.get("mcid")
                if mcid is not None:
                    self.by_mcid[(page.page_number, int(mcid))].append(char)
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


def _untagged(pdf: Any, document: Document) -> None:
    pages: list[list[dict[str, Any]]] = [page.extract_text_lines() for page in pdf.pages]
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({re.sub(r"\d+", "#", line["text"].strip()) for line in lines[:2] + lines[-2:]})
    repeated = {shape for shape, n in counts.items() if len(pages) >= 3 and n >= max(2, len(pages) // 2)}
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            for char in line["chars"]:
                sizes[round(float(char["size"]), 1)] += 1
    body = sizes.most_common(1)[0][0] if sizes else 10.0
    bigger = sorted({s for s in sizes if s > body + 0.4}, reverse=True)[:4]
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            text = _SOFT_BREAK.sub("", "\n".join(paragraph)).replace("\n", " ")
            document.blocks.append(Paragraph(_flat(text)))
            paragraph.clear()

    for lines in pages:
        prev_bottom: float | None = None
        for number, line in enumerate(lines):
            text = line["text"].strip()
            size = round(max(float(c["size"]) for c in line["chars"]), 1)
            # Headers and footers live at a page's top and bottom, and differ from body text by a number or size.
            edge = number < 2 or number >= len(lines) - 2
            distinct = bool(re.search(r"\d", text)) or abs(size - body) > 0.4
            if not text or (edge and distinct and is_page_furniture(text, repeated)):
                continue
            if size in bigger and len(text) < 120:
                flush()
                document.blocks.append(Heading(bigger.index(size) + 1, text))
            else:
                if prev_bottom is not None and float(line["top"]) - prev_bottom > size * 0.8:
                    flush()
                paragraph.append(text)
            prev_bottom = float(line["bottom"])
        flush()
    document.notes.append(
        "PDF:en saknar struktur (taggar): tabellerna har lästs som text, inte som rader och celler."
    )


def _encrypted(exc: BaseException) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect / PDFEncryptionError in its PdfminerException."""
    seen: list[object] = [exc, exc.__cause__, exc.__context__, *exc.args]
    return any("Password" in type(e).__name__ or "Encrypt" in type(e).__name__ for e in seen if e is not None)


def read_pdf(path: Path) -> Document:
    import pdfplumber

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # pdfminer raises its own kinds: PDFSyntaxError, PDFPasswordIncorrect, …
        if _encrypted(exc):
            raise ImportFault(path, _ENCRYPTED) from exc
        raise ImportFault(path, f"filen är ingen läsbar PDF ({type(exc).__name__}).") from exc
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
            tagged = _Tagged(pdf)
            for element in tree:
                tagged.walk(element)
            document.blocks = tagged.blocks
        if not document.blocks:
            _untagged(pdf, document)
    return document
