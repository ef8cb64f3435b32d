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
import io
import math
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

__all__ = [
    "MAX_COLUMNS",
    "MAX_DECIMALS",
    "MAX_ERRORS",
    "MAX_ROWS",
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

_MISSING = {"", "..", "-", "–", "—"}
_SPACES = re.compile(r"[\s\u00a0\u202f]")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
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
    def __init__(self) -> None:
        self.kept: list[TableError] = []
        self.count = 0

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.count += 1
        if len(self.kept) < MAX_ERRORS:
            self.kept.append(TableError(message, row, column))


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


def parse_table(name: str, data: bytes, *, max_bytes: int | None = None) -> ParsedTable:
    """Parse ``data`` (the bytes of the file called ``name``; its ending decides CSV or XLSX), saving nothing."""
    lower = name.lower()
    is_xlsx = lower.endswith((".xlsx", ".xlsm"))
    file_format = "XLSX" if is_xlsx else "CSV"
    if max_bytes is not None and len(data) > max_bytes:
        return _failed(
            name, data, file_format,
            f"Filen är {_size(len(data))}, men största tillåtna storlek är {_size(max_bytes)}. "
            "Dela upp tabellen eller ta bort kolumner som inte ska med.",
        )  # fmt: skip
    if not data.strip() or data.strip() == b"\xef\xbb\xbf":
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
        return _parse_xlsx(name, data)
    if not lower.endswith((".csv", ".txt")):
        return _failed(name, data, file_format, "Filtypen stöds inte. Använd en .csv- eller .xlsx-fil.")
    if data.startswith(_ZIP_MAGIC):
        return _failed(
            name, data, file_format,
            "Filen ser ut att vara en Excel-fil men heter .csv. Ge den ändelsen .xlsx, eller spara den som CSV.",
        )  # fmt: skip
    return _parse_csv(name, data)


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


def _parse_csv(name: str, data: bytes) -> ParsedTable:
    decoded = _decode(data)
    if isinstance(decoded, str):
        return _failed(name, data, "CSV", decoded)
    text, encoding = decoded
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = _delimiter(first_line)
    try:
        raw_rows = [
            (number, [cell.strip() for cell in row])
            for number, row in enumerate(
                csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1
            )
        ]
    except csv.Error as exc:
        return _failed(name, data, "CSV", f"Filen kunde inte läsas som CSV: {exc}.", encoding=encoding)
    return _check(name, data, "CSV", encoding, delimiter, raw_rows)


def _parse_xlsx(name: str, data: bytes) -> ParsedTable:
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return _failed(
            name, data, "XLSX",
            "Filen är ingen giltig Excel-fil (.xlsx): den är inte en zip-fil, som en .xlsx-fil alltid är. "
            "Öppna den i Excel och spara som Excel-arbetsbok (.xlsx), eller som CSV.",
        )  # fmt: skip
    import openpyxl

    raw_rows: list[tuple[int, list[Any]]] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                if not workbook.worksheets:
                    return _failed(name, data, "XLSX", "Excel-filen har inga kalkylblad.")
                sheet = workbook.worksheets[0]
                for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
                    raw_rows.append((number, list(row[: MAX_COLUMNS + 1])))
                    if (
                        len(raw_rows) > MAX_ROWS + 1 + 1000
                    ):  # blank rows are dropped later; stop at some point
                        break
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
    return _check(name, data, "XLSX", "", "", raw_rows)


def _label(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return str(value).strip()


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
) -> ParsedTable:
    errors = _Errors()
    widths = {n: len(cells) for n, cells in raw_rows}  # a CSV row's cells as written, before trimming
    rows = [(n, _trim(list(cells))) for n, cells in raw_rows]
    rows = [(n, cells) for n, cells in rows if cells]  # blank lines (e.g. Excel's trailing ones) are not rows
    if not rows:
        return _failed(
            name, data, file_format, "Filen är tom. Den behöver en rubrikrad och minst en rad med värden."
        )
    header_number, header_cells = rows[0]
    header = [_label(c) for c in header_cells]
    data_rows = rows[1:]

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
    column_has_number = [False] * width
    column_text_cells: list[list[tuple[int, str]]] = [[] for _ in range(width)]
    for number, cells in data_rows:
        if len(cells) > width:
            errors.add(
                f"Rad {number} har {len(cells)} kolumner, men rubrikraden har {width}. "
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
    return _result(name, data, file_format, encoding, delimiter, tuple(header), parsed, errors, decimals)


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
