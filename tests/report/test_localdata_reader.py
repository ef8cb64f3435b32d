"""One reader of local data: the report folder (``read_csv``) and the web app's upload (``parse_upload``) accept
and refuse exactly the same files, and show a table with the same number of decimals."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from barnbokslut.localdata import decimals_for
from barnbokslut.report.localdata import LocalDataError, read_csv
from barnbokslut.web.localdata.importer import parse_upload
from barnbokslut.web.localdata.templatetags.localdata_tags import table_decimals

# The inputs on which the two readers used to disagree, and two on which they agreed.
# (name, bytes, the row an error names, or None when the file is good)
PARITY = [
    pytest.param("a.csv", "Skola;Andel\nNorr;—\nSöder;2\nVäst;–\n".encode(), None, id="em-dash-missing"),
    pytest.param("a.csv", "Skola\tAndel\tAntal\nNorr\t87,5\t120\nSöder\t..\t95\n".encode(), None, id="tab"),
    pytest.param(
        "a.csv", "Grupp;Andel\nFlickor i åk 9;81,5\nPojkar;76\n".encode("cp1252"), None, id="cp1252"
    ),
    pytest.param("a.csv", "Läsår;Åk 4–6;Åk 7–9\n2021/22;38;92\n2022/23;41\n".encode(), 3, id="short-row"),
    pytest.param("a.csv", "\ufeffSkola;Andel\nNorr;1\nSöder;2\n".encode(), None, id="bom"),
    pytest.param("a.csv", "Skola;Andel\nNorr;87,5\nSöder;91,25\n".encode(), None, id="decimal-comma"),
]


@pytest.mark.parametrize(("name", "data", "bad_row"), PARITY)
def test_folder_and_upload_read_the_same_bytes_the_same_way(
    tmp_path: Path, name: str, data: bytes, bad_row: int | None
) -> None:
    (tmp_path / name).write_bytes(data)
    uploaded = parse_upload(name, data)

    if bad_row is None:
        folder = read_csv(tmp_path / name, f"data/{name}")
        assert uploaded.ok, uploaded.errors
        assert folder.columns == uploaded.columns
        assert folder.categories == uploaded.labels
        assert folder.values == uploaded.values()
    else:
        with pytest.raises(LocalDataError) as caught:
            read_csv(tmp_path / name, f"data/{name}")
        assert not uploaded.ok
        assert [e.row for e in uploaded.errors] == [bad_row]
        assert str(caught.value).startswith(f"data/{name} rad {bad_row}")


def test_missing_values_stay_missing(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes("Skola;A;B;C\nNorr;—;..;\nSöder;-;–;0\n".encode())

    data = read_csv(tmp_path / "a.csv", "data/a.csv")

    assert data.values == ((None, None), (None, None), (None, 0.0))


def test_a_folder_error_names_the_file_the_row_and_the_column(tmp_path: Path) -> None:
    (tmp_path / "x.csv").write_bytes(b"Skola;Andel\nA;1\nB;2\nC;12,x\n")

    with pytest.raises(LocalDataError) as caught:
        read_csv(tmp_path / "x.csv", "data/x.csv")

    assert str(caught.value).startswith("data/x.csv rad 4, kolumn ”Andel”: ”12,x” är inget tal")


def test_several_errors_give_the_first_few_and_the_count(tmp_path: Path) -> None:
    rows = "".join(f"S{i};x{i}\n" for i in range(6))
    (tmp_path / "x.csv").write_bytes(f"Skola;Andel\nA;1\n{rows}".encode())

    with pytest.raises(LocalDataError) as caught:
        read_csv(tmp_path / "x.csv", "data/x.csv")

    message = str(caught.value)
    assert message.startswith("data/x.csv: 6 fel (de 3 första): rad 3, kolumn ”Andel”: ”x0” är inget tal")
    assert "rad 5, kolumn ”Andel”: ”x2”" in message and "x3" not in message
    assert message.endswith("; och 3 fel till.")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LocalDataError, match=r"^data/saknas\.csv: filen finns inte\.$"):
        read_csv(tmp_path / "saknas.csv", "data/saknas.csv")


def test_a_folder_reads_an_xlsx_file(tmp_path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in (["Skola", "Andel", "Antal"], ["Norr", 87.5, 120], ["Söder", None, 95], ["Väst", "..", None]):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    (tmp_path / "skolor.xlsx").write_bytes(buffer.getvalue())

    data = read_csv(tmp_path / "skolor.xlsx", "data/skolor.xlsx")

    assert data.columns == ("Skola", "Andel", "Antal")
    assert data.categories == ("Norr", "Söder", "Väst")
    assert data.values == ((87.5, None, None), (120.0, 95.0, None))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        pytest.param([87.5, 120.0, None], 1, id="one"),
        pytest.param([87.5, 91.25], 2, id="two"),
        pytest.param([1.0, 2, None], 0, id="whole-numbers"),
        pytest.param([0.1 + 0.2], 3, id="capped"),
        pytest.param([], 0, id="empty"),
        pytest.param(["Norr", True, float("inf")], 0, id="not-numbers"),
    ],
)
def test_decimals_for_counts_the_decimals_the_numbers_show(values: list[object], expected: int) -> None:
    assert decimals_for(values) == expected


def test_the_upload_preview_and_a_stored_table_use_the_same_decimals() -> None:
    parsed = parse_upload("a.csv", b"Skola;A;B\nN;87,50;1\nS;12,0;2\n")

    stored = [list(row) for row in parsed.rows]
    assert parsed.decimals == table_decimals(stored) == decimals_for([87.5, 12.0, 1.0, 2.0]) == 1
