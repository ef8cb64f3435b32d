"""Children's voices (issue 15): a survey's trend and breakdown worked out by hand, small cells suppressed so
that no hidden one can be worked out from the year's total, quotes without consent in no output, proposals
with what happened, development areas proposed by children, bad input named by file, row and field, and the
part in HTML, PDF (PDF/UA-1) and Word."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from docx import Document

from barnbokslut.localdata.suppression import Reason, suppress
from barnbokslut.report.docx import write_docx
from barnbokslut.report.folder import load_source, report_from_folder
from barnbokslut.report.html import render_html
from barnbokslut.report.model import ProposalStatus, Report, Table
from barnbokslut.report.pdf import write_pdf
from barnbokslut.report.source import ReportSourceError
from barnbokslut.report.voices import VoicesError, parse_survey
from pdfcheck import PDF_UA, pdf_check

FILE = "data/elevenkat.csv"
P = "\u00a0%"  # Babel's Swedish percent: a no-break space before the sign
NOTE = (
    "– visas där uppgiften bygger på färre än 5 svar eller barn eller skulle avslöja en uppgift som bygger på "
    "färre än 5 svar eller barn"
)
SECRET = "Min lärare skriker på oss varje dag"  # a quote without consent: must appear nowhere

SETTINGS = """
[rapport]
organisation = "Förvaltningen Test"
"år" = 2025
{extra}

[[verksamhet]]
namn = "Fritid"
"förkortning" = "FOR"

[[avsnitt]]
typ = "barnens-roster"

[[avsnitt]]
typ = "utvecklingsomraden"

[[enkat]]
namn = "Elevenkäten"
fil = "data/elevenkat.csv"

[[citat]]
text = "Vi vill ha en egen plats att vara på efter skolan."
"ålder" = "13-15"
sammanhang = "Ungdomsrådet, april 2025"
samtycke = true

[[citat]]
text = "{secret}"
"ålder" = 9
sammanhang = "Samtal i klassen"
samtycke = false

[[forslag]]
"förslag" = "Längre öppettider i simhallen"
"från" = "Elevrådet"
datum = 2025-02-10
status = "genomfört"
"återkoppling" = "Öppet till 21 på fredagar sedan augusti."

[[forslag]]
"förslag" = "Skateramp i parken"
"från" = "Barn i årskurs 4–6"
datum = "2025-05-01"
status = "pågår"

[[forslag]]
"förslag" = "Gratis bussresor"
status = "inte genomfört"
"återkoppling" = "Det finns inte pengar i budgeten i år."

[[utvecklingsomrade]]
"område" = "En mötesplats för unga"
verksamheter = ["FOR"]
"åtgärder" = "Ta fram en plan tillsammans med ungdomsrådet."
"förväntade_resultat" = "En mötesplats öppnar 2026."
barnens_forslag = true

