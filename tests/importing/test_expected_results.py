"""Last year's förväntade resultat on this year's follow-up rows, in the report folder: ``barnbokslut importera``
writes each development area's expected results on its ``[[uppfoljning]]`` row as ``förväntade_resultat``,
``bygg`` reads them back, and the report's follow-up table stays as the real reports have it (område, åtgärder,
status, kommentar: no expected results)."""

from __future__ import annotations

import html
import re
import tomllib
from pathlib import Path

import docx
import pytest
from import_examples import NOWHERE
from typer.testing import CliRunner

from barnbokslut.cli import app
from barnbokslut.report.build import write_report
from barnbokslut.report.folder import load_source, report_from_folder
from barnbokslut.report.html import render_html
from barnbokslut.report.source import ReportSourceError

#: Last year's report as plain text: two development areas with their expected results in a Markdown table.
LAST_YEAR = """# Barnbokslut 2024

## Inledning

Barnbokslutet visar hur förvaltningen arbetar med barnets rättigheter.

## Utvecklingsområden

| Utvecklingsområde | Åtgärder | Förväntade resultat |
|---|---|---|
| Trygghet i skolan (BOU) | Fler vuxna på rasterna | Fler elever känner sig trygga |
| Barns delaktighet (SVF) | Elevråd i alla skolor | Barn får säga sin mening |

## Förkortningar

BOU = Barn och unga

SVF = Stadsområde, välfärd och fritid
"""
EXPECTED = ["Fler elever känner sig trygga", "Barn får säga sin mening"]
CAPTION = "<caption>Förra årets utvecklingsområden, åtgärder och status</caption>"


def follow_up_table(page: str) -> tuple[list[str], list[list[str]]]:
    """The report page's follow-up table: its column headings and each row's cells, as text."""
    table = page.split(CAPTION, 1)[1].split("</table>", 1)[0]

    def text(fragment: str) -> str:
        return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())

    header = [text(cell) for cell in re.findall(r'<th scope="col">(.*?)</th>', table, re.S)]
    body = table.split("<tbody>", 1)[1]
    rows = [
        [text(cell) for cell in re.findall(r"<t[hd]\b[^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]
    return header, rows


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder ``barnbokslut importera liten-2024.txt --ut MAPP`` writes."""
    work = tmp_path_factory.mktemp("forvantade")
    source = work / "liten-2024.txt"
    source.write_text(LAST_YEAR, encoding="utf-8")
    target = work / "mapp"
    result = CliRunner().invoke(app, ["importera", str(source), "--ut", str(target)])
    assert result.exit_code == 0, result.output
    return target


def test_importera_writes_last_years_expected_results_on_the_follow_up_rows(imported: Path) -> None:
    settings = tomllib.loads((imported / "barnbokslut.toml").read_text(encoding="utf-8"))
    rows = settings["uppfoljning"]
    assert [row["område"] for row in rows] == ["Trygghet i skolan", "Barns delaktighet"]
    assert [row["förväntade_resultat"] for row in rows] == EXPECTED
    assert [[a["text"] for a in row["åtgärder"]] for row in rows] == [
        ["Fler vuxna på rasterna"],
        ["Elevråd i alla skolor"],
    ]


def test_bygg_reads_them_back(imported: Path) -> None:
    source = load_source(imported)  # what `barnbokslut bygg` reads
    got = [row.expected_results.plain if row.expected_results else "" for row in source.follow_up]
    assert got == EXPECTED


def test_the_reports_follow_up_table_has_no_expected_results(imported: Path, tmp_path: Path) -> None:
    # The statuses are this year's to write; with "Ej påbörjad" the rows are in the report's table.
    report = report_from_folder(imported, base_url=NOWHERE, cache=None)
    header, cells = follow_up_table(render_html(report))
    assert header == ["Utvecklingsområde", "Åtgärder", "Status", "Kommentar"]
    assert [row[0] for row in cells] == ["Trygghet i skolan (BOU)", "Barns delaktighet (SVF)"]
    assert not any(expected in cell for row in cells for cell in row for expected in EXPECTED)

    path = tmp_path / "rapport.docx"
    write_report(report, "docx", path)
    (table,) = [t for t in docx.Document(str(path)).tables if t.rows[0].cells[0].text == "Område"]
    assert [cell.text for cell in table.rows[0].cells] == [
        "Område",
        "Förvaltning",
        "Åtgärd",
        "Status",
        "Kommentar",
    ]
    words = [cell.text for row in table.rows for cell in row.cells]
    assert "Fler vuxna på rasterna" in words
    assert not any(expected in text for text in words for expected in EXPECTED)


def test_expected_results_that_are_not_text_are_refused_naming_the_row(
    imported: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "fel"
    folder.mkdir()
    settings = (imported / "barnbokslut.toml").read_text(encoding="utf-8")
    broken = settings.replace(
        '"förväntade_resultat" = "Barn får säga sin mening"', '"förväntade_resultat" = 3'
    )
    assert broken != settings
    (folder / "barnbokslut.toml").write_text(broken, encoding="utf-8")
    with pytest.raises(ReportSourceError) as error:
        load_source(folder)
    assert "[[uppfoljning]] nr 2" in str(error.value)
    assert "fält ”förväntade_resultat”: ska vara en text inom citattecken" in str(error.value)
