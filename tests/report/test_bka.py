"""The register of barnkonsekvensanalyser (BKA): shares worked out by hand, the suggestion when a share falls,
small numbers of decisions, bad input named by file, row and column, and the part in HTML, DOCX and PDF."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from barnbokslut.report.bka import BkaError, parse_register
from barnbokslut.report.docx import write_docx
from barnbokslut.report.folder import load_source, report_from_folder
from barnbokslut.report.html import render_html
from barnbokslut.report.model import Report
from barnbokslut.report.pdf import write_pdf
from barnbokslut.report.source import ReportSourceError, build_report

FILE = "data/barnkonsekvensanalyser.csv"
P = "\u00a0%"  # Babel's Swedish percent: a no-break space before the sign

SETTINGS = """
[rapport]
organisation = "Förvaltningen Test"
"år" = 2025
{extra}

[[verksamhet]]
namn = "Barn och utbildning"
"förkortning" = "BOU"

[[verksamhet]]
namn = "Fritid"
"förkortning" = "FOR"
"""

HEADER = (
    "diarienummer;enhet;datum;beslut;analys;berörda_barn;artiklar;kunskap;barn_hörda;hur_hörda;antal_hörda;"
    "åldrar;avvägning;utfall;kompenserande_åtgärder;status"
)

# BOU 2024, five decisions:
#   analys: fullständig, snabb, snabb, ingen, fullständig  → 4 with a BKA of 5 = 80 %
#   barn_hörda: ja, ja, nej, nej, nej                      → 2 of 5 = 40 %
#   utfall: för, mot (with measures), mot (without), neutral, för → 2 against: 1 with, 1 without
# BOU 2025, four decisions:
#   analys: snabb, ingen, ingen, fullständig               → 2 of 4 = 50 %
#   barn_hörda: ja, nej, nej, nej                          → 1 of 4 = 25 %
#   utfall: för, mot (without), neutral, mot (with)        → 2 against: 1 with, 1 without
# FOR 2025, one decision (fullständig, ja, för)            → 1 decision: below sma_tal 3, shares "–"
# Totalt 2024 = BOU 2024: 80 %, 40 %.
# Totalt 2025: 5 decisions, 3 with a BKA = 60 %, 2 heard = 40 %; 2 against: 1 with, 1 without.
# Falls from 2024 to 2025: BOU BKA 80 → 50, BOU heard 40 → 25, Totalt BKA 80 → 60; Totalt heard 40 → 40 stays.
ROWS = """\
BOU 2024/1;BOU;2024-02-01;Beslut A;fullständig;Elever;3, 12;Enkät;ja;Samtal;6;10–12;Vägt;för barnets bästa;;beslutad
BOU 2024/2;BOU;2024-03-01;Beslut B;snabb;Elever;3;;ja;Elevråd;4;13–15;Vägt;mot barnets bästa;Skolskjuts;beslutad
BOU 2024/3;BOU;2024-04-01;Beslut C;snabb;Elever;3;;nej;;;;Vägt;mot barnets bästa;;beslutad
BOU 2024/4;BOU;2024-05-01;Beslut D;ingen;;;;nej;;;;;neutral;;beslutad
BOU 2024/5;BOU;2024-06-01;Beslut E;fullständig;Elever;2;;nej;;;;Vägt;för barnets bästa;;beslutad
BOU 2025/1;BOU;2025-02-01;Beslut F;snabb;Elever;3;;ja;Samtal;3;8–9;Vägt;för barnets bästa;;beslutad
BOU 2025/2;BOU;2025-03-01;Beslut G;ingen;;;;nej;;;;;mot barnets bästa;;beslutad
BOU 2025/3;BOU;2025-04-01;Beslut H;ingen;;;;nej;;;;;neutral;;pågår
BOU 2025/4;BOU;2025-05-01;Beslut I;fullständig;Elever;3, 28;;nej;;;;Vägt;mot barnets bästa;Extra stöd;beslutad
FOR 2025/1;FOR;2025-06-01;Beslut J;fullständig;Unga;31;;ja;Dialog;12;13–18;Vägt;för barnets bästa;;beslutad
"""


def _folder(tmp_path: Path, rows: str = ROWS, *, extra: str = "sma_tal = 3", header: str = HEADER) -> Path:
    folder = tmp_path / "mapp"
    (folder / "data").mkdir(parents=True)
    (folder / "barnbokslut.toml").write_text(SETTINGS.format(extra=extra), encoding="utf-8")
    (folder / FILE).write_text(header + "\n" + rows, encoding="utf-8")
    return folder


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return report_from_folder(_folder(tmp_path))


def _rows(table) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {row[0].text: [c.text for c in row[1:]] for row in table.rows}


def test_the_counts_and_shares_per_unit_and_year_are_the_hand_computed_ones(report: Report) -> None:
    bka = report.bka
    assert bka is not None and bka.years == (2024, 2025)
    y2024, y2025 = (_rows(t) for t in bka.tables)
    # decisions, with BKA, share, heard, share, against, with measures, without
    assert y2024["BOU"] == ["5", "4", f"80{P}", "2", f"40{P}", "2", "1", "1"]
    assert y2024["Totalt"] == ["5", "4", f"80{P}", "2", f"40{P}", "2", "1", "1"]
    assert y2025["BOU"] == ["4", "2", f"50{P}", "1", f"25{P}", "2", "1", "1"]
    assert y2025["FOR"] == ["1", "1", "–", "1", "–", "0", "0", "0"]  # 1 decision < sma_tal 3
    assert y2025["Totalt"] == ["5", "3", f"60{P}", "2", f"40{P}", "2", "1", "1"]
    assert bka.tables[0].source == f"Källa: egen sammanställning av {FILE}"  # nothing hidden in 2024
    assert (
        bka.tables[1].source
        == f"Källa: egen sammanställning av {FILE}. – visas där andelen bygger på färre än 3 beslut"
    )
    assert bka.comparison is not None
    comparison = _rows(bka.comparison)
    assert comparison["BOU"] == [f"80{P}", f"50{P}", f"40{P}", f"25{P}"]
    assert comparison["FOR"] == ["..", "–", "..", "–"]  # no decisions in 2024; too few in 2025
    assert bka.source == f"Källa: egen sammanställning av {FILE}"
    assert bka.comparison.source == bka.tables[1].source


def test_a_falling_share_gives_a_development_area_suggestion(report: Report) -> None:
    assert report.bka is not None
    suggestions = report.bka.suggestions
    assert len(suggestions) == 3, suggestions
    bou_bka, bou_heard, total_bka = suggestions
    assert bou_bka.startswith(
        f"Andelen beslut med barnkonsekvensanalys sjönk från 80{P} (2024) till 50{P} (2025) "
        "i BOU (Barn och utbildning). Förslag: "
    )
    assert bou_heard.startswith(
        f"Andelen beslut där barn hördes sjönk från 40{P} (2024) till 25{P} (2025) i BOU"
    )
    assert total_bka.startswith(
        f"Andelen beslut med barnkonsekvensanalys sjönk från 80{P} (2024) till 60{P} (2025) totalt"
    )
    assert not any("hördes" in s and "totalt" in s for s in suggestions)  # 40 % → 40 % did not fall


def test_shares_of_fewer_decisions_than_the_default_threshold_are_not_shown_or_compared(
    tmp_path: Path,
) -> None:
    report = report_from_folder(_folder(tmp_path, extra=""))  # sma_tal 5: BOU 2025 has 4 decisions
    assert report.bka is not None
    y2025 = _rows(report.bka.tables[1])
    assert y2025["BOU"] == ["4", "2", "–", "1", "–", "2", "1", "1"]
    assert y2025["Totalt"][2] == f"60{P}"
    assert [s for s in report.bka.suggestions if "BOU" in s] == []
    assert report.bka.tables[1].source.endswith("– visas där andelen bygger på färre än 5 beslut")


def test_the_part_is_in_the_html_with_its_source_line_and_no_kolada(report: Report) -> None:
    html = render_html(report)
    start = html.index('class="avsnitt avsnitt--barnkonsekvensanalyser')
    part = html[start : html.index("</section>", start)]
    assert re.search(r"<h3 id=\"barnkonsekvensanalyser\">.*Barnkonsekvensanalyser</h3>", part)
    assert "<caption>Barnkonsekvensanalyser 2025</caption>" in part
    assert f'<td class="tal">50{P}</td>' in part
    assert f"Källa: egen sammanställning av {FILE}" in part
    assert "Kolada" not in part
    assert "Förslag till utvecklingsområden" in part
    assert f"Egen sammanställning av {FILE}" in [s.text for s in report.sources]


def test_the_part_is_in_the_word_document(report: Report, tmp_path: Path) -> None:
    document = Document(str(write_docx(report, tmp_path / "r.docx")))
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    bou_2025 = ["BOU", "4", "2", f"50{P}", "1", f"25{P}", "2", "1", "1"]
    assert any(bou_2025 in rows for rows in tables), tables
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Barnkonsekvensanalyser 2024" in text
    assert f"sjönk från 80{P} (2024) till 50{P} (2025) i BOU" in text
    assert f"Källa: egen sammanställning av {FILE}" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils saknas")
def test_the_part_is_in_the_pdf(report: Report, tmp_path: Path) -> None:
    path = write_pdf(report, tmp_path / "r.pdf", archival=False)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "Barnkonsekvensanalyser 2025" in flat
    assert "Förslag till utvecklingsområden" in flat
    assert f"egen sammanställning av {FILE}" in flat
    assert re.search(r"sjönk från 80\s%\s\(2024\) till 50\s%", flat), flat[-3000:]


def test_without_a_register_there_is_no_part(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    (folder / FILE).unlink()
    report = report_from_folder(folder)
    assert report.bka is None
    assert "barnkonsekvensanalyser" not in report.kinds()
    assert "avsnitt--barnkonsekvensanalyser" not in render_html(report)


def test_the_part_is_in_the_example_report(example_report: Report) -> None:
    assert "barnkonsekvensanalyser" in example_report.kinds()
    assert example_report.bka is not None
    assert example_report.bka.source.endswith("(Exempeldata)")
    assert len(example_report.bka.years) == 2


def _problems(tmp_path: Path, rows: str, **kwargs: str) -> list[str]:
    with pytest.raises(ReportSourceError) as caught:
        load_source(_folder(tmp_path, rows, **kwargs))
    return caught.value.problems


def test_bad_rows_are_named_by_file_row_and_column_and_nothing_is_built(tmp_path: Path) -> None:
    rows = ROWS.replace("BOU 2024/2;BOU;", "BOU 2024/2;XYZ;").replace("2024-04-01", "2024-13-01")
    rows = rows.replace("Beslut D;ingen", "Beslut D;kanske").replace(
        "Beslut E;fullständig;Elever;2;;nej", "Beslut E;fullständig;Elever;2;;kanske"
    )
    problems = _problems(tmp_path, rows)
    assert problems == [
        f"{FILE}, rad 3, kolumn ”enhet”: okänd verksamhet ”XYZ”; välj en förkortning ur [[verksamhet]]: BOU, FOR.",
        f"{FILE}, rad 4, kolumn ”datum”: ”2024-13-01” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.",
        f"{FILE}, rad 5, kolumn ”analys”: okänt värde ”kanske”; välj snabb, fullständig eller ingen.",
        f"{FILE}, rad 6, kolumn ”barn_hörda”: okänt värde ”kanske”; välj ja eller nej.",
    ]


def test_a_bad_outcome_article_count_or_empty_required_value_is_named(tmp_path: Path) -> None:
    rows = (
        ROWS.replace("Vägt;för barnets bästa;;beslutad\nBOU 2024/2", "Vägt;kanske;;beslutad\nBOU 2024/2")
        .replace("Elever;3;;ja;Elevråd;4", "Elever;3, 99;;ja;Elevråd;fyra")
        .replace("2024-04-01;Beslut C", "2024-04-01;")
    )
    problems = _problems(tmp_path, rows)
    assert problems == [
        f"{FILE}, rad 2, kolumn ”utfall”: okänt värde ”kanske”; "
        "välj för barnets bästa, mot barnets bästa eller neutral.",
        f"{FILE}, rad 3, kolumn ”artiklar”: ”99” är ingen artikel i barnkonventionen (1–54); skriv t.ex. 3, 12.",
        f"{FILE}, rad 3, kolumn ”antal_hörda”: ”fyra” är inget antal; skriv ett heltal, t.ex. 4, eller lämna tomt.",
        f"{FILE}, rad 4, kolumn ”beslut”: värdet saknas.",
    ]


def test_a_missing_required_column_or_unknown_column_is_named(tmp_path: Path) -> None:
    header = HEADER.replace("barn_hörda", "barn_horda")
    problems = _problems(tmp_path, ROWS, header=header)
    assert problems == [
        f"{FILE}, rad 1, kolumn ”barn_horda”: okänd kolumn; kolumnerna heter "
        + ", ".join(HEADER.split(";"))
        + ".",
        f"{FILE}, rad 1: kolumnen ”barn_hörda” saknas (den behövs).",
    ]


def test_the_setting_names_another_file_and_a_missing_one_is_an_error(tmp_path: Path) -> None:
    folder = _folder(tmp_path, extra="")
    (folder / FILE).rename(folder / "data" / "bka.csv")
    settings = folder / "barnbokslut.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8") + '\n[barnkonsekvensanalyser]\nfil = "data/bka.csv"\n',
        encoding="utf-8",
    )
    source = load_source(folder)
    assert source.bka is not None and source.bka.file == "data/bka.csv"
    assert build_report(source, None).bka.source == "Källa: egen sammanställning av data/bka.csv"  # type: ignore[union-attr]
    (folder / "data" / "bka.csv").unlink()
    with pytest.raises(ReportSourceError) as caught:
        load_source(folder)
    assert any(
        "[barnkonsekvensanalyser]" in p and "data/bka.csv finns inte" in p for p in caught.value.problems
    )


def test_an_xlsx_register_with_excel_dates_is_read_by_the_same_reader(tmp_path: Path) -> None:
    import io
    from datetime import datetime

    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(";"))
    sheet.append(
        [
            "BOU 1",
            "BOU",
            datetime(2025, 3, 4),
            "Beslut",
            "snabb",
            "",
            "",
            "",
            "ja",
            "",
            3,
            "",
            "",
            "neutral",
            "",
            "",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    register = parse_register("bka.xlsx", buffer.getvalue(), "data/bka.xlsx", {"BOU"})
    (decision,) = register.decisions
    assert (decision.day.isoformat(), decision.heard, decision.heard_count) == ("2025-03-04", True, 3)
    with pytest.raises(BkaError) as caught:
        parse_register("bka.xlsx", buffer.getvalue(), "data/bka.xlsx", {"FOR"})
    assert caught.value.problems[0].startswith("data/bka.xlsx, rad 2, kolumn ”enhet”: okänd verksamhet ”BOU”")


def test_a_row_the_reader_refuses_is_named_by_file_and_row(tmp_path: Path) -> None:
    rows = ROWS.replace("Beslut C;snabb", "Beslut C;snabb;extra", 1)
    (problem,) = _problems(tmp_path, rows)
    assert problem.startswith(f"{FILE}, rad 4 har 17 kolumner, men rubrikraden har 16."), problem
