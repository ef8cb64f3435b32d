"""The barnversion: read from texter/barnversion.md, its readability (LIX) against the target, an accessible page
(axe at 1280 and 390 px) and an A4 poster that passes PDF/UA-1, written by bygg beside the report."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pikepdf
import pytest
from playwright.sync_api import Page

from axecheck import axe_check
from barnbokslut.readability import lix
from barnbokslut.report.build import write_all
from barnbokslut.report.child_version import child_version, render_child_html, write_child_pdf
from barnbokslut.report.folder import load_source
from barnbokslut.report.source import ReportSourceError, build_report
from pdfcheck import PDF_UA, pdf_check


def test_lix_counts_words_long_words_and_sentences_by_hand() -> None:
    # "Det här har vi gjort" (5 words, a heading ends a sentence), two list items of 2 words, a paragraph of
    # 4 + 7 words in two sentences: 20 words, 5 sentences, 2 long words (lekplats, lyssnade: more than 6 letters).
    text = (
        "## Det här har vi gjort\n\n- Ny lekplats\n- Fler vuxna\n\n"
        "Vi lyssnade på er.\nNi ville ha mer frukt i skolan."
    )
    found = lix(text)
    assert (found.words, found.long_words, found.sentences) == (20, 2, 5)
    assert found.value == pytest.approx(20 / 5 + 100 * 2 / 20)
    assert lix("").value == 0.0


def test_the_example_folder_has_a_barnversion_marked_as_example_data(folder: Path) -> None:
    version = load_source(folder).child_version
    assert version is not None
    assert [p.spec.heading for p in version.parts] == [
        "Det här har vi gjort", "Det här ska bli bättre", "Det här sa ni", "Så kan du säga vad du tycker",
    ]  # fmt: skip
    assert version.lix_target == 30 and version.is_example
    assert version.readability.value <= version.lix_target
    assert "Exempeldata" in render_child_html(version)


def test_an_unknown_heading_names_the_file_the_line_and_the_headings_there_are(folder: Path) -> None:
    (folder / "texter" / "barnversion.md").write_text(
        "Hej.\n\n## Det här gjorde vi\n\nLekplats.\n", encoding="utf-8"
    )
    with pytest.raises(ReportSourceError) as caught:
        load_source(folder)
    message = str(caught.value)
    assert "texter/barnversion.md, rad 3: rubriken ”Det här gjorde vi” finns inte" in message
    assert "”Det här har vi gjort”" in message


def test_a_text_harder_than_the_target_is_a_warning_and_a_bad_target_a_problem(folder: Path) -> None:
    hard = "## Det här har vi gjort\n\nKommunfullmäktige beslutade om förvaltningsövergripande barnrättsstrategier.\n"
    (folder / "texter" / "barnversion.md").write_text(hard, encoding="utf-8")
    warnings = load_source(folder).warnings
    assert any("texter/barnversion.md: läsbarheten är LIX" in w and "över målet 30" in w for w in warnings)
    settings = folder / "barnbokslut.toml"
    settings.write_text(
        settings.read_text(encoding="utf-8").replace("lix_mal = 30", "lix_mal = 300"), "utf-8"
    )
    with pytest.raises(ReportSourceError, match="lix_mal"):
        load_source(folder)


def test_bygg_writes_the_page_and_the_poster_beside_the_report(folder: Path, tmp_path: Path) -> None:
    report = build_report(load_source(folder), None)
    written = [path.name for path, _ in write_all(report, ["html", "pdf"], tmp_path / "ut")]
    assert written == [
        "barnbokslut-2025-soderhamns-kommun.html",
        "barnbokslut-2025-soderhamns-kommun-barnversion.html",
        "barnbokslut-2025-soderhamns-kommun.pdf",
        "barnbokslut-2025-soderhamns-kommun-barnversion.pdf",
    ]
    page_html = (tmp_path / "ut" / "barnbokslut-2025-soderhamns-kommun-barnversion.html").read_text("utf-8")
    assert 'href="barnbokslut-2025-soderhamns-kommun.html"' in page_html
    poster = tmp_path / "ut" / "barnbokslut-2025-soderhamns-kommun-barnversion.pdf"
    assert not pdf_check(poster, profiles=(PDF_UA,))
    with pikepdf.open(poster) as pdf:
        assert len(pdf.pages) == 1
        box = [float(v) for v in pdf.pages[0].mediabox]
    assert (round(box[2] - box[0]), round(box[3] - box[1])) == (595, 842)  # A4 in points
    text = subprocess.run(["pdftotext", str(poster), "-"], capture_output=True, text=True, check=True).stdout
    assert "Så kan du säga vad du tycker" in text and "barn@soderhamn.se" in text


def test_without_texts_there_is_no_barnversion() -> None:
    assert child_version("Kommun", 2025, {"gjort": "  ", "battre": ""}) is None


@pytest.mark.parametrize("width", [1280, 390])
def test_the_page_and_its_icons_pass_axe(page: Page, folder: Path, tmp_path: Path, width: int) -> None:
    version = load_source(folder).child_version
    assert version is not None
    path = tmp_path / "barnversion.html"
    path.write_text(render_child_html(version), encoding="utf-8")
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(path.as_uri())
    assert page.get_by_role("img", name="En pratbubbla").count() == 1
    assert not axe_check(page)
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1]


def test_the_poster_of_a_committee_is_pdf_ua(tmp_path: Path) -> None:
    version = child_version("Socialförvaltningen Nordost", 2024, {"sa_ni": "Ni vill ha fler aktiviteter."})
    assert version is not None
    assert not pdf_check(write_child_pdf(version, tmp_path / "affisch.pdf"), profiles=(PDF_UA,))


def test_the_barnversion_can_be_a_part_of_the_report_in_html_pdf_and_word(
    folder: Path, tmp_path: Path
) -> None:
    toml = folder / "barnbokslut.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8")
        + '\n[[avsnitt]]\ntyp = "inledning"\n\n[[avsnitt]]\ntyp = "barnversion"\n',
        encoding="utf-8",
    )
    report = build_report(load_source(folder), None)
    assert [part.kind for part in report.parts] == ["inledning", "barnversion"]
    out = tmp_path / "ut"
    files = {path.suffix: path for path, _ in write_all(report, ["html", "pdf", "docx"], out)}
    html = (out / "barnbokslut-2025-soderhamns-kommun.html").read_text(encoding="utf-8")
    assert "Barnbokslut för barn och unga</h2>" in html
    assert "Det här ska bli bättre</h3>" in html and "Biblioteket har läxhjälp två dagar i veckan." in html
    pdf = out / "barnbokslut-2025-soderhamns-kommun.pdf"
    assert not pdf_check(pdf, profiles=(PDF_UA,))
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Barnbokslut för barn och unga" in text and "Fritidsgården i Ljusne är öppen på lördagar." in text
    word = docx.Document(str(files[".docx"]))
    headings = [(p.style.name, p.text) for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "Barnbokslut för barn och unga") in headings
    assert ("Heading 2", "Det här har vi gjort") in headings
    assert any(p.text == "Fler vuxna är ute på rasterna i skolorna." for p in word.paragraphs)
