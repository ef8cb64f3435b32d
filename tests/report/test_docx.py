"""The Word report, reopened with python-docx: styles, fields, tables, pictures, page size and language."""

from __future__ import annotations

import re
import zipfile
from itertools import pairwise
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn
from docx.shared import Cm
from docx.text.paragraph import Paragraph
from small_report import FOLLOW_UP_ACTION, LIST_FROM_THREE, LIST_IN_CELL, SENTENCE, small_report

from barnbokslut.report.docx import TOC_PLACEHOLDER, write_docx
from barnbokslut.report.docx_markdown import add_markdown

HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(\s[^<>]*)?>")


@pytest.fixture(scope="module")
def docx_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_docx(small_report(), tmp_path_factory.mktemp("docx") / "barnbokslut.docx")


@pytest.fixture(scope="module")
def document(docx_path: Path) -> Document:
    return docx.Document(str(docx_path))


def _all_text(document: Document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_headings_use_word_heading_styles_in_order_without_skipping_a_level(document: Document) -> None:
    levels = [int(p.style.name[-1]) for p in document.paragraphs if p.style.name.startswith("Heading ")]
    assert levels[0] == 1
    assert {1, 2, 3} <= set(levels)
    assert all(b <= a + 1 for a, b in pairwise(levels))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:3] == ["Inledning", "Upplägg", "Underlag"]
    assert "Uppföljning av förra årets utvecklingsområden" in headings
    assert document.paragraphs[0].style.name == "Title"


def test_the_table_of_contents_is_a_toc_field_with_a_swedish_placeholder(docx_path: Path) -> None:
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    assert TOC_PLACEHOLDER in xml
    assert "Högerklicka och välj Uppdatera fält" in TOC_PLACEHOLDER


def test_every_table_repeats_its_first_row_as_a_header(document: Document) -> None:
    assert len(document.tables) >= 5
    for table in document.tables:
        tr_pr = table.rows[0]._tr.trPr
        assert tr_pr is not None and tr_pr.find(qn("w:tblHeader")) is not None


def test_every_picture_is_a_chart_png_with_alt_text_and_title(document: Document) -> None:
    shapes = list(document.inline_shapes)
    assert len(shapes) == 4
    for shape in shapes:
        doc_pr = shape._inline.docPr
        assert doc_pr.get("descr", "").startswith("Linjediagram:")
        assert doc_pr.get("title")
    blobs = [p.target_part.blob for p in document.part.rels.values() if "image" in p.reltype]
    assert blobs and all(blob.startswith(b"\x89PNG") for blob in blobs)


def test_pages_are_a4_portrait_with_margins(document: Document) -> None:
    for section in document.sections:
        assert abs(section.page_width - Cm(21)) < Cm(0.01)
        assert abs(section.page_height - Cm(29.7)) < Cm(0.01)
        assert Cm(1.5) <= section.left_margin <= Cm(3)


def test_the_normal_style_and_the_document_are_swedish(document: Document) -> None:
    lang = document.styles["Normal"].element.rPr.find(qn("w:lang"))
    assert lang.get(qn("w:val")) == "sv-SE"
    assert document.core_properties.language == "sv-SE"
    assert document.core_properties.title == "Barnbokslut 2025 – Exempelby kommun"
    assert document.core_properties.author == "Exempelby kommun"


def test_the_footer_shows_the_title_and_page_x_of_y_fields(docx_path: Path, document: Document) -> None:
    footer = document.sections[0].footer
    assert "Barnbokslut 2025 · sida" in footer.paragraphs[0].text
    footer_xml = "".join(
        zipfile.ZipFile(docx_path).read(name).decode()
        for name in zipfile.ZipFile(docx_path).namelist()
        if name.startswith("word/footer")
    )
    assert re.search(r"<w:instrText[^>]*>\s*PAGE\s*</w:instrText>", footer_xml)
    assert re.search(r"<w:instrText[^>]*>\s*NUMPAGES\s*</w:instrText>", footer_xml)


def test_the_follow_up_table_and_a_generated_sentence_appear(document: Document) -> None:
    follow_up = next(
        t for t in document.tables if t.rows[0].cells[0].text == "Område" and len(t.columns) == 5
    )
    rows = [[c.text for c in row.cells] for row in follow_up.rows]
    assert rows[0] == ["Område", "Förvaltning", "Åtgärd", "Status", "Kommentar"]
    assert rows[1][2] == FOLLOW_UP_ACTION
    assert "Påbörjad" in rows[1][3] and "Genomförd" in rows[2][3]
    assert SENTENCE in _all_text(document)