[[utvecklingsomrade]]
"område" = "Rutiner för barnsamtal"
"åtgärder" = "Skriva rutinen."
"förväntade_resultat" = "Alla använder den."
"""

HEADER = "fråga;svar;år;indelning;grupp;antal_svar;andel"
# "Trygg": totals 2023 60 answers 55,0 %, 2024 58 answers 52,5 %, 2025 60 answers 50,0 %.
#   Sentence: 50,0 % (60 svar); 52,5 → 50,0 is 2,5 procentenheter mindre than 2024; since 2023 (55,0 %)
#   the share has fallen by 5,0 procentenheter.
# Breakdown by skola, 2025: A 3 answers (33,3 % = 1 of 3), B 20 (40,0 % = 8), C 37 (56,8 % = 21); 3+20+37 = 60.
#   A naive suppression hides only A; then A = 60 − 20 − 37 = 3 answers, and 60 × 50,0 % = 30 yes answers,
#   30 − 8 − 21 = 1 yes: A's 33 % is worked out. So B (the smaller of the other two) is hidden as well; only
#   A + B = 23 answers can then be worked out.
# 2024: A 8, B 22, C 28 (8+22+28 = 58): none below 5, nothing hidden.
# "Påverka": only a total, 2025 4 answers: below 5, not shown, and 2024 (40 answers, 30,0 %) is not compared.
ROWS = """\
Trygg i skolan;Andel som svarat ja;2023;totalt;;60;55,0
Trygg i skolan;Andel som svarat ja;2024;totalt;;58;52,5
Trygg i skolan;Andel som svarat ja;2024;skola;A;8;50,0
Trygg i skolan;Andel som svarat ja;2024;skola;B;22;45,5
Trygg i skolan;Andel som svarat ja;2024;skola;C;28;57,1
Trygg i skolan;Andel som svarat ja;2025;totalt;;60;50,0
Trygg i skolan;Andel som svarat ja;2025;skola;A;3;33,3
Trygg i skolan;Andel som svarat ja;2025;skola;B;20;40,0
Trygg i skolan;Andel som svarat ja;2025;skola;C;37;56,8
Kan påverka;;2024;totalt;;40;30,0
Kan påverka;;2025;totalt;;4;25,0
"""


def _folder(tmp_path: Path, rows: str = ROWS, *, extra: str = "", settings: str = SETTINGS) -> Path:
    folder = tmp_path / "mapp"
    (folder / "data").mkdir(parents=True)
    (folder / "barnbokslut.toml").write_text(settings.format(extra=extra, secret=SECRET), encoding="utf-8")
    (folder / FILE).write_text(HEADER + "\n" + rows, encoding="utf-8")
    return folder


@pytest.fixture
def report(tmp_path: Path) -> Report:
    return report_from_folder(_folder(tmp_path))


def _rows(table: Table) -> dict[str, list[str]]:
    return {row[0].text: [c.text for c in row[1:]] for row in table.rows}


def test_with_only_the_year_totals_published_a_lone_hidden_group_gets_a_second_one() -> None:
    # Rows = schools A, B, C; columns = 2024, 2025 (the numbers above). Only the column totals are published.
    result = suppress([[8, 3], [22, 20], [28, 37]], threshold=5, totals=True, row_totals=False)
    assert result.hidden == {(0, 1): Reason.PRIMARY, (1, 1): Reason.SECONDARY}
    assert result.hidden_row_totals == frozenset({0, 1, 2})  # no sum over the years is shown
    assert (result.column_total(0), result.column_total(1)) == (58, 60)
    # With only primary suppression, A 2025 would be 60 − 20 − 37 = 3: the rule leaves two unknowns, A + B = 23.
    shown_2025 = [result.shown(r, 1) for r in range(3)]
    assert shown_2025 == [None, None, 37]


def test_the_latest_value_and_the_change_are_the_hand_computed_ones(report: Report) -> None:
    voices = report.voices
    assert voices is not None
    (survey,) = voices.surveys
    trygg, paverka = survey.questions
    assert trygg.question == "Trygg i skolan" and trygg.measure == "Andel som svarat ja"
    assert trygg.sentence == (
        f"Elevenkäten 2025: 50,0{P} (60 svar). Det är 2,5 procentenheter mindre än 2024 (52,5{P}). "
        f"Sedan 2023 (55,0{P}) har andelen minskat med 5,0 procentenheter."
    )
    assert _rows(trygg.trend) == {
        "2023": ["60", f"55,0{P}"],
        "2024": ["58", f"52,5{P}"],
        "2025": ["60", f"50,0{P}"],
    }
    assert trygg.trend.source == f"Källa: Elevenkäten 2023, 2024 och 2025, fil {FILE}"
    assert paverka.sentence == (
        "Elevenkäten 2025: andelen visas inte, eftersom den bygger på färre än 5 svar eller barn."
    )
    assert _rows(paverka.trend) == {"2024": ["40", f"30,0{P}"], "2025": ["–", "–"]}
    assert paverka.trend.source == f"Källa: Elevenkäten 2024 och 2025, fil {FILE}. {NOTE}"
    assert paverka.breakdown is None
    # The chart shows what the trend table shows: the hidden 2025 share is a gap, never drawn.
    assert trygg.chart is not None and paverka.chart is not None
    assert trygg.chart.categories == ("2023", "2024", "2025")
    assert [s.values for s in trygg.chart.series] == [(55.0, 52.5, 50.0)]
    assert [s.values for s in paverka.chart.series] == [(30.0, None)]
    assert paverka.chart.description == f"Andelen: 2024 30,0{P}. 1 år visas inte."
    assert trygg.chart in report.charts()


def test_the_breakdown_hides_the_small_school_and_the_one_that_would_give_it_away(report: Report) -> None:
    assert report.voices is not None
    trygg = report.voices.surveys[0].questions[0]
    assert trygg.breakdown is not None
    assert trygg.breakdown.columns == ("Grupp", "Andel 2024", "Svar 2024", "Andel 2025", "Svar 2025")
    assert _rows(trygg.breakdown) == {
        "Skola: A": [f"50,0{P}", "8", "–", "–"],
        "Skola: B": [f"45,5{P}", "22", "–", "–"],
        "Skola: C": [f"57,1{P}", "28", f"56,8{P}", "37"],
    }
    assert trygg.breakdown.source == f"Källa: Elevenkäten 2024 och 2025, fil {FILE}. {NOTE}"
    assert trygg.breakdown.caption == "Trygg i skolan – efter skola, Elevenkäten 2024 och 2025"


def test_a_change_of_one_point_and_no_change_are_said_in_words(tmp_path: Path) -> None:
    rows = "Q;;2023;totalt;;50;40\nQ;;2024;totalt;;50;41\nQ;;2025;totalt;;50;41\n"
    survey = parse_survey("e.csv", (HEADER + "\n" + rows).encode(), "data/e.csv", "Enkäten")
    from barnbokslut.report.voices import survey_section

    (question,) = survey_section(survey, threshold=5, is_example=False, anchor="e").questions
    assert question.sentence == (
        f"Enkäten 2025: 41{P} (50 svar). Det är lika mycket som 2024 (41{P}). "
        "Sedan 2023 (40 %) har andelen ökat med 1 procentenhet.".replace(" %", P)
    )


def test_quotes_without_consent_are_in_no_output(report: Report, tmp_path: Path) -> None:
    assert report.voices is not None
    assert [q.text for q in report.voices.quotes] == ["Vi vill ha en egen plats att vara på efter skolan."]
    assert report.voices.quotes[0].attribution == "Barn, 13–15 år, Ungdomsrådet, april 2025"
    html = render_html(report)
    assert "Vi vill ha en egen plats att vara på efter skolan." in html
    assert "— Barn, 13–15 år, Ungdomsrådet, april 2025" in html
    assert SECRET not in html and "Samtal i klassen" not in html
    assert SECRET not in render_html(report, for_print=True)
    document = Document(str(write_docx(report, tmp_path / "r.docx")))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for row in t.rows for c in row.cells)
    assert "Vi vill ha en egen plats att vara på efter skolan." in text
    assert SECRET not in text and SECRET not in cells and "Samtal i klassen" not in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils saknas")
def test_the_pdf_has_the_part_passes_pdf_ua_1_and_has_no_quote_without_consent(
    report: Report, tmp_path: Path
) -> None:
    path = write_pdf(report, tmp_path / "r.pdf", archival=False)
    assert not pdf_check(path, profiles=(PDF_UA,))
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    assert "Det här säger barnen" in flat
    assert "Vi vill ha en egen plats att vara på efter skolan." in flat
    assert "Barnens förslag och vad som hände" in flat
    assert re.search(r"50,0\s%\s\(60 svar\)", flat)
    assert "Min lärare" not in flat and "skriker" not in flat


def test_proposals_show_what_happened_and_are_counted(report: Report) -> None:
    voices = report.voices
    assert voices is not None
    assert [p.status for p in voices.proposals] == [
        ProposalStatus.DONE, ProposalStatus.ONGOING, ProposalStatus.NOT_DONE,
    ]  # fmt: skip
    assert voices.proposals_summary == (
        "Barnen lämnade 3 förslag: 1 är genomfört, 1 pågår och 1 genomförs inte."
    )
    assert voices.proposals_table is not None
    assert _rows(voices.proposals_table) == {
        "Längre öppettider i simhallen": [
            "Elevrådet", "10 februari 2025", "✔ Genomfört", "Öppet till 21 på fredagar sedan augusti.",
        ],
        "Skateramp i parken": ["Barn i årskurs 4–6", "1 maj 2025", "◐ Pågår", ""],
        "Gratis bussresor": ["..", "..", "✖ Inte genomfört", "Det finns inte pengar i budgeten i år."],
    }  # fmt: skip


def test_development_areas_proposed_by_children_are_marked(report: Report, tmp_path: Path) -> None:
    assert report.voices is not None
    assert report.voices.child_areas == ("En mötesplats för unga (FOR)",)
    assert [a.from_children for a in report.development_areas] == [True, False]
    html = render_html(report)
    start = html.index('class="avsnitt avsnitt--utvecklingsomraden')
    part = html[start : html.index("</section>", start)]
    assert part.count("Förslag från barn") == 1
    assert re.search(r"En mötesplats för unga.*Förslag från barn", part)
    document = Document(str(write_docx(report, tmp_path / "r.docx")))
    first_cells = [t.rows[i].cells[0].text for t in document.tables for i in range(1, len(t.rows))]
    assert "En mötesplats för unga (förslag från barn)" in first_cells
    assert "Rutiner för barnsamtal" in first_cells


def test_the_part_is_in_the_html_and_word_with_headings_tables_and_sources(
    report: Report, tmp_path: Path
) -> None:
    html = render_html(report)
    start = html.index('class="avsnitt avsnitt--barnens-roster')
    part = html[start : html.index('class="avsnitt avsnitt--utvecklingsomraden')]
    assert re.search(r'<h2 id="barnens-roster">Det här säger barnen</h2>', part)
    assert 'alt="Linjediagram: Trygg i skolan, Elevenkäten 2023, 2024 och 2025, andel i procent."' in part
    assert "<h3" in part and "Elevenkäten</h3>" in part and "Trygg i skolan</h4>" in part
    assert "<caption>Trygg i skolan – efter skola, Elevenkäten 2024 och 2025</caption>" in part
    assert f"Källa: Elevenkäten 2023, 2024 och 2025, fil {FILE}" in part
    assert "Kolada" not in part
    assert [s.text for s in report.sources][-2:] == [
        f"Elevenkäten 2023, 2024 och 2025, fil {FILE}",
        "Egen sammanställning av barnens citat och förslag, barnbokslut.toml",
    ]
    document = Document(str(write_docx(report, tmp_path / "r.docx")))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Det här säger barnen") in headings
    assert ("Heading 2", "Elevenkäten") in headings and ("Heading 3", "Trygg i skolan") in headings
    assert ("Heading 2", "Vad barnen har sagt") in headings
    described = [shape._inline.docPr.get("descr") for shape in document.inline_shapes]
    assert described[0] == (
        "Linjediagram: Trygg i skolan, Elevenkäten 2023, 2024 och 2025, andel i procent. "
        f"Andel som svarat ja: 2023 55,0{P}, 2024 52,5{P}, 2025 50,0{P}."
    )
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    assert any(["Skola: B", f"45,5{P}", "22", "–", "–"] in rows for rows in tables), tables


def test_the_threshold_is_the_reports_sma_tal(tmp_path: Path) -> None:
    report = report_from_folder(_folder(tmp_path, extra="sma_tal = 3"))  # A's 3 answers are now shown
    assert report.voices is not None
    trygg, paverka = report.voices.surveys[0].questions
    assert trygg.breakdown is not None
    assert _rows(trygg.breakdown)["Skola: A"] == [f"50,0{P}", "8", f"33,3{P}", "3"]
    assert _rows(trygg.breakdown)["Skola: B"] == [f"45,5{P}", "22", f"40,0{P}", "20"]
    assert _rows(paverka.trend)["2025"] == ["4", f"25,0{P}"]


def test_the_example_report_has_the_part_with_a_hidden_cell_and_no_quote_without_consent(
    example_report: Report, example_html: str
) -> None:
    assert "barnens-roster" in example_report.kinds()
    voices = example_report.voices
    assert voices is not None
    assert all(s.source.endswith("(Exempeldata)") for s in voices.surveys)
    assert voices.source.endswith("(Exempeldata)")
    tables = [t for s in voices.surveys for q in s.questions for t in (q.trend, q.breakdown) if t]
    assert any(c.text == "–" for t in tables for row in t.rows for c in row)
    assert {p.status for p in voices.proposals} == set(ProposalStatus)
    assert "Jag vill inte att någon vet vad jag sa om min klass." not in example_html
    assert len(voices.quotes) == 2


def _problems(tmp_path: Path, rows: str = ROWS, **kwargs: str) -> list[str]:
    with pytest.raises(ReportSourceError) as caught:
        load_source(_folder(tmp_path, rows, **kwargs))
    return caught.value.problems


def test_bad_survey_rows_are_named_by_file_row_and_column_and_nothing_is_built(tmp_path: Path) -> None:
    rows = (
        ROWS.replace("2023;totalt;;60;55,0", "2023;totalt;;sextio;55,0")
        .replace("2024;skola;A;8;50,0", "2024;klass;A;8;50,0")
        .replace("2024;skola;B;22;45,5", "2024;skola;;22;45,5")
        .replace("2024;skola;C;28;57,1", "2024;skola;C;28;157")
        .replace("Kan påverka;;2024", "Kan påverka;;24")
    )
    assert _problems(tmp_path, rows) == [
        f"{FILE}, rad 2, kolumn ”antal_svar”: ”sextio” är inget antal; skriv ett heltal, t.ex. 48.",
        f"{FILE}, rad 4, kolumn ”indelning”: okänt värde ”klass”; välj totalt, kön, skola, årskurs, område.",
        f"{FILE}, rad 5, kolumn ”grupp”: värdet saknas; skriv vilken grupp raden gäller (indelning skola).",
        f"{FILE}, rad 6, kolumn ”andel”: 157 ligger inte mellan 0 och 100 procent.",
        f"{FILE}, rad 11, kolumn ”år”: ”24” är inget år; skriv året med fyra siffror, t.ex. 2025.",
    ]  # 2023's only row is refused, so no 2023 total is missing


def test_a_duplicate_group_a_missing_total_and_a_missing_column_are_named(tmp_path: Path) -> None:
    rows = ROWS.replace("Trygg i skolan;Andel som svarat ja;2025;totalt;;60;50,0\n", "") + (
        "Trygg i skolan;;2024;skola;a;1;0\n"
    )
    assert _problems(tmp_path, rows) == [
        f"{FILE}, rad 12, kolumn ”grupp”: samma fråga, år och grupp finns redan på rad 4.",
        f"{FILE}, rad 7: frågan ”Trygg i skolan” saknar en rad med indelning totalt för 2025 (alla svar det året).",
    ]
    with pytest.raises(VoicesError) as caught:
        parse_survey("e.csv", "fråga;år;indelning;andel\nQ;2025;totalt;50\n".encode(), "data/e.csv", "E")
    assert caught.value.problems == ["data/e.csv, rad 1: kolumnen ”antal_svar” saknas (den behövs)."]


def test_bad_quotes_and_proposals_are_named_by_entry_line_and_field(tmp_path: Path) -> None:
    settings = (
        SETTINGS.replace('"ålder" = 9', '"ålder" = "nio"\nnamn = "Kalle"')
        .replace("samtycke = true\n", "")
        .replace('status = "pågår"', 'status = "kanske"')
        .replace('"återkoppling" = "Det finns inte pengar i budgeten i år."\n', "")
        .replace('datum = "2025-05-01"', 'datum = "1 maj"')
    )
    problems = _problems(tmp_path, settings=settings)
    assert problems == [
        "barnbokslut.toml, [[citat]] nr 1 (rad 21), fält ”samtycke”: saknas; skriv true eller false.",
        "barnbokslut.toml, [[citat]] nr 2 (rad 29), fält ”namn”: citat visas aldrig med namn; ta bort fältet "
        "och skriv ålder och sammanhang.",
        "barnbokslut.toml, [[citat]] nr 2 (rad 28), fält ”ålder”: skriv en ålder eller ett åldersspann, t.ex. "
        "11 eller ”13–15”, inte 'nio'.",
        "barnbokslut.toml, [[forslag]] nr 2 (rad 43), fält ”datum”: skriv ett datum ÅÅÅÅ-MM-DD, t.ex. "
        "2025-03-14, inte '1 maj'.",
        "barnbokslut.toml, [[forslag]] nr 2 (rad 44), fält ”status”: okänt värde ”kanske”; välj genomfört, "
        "pågår eller inte genomfört.",
        "barnbokslut.toml, [[forslag]] nr 3 (rad 46), fält ”återkoppling”: krävs när förslaget inte genomförs: "
        "skriv varför, så att barnen får veta.",
    ]


def test_without_voices_there_is_no_part(tmp_path: Path) -> None:
    settings = SETTINGS.split("[[enkat]]")[0]
    folder = _folder(tmp_path, settings=settings)
    report = report_from_folder(folder)
    assert report.voices is None
    assert "barnens-roster" not in report.kinds()
    assert "avsnitt--barnens-roster" not in render_html(report)
