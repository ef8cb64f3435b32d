"""Local figures for the report: a CSV file from the folder turned into a table and a chart.

A CSV file has a header row; the first column names the category (a school, a mother tongue, a year) and the
other columns hold numbers. Separator ";" or ","; decimal comma or point; ".." or an empty cell is a missing
value (shown as "..", never 0). Files are read as UTF-8 (with or without BOM, as Excel writes it).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from barnbokslut.numbers import MISSING, format_value
from barnbokslut.report.model import Cell, Chart, ChartKind, LocalDataItem, Series, Table, Text

__all__ = ["CsvData", "LocalDataError", "local_item", "read_csv"]


class LocalDataError(ValueError):
    """A CSV file that cannot be read; the message names the file, the row and the column."""


@dataclass(frozen=True)
class CsvData:
    columns: tuple[str, ...]
    categories: tuple[str, ...]
    values: tuple[tuple[float | None, ...], ...]  # one tuple per value column


def _number(text: str, where: str) -> float | None:
    cleaned = text.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace("%", "")
    if cleaned in ("", MISSING, "-", "–"):
        return None
    try:
        return float(cleaned.replace(",", ".").replace("\u2212", "-"))
    except ValueError:
        raise LocalDataError(
            f"{where}: ”{text.strip()}” är inget tal (skriv t.ex. 87,5 eller .. om det saknas)."
        ) from None


def read_csv(path: Path, label: str) -> CsvData:
    """Read ``path`` (shown to the user as ``label``) into columns of numbers."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LocalDataError(f"{label}: filen finns inte.") from None
    except UnicodeDecodeError:
        raise LocalDataError(
            f"{label}: filen är inte sparad som UTF-8 (spara som ”CSV UTF-8” i Excel)."
        ) from None
    first = raw.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    rows = [row for row in csv.reader(io.StringIO(raw), delimiter=delimiter) if any(c.strip() for c in row)]
    if len(rows) < 2:
        raise LocalDataError(f"{label}: filen behöver en rubrikrad och minst en rad med värden.")
    header = tuple(c.strip() for c in rows[0])
    if len(header) < 2 or any(not c for c in header):
        raise LocalDataError(
            f"{label} rad 1: rubrikraden behöver minst två kolumner och alla behöver ett namn."
        )
    categories: list[str] = []
    columns: list[list[float | None]] = [[] for _ in header[1:]]
    for number, row in enumerate(rows[1:], start=2):
        if len(row) != len(header):
            raise LocalDataError(
                f"{label} rad {number}: {len(row)} kolumner, men rubrikraden har {len(header)}."
            )
        categories.append(row[0].strip())
        for index, cell in enumerate(row[1:]):
            columns[index].append(_number(cell, f"{label} rad {number}, kolumn ”{header[index + 1]}”"))
    return CsvData(header, tuple(categories), tuple(tuple(c) for c in columns))


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
