"""The one reader of local data: a CSV or XLSX table of local figures, checked, with every error named by row
and column.

Both ways local figures come in use it, so they accept exactly the same files: the web app's upload
(``barnbokslut.web.localdata.importer``) and the report folder of ``barnbokslut bygg``
(``barnbokslut.report.localdata.read_csv``). Plain Python (no Django)::

    parsed = parse_table("behorighet.csv", data)
    if parsed.ok:
        parsed.columns      # ("Skola", "Andel (%)")
        parsed.rows         # (("Norrskolan", 87.5), ("Söderskolan", None), …)
        parsed.decimals     # decimals_for(all the numbers): 1
    else:
        for error in parsed.errors:
            print(error.message)   # Rad 4, kolumn ”Andel (%)”: ”12,x” är inget tal …

Expected shape: a header row, a first column of labels (skola, grupp, år) and one or more columns of numbers.
CSV: UTF-8 (with or without BOM) or Windows-1252, separated by ";", "," or tab, decimal comma or point; every row
has as many cells as the header row (a missing value is an empty cell with its separator kept, or ".."), since a
short row cannot tell which of its values is missing. XLSX: the first sheet, read with openpyxl in read-only mode;
its cells have positions, so trailing empty cells are simply missing values. An empty cell, "..", "-", "–" or "—"
is a missing value and stays missing (``None``, shown as ".."); it is never turned into 0. Nothing is ever partly
accepted: any error makes the whole file unusable (``ok`` is false), and the caller imports nothing.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time
from typing import Any
from xml.etree import ElementTree

__all__ = [
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_DECIMALS",
    "MAX_ERRORS",
    "MAX_LINES",
    "MAX_ROWS",
    "MAX_SHARED_STRINGS",
    "MAX_XLSX_EXPANDED",
    "MAX_XLSX_PARTS",
    "ParsedTable",
    "TableError",
    "decimals_for",
    "parse_number",
    "parse_table",
]

#: At most this many data rows (besides the header row) and columns.
MAX_ROWS = 5000
MAX_COLUMNS = 50
#: Errors kept in full; beyond this the table only counts them (``error_count``).
MAX_ERRORS = 500
#: A table shows at most this many decimals, however many its numbers have.
MAX_DECIMALS = 3
#: A cell (a name, a column heading or a value) has at most this many characters.
MAX_CELL_CHARS = 200
#: Lines (CSV) or sheet rows (XLSX) read, blank ones included, before a file is refused: reading stops there.
MAX_LINES = 20_000
#: An XLSX file unpacks to at most this many bytes, in at most this many parts, with at most this many shared
#: strings (one per cell of the largest table): checked from the zip's directory before anything is unpacked.
MAX_XLSX_EXPANDED = 32 * 1024 * 1024
MAX_XLSX_PARTS = 1000
MAX_SHARED_STRINGS = (MAX_ROWS + 1) * (MAX_COLUMNS + 1)

_MISSING = {"", "..", "-", "–", "—"}
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_BLANK = re.compile(rb"(?:\xef\xbb\xbf)?\s*")  # stops at the first character that is not blank: no copy
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old binary Excel (.xls)

Cell = str | float | None


@dataclass(frozen=True)
class TableError:
    """One problem; ``row`` is the row number in the file (1 = header row), ``column`` the column's name."""

    message: str
    row: int | None = None
    column: str | None = None


@dataclass(frozen=True)
class ParsedTable:
    """What an upload would import: the header, the rows (label first, then numbers or None) and every error."""

    filename: str
    sha256: str
    size: int
    file_format: str  # "CSV" or "XLSX"
    encoding: str  # "UTF-8", "UTF-8 med BOM", "Windows-1252" or "" (XLSX)
    delimiter: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    errors: tuple[TableError, ...]
    error_count: int = 0
    decimals: int = 1
    warnings: tuple[str, ...] = field(default_factory=tuple)
    #: Each row's line number in the file (1 = header row), for a caller's own messages (``text=True`` only).
    row_numbers: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.error_count == 0 and bool(self.rows)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(str(row[0]) for row in self.rows)

    @property
    def value_columns(self) -> tuple[str, ...]:
        return self.columns[1:]

    def values(self) -> tuple[tuple[float | None, ...], ...]:
        """One tuple per value column (as ``report.localdata.CsvData.values``)."""
        return tuple(tuple(row[i] for row in self.rows) for i in range(1, len(self.columns)))  # type: ignore[misc]


