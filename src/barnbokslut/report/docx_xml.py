"""Low-level WordprocessingML helpers that python-docx has no API for.

Fields (table of contents, page numbers), A4 pages, the document language, repeated table header rows, image
alt text, hyperlinks and numbered lists that each start at their own first number. Everything here produces
plain Word constructs a coordinator can keep editing: no text boxes, no absolute positioning.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm

if TYPE_CHECKING:
    from docx.document import Document
    from docx.oxml.xmlchemy import BaseOxmlElement
    from docx.section import Section
    from docx.shape import InlineShape
    from docx.styles.style import BaseStyle
    from docx.table import _Row
    from docx.text.paragraph import Paragraph


class Container(Protocol):
    """Where paragraphs and tables go: the document body or a table cell."""

    @property
    def part(self) -> Any: ...

    def add_paragraph(self, text: str = "", style: str | None = None) -> Paragraph: ...

    def add_table(self, rows: int, cols: int, *args: Any) -> Any: ...


__all__ = [
    "Container",
    "add_field",
    "add_hyperlink",
    "mark_header_row",
    "request_field_update",
    "restart_numbering",
    "set_a4",
    "set_alt_text",
    "set_cell_shading",
    "set_style_language",
]

A4_WIDTH = Cm(21.0)
A4_HEIGHT = Cm(29.7)


def set_a4(section: Section, *, side: float = 2.5, top: float = 2.5, bottom: float = 2.5) -> None:
    """Make ``section`` portrait A4 with margins in centimetres (python-docx's template is US Letter)."""
    section.page_width = A4_WIDTH
    section.page_height = A4_HEIGHT
    section.left_margin = section.right_margin = Cm(side)
    section.top_margin = Cm(top)
    section.bottom_margin = Cm(bottom)
    section.header_distance = section.footer_distance = Cm(1.25)


def _set_lang(rpr: object, lang: str) -> None:
    existing = rpr.find(qn("w:lang"))  # type: ignore[attr-defined]
    if existing is None:
        existing = OxmlElement("w:lang")
        rpr.append(existing)  # type: ignore[attr-defined]
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        existing.set(qn(attribute), lang)


def set_style_language(document: Document, style: BaseStyle, lang: str = "sv-SE") -> None:
    """Set the proofing language of ``style`` and of the document defaults to ``lang`` (e.g. "sv-SE")."""
    _set_lang(style.element.get_or_add_rPr(), lang)
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is not None:
        rpr = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
        if rpr is not None:
            _set_lang(rpr, lang)


def add_field(paragraph: Paragraph, instruction: str, placeholder: str = "") -> None:
    """Append a complex field (``PAGE``, ``NUMPAGES``, ``TOC …``) with its cached ``placeholder`` text.

    Word computes the value when it lays out or updates the document; until then it shows the placeholder.
    """

    def run_with(child: BaseOxmlElement) -> None:
        run = OxmlElement("w:r")
        run.append(child)
        paragraph._p.append(run)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run_with(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = f" {instruction} "
    run_with(instr)
    separate = OxmlElement("w:fldChar")
    separate.set(qn("w:fldCharType"), "separate")
    run_with(separate)
    if placeholder:
        text = OxmlElement("w:t")
        text.set(qn("xml:space"), "preserve")
        text.text = placeholder
        run_with(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run_with(end)


def request_field_update(document: Document) -> None:
    """Ask Word to update fields (the table of contents) when the document is opened."""
    settings = document.settings.element
    update = settings.find(qn("w:updateFields"))
    if update is None:
        update = OxmlElement("w:updateFields")
        settings.append(update)
    update.set(qn("w:val"), "true")


def mark_header_row(row: _Row) -> None:
    """Repeat ``row`` at the top of every page the table runs onto, and keep it in one piece."""
    tr_pr = row._tr.get_or_add_trPr()
    for tag in ("w:cantSplit", "w:tblHeader"):
        if tr_pr.find(qn(tag)) is None:
            element = OxmlElement(tag)
            element.set(qn("w:val"), "true")
            tr_pr.append(element)


def keep_row_together(row: _Row) -> None:
    """Do not break ``row`` across pages."""
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn("w:cantSplit")) is None:
        element = OxmlElement("w:cantSplit")
        element.set(qn("w:val"), "true")
        tr_pr.append(element)


def set_cell_shading(cell: object, fill: str) -> None:
    """Give a table cell a background colour (hex RGB without '#')."""
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def set_alt_text(shape: InlineShape, description: str, title: str = "") -> None:
    """Give an inline picture its alternative text (Word's "Alternativtext") and title."""
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", description)
    if title:
        doc_pr.set("title", title)


def add_hyperlink(
    paragraph: Paragraph, url: str, text: str, *, bold: bool = False, italic: bool = False
) -> None:
    """Append an external hyperlink run styled with Word's "Hyperlink" look (blue, underlined)."""
    rel_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel_id)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")  # children in schema order: b, i, color, u
    if bold:
        rpr.append(OxmlElement("w:b"))
    if italic:
        rpr.append(OxmlElement("w:i"))
    colour = OxmlElement("w:color")
    colour.set(qn("w:val"), "0563C1")
    rpr.append(colour)
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    rpr.append(underline)
    run.append(rpr)
    t = OxmlElement("w:t")
    t.set(qn("xml:space"), "preserve")
    t.text = text
    run.append(t)
    link.append(run)
    paragraph._p.append(link)


def restart_numbering(document: Document, paragraph: Paragraph, start: int = 1) -> int:
    """Make a numbered list start again at ``start`` from ``paragraph`` on; returns the new numbering id.

    Word's "List Number" style points at one shared list, so every numbered list would continue the previous
    one. A fresh ``w:num`` over the same abstract numbering with a start override (``start``: 1, or 3 for a
    list written "3. …") restarts it; the caller puts the returned id on the following items of the same list
    with :func:`use_numbering`.
    """
    if paragraph.style is None or paragraph.style.name is None:
        return 0
    numbering = document.part.numbering_part.element
    style = document.styles[paragraph.style.name]
    style_num = style.element.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if style_num is None:
        return 0
    old_id = style_num.get(qn("w:val"))
    abstract_id = None
    for num in numbering.findall(qn("w:num")):
        if num.get(qn("w:numId")) == old_id:
            abstract_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
    if abstract_id is None:
        return 0
    new_id = max(int(n.get(qn("w:numId"))) for n in numbering.findall(qn("w:num"))) + 1
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), str(new_id))
    abstract = OxmlElement("w:abstractNumId")
    abstract.set(qn("w:val"), abstract_id)
    num.append(abstract)
    override = OxmlElement("w:lvlOverride")
    override.set(qn("w:ilvl"), "0")
    start_override = OxmlElement("w:startOverride")
    start_override.set(qn("w:val"), str(start))
    override.append(start_override)
    num.append(override)
    numbering.append(num)
    use_numbering(paragraph, new_id)
    return new_id


def use_numbering(paragraph: Paragraph, num_id: int) -> None:
    """Attach ``paragraph`` to the numbering ``num_id`` (level 0)."""
    if not num_id:
        return
    p_pr = paragraph._p.get_or_add_pPr()
    num_pr = p_pr.find(qn("w:numPr"))
    if num_pr is not None:
        p_pr.remove(num_pr)
    num_pr = OxmlElement("w:numPr")
    ilvl = OxmlElement("w:ilvl")
    ilvl.set(qn("w:val"), "0")
    num_pr.append(ilvl)
    num_id_el = OxmlElement("w:numId")
    num_id_el.set(qn("w:val"), str(num_id))
    num_pr.append(num_id_el)
    _insert_num_pr(p_pr, num_pr)


_BEFORE_NUM_PR = ("w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl")


def _insert_num_pr(p_pr: Any, num_pr: Any) -> None:
    """Put ``numPr`` where the schema wants it: after pStyle … widowControl (Word rejects another order)."""
    previous = [child for child in p_pr if child.tag in {qn(tag) for tag in _BEFORE_NUM_PR}]
    if previous:
        previous[-1].addnext(num_pr)
    else:
        p_pr.insert(0, num_pr)
