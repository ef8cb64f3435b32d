"""Local-data files for the limit tests and bench/pathological.py: normal tables and pathological ones.

``xlsx_with`` saves a small workbook with openpyxl and replaces (or adds) parts of its zip, so a test can give
a real workbook a shared-strings part of a million entries or a sheet that states 16,384 columns.
"""

from __future__ import annotations

import io
import zipfile

import openpyxl


def csv_table(rows: int, columns: int = 5) -> bytes:
    """A good CSV: a header, ``rows`` schools and ``columns - 1`` columns of numbers with decimal commas."""
    header = "Skola;" + ";".join(f"Andel {i} (%)" for i in range(1, columns))
    lines = [
        f"Skola {r};" + ";".join(f"{(r * 7 + i) % 100},{i % 10}" for i in range(1, columns))
        for r in range(rows)
    ]
    return ("\n".join([header, *lines]) + "\n").encode()


def xlsx_table(rows: int, columns: int = 5) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Skola", *(f"Andel {i} (%)" for i in range(1, columns))])
    for r in range(rows):
        sheet.append([f"Skola {r}", *(float((r * 7 + i) % 100) + 0.5 for i in range(1, columns))])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_with(parts: dict[str, bytes], *, base: bytes | None = None) -> bytes:
    """``base`` (a small good workbook with a text cell) with ``parts`` replacing or added to its zip."""
    source = zipfile.ZipFile(io.BytesIO(base or xlsx_table(2)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename not in parts:
                target.writestr(info.filename, source.read(info.filename))
        for name, data in parts.items():
            target.writestr(name, data)
    return out.getvalue()


_SST = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'


def shared_strings(text: bytes, count: int = 1) -> bytes:
    """A shared-strings part of ``count`` entries, each ``text``."""
    return _SST + (b"<si><t>" + text + b"</t></si>") * count + b"</sst>"


_SHARED_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_TEXT_SHEET = (
    b'<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>Andel</t></is></c></row>'
    b'<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2"><v>1.5</v></c></row>'
)


def xlsx_shared(strings: bytes, rows_xml: bytes = _TEXT_SHEET) -> bytes:
    """A workbook whose cells A1 and A2 are shared string 0 of the shared-strings part ``strings``."""
    base = xlsx_table(2)
    types = zipfile.ZipFile(io.BytesIO(base)).read("[Content_Types].xml")
    override = b'<Override PartName="/xl/sharedStrings.xml" ContentType="' + _SHARED_TYPE + b'"/>'
    return xlsx_with(
        {
            "[Content_Types].xml": types.replace(b"</Types>", override + b"</Types>"),
            "xl/sharedStrings.xml": strings,
            "xl/worksheets/sheet1.xml": sheet(rows_xml),
        },
        base=base,
    )


def sheet(rows_xml: bytes, *, dimension: bytes = b"A1:B3") -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml'
        b'/2006/main"><dimension ref="'
        + dimension
        + b'"/><sheetData>'
        + rows_xml
        + b"</sheetData></worksheet>"
    )