class _Errors:
    """Every error counted; the ``MAX_ERRORS`` first by row kept (errors of the whole file or a column first)."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, TableError]] = []  # (-row, -order, error): the root is the last kept
        self.count = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        item = (-(row or 0), -self.count, TableError(message, row, column))
        if len(self._heap) < MAX_ERRORS:
            heapq.heappush(self._heap, item)
        elif item[:2] > self._heap[0][:2]:
            heapq.heapreplace(self._heap, item)

    @property
    def kept(self) -> list[TableError]:
        return [error for _, _, error in sorted(self._heap, key=lambda item: item[:2], reverse=True)]


def decimals_for(values: Iterable[object]) -> int:
    """The most decimals any number in ``values`` shows (at most ``MAX_DECIMALS``): the table's one decimals rule.

    87.5 → 1, 91.25 → 2, 120.0 → 0; missing values, text and non-finite numbers do not count. The web app shows
    a stored table with it (``table_decimals``) and the report folder uses it when ``decimaler`` is not given.
    """
    most = 0
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        number = float(value)
        if not math.isfinite(number) or number.is_integer():
            continue
        text = repr(number)
        most = max(most, MAX_DECIMALS if "e" in text else len(text.split(".")[1]))
        if most >= MAX_DECIMALS:
            return MAX_DECIMALS
    return most


def parse_number(text: str) -> tuple[float | None, int]:
    """Read "87,5", "87.5", "1 234", "12 %" or "−3"; return (value, decimals). ".." or "" → (None, 0).

    Raises ``ValueError`` for anything else (the caller names the row and column).
    """
    cleaned = _SPACES.sub("", text).replace("%", "").replace("\u2212", "-")
    if cleaned in _MISSING:
        return None, 0
    if "," in cleaned and "." in cleaned:
        raise ValueError("blandar punkt och komma")
    if not _NUMBER.match(cleaned):
        raise ValueError("inget tal")
    decimal_part = re.split(r"[.,]", cleaned, maxsplit=1)
    decimals = len(decimal_part[1]) if len(decimal_part) == 2 else 0
    return float(cleaned.replace(",", ".")), decimals


def _failed(name: str, data: bytes, file_format: str, message: str, *, encoding: str = "") -> ParsedTable:
    return ParsedTable(
        filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), file_format=file_format,
        encoding=encoding, delimiter="", columns=(), rows=(), errors=(TableError(message),), error_count=1,
    )  # fmt: skip


def parse_table(name: str, data: bytes, *, max_bytes: int | None = None, text: bool = False) -> ParsedTable:
    """Parse ``data`` (the bytes of the file called ``name``; its ending decides CSV or XLSX), saving nothing.

    ``text=True`` reads a register instead of figures: every cell is kept as its text ("" when empty; an Excel
    date as "2025-03-04"), and the caller checks the values column by column (``report.bka``).
    """
    lower = name.lower()
    is_xlsx = lower.endswith((".xlsx", ".xlsm"))
    file_format = "XLSX" if is_xlsx else "CSV"
    if max_bytes is not None and len(data) > max_bytes:
        return _failed(
            name, data, file_format,
            f"Filen är {_size(len(data))}, men största tillåtna storlek är {_size(max_bytes)}. "
            "Dela upp tabellen eller ta bort kolumner som inte ska med.",
        )  # fmt: skip
    if _BLANK.fullmatch(data):
        return _failed(
            name, data, file_format, "Filen är tom. Välj en CSV- eller Excel-fil med en rubrikrad och värden."
        )
    if lower.endswith(".xls") or data.startswith(_OLE_MAGIC):
        return _failed(
            name, data, file_format,
            "Filen är i det gamla Excel-formatet (.xls), som inte stöds. Spara den som Excel-arbetsbok (.xlsx) "
            "eller som ”CSV UTF-8 (kommaavgränsad)”.",
        )  # fmt: skip
    if is_xlsx:
        return _parse_xlsx(name, data, text)
    if not lower.endswith((".csv", ".txt")):
        return _failed(name, data, file_format, "Filtypen stöds inte. Använd en .csv- eller .xlsx-fil.")
    if data.startswith(_ZIP_MAGIC):
        return _failed(
            name, data, file_format,
            "Filen ser ut att vara en Excel-fil men heter .csv. Ge den ändelsen .xlsx, eller spara den som CSV.",
        )  # fmt: skip
    return _parse_csv(name, data, text)


def _size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".", ",")
    if n >= 1024:
        return f"{n / 1024:.0f} kB"
    return f"{n} byte"


def _decode(data: bytes) -> tuple[str, str] | str:
    """The text and the encoding's name, or an error message naming the encodings tried."""
    if data.startswith(_UTF16_BOMS) or b"\x00" in data[:4096]:
        return (
            "Filen kunde inte läsas som text: den är varken UTF-8 eller Windows-1252 (den verkar vara sparad som "
            "UTF-16 eller vara en binärfil). Spara den som ”CSV UTF-8 (kommaavgränsad)” i Excel."
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8 med BOM"
        except UnicodeDecodeError as exc:
            return _undecodable(data[3:], exc.start, "UTF-8 (filen börjar med en UTF-8-BOM)")
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as exc:
        return _undecodable(data, exc.start, "UTF-8 eller Windows-1252")


def _undecodable(data: bytes, position: int, tried: str) -> str:
    line = data[:position].count(b"\n") + 1
    return (
        f"Filen kunde inte avkodas: byte 0x{data[position]:02X} på rad {line} är inget tecken i {tried}. "
        "Spara filen som ”CSV UTF-8 (kommaavgränsad)” i Excel och försök igen."
    )


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (";", "\t", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _parse_csv(name: str, data: bytes, text_cells: bool = False) -> ParsedTable:
    decoded = _decode(data)
    if isinstance(decoded, str):
        return _failed(name, data, "CSV", decoded)
    text, encoding = decoded
    delimiter = _delimiter(_first_line(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    collected = _collect(_csv_rows(reader), "CSV")
    if isinstance(collected, str):
        return _failed(name, data, "CSV", collected, encoding=encoding)
    return _check(name, data, "CSV", encoding, delimiter, *collected, as_text=text_cells)


def _first_line(text: str) -> str:
    """The first line with anything on it, without splitting the whole text into lines."""
    for line in io.StringIO(text, newline=""):
        if line.strip():
            return line
    return ""


class _Unreadable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _csv_rows(reader: Iterator[list[str]]) -> Iterator[list[str]]:
    """The reader's rows, its errors in Swedish with the row number (``csv.Error`` is English and has none)."""
    number = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            number += 1
            if "field larger than field limit" in str(exc):
                raise _Unreadable(
                    f"Rad {number}: en cell är längre än {csv.field_size_limit()} tecken (högst {MAX_CELL_CHARS} "
                    'går). Oftast beror det på ett citattecken (") som inte stängs, så att resten av filen blir en '
                    "enda cell. Kontrollera citattecknen på raden."
                ) from None
            raise _Unreadable(
                f"Rad {number} kunde inte läsas som CSV. Kontrollera citattecknen och avgränsaren på raden."
            ) from None
        number += 1
        yield row


_Collected = tuple[list[tuple[int, list[Any]]], dict[int, int]]


def _collect(rows: Iterable[Sequence[Any]], file_format: str) -> _Collected | str:
    """The numbered rows (cells beyond ``MAX_COLUMNS + 1`` dropped) and each row's width as written, or why
    the file is refused. Streaming: reading stops at the first row past a limit, so a file of a million rows
    costs as much as one just over the limit."""
    raw_rows: list[tuple[int, list[Any]]] = []
    widths: dict[int, int] = {}
    filled = 0
    try:
        for number, row in enumerate(rows, start=1):
            if number > MAX_LINES:
                return (
                    f"Filen har fler än {MAX_LINES} rader (tomma rader medräknade). Ta bort tomma rader under "
                    "tabellen eller dela upp filen."
                    if file_format == "CSV"
                    else f"Kalkylbladet har rader längre ned än rad {MAX_LINES} (även tomma rader med formatering "
                    "räknas). Ta bort raderna under tabellen, eller kopiera tabellen till ett nytt blad."
                )
            cells = [cell.strip() if isinstance(cell, str) else cell for cell in row[: MAX_COLUMNS + 1]]
            if any(cell is not None and cell != "" for cell in cells):
                filled += 1
                if filled > MAX_ROWS + 1:
                    return f"Filen har fler än {MAX_ROWS} rader med värden. Dela upp den eller sammanfatta den först."
            raw_rows.append((number, cells))
            widths[number] = len(row)
    except _Unreadable as unreadable:
        return unreadable.message
    return raw_rows, widths


def _parse_xlsx(name: str, data: bytes, text: bool = False) -> ParsedTable:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return _failed(
            name, data, "XLSX",
            "Filen är ingen giltig Excel-fil (.xlsx): den är inte en zip-fil, som en .xlsx-fil alltid är. "
            "Öppna den i Excel och spara som Excel-arbetsbok (.xlsx), eller som CSV.",
        )  # fmt: skip
    import openpyxl

    try:
        too_large = _xlsx_too_large(data)
        if too_large:
            return _failed(name, data, "XLSX", too_large)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    return _failed(name, data, "XLSX", "Excel-filen har inga kalkylblad.")
                sheet = workbook.worksheets[0]
                # Bounded both ways: openpyxl pads rows to the sheet's stated dimension (up to 16,384 columns)
                # and yields every missing row up to the next one, so both are capped here.
                rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, max_row=MAX_LINES + 1, values_only=True)
                collected = _collect(rows, "XLSX")
            finally:
                workbook.close()
    except (
        Exception
    ) as exc:  # openpyxl raises many kinds (KeyError, InvalidFileException, …) for broken files
        return _failed(
            name, data, "XLSX",
            f"Excel-filen kunde inte läsas ({type(exc).__name__}). Öppna den i Excel och spara den igen som "
            "Excel-arbetsbok (.xlsx), eller som CSV.",
        )  # fmt: skip
    if isinstance(collected, str):
        return _failed(name, data, "XLSX", collected)
    return _check(name, data, "XLSX", "", "", *collected, as_text=text)


_SHARED_STRING = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
_SHARED_STRINGS_TYPE = "sharedStrings+xml"


def _xlsx_too_large(data: bytes) -> str | None:
    """Why the workbook is too large to unpack, from the zip's directory and a count of its shared strings
    (a streaming byte scan, before openpyxl reads any of it), or None. zipfile never unpacks a part past the
    size the directory states, so the stated sizes bound the work."""
    refuse = "Excel-filen är för stor uppackad: {what}. Spara bara tabellen i en ny arbetsbok (.xlsx), eller som CSV."
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = archive.infolist()
        if len(parts) > MAX_XLSX_PARTS:
            return refuse.format(what=f"den har {len(parts)} delar, högst {MAX_XLSX_PARTS} går")
        expanded = sum(part.file_size for part in parts)
        if expanded > MAX_XLSX_EXPANDED:
            return refuse.format(
                what=f"den packas upp till {_size(expanded)}, högst {_size(MAX_XLSX_EXPANDED)} går"
            )
        count = sum(_count_shared_strings(archive, part) for part in _shared_string_parts(archive))
        if count > MAX_SHARED_STRINGS:
            return refuse.format(what=f"den har fler än {MAX_SHARED_STRINGS} olika texter, så många går inte")
    return None


def _shared_string_parts(archive: zipfile.ZipFile) -> set[str]:
    """The parts holding shared strings: the usual name, and whatever [Content_Types].xml names as such."""
    names = {part.filename for part in archive.infolist()}
    found = {name for name in names if name.lower().endswith("sharedstrings.xml")}
    if "[Content_Types].xml" in names and archive.getinfo("[Content_Types].xml").file_size <= 1024 * 1024:
        try:
            types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
        except ElementTree.ParseError:
            return found
        for override in types:
            if str(override.get("ContentType", "")).endswith(_SHARED_STRINGS_TYPE):
                part = str(override.get("PartName", "")).lstrip("/")
                if part in names:
                    found.add(part)
    return found


def _count_shared_strings(archive: zipfile.ZipFile, name: str) -> int:
    count, tail = 0, b""
    with archive.open(name) as part:
        while chunk := part.read(1024 * 1024):
            block = tail + chunk
            count += len(_SHARED_STRING.findall(block))
            tail = block[-16:]
            count -= len(_SHARED_STRING.findall(tail))  # counted again with the next block
            if count > MAX_SHARED_STRINGS:
                break
    return count + len(_SHARED_STRING.findall(tail))


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


def _date_label(value: Any) -> str:
    """A register's cell as text; an Excel date (a datetime at midnight) as its date alone: "2025-03-04"."""
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()
    return _label(value)


def _trim(cells: list[Any]) -> list[Any]:
    while cells and (cells[-1] is None or (isinstance(cells[-1], str) and not cells[-1].strip())):
        cells.pop()
    return cells


def _check(
    name: str,
    data: bytes,
    file_format: str,
    encoding: str,
    delimiter: str,
    raw_rows: list[tuple[int, list[Any]]],
    widths: dict[int, int],  # a row's cells as written, before trimming (a CSV row's separators)
    *,
    as_text: bool = False,  # keep every cell as text (a register), no numbers checked
) -> ParsedTable:
    errors = _Errors()
    rows = [(n, _trim(cells)) for n, cells in raw_rows]
    rows = [(n, cells) for n, cells in rows if cells]  # blank lines (e.g. Excel's trailing ones) are not rows
    if not rows:
        return _failed(
            name, data, file_format, "Filen är tom. Den behöver en rubrikrad och minst en rad med värden."
        )
    header_number, header_cells = rows[0]
    header = [_label(c) for c in header_cells]
    data_rows = rows[1:]
    for number, cells in rows:
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > MAX_CELL_CHARS:
                title = header[index] if index < len(header) and len(header[index]) <= MAX_CELL_CHARS else ""
                errors.add(
                    f"Rad {number}, kolumn {f'”{title}”' if title else index + 1}: cellen har {len(cell)} tecken, "
                    f"men högst {MAX_CELL_CHARS} går. Korta texten.",
                    row=number,
                    column=title or None,
                )
    if errors.count:
        return _result(name, data, file_format, encoding, delimiter, tuple(header), [], errors, 1)

    if len(header) > MAX_COLUMNS:
        errors.add(
            f"Filen har fler än {MAX_COLUMNS} kolumner. Ta bort kolumner som inte ska med i rapporten.",
            row=header_number,
        )
    if len(header) < 2:
        errors.add(
            "Rubrikraden har bara en kolumn. Tabellen behöver en första kolumn med namn (t.ex. skola eller grupp) "
            "och minst en kolumn med tal"
            + (
                "; kontrollera att värdena skiljs åt med semikolon eller komma."
                if file_format == "CSV"
                else "."
            ),
            row=header_number,
        )
    seen: dict[str, int] = {}
    for index, title in enumerate(header[:MAX_COLUMNS], start=1):
        if not title:
            errors.add(f"Rad {header_number}, kolumn {index}: kolumnen saknar rubrik.", row=header_number)
            continue
        key = title.casefold()
        if key in seen:
            errors.add(
                f"Rad {header_number}: kolumnrubriken ”{title}” finns två gånger (kolumn {seen[key]} och {index}). "
                "Varje kolumn behöver en egen rubrik.",
                row=header_number,
                column=title,
            )
        else:
            seen[key] = index
    if not data_rows:
        errors.add("Filen har bara en rubrikrad. Minst en rad med värden behövs.", row=header_number)
    if len(data_rows) > MAX_ROWS:
        errors.add(
            f"Filen har fler än {MAX_ROWS} rader med värden. Dela upp den eller sammanfatta den först.",
        )
    if errors.count:
        return _result(name, data, file_format, encoding, delimiter, tuple(header), [], errors, 1)

    width = len(header)
    parsed: list[list[Cell]] = []
    numbers: list[int] = []
    column_has_number = [False] * width
    column_text_cells: list[list[tuple[int, str]]] = [[] for _ in range(width)]
    for number, cells in data_rows:
        if len(cells) > width:
            count = f"fler än {MAX_COLUMNS}" if len(cells) > MAX_COLUMNS else str(len(cells))
            errors.add(
                f"Rad {number} har {count} kolumner, men rubrikraden har {width}. "
                + (
                    "Kontrollera avgränsaren och citattecken."
                    if file_format == "CSV"
                    else "Ta bort de extra värdena."
                ),
                row=number,
            )
            continue
        if file_format == "CSV" and widths[number] < width:
            errors.add(
                f"Rad {number} har {widths[number]} kolumner, men rubrikraden har {width}. Varje rad behöver "
                "lika många värden som rubrikraden; skriv .. (eller lämna cellen tom men behåll avgränsaren) "
                "där ett värde saknas.",
                row=number,
            )
            continue
        cells = cells + [None] * (width - len(cells))
        if as_text:
            parsed.append([_date_label(cell) for cell in cells])
            numbers.append(number)
            continue
        label = _label(cells[0])
        if not label:
            errors.add(
                f"Rad {number}, kolumn ”{header[0]}”: namnet saknas (första kolumnen ska ha ett namn på varje rad).",
                row=number,
                column=header[0],
            )
        row: list[Cell] = [label]
        for index in range(1, width):
            value, problem = _cell_value(cells[index])
            if problem is not None:
                column_text_cells[index].append((number, problem))
            elif value is not None:
                column_has_number[index] = True
            row.append(value)
        parsed.append(row)

    for index in range(1, width):
        bad = column_text_cells[index]
        if bad and not column_has_number[index]:
            errors.add(
                f"Kolumn ”{header[index]}” innehåller inga tal (t.ex. ”{bad[0][1]}” på rad {bad[0][0]}). Alla "
                "kolumner efter den första ska innehålla tal; ta bort textkolumner ur filen.",
                column=header[index],
            )
            continue
        for number, text in bad:
            errors.add(
                f"Rad {number}, kolumn ”{header[index]}”: ”{text}” är inget tal "
                "(skriv t.ex. 87,5 eller lämna cellen tom om värdet saknas).",
                row=number,
                column=header[index],
            )
    decimals = decimals_for(value for row in parsed for value in row[1:])
    result = _result(name, data, file_format, encoding, delimiter, tuple(header), parsed, errors, decimals)
    return replace(result, row_numbers=tuple(numbers)) if as_text else result


def _cell_value(cell: Any) -> tuple[float | None, str | None]:
    """(value, None) for a number or missing value; (None, shown text) for anything else."""
    if cell is None:
        return None, None
    if isinstance(cell, bool):
        return None, str(cell)
    if isinstance(cell, int | float):
        return (float(cell), None) if math.isfinite(cell) else (None, str(cell))
    if isinstance(cell, datetime | date | time):
        return None, cell.isoformat()
    text = str(cell).strip()
    try:
        value, _ = parse_number(text)
    except ValueError:
        return None, text
    return value, None


def _result(
    name: str, data: bytes, file_format: str, encoding: str, delimiter: str, columns: tuple[str, ...],
    rows: list[list[Cell]], errors: _Errors, decimals: int,
) -> ParsedTable:  # fmt: skip
    return ParsedTable(
        filename=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), file_format=file_format,
        encoding=encoding, delimiter=delimiter, columns=columns,
        rows=tuple(tuple(r) for r in rows),
        errors=tuple(errors.kept), error_count=errors.count, decimals=decimals,
    )  # fmt: skip
