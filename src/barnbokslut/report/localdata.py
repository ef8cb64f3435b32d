"""Local figures for the report: a CSV or XLSX file from the folder turned into a table and a chart.

The file is read by the one local-data reader, ``barnbokslut.localdata`` (the same as the web app's upload), so a
folder accepts exactly what an upload accepts: a header row, a first column naming the category (a school, a
mother tongue, a year) and columns of numbers; CSV in UTF-8 (with or without BOM) or Windows-1252, separated by
";", "," or tab, decimal comma or point; or the first sheet of an .xlsx file. "..", "-", "–", "—" or an empty cell
is a missing value (shown as "..", never 0).

Small numbers about children are not shown (``barnbokslut.localdata.suppression``, the same rule for every local
table): in a column headed "Antal …" a count below the threshold (default 5) is shown as "–", and when the last
row is a total ("Totalt", "Summa", "Samtliga", "Alla") more counts are hidden so none can be worked out from it;
a row whose "Antal svar" is below the threshold shows "–" in all its columns. The table's source line says why.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from barnbokslut.localdata import ParsedTable, TableError, decimals_for, parse_table
from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD, HIDDEN_NOTE, suppress
from barnbokslut.numbers import format_value
from barnbokslut.report.model import Cell, Chart, ChartKind, LocalDataItem, Series, Table, Text

__all__ = ["CsvData", "LocalDataError", "decimals_for", "hidden_in_report", "local_item", "read_csv"]

#: A value column of counts ("Antal elever", "Antal svar"); the base of a row's shares ("Antal svar").
COUNT_COLUMN = re.compile(r"^\s*antal\b", re.IGNORECASE)
ANSWERS_COLUMN = re.compile(r"^\s*antal\s+(svar|svarande)\b", re.IGNORECASE)
#: A last row with one of these labels holds the columns' totals.
TOTAL_LABELS = {"totalt", "summa", "samtliga", "alla", "total"}

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
    threshold: int = DEFAULT_THRESHOLD,
) -> LocalDataItem:
    """The table (always) and the chart (unless ``kind`` is None) for one CSV file."""
    data, hidden = suppressed(data, threshold)
    source = f"Egen uppgift, fil {file}" + (" (Exempeldata)" if is_example else "")
    if hidden:
        source += ". " + HIDDEN_NOTE.format(threshold=threshold)
    rows = tuple(
        (
            Cell(cat),
            *(
                Cell("–" if (i, c) in hidden else format_value(col[i], unit, decimals=decimals), numeric=True)
                for c, col in enumerate(data.values)
            ),
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


def hidden_in_report(
    columns: Sequence[str], rows: Sequence[Sequence[object]], threshold: int
) -> set[tuple[int, int]]:
    """The cells of a stored table (rows of label, then numbers or None) the report shows as "–", as (row, cell)
    with cell 1 the first value: what an upload's preview and a table's page mark before anything is published."""
    values = tuple(
        tuple(float(value) if isinstance(value, int | float) else None for value in (row[c] for row in rows))
        for c in range(1, len(columns))
    )
    data = CsvData(tuple(columns), tuple(str(row[0]) for row in rows), values)
    return {(r, c + 1) for r, c in suppressed(data, threshold)[1]}


def suppressed(data: CsvData, threshold: int) -> tuple[CsvData, set[tuple[int, int]]]:
    """``data`` with its small counts taken out (None) and the hidden cells as (row, value column) pairs.

    The chart and its description get the same values as the table, so nothing hidden in one is shown in the
    other.
    """
    names = data.columns[1:]
    count_columns = [c for c, name in enumerate(names) if COUNT_COLUMN.match(name)]
    answers = next((c for c, name in enumerate(names) if ANSWERS_COLUMN.match(name)), None)
    hidden: set[tuple[int, int]] = set()
    rows = len(data.categories)
    with_total = rows > 1 and data.categories[-1].strip().lower() in TOTAL_LABELS
    body = rows - 1 if with_total else rows
    if count_columns:
        counts = [[_count(data.values[c][r]) for c in count_columns] for r in range(body)]
        result = suppress(counts, threshold=threshold, totals=with_total)
        hidden |= {(r, count_columns[k]) for r, k in result.hidden}
        if with_total:
            hidden |= {(rows - 1, count_columns[k]) for k in result.hidden_column_totals}
    if answers is not None:
        for r in range(rows):
            base = data.values[answers][r]
            if (base is not None and 0 < base < threshold) or (r, answers) in hidden:
                hidden |= {(r, c) for c in range(len(names))}
    if not hidden:
        return data, hidden
    values = tuple(
        tuple(None if (r, c) in hidden else value for r, value in enumerate(column))
        for c, column in enumerate(data.values)
    )
    return CsvData(data.columns, data.categories, values), hidden


def _count(value: float | None) -> int | None:
    """A count as an integer; a value that is not a whole number is no count and is never hidden as one."""
    return int(value) if value is not None and float(value).is_integer() else None


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
