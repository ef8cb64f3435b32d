"""Issue 12, rows 2, 9 and 10: the local-data reader's work is bounded by its limits, checked before the work.

XLSX: the unpacked size, the number of parts and of shared strings come from the zip before openpyxl reads
anything; a sheet that states 16,384 columns or a row a million lines down is read only up to the limits. CSV:
read as a stream that stops at the first row over the limit. A cell has at most ``MAX_CELL_CHARS`` characters.
Every refusal is one Swedish message naming what is wrong (and the row, where there is one); error lists are in
row order. Time bounds are ratios to a small good file (tests/pathology.py).
"""

from __future__ import annotations

import pytest

from barnbokslut.localdata.reader import (
    MAX_CELL_CHARS,
    MAX_ERRORS,
    MAX_ROWS,
    MAX_SHARED_STRINGS,
    MAX_XLSX_EXPANDED,
    parse_table,
)
from localdata_files import csv_table, shared_strings, sheet, xlsx_shared, xlsx_table, xlsx_with
from pathology import peak_memory, time_ratio

SMALL_XLSX = xlsx_table(100)
SMALL_CSV = csv_table(100)


def _refused(name: str, data: bytes, *words: str) -> str:
    parsed = parse_table(name, data)
    assert not parsed.ok
    message = parsed.errors[0].message
    for word in words:
        assert word in message, message
    return message


def test_a_million_shared_strings_are_refused_before_openpyxl_reads_them() -> None:
    data = xlsx_shared(shared_strings(b"a", 1_000_000))  # issue 12: 50 KB, 18 s
    assert len(data) < 100_000
    _refused("a.xlsx", data, "för stor uppackad", f"fler än {MAX_SHARED_STRINGS} olika texter")
    assert time_ratio(lambda: parse_table("a.xlsx", data), lambda: parse_table("a.xlsx", SMALL_XLSX)) < 30


def test_a_workbook_that_unpacks_past_the_limit_is_refused_from_the_zip_directory() -> None:
    data = xlsx_shared(shared_strings(b"a" * 50_000_000))  # issue 12: one 50 MB cell in 50 KB
    _refused("a.xlsx", data, "packas upp till 47,7 MB", "högst 32,0 MB")
    assert peak_memory(lambda: parse_table("a.xlsx", data)) < 5 * len(data) + 1_000_000


def test_a_long_cell_under_the_unpacked_limit_is_refused_with_its_row_and_length() -> None:
    text = b"a" * (MAX_XLSX_EXPANDED // 4)
    message = _refused(
        "a.xlsx", xlsx_shared(shared_strings(text)), "Rad 1, kolumn 1", f"högst {MAX_CELL_CHARS}"
    )
    assert f"{len(text)} tecken" in message


def test_a_sheet_stating_every_column_and_row_is_read_only_to_the_limits() -> None:
    rows = (
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>Skola</t></is></c><c r="B1"><v>1</v></c></row>'
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    )
    data = xlsx_with({"xl/worksheets/sheet1.xml": sheet(rows, dimension=b"A1:XFD1048576")})
    _refused("a.xlsx", data, "Kalkylbladet har rader längre ned än rad")
    assert time_ratio(lambda: parse_table("a.xlsx", data), lambda: parse_table("a.xlsx", SMALL_XLSX)) < 60
    assert peak_memory(lambda: parse_table("a.xlsx", data)) < 30_000_000


def _rows_with(third: bytes) -> bytes:
    """A header and 5,000 rows of a name, a number and a third cell at column ``third``."""
    head = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Skola</t></is></c><c r="B1"><v>0</v></c></row>'
    return head + b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>S%d</t></is></c><c r="B%d"><v>1</v></c>'
        b'<c r="%s%d"><v>1</v></c></row>' % (n, n, n, n, third, n)
        for n in range(2, 5002)
    )


