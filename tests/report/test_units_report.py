"""The example build of Söderhamn shows trygghet åk 8 per school (issue 10, part 6) beside the indicator, in the
HTML page and in the Word file reopened with python-docx, labelled Exempeldata (the unit values are generated).

Expected values are read straight from the shipped snapshot files (``ou.json``, ``oudata_N15643.json.gz``), not
from the analysis: Söderhamn's åk 8 schools in 2025 are Bergviksskolan 84,4 %, Vågbroskolan 74,2 % and Ljusne
skola, whose row says "Privacy"; the spread is 84,4 − 74,2 = 10,2 percentage points.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import docx
import pytest

from barnbokslut.report.docx import write_docx
from barnbokslut.report.model import IndicatorSection, Report
from conftest import EXAMPLE_SNAPSHOT

PRIVACY_WORDS = "uppgiften är skyddad av sekretesskäl"


def _snapshot_rows() -> dict[str, float | None]:
    """Söderhamn's N15643 unit values in 2025, by unit title, from the shipped files."""
    units = json.loads((EXAMPLE_SNAPSHOT / "ou.json").read_text(encoding="utf-8"))["values"]
    names = {u["id"]: u["title"] for u in units if u["municipality"] == "2182"}
    rows = json.loads(gzip.decompress((EXAMPLE_SNAPSHOT / "oudata_N15643.json.gz").read_bytes()))
    assert rows["exempeldata"] is True
    return {
        names[row["ou"]]: row["values"][0]["value"]
        for row in rows["values"]
        if row["ou"] in names and row["period"] == 2025
    }


def _section(report: Report, kpi: str) -> IndicatorSection:
    assert report.figures is not None
    return next(i for a in report.figures.areas for i in a.indicators if i.kpi == kpi)


def test_the_snapshot_has_the_cases_the_report_shows() -> None:
    assert _snapshot_rows() == {"Bergviksskolan": 84.4, "Vågbroskolan": 74.2, "Ljusne skola": None}


def test_the_per_school_table_and_chart_are_beside_the_indicator_labelled_exempeldata(
    example_report: Report,
) -> None:
    units = _section(example_report, "N15643").units
    assert units is not None
    assert units.title == "Trygga i skolan, åk 8 per skola 2025"
    assert units.table.columns == ("Skola", "Värde 2025", "Orsak")
    assert [[c.text for c in row] for row in units.table.rows] == [
        ["Bergviksskolan", "84,4\u00a0%", ""],
        ["Vågbroskolan", "74,2\u00a0%", ""],
        ["Ljusne skola", "..", PRIVACY_WORDS],
    ]
    assert units.sentence == (
        "Bland kommunens 2 skolor med värde varierar andelen år 2025 från 74,2\u00a0% (Vågbroskolan) till "
        f"84,4\u00a0% (Bergviksskolan), en skillnad på 10,2 procentenheter. För 1 skola saknas värdet: Ljusne "
        f"skola ({PRIVACY_WORDS})."
    )
    assert units.is_example
    assert units.source.startswith("Exempeldata (genererade värden, inte Koladas), nyckeltal N15643 ")
    assert "enheter (oudata) år 2025" in units.source
    assert "Källa: Kolada" not in units.source
    chart = units.chart
    assert chart is not None and chart.kind.value == "bar"
    assert chart.categories == ("Bergviksskolan", "Vågbroskolan", "Ljusne skola")
    assert chart.series[0].values == (84.4, 74.2, None)  # missing stays missing, never 0
    assert chart.alt.startswith("Stapeldiagram: Trygga i skolan, åk 8 år 2025 för 3 skolor i Söderhamn")
    assert f"Ljusne skola .. ({PRIVACY_WORDS}, ingen stapel)" in chart.description
    assert chart in example_report.charts()
    # A KPI Kolada has no unit data for gets no per-school part.
    assert _section(example_report, "N15428").units is None


def test_the_html_shows_the_table_after_the_indicators_source(example_html: str) -> None:
    start = example_html.index('<article class="nyckeltal" aria-labelledby="nyckeltal-n15643"')
    article = example_html[start : example_html.index("</article>", start)]
    units = article[article.index('<section class="enheter"') :]
    assert '<h5 id="nyckeltal-n15643-enheter">Trygga i skolan, åk 8 per skola 2025</h5>' in units
    assert '<img src="data:image/svg+xml;base64,' in units and 'alt="Stapeldiagram: Trygga i skolan' in units
    cells = re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", units)
    assert cells[:3] == ["Skola", "Värde 2025", "Orsak"]
    assert cells[-3:] == ["Ljusne skola", "..", PRIVACY_WORDS]
    assert '<p class="kalla">Exempeldata (genererade värden, inte Koladas), nyckeltal N15643' in units


@pytest.fixture(scope="module")
def word(example_report: Report, tmp_path_factory: pytest.TempPathFactory) -> docx.document.Document:
    path: Path = write_docx(example_report, tmp_path_factory.mktemp("units") / "barnbokslut.docx")
    return docx.Document(str(path))


def test_the_word_file_has_the_heading_picture_and_table(word: docx.document.Document) -> None:
    paragraphs = [p.text for p in word.paragraphs]
    heading = paragraphs.index("Trygga i skolan, åk 8 per skola 2025")
    assert word.paragraphs[heading].style.name.startswith("Heading ")
    assert paragraphs[heading + 1].startswith("Bland kommunens 2 skolor med värde varierar andelen år 2025")
    table = next(
        t for t in word.tables if [c.text for c in t.rows[0].cells] == ["Skola", "Värde 2025", "Orsak"]
    )
    assert [[c.text for c in row.cells] for row in table.rows[1:]] == [
        ["Bergviksskolan", "84,4\u00a0%", ""],
        ["Vågbroskolan", "74,2\u00a0%", ""],
        ["Ljusne skola", "..", PRIVACY_WORDS],
    ]
    sources = [
        p
        for p in paragraphs
        if p.startswith("Exempeldata (genererade värden, inte Koladas), nyckeltal N15643")
    ]
    assert sources and "enheter (oudata) år 2025" in sources[0]
    descriptions = [e.get("descr", "") for e in word.element.body.iter() if e.tag.endswith("}docPr")]
    assert any(d.startswith("Stapeldiagram: Trygga i skolan, åk 8 år 2025") for d in descriptions)
