"""The importer on its own (plain Python, no Django): numbers the Swedish way, missing values kept missing."""

from __future__ import annotations

import pytest

from barnbokslut.web.localdata.importer import parse_number, parse_upload


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("87,5", (87.5, 1), id="decimal-comma"),
        pytest.param("87.5", (87.5, 1), id="decimal-point"),
        pytest.param("1 234", (1234.0, 0), id="space-thousands"),
        pytest.param("1\u00a0234,25", (1234.25, 2), id="no-break-space-thousands"),
        pytest.param("12 %", (12.0, 0), id="percent-sign"),
        pytest.param("\u22123,5", (-3.5, 1), id="unicode-minus"),
        pytest.param("..", (None, 0), id="two-dots-missing"),
        pytest.param("", (None, 0), id="empty-missing"),
        pytest.param("-", (None, 0), id="dash-missing"),
    ],
)
def test_it_reads_numbers_as_swedish_files_write_them(text, expected):
    assert parse_number(text) == expected


@pytest.mark.parametrize("text", ["12,x", "1.234,5", "abc", "1,2,3"])
def test_it_rejects_text_that_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_number(text)


def test_empty_cells_stay_missing_and_are_never_zero():
    parsed = parse_upload("a.csv", b"Skola;A;B\nN;;..\nS;0;1\n")

    assert parsed.ok
    assert parsed.rows == (("N", None, None), ("S", 0.0, 1.0))


def test_blank_lines_at_the_end_are_not_rows():
    parsed = parse_upload("a.csv", b"Skola;A\r\nN;1\r\n\r\n;\r\n")

    assert parsed.ok and parsed.rows == (("N", 1.0),)


def test_a_file_over_max_bytes_is_refused_by_the_importer_too():
    parsed = parse_upload("a.csv", b"Skola;A\nN;1\n", max_bytes=5)

    assert not parsed.ok
    assert "största tillåtna storlek är 5 byte" in parsed.errors[0].message


def test_errors_carry_their_row_and_column():
    parsed = parse_upload("a.csv", b"Skola;Andel (%)\nA;1\nB;2\nC;12,x\n")

    (error,) = parsed.errors
    assert (error.row, error.column) == (4, "Andel (%)")
    assert error.message.startswith("Rad 4, kolumn ”Andel (%)”: ”12,x” är inget tal")