def test_cells_at_the_last_column_cost_no_more_than_cells_next_door() -> None:
    # openpyxl pads each row to the column it is asked for (by default the sheet's stated 16,384): 5 times slower.
    far = xlsx_with({"xl/worksheets/sheet1.xml": sheet(_rows_with(b"XFD"), dimension=b"A1:XFD5001")})
    near = xlsx_with({"xl/worksheets/sheet1.xml": sheet(_rows_with(b"C"), dimension=b"A1:C5001")})
    assert time_ratio(lambda: parse_table("a.xlsx", far), lambda: parse_table("a.xlsx", near)) < 2.5


def test_a_csv_field_over_pythons_limit_gets_a_swedish_message_with_its_row() -> None:
    data = b'Skola;Andel\nNorr;1\n"' + b"a" * 200_000 + b";2\n"  # a quote never closed
    message = _refused("a.csv", data, "Rad 3:", "citattecken")
    assert "field larger" not in message


@pytest.mark.parametrize("name", ["a.csv", "a.xlsx"])
def test_a_label_over_the_cell_limit_is_refused(name: str) -> None:
    label = "N" * 131_000  # issue 12: a 131k-character CSV label made every preview take 14.6 s
    if name == "a.csv":
        data = f"Skola;Andel\n{label};1\nSöder;2\n".encode()
    else:
        data = xlsx_with(
            {
                "xl/worksheets/sheet1.xml": sheet(
                    b'<row r="1"><c r="A1" t="inlineStr"><is><t>Skola</t></is></c>'
                    b'<c r="B1" t="inlineStr"><is><t>Andel</t></is></c></row>'
                    b'<row r="2"><c r="A2" t="inlineStr"><is><t>' + label.encode() + b"</t></is></c>"
                    b'<c r="B2"><v>1</v></c></row>'
                )
            }
        )
    _refused(name, data, "Rad 2, kolumn ”Skola”", "131000 tecken", f"högst {MAX_CELL_CHARS} går")


def test_a_million_row_csv_is_refused_as_cheaply_as_one_just_over_the_limit() -> None:
    million = b"Skola;Andel\n" + b"a;1\n" * 1_000_000  # 4 MB, under the upload limit
    just_over = b"Skola;Andel\n" + b"a;1\n" * (MAX_ROWS + 1)
    _refused("a.csv", million, f"fler än {MAX_ROWS} rader med värden")
    assert time_ratio(lambda: parse_table("a.csv", million), lambda: parse_table("a.csv", just_over)) < 5
    assert peak_memory(lambda: parse_table("a.csv", million)) < 8 * len(million)


def test_a_million_blank_lines_stop_the_reading_too() -> None:
    data = b"Skola;Andel\na;1\n" + b"\n" * 1_000_000
    _refused("a.csv", data, "tomma rader medräknade")
    assert time_ratio(lambda: parse_table("a.csv", data), lambda: parse_table("a.csv", SMALL_CSV)) < 60


def test_errors_are_listed_in_row_order() -> None:
    # Row 4 is short (found while reading the rows); rows 2 and 3 have text in a number column (found after).
    data = "Skola;Andel;Antal\nNorr;x;1\nSöder;y;2\nVäst;3\nÖst;1;2\n".encode()
    parsed = parse_table("a.csv", data)
    assert [e.row for e in parsed.errors] == [2, 3, 4]


def test_the_errors_kept_are_the_first_rows() -> None:
    # Every other row has text where a number goes (found after reading); three short rows come last.
    rows = [f"Skola {n};{n};{'x' if n % 2 else n}" for n in range(3 * MAX_ERRORS)] + ["Sist"] * 3
    parsed = parse_table("a.csv", ("Skola;Andel;Antal\n" + "\n".join(rows) + "\n").encode())
    assert parsed.error_count == 3 * MAX_ERRORS // 2 + 3
    kept = [e.row for e in parsed.errors]
    assert kept == list(range(3, 2 * MAX_ERRORS + 3, 2))
