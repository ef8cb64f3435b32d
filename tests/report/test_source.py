"""The folder loader: a good folder gives every section; each kind of bad input is named and nothing is built."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from barnbokslut.cli import app
from barnbokslut.indicators.results import Analysis
from barnbokslut.report.folder import load_source
from barnbokslut.report.model import Report, Status
from barnbokslut.report.source import ReportSourceError, build_report

#: The default catalogue's KPIs with real Kolada values in the example snapshot (data/README.md).
REAL_KPIS = {"N15428", "N09890", "N09811", "U09800"}


def test_the_example_folder_gives_a_report_with_every_section(example_report: Report) -> None:
    assert [p.kind for p in example_report.parts] == [
        "inledning", "upplagg", "underlag", "sammanfattning", "siffror", "lokala-data", "verksamheter",
        "barnkonsekvensanalyser", "barnens-roster", "uppfoljning", "nulage", "utvecklingsomraden", "slutsatser",
        "kallor",
    ]  # fmt: skip
    assert [p.kind for p in example_report.parts[0].children] == ["begrepp", "grundprinciper"]
    assert {d.abbreviation for d in example_report.departments} == {"BOL", "SVF", "KFI"}
    assert {r.status for r in example_report.follow_up} == set(Status)
    assert [a.article for a in example_report.current_analysis.articles] == [2, 3, 6, 12]
    assert [p.article for p in example_report.introduction.principles] == [2, 3, 6, 12]
    assert [c.term for c in example_report.introduction.concepts] == [
        "Barnperspektiv", "Barns perspektiv", "Barnrättsperspektiv",
    ]  # fmt: skip
    assert len(example_report.local_data) == 3
    assert example_report.cover.is_example


def test_every_indicator_of_the_analysis_has_a_section_with_chart_and_source(
    example_report: Report, example_analysis: Analysis
) -> None:
    sections = [i for a in example_report.figures.areas for i in a.indicators]
    assert [s.kpi for s in sections] == [r.kpi for r in example_analysis.results]
    for s in sections:
        assert s.chart is not None and s.chart.alt and s.chart.table.rows
        assert s.source.startswith(f"{s.kpi}, ")
        assert "hämtad" in s.source
        # KPI by KPI: a real series says "Källa: Kolada", a generated one "Exempeldata", never both.
        assert ("Exempeldata" in s.source) == (s.kpi not in REAL_KPIS), s.source
        assert ("Källa: Kolada" in s.source) == (s.kpi in REAL_KPIS), s.source


def test_a_comment_in_the_settings_is_attached_to_its_indicator(example_report: Report) -> None:
    section = next(i for a in example_report.figures.areas for i in a.indicators if i.kpi == "U31803")
    assert section.comment is not None and "familjecentralen" in section.comment.plain


def test_sections_without_content_are_left_out(folder: Path, example_analysis: Analysis) -> None:
    for name in ("upplagg.md", "underlag.md", "slutsatser.md", "rekommendationer.md"):
        (folder / "texter" / name).unlink()
    settings = folder / "barnbokslut.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.split("[[uppfoljning]]")[0], encoding="utf-8")
    report = build_report(load_source(folder), example_analysis)
    sections = report.kinds()
    for gone in ("upplagg", "underlag", "slutsatser", "uppfoljning", "utvecklingsomraden"):
        assert gone not in sections
    assert "siffror" in sections


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _third_status(folder: Path) -> None:
    _replace(folder / "barnbokslut.toml", 'status = "Ej påbörjad"', 'status = "Klart"')


BAD_INPUTS = [
    pytest.param(
        _third_status,
        ["barnbokslut.toml", "[[uppfoljning]] nr 3", "rad ", "status", "Klart", "Påbörjad"],
        id="unknown-status",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", 'organisation = "Söderhamns kommun"\n', ""),
        ["barnbokslut.toml", "[rapport]", "organisation", "saknas"],
        id="missing-organisation",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", '"år" = 2025', '"år" = "tjugo"'),
        ["barnbokslut.toml", "[rapport]", "år", "heltal"],
        id="year-not-a-number",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", '"förväntade_resultat" = "Färre', '"förväntade" = "Färre'),
        ["[[utvecklingsomrade]] nr 1", "förväntade_resultat", "saknas"],
        id="missing-development-field",
    ),
    pytest.param(
        lambda f: _replace(f / "data" / "franvaro.csv", "2022/23;41;104", "2022/23;41;många"),
        ["data/franvaro.csv", "rad 3", "Årskurs 7–9", "många"],
        id="csv-not-a-number",
    ),
    pytest.param(
        lambda f: _replace(f / "data" / "franvaro.csv", "2023/24;36;97", "2023/24;36"),
        ["data/franvaro.csv", "rad 4", "kolumner"],
        id="csv-short-row",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", 'fil = "data/franvaro.csv"', 'fil = "data/saknas.csv"'),
        ["data/saknas.csv", "finns inte"],
        id="csv-missing",
    ),
    pytest.param(
        lambda f: _replace(f / "texter" / "verksamheter" / "svf.md", "## Artikel 3", "## Artikel 5"),
        ["texter/verksamheter/svf.md", "rad 5", "Artikel 5"],
        id="unknown-article-heading",
    ),
    pytest.param(
        lambda f: _replace(f / "texter" / "nulage" / "artikel-6.md", "## Utmaningar", "## Brister"),
        ["texter/nulage/artikel-6.md", "rad 5", "Brister", "Styrkor"],
        id="unknown-nulage-heading",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", 'diagram = "linje"', 'diagram = "paj"'),
        ["[[lokala_data]] nr 3", "diagram", "paj"],
        id="unknown-chart-kind",
    ),
    pytest.param(
        lambda f: _replace(f / "barnbokslut.toml", "[rapport]", "[rapport"),
        ["barnbokslut.toml", "TOML"],
        id="toml-syntax",
    ),
    pytest.param(
        lambda f: (f / "barnbokslut.toml").unlink(),
        ["barnbokslut.toml", "saknas"],
        id="no-settings-file",
    ),
]


@pytest.mark.parametrize(("damage", "words"), BAD_INPUTS)
def test_bad_input_is_named_with_file_row_and_field(folder: Path, damage, words: list[str]) -> None:
    damage(folder)
    with pytest.raises(ReportSourceError) as caught:
        load_source(folder)
    message = str(caught.value)
    for word in words:
        assert word in message, message


def test_every_problem_is_reported_at_once(folder: Path) -> None:
    _third_status(folder)
    _replace(folder / "data" / "franvaro.csv", "2022/23;41;104", "2022/23;41;x")
    with pytest.raises(ReportSourceError) as caught:
        load_source(folder)
    assert len(caught.value.problems) == 2


def test_the_cli_builds_nothing_from_a_bad_folder(folder: Path, tmp_path: Path) -> None:
    _third_status(folder)
    out = tmp_path / "ut"
    result = CliRunner().invoke(app, ["bygg", str(folder), "--format", "html", "--out", str(out)])
    assert result.exit_code == 2
    assert "Klart" in result.output and "[[uppfoljning]] nr 3" in result.output
    assert not out.exists() or not any(out.iterdir())


def test_the_cli_rejects_an_unknown_format(folder: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["bygg", str(folder), "--format", "html,odt", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "odt" in result.output