def test_missing_values_are_two_dots_never_zero_and_example_data_is_marked(document: Document) -> None:
    overview = next(t for t in document.tables if t.rows[0].cells[0].text == "Nyckeltal")
    assert {row.cells[1].text for row in overview.rows[1:]} == {".."}
    text = _all_text(document)
    assert "Exempeldata" in text
    assert "Söderskolan" in text


def test_no_markdown_markers_or_html_tags_leak_into_the_text(document: Document) -> None:
    text = _all_text(document)
    assert "**" not in text
    assert "##" not in text
    assert not HTML_TAG.search(text)
    assert "läsfrämjande" in text
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "läsfrämjande" in bold


def test_quotes_and_lists_use_word_styles(document: Document) -> None:
    styles = {p.style.name for p in document.paragraphs}
    assert {"Quote", "List Bullet", "List Number"} <= styles
    quote = [p.text for p in document.paragraphs if p.style.name == "Quote"]
    assert "Jag vill bli lyssnad på." in quote
    assert "— Elev i årskurs 8" in quote


def _num_ids(paragraphs: list[Paragraph], texts: tuple[str, ...]) -> list[str]:
    """The numbering id of each "List Number" paragraph whose text is one of ``texts``, in order."""
    ids = []
    for paragraph in paragraphs:
        if paragraph.style.name == "List Number" and paragraph.text in texts:
            num_id = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
            ids.append(num_id.get(qn("w:val")) if num_id is not None else "")
    assert len(ids) == len(texts), (texts, ids)
    return ids


def _start_overrides(document: Document) -> dict[str, str]:
    """numbering.xml, read through the package: each w:num's id and its level-0 start override."""
    numbering = document.part.numbering_part.element
    starts = {}
    for num in numbering.findall(qn("w:num")):
        for override in num.findall(qn("w:lvlOverride")):
            start = override.find(qn("w:startOverride"))
            if override.get(qn("w:ilvl")) == "0" and start is not None:
                starts[num.get(qn("w:numId"))] = start.get(qn("w:val"))
    return starts


def test_every_numbered_list_has_its_own_numbering_from_its_first_number(document: Document) -> None:
    starts = _start_overrides(document)
    layout = _num_ids(document.paragraphs, ("Sammanfattning", "Nyckeltal", "Verksamhetsberättelser"))
    from_three = _num_ids(document.paragraphs, LIST_FROM_THREE)
    cells = [
        p for table in document.tables for row in table.rows for cell in row.cells for p in cell.paragraphs
    ]
    in_cell = _num_ids(list({id(p._p): p for p in cells}.values()), LIST_IN_CELL)
    for ids in (layout, from_three, in_cell):
        assert len(set(ids)) == 1 and ids[0]
    assert len({layout[0], from_three[0], in_cell[0]}) == 3
    assert starts[layout[0]] == "1"
    assert starts[from_three[0]] == "3"
    assert starts[in_cell[0]] == "1"


def test_the_markdown_converter_keeps_the_first_number_of_each_list() -> None:
    document = docx.Document()
    add_markdown(document, "3. tredje\n4. fjärde\n\nText.\n\n1. första\n2. andra")
    starts = _start_overrides(document)
    from_three = _num_ids(document.paragraphs, ("tredje", "fjärde"))
    from_one = _num_ids(document.paragraphs, ("första", "andra"))
    assert len(set(from_three)) == 1 and len(set(from_one)) == 1 and from_three[0] != from_one[0]
    assert (starts[from_three[0]], starts[from_one[0]]) == ("3", "1")


def test_the_document_has_no_text_boxes_or_floating_shapes(docx_path: Path) -> None:
    xml = zipfile.ZipFile(docx_path).read("word/document.xml").decode()
    assert "<wp:anchor" not in xml
    assert "txbx" not in xml
    assert "<v:shape" not in xml


def test_the_markdown_converter_makes_real_paragraphs_lists_and_emphasis() -> None:
    document = docx.Document()
    add_markdown(
        document,
        "## Rubrik\n\nText med **fet** och *kursiv* <b>html</b>.\n\n- ett\n- två\n\n1. första\n\n> citat",
        heading_level=2,
    )
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs == [
        ("Heading 2", "Rubrik"),
        ("Normal", "Text med fet och kursiv html."),
        ("List Bullet", "ett"),
        ("List Bullet", "två"),
        ("List Number", "första"),
        ("Quote", "citat"),
    ]
    runs = document.paragraphs[1].runs
    assert [r.text for r in runs if r.bold] == ["fet"]
    assert [r.text for r in runs if r.italic] == ["kursiv"]
