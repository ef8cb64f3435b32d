"""Local figures for the report: a CSV or XLSX file from the folder turned into a table and a chart.

The file is read by the one local-data reader, ``barnbokslut.localdata`` (the same as the web app's upload), so a
folder accepts exactly what an upload accepts: a header row, a first column naming the category (a school, a
mother tongue, a year) and columns of numbers; CSV in UTF-8 (with or without BOM) or Windows-1252, separated by
";", "," or tab, decimal comma or point; or the first sheet of an .xlsx file. "..", "-", "–", "—" or an empty cell
is a missing value (shown as "..", never 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from barnbokslut.localdata import ParsedTable, TableError, decimals_for, parse_table
from barnbokslut.numbers import format_value
from barnbokslut.report.model import Cell, Chart, ChartKind, LocalDataItem, Series, Table, Text

__all__ = ["CsvData", "LocalDataError", "decimals_for", "local_item", "read_csv"]

#: When a file has several errors, the message shows this many of them and counts the rest.
SHOWN_ERRORS = 3


class LocalDataError(ValueError):
    """A local-data file that cannot be read; the message names the file, the row and the column."""


@dataclass(frozen=True)
class CsvData:
    columns: tuple[str, ...]
    categories: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # one tuple per value column


def read_csv(path: Path, label: str) -> CsvData:
    """Read ``path`` (a .csv or .xlsx file, shown to the user as ``label``) into columns of numbers.

    Raises ``LocalDataError`` naming the file, the row and the column (the first few errors and their count).
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LocalDataError(f"{label}: filen finns inte.") from None
    except OSError as exc:
        raise LocalDataError(f"{label}: filen kunde inte läsas ({exc.strerror or exc}).") from None
    parsed = parse_table(path.name, data)
    if not parsed.ok:
        raise LocalDataError(_message(label, parsed))
    return CsvData(parsed.columns, parsed.labels, parsed.values())


def _message(label: str, parsed: ParsedTable) -> str:
    """One message for a file's errors: "data/x.csv rad 4, kolumn ”Andel”: …", or the first few and the count."""
    errors = parsed.errors
    if not errors:
        return f"{label}: filen behöver en rubrikrad och minst en rad med värden."
    if parsed.error_count == 1:
        return _located(label, errors[0])
    shown = [_where(error).rstrip(".") for error in errors[:SHOWN_ERRORS]]
    rest = parsed.error_count - len(shown)
    heading = f"{label}: {parsed.error_count} fel" + (f" (de {len(shown)} första)" if rest else "")
    return f"{heading}: " + "; ".join(shown) + (f"; och {rest} fel till." if rest else ".")


def _where(error: TableError) -> str:
    """The reader's message with "Rad 4, …" as "rad 4, …", to follow a file name."""
    message = error.message
    return "r" + message[1:] if message.startswith("Rad ") else message


def _located(label: str, error: TableError) -> str:
    where = _where(error)
    return f"{label} {where}" if where.startswith("rad ") else f"{label}: {where}"


def local_item(
    *,
    title: str,
    anchor: str,
    data: CsvData,
    file: str,
    kind: ChartKind | None,
    unit: str,
    decimals: int,
    text: Text | None,
    is_example: bool,
) -> LocalDataItem:
    """The table (always) and the chart (unless ``kind`` is None) for one CSV file."""
    source = f"Egen uppgift, fil {file}" + (" (Exempeldata)" if is_example else "")
    rows = tuple(
        (
            Cell(cat),
            *(Cell(format_value(col[i], unit, decimals=decimals), numeric=True) for col in data.values),
        )
        for i, cat in enumerate(data.categories)
    )
    table = Table(caption=title, columns=data.columns, rows=rows, source=source)
    chart = None
    if kind is not None:
        series = tuple(
            Series(name, values) for name, values in zip(data.columns[1:], data.values, strict=True)
        )
        chart = Chart(
            id=f"diagram-{anchor}",
            title=title,
            kind=kind,
            categories=data.categories,
            series=series,
            unit=unit,
            alt=_alt(title, kind, data),
            description=_description(data, unit, decimals),
            table=table,
            source=source,
            decimals=decimals,
            y_max=100.0 if unit == "%" else None,
        )
    return LocalDataItem(
        title=title, anchor=anchor, text=text, table=table, chart=chart, source=source, file=file
    )


def _alt(title: str, kind: ChartKind, data: CsvData) -> str:
    what = "Stapeldiagram" if kind is ChartKind.BAR else "Linjediagram"
    return f"{what}: {title}, {len(data.categories)} {data.columns[0].lower()} och {len(data.values)} serier."


def _description(data: CsvData, unit: str, decimals: int) -> str:
    parts = []
    for name, values in zip(data.columns[1:], data.values, strict=True):
        known = [(c, v) for c, v in zip(data.categories, values, strict=True) if v is not None]
        if not known:
            parts.append(f"{name}: inga värden.")
            continue
        high = max(known, key=lambda cv: cv[1])
        low = min(known, key=lambda cv: cv[1])
        missing = len(values) - len(known)
        text = (
            f"{name}: högst {format_value(high[1], unit, decimals=decimals)} ({high[0]}), "
            f"lägst {format_value(low[1], unit, decimals=decimals)} ({low[0]})"
        )
        parts.append(text + (f", {missing} saknas." if missing else "."))
    return " ".join(parts)
