"""The PDF report, read back: text, footer, page count, outline, metadata, tags, fonts, alt texts, pictures; and
validated as PDF/UA-1 and PDF/A-2a (page-validation), with a broken PDF of each kind that the check refuses."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from small_report import LIST_FROM_THREE, SENTENCE, small_report

from barnbokslut.report import html
from barnbokslut.report.pdf import build_pdf, footer_css
from pdfcheck import PDF_A, PDF_UA, pdf_check

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils saknas")


@pytest.fixture(scope="module")
def pdf_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_pdf(small_report(), tmp_path_factory.mktemp("pdf") / "barnbokslut.pdf").path


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pages_text(path: Path) -> list[str]:
    return _run("pdftotext", "-layout", str(path), "-").split("\f")[:-1]


def _pdfinfo_pages(path: Path) -> int:
    return int(re.search(r"^Pages:\s+(\d+)", _run("pdfinfo", str(path)), re.M).group(1))


def _non_white_share(png: Path) -> float:
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / (image.width * image.height)


def test_the_text_has_the_headings_a_generated_sentence_and_the_follow_up(pdf_path: Path) -> None:
    text = " ".join(" ".join(_pages_text(pdf_path)).split())
    for heading in (
        "Innehåll",
        "Inledning",
        "Sammanfattning",
        "Situationen för barn och unga i Exempelby",
        "Uppföljning av förra årets utvecklingsområden",
        "Källor",
    ):
        assert heading in text
    assert SENTENCE in text
    assert "Införa läxhjälp på alla skolor" in text
    assert "Exempeldata" in text


def test_a_numbered_list_starting_at_three_is_numbered_3_and_4_after_a_list_from_1(pdf_path: Path) -> None:
    text = " ".join(" ".join(_pages_text(pdf_path)).split())
    first, second = LIST_FROM_THREE
    assert f"3. {first} 4. {second}" in text
    assert f"1. {first}" not in text and f"2. {second}" not in text
    assert "1. Sammanfattning 2. Nyckeltal 3. Verksamhetsberättelser" in text


def test_every_page_after_the_cover_has_the_running_footer_with_page_of_pages(pdf_path: Path) -> None:
    pages = _pages_text(pdf_path)
    count = _pdfinfo_pages(pdf_path)
    assert len(pages) == count > 1
    for number, page in enumerate(pages[1:], start=2):
        assert f"Barnbokslut 2025 {number}({count})" in page
    assert "Barnbokslut 2025 1(" not in pages[0]


def test_the_table_of_contents_gives_page_numbers(pdf_path: Path) -> None:
    toc = _pages_text(pdf_path)[0]
    entries = dict(re.findall(r"\d+\. ([A-ZÅÄÖ][^.\n]+?)\s*\.{3,}\s*(\d+)", toc))
    assert entries["Inledning"] == "2"
    assert int(entries["Källor"]) >= int(entries["Sammanfattning"]) > 1


def test_the_outline_has_the_sections_and_their_subsections(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf, pdf.open_outline() as outline:
        titles = [item.title for item in outline.root]
        assert "Inledning" in titles and "Källor" in titles
        assert "Innehåll" not in titles
        figures = next(item for item in outline.root if item.title.startswith("Situationen"))
        assert [child.title for child in figures.children] == [
            "Översikt över alla nyckeltal",
            "Utbildning",
            "Trygghet och hälsa",
        ]


def test_the_pdf_validates_as_pdf_ua_1_and_pdf_a_2a(pdf_path: Path) -> None:
    assert pdf_check(pdf_path) == []
    with pikepdf.open(pdf_path) as pdf, pdf.open_metadata() as xmp:
        assert (xmp.get("pdfaid:part"), xmp.get("pdfaid:conformance"), xmp.get("pdfuaid:part")) == (
            "2",
            "A",
            "1",
        )


def test_a_chart_without_alt_text_fails_the_pdf_ua_check(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    render = html.render_html
    monkeypatch.setattr(
        html,
        "render_html",
        lambda report, **kw: re.sub(r'(<img\b[^>]*?) alt="[^"]*"', r"\1", render(report, **kw)),
    )
    failures = pdf_check(build_pdf(small_report(), tmp_path / "utan-alt.pdf").path, profiles=[PDF_UA])
    assert failures and all("FIGURE-ALTERNATIVE-TEXT" in f for f in failures), failures


def test_the_pdf_ua_only_variant_is_pdf_ua_but_fails_the_pdf_a_check(tmp_path: Path) -> None:
    path = build_pdf(small_report(), tmp_path / "bara-ua.pdf", archival=False).path
    assert pdf_check(path, profiles=[PDF_UA]) == []
    failures = pdf_check(path, profiles=[PDF_A])
    assert any("ID-SCHEMA" in f for f in failures), failures  # no PDF/A identification, among others


def test_a_stream_whose_data_ends_with_cr_ends_with_cr_lf_before_endstream(pdf_path: Path) -> None:
    # PDF/A 6.1.7.1: with "CR LF endstream" the /Length of data ending in CR is unambiguous (pdf.py).
    import pydyf

    assert pydyf.Stream([b"abc\r"]).data == b"<</Length 4>>\nstream\nabc\r\r\nendstream"
    assert pydyf.Stream([b"abc"]).data == b"<</Length 3>>\nstream\nabc\nendstream"


def test_the_metadata_has_the_title_author_and_swedish_language(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        assert str(pdf.docinfo["/Title"]) == "Barnbokslut 2025 – Exempelby kommun"
        assert str(pdf.docinfo["/Author"]) == "Exempelby kommun"
        assert str(pdf.Root.Lang) == "sv"
        with pdf.open_metadata() as xmp:
            assert xmp.get("dc:title") == "Barnbokslut 2025 – Exempelby kommun"
            assert "pdfuaid:part" in str(xmp) or xmp.get("pdfuaid:part") == "1"


def test_the_pdf_is_tagged_pdf_ua(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def _structure_elements(node: pikepdf.Object) -> list[pikepdf.Dictionary]:
    found: list[pikepdf.Dictionary] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, pikepdf.Array):
            stack.extend(current)
        elif isinstance(current, pikepdf.Dictionary) and "/S" in current:
            found.append(current)
            if "/K" in current:
                stack.append(current.K)
    return found


def test_every_figure_in_the_structure_tree_has_alt_text(pdf_path: Path) -> None:
    with pikepdf.open(pdf_path) as pdf:
        elements = _structure_elements(pdf.Root.StructTreeRoot.K)
        figures = [e for e in elements if e.S == "/Figure"]
        assert len(figures) >= 4
        for figure in figures:
            assert str(figure.get("/Alt", "")).strip()
        assert any(str(f.Alt).startswith("Linjediagram:") for f in figures)
        assert {"/H1", "/H2", "/H3", "/H4", "/Table", "/TH"} <= {str(e.S) for e in elements}


def test_all_fonts_are_embedded(pdf_path: Path) -> None:
    rows = _run("pdffonts", str(pdf_path)).splitlines()[2:]
    assert rows
    for row in rows:
        emb = row.split()[-5]
        assert emb == "yes", row


def test_the_first_page_and_a_chart_page_render_as_non_blank_pictures(pdf_path: Path, tmp_path: Path) -> None:
    pages = _pages_text(pdf_path)
    chart_page = next(
        n for n, page in enumerate(pages, start=1) if "Elever i åk 9 behöriga" in page and n > 1
    )
    for number in (1, chart_page):
        prefix = tmp_path / f"sida-{number}"
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "50",
                "-f",
                str(number),
                "-l",
                str(number),
                "-singlefile",
                str(pdf_path),
                str(prefix),
            ],
            check=True,
        )
        assert _non_white_share(prefix.with_suffix(".png")) > 0.02


def test_the_footer_rule_escapes_quotes_and_names_its_font() -> None:
    css = footer_css('Barnbokslut "2025"')
    assert 'content: "Barnbokslut \\"2025\\" " counter(page) "(" counter(pages) ")"' in css
    assert "font-family:" in css
