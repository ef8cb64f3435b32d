"""The parts of the Word report, in the structure's order, each with real Word headings, tables and pictures.

Heading levels follow the HTML: a part at level n is "Heading n" (numbered "2.2.1" when the report numbers
its headings); what a part holds (an area, a department, a principle) is one level below it. One function per
kind of the registry (``part_<kind>``) writes a part's content. Tables repeat their header row on every page;
charts are the PNGs the chart module rendered once for this build, with the chart's text alternative as the
picture's alt text.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import TYPE_CHECKING

from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from barnbokslut.report.docx_text import add_text, fill_cell
from barnbokslut.report.docx_xml import (
    add_hyperlink,
    keep_row_together,
    mark_header_row,
    set_alt_text,
    set_cell_shading,
)
from barnbokslut.report.model import Cell, Chart, Report, ReportPart, Signal, Status, Table, Text, Tone
from barnbokslut.report.registry import KINDS
from barnbokslut.report.sections import article_heading

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import Table as WordTable
    from docx.table import _Cell

__all__ = ["add_sections", "chart_png"]

CHART_WIDTH = Cm(16)
HEADER_FILL = "DCE6F2"
TONE_FILL = {
    Tone.GREEN: "CDEBD3",
    Tone.YELLOW: "FFF1B8",
    Tone.RED: "F7CFCB",
    Tone.NEUTRAL: "E5E7EB",
}


def chart_png(chart: Chart) -> bytes:
    """The PNG of ``chart`` from the chart module (rendered once per build, shared with HTML/PDF)."""
    from barnbokslut.report import charts

    return charts.render_chart(chart).png


def add_sections(document: Document, report: Report) -> None:
    """Append every part of the report, in order: heading at the part's level, lead, content, children."""
    for part in report.parts:
        _add_part(document, report, part)


def _add_part(document: Document, report: Report, part: ReportPart) -> None:
    document.add_heading(part.heading, level=min(part.level, 9))
    add_text(document, part.lead, heading_level=part.level + 1)
    writer: Callable[[Document, Report, ReportPart], None] = globals()[KINDS[part.kind].docx]
    writer(document, report, part)
    if part.abbreviations:
        _abbreviation_key(document, report)
    for child in part.children:
        _add_part(document, report, child)


# ------------------------------------------------------------------------------------------------ parts
# One function per kind of the registry (``Kind.docx``): part_<kind>(document, report, part).


def _own_text(document: Document, report: Report, part: ReportPart) -> None:
    add_text(document, part.text, heading_level=part.level + 1)


part_kapitel = part_text = part_inledning = part_upplagg = part_underlag = _own_text


def part_begrepp(document: Document, report: Report, part: ReportPart) -> None:
    assert report.introduction is not None
    for concept in report.introduction.concepts:
        document.add_heading(concept.term, level=part.level + 1)
        add_text(document, concept.text, heading_level=part.level + 2)


def part_grundprinciper(document: Document, report: Report, part: ReportPart) -> None:
    assert report.introduction is not None
    for principle in report.introduction.principles:
        document.add_heading(article_heading(principle.article, principle.title), level=part.level + 1)
        add_text(document, principle.text, heading_level=part.level + 2)


def part_sammanfattning(document: Document, report: Report, part: ReportPart) -> None:
    summary = report.summary
    assert summary is not None
    for sentence in summary.sentences:
        document.add_paragraph(sentence)
    if summary.counts is not None:
        add_table(document, summary.counts)
    add_text(document, summary.text, heading_level=part.level + 1)


def part_siffror(document: Document, report: Report, part: ReportPart) -> None:
    figures = report.figures
    assert figures is not None
    add_text(document, figures.intro, heading_level=part.level + 1)
    if figures.overview:
        _overview(document, report)
    for area in figures.areas:
        document.add_heading(area.title, level=part.level + 1)
        for indicator in area.indicators:
            document.add_heading(indicator.title, level=part.level + 2)
            if indicator.chart is not None:
                add_chart(document, indicator.chart, caption=indicator.chart.title != indicator.title)
            document.add_paragraph(indicator.sentence)
            for detail in indicator.details:
                document.add_paragraph(detail, style="List Bullet")
            add_text(document, indicator.comment, heading_level=part.level + 3)
            document.add_paragraph(indicator.source, style="Caption")
            if indicator.units is not None:
                document.add_heading(indicator.units.title, level=part.level + 3)
                document.add_paragraph(indicator.units.sentence)
                if indicator.units.chart is not None:
                    add_chart(document, indicator.units.chart, caption=False)
                add_table(document, indicator.units.table)


def _overview(document: Document, report: Report) -> None:
    figures = report.figures
    assert figures is not None
    columns = ("Nyckeltal", "Värde", "År", "Trend", "Placering", "Flickor och pojkar")
    widths = (5.2, 1.9, 1.2, 2.6, 2.6, 2.5)
    table = _new_table(document, columns, widths)
    for row in figures.overview:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(row.title)
        _numeric(cells[1], row.value)
        _numeric(cells[2], row.period)
        for cell, signal in zip(cells[3:], (row.trend, row.position, row.gender), strict=True):
            _signal(cell, signal)
    _finish_table(document, table)
    document.add_paragraph(
        "Trend: jämfört med kommunens egna tidigare värden. Placering: bland alla kommuner, i Koladas färger. "
        "Flickor och pojkar: skillnaden mellan könen. Varje signal står även i ord.",
        style="Caption",
    )


def part_lokala_data(document: Document, report: Report, part: ReportPart) -> None:
    for item in report.local_data:
        document.add_heading(item.title, level=part.level + 1)
        add_text(document, item.text, heading_level=part.level + 2)
        if item.chart is not None:
            add_chart(document, item.chart)
        add_table(document, item.table)


def part_verksamheter(document: Document, report: Report, part: ReportPart) -> None:
    for department in report.departments:
        document.add_heading(f"{department.name} ({department.abbreviation})", level=part.level + 1)
        add_text(document, department.intro, heading_level=part.level + 2)
        for principle in department.principles:
            document.add_heading(article_heading(principle.article, principle.title), level=part.level + 2)
            add_text(document, principle.text, heading_level=part.level + 3)


def part_barnkonsekvensanalyser(document: Document, report: Report, part: ReportPart) -> None:
    bka = report.bka
    assert bka is not None
    document.add_paragraph(bka.note)
    for table in bka.tables:
        add_table(document, table)
    if bka.comparison is not None:
        document.add_heading("Jämförelse med tidigare år", level=part.level + 1)
        add_table(document, bka.comparison)
    if bka.suggestions:
        document.add_heading("Förslag till utvecklingsområden", level=part.level + 1)
        for suggestion in bka.suggestions:
            document.add_paragraph(suggestion, style="List Bullet")
    elif bka.comparison is not None:
        document.add_paragraph(f"Ingen av andelarna sjönk från {bka.years[-2]} till {bka.years[-1]}.")


def part_barnens_roster(document: Document, report: Report, part: ReportPart) -> None:
    voices = report.voices
    assert voices is not None
    for survey in voices.surveys:
        document.add_heading(survey.name, level=min(part.level + 1, 9))
        add_text(document, survey.text, heading_level=part.level + 2)
        for question in survey.questions:
            document.add_heading(question.question, level=min(part.level + 2, 9))
            if question.measure:
                document.add_paragraph(question.measure)
            document.add_paragraph(question.sentence)
            if question.chart is not None:
                add_chart(document, question.chart)
            add_table(document, question.trend)
            if question.breakdown is not None:
                add_table(document, question.breakdown)
    if voices.quotes:
        document.add_heading("Vad barnen har sagt", level=min(part.level + 1, 9))
        for quote in voices.quotes:
            document.add_paragraph(quote.text, style="Quote")
            document.add_paragraph(f"\u2014 {quote.attribution}", style="Quote")
    if voices.proposals_table is not None:
        document.add_heading("Barnens förslag och vad som hände", level=min(part.level + 1, 9))
        document.add_paragraph(voices.proposals_summary)
        add_table(document, voices.proposals_table)
    if voices.child_areas:
        document.add_heading("Utvecklingsområden som barnen har föreslagit", level=min(part.level + 1, 9))
        for area in voices.child_areas:
            document.add_paragraph(area, style="List Bullet")
    if voices.quotes or voices.proposals:
        document.add_paragraph(voices.source)


def part_barnversion(document: Document, report: Report, part: ReportPart) -> None:
    version = report.child_version
    assert version is not None
    add_text(document, version.lead, heading_level=part.level + 1)
    for child_part in version.parts:
        document.add_heading(child_part.spec.heading, level=min(part.level + 1, 9))
        add_text(document, child_part.text, heading_level=part.level + 2)


def _status_text(status: Status) -> str:
    return f"{status.symbol} {status.value}"


def part_uppfoljning(document: Document, report: Report, part: ReportPart) -> None:
    columns = ("Område", "Förvaltning", "Åtgärd", "Status", "Kommentar")
    table = _new_table(document, columns, (3.0, 2.2, 4.6, 2.4, 3.8))
    for row in report.follow_up:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(row.area)
        cells[1].paragraphs[0].add_run(row.department_label)
        if row.numbered:
            fill_numbered(cells[2], [a.text for a in row.actions])
            if row.per_action_status:
                fill_numbered_lines(cells[3], [_status_text(row.action_status(a)) for a in row.actions])
            else:
                cells[3].paragraphs[0].add_run(_status_text(row.status))
            comments = [a.comment for a in row.actions]
            if any(comments):
                fill_numbered(cells[4], comments)
            if row.comment:
                fill_cell(cells[4], row.comment)
        else:
            fill_cell(cells[2], row.actions[0].text)
            cells[3].paragraphs[0].add_run(_status_text(row.status))
            fill_cell(cells[4], row.actions[0].comment)
            if row.comment:
                fill_cell(cells[4], row.comment)
        set_cell_shading(cells[3], TONE_FILL.get(row.status.tone, "FFFFFF"))
    _finish_table(document, table)


def fill_numbered(cell: _Cell, texts: list[Text | None]) -> None:
    """Texts numbered "1. …", "2. …" in one cell, as the follow-up table writes actions and comments."""
    for number, text in enumerate(texts, start=1):
        if not text:
            continue
        paragraphs = add_text(cell, text, in_cell=True)
        if paragraphs:
            label = paragraphs[0].add_run(f"{number}. ")
            paragraphs[0]._p.remove(label._r)
            properties = paragraphs[0]._p.pPr
            paragraphs[0]._p.insert(1 if properties is not None else 0, label._r)
    _drop_empty_first(cell)


def fill_numbered_lines(cell: _Cell, lines: list[str]) -> None:
    """Plain lines numbered "1. …" in one cell (the status of each action)."""
    for number, line in enumerate(lines, start=1):
        cell.add_paragraph(f"{number}. {line}")
    _drop_empty_first(cell)


def _drop_empty_first(cell: _Cell) -> None:
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)


def part_nulage(document: Document, report: Report, part: ReportPart) -> None:
    """The Nulägesanalys has its content in its sub-parts (``nulage-del``), added as children."""


def part_nulage_del(document: Document, report: Report, part: ReportPart) -> None:
    add_text(document, part.text, heading_level=part.level + 1)
    for title, text in part.items:
        document.add_heading(title, level=part.level + 1)
        add_text(document, text, heading_level=part.level + 2)


def part_utvecklingsomraden(document: Document, report: Report, part: ReportPart) -> None:
    columns = ("Område", "Förvaltning", "Åtgärder", "Förväntade resultat")
    table = _new_table(document, columns, (3.2, 2.3, 5.5, 5.0))
    for area in report.development_areas:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(area.area)
        if area.from_children:
            cells[0].paragraphs[0].add_run(" (förslag från barn)").italic = True
        cells[1].paragraphs[0].add_run(area.department_label)
        fill_cell(cells[2], area.actions)
        fill_cell(cells[3], area.expected)
    _finish_table(document, table)


def _abbreviation_key(document: Document, report: Report) -> None:
    """The key after a table: "Förkortningar:" then one line per unit, "SVF = Stadsområde, …"."""
    heading = document.add_paragraph()
    heading.add_run(f"{report.abbreviations_title}:").bold = True
    heading.paragraph_format.keep_with_next = True
    part_forkortningar(document, report, None)


def part_forkortningar(document: Document, report: Report, part: ReportPart | None) -> None:
    """One line per unit, "SVF = Stadsområde, …" (the key as its own part, or after a table)."""
    for unit in report.units:
        line = document.add_paragraph()
        line.paragraph_format.space_after = Pt(0)
        line.add_run(unit.abbreviation).bold = True
        line.add_run(f" = {unit.name}")


def part_slutsatser(document: Document, report: Report, part: ReportPart) -> None:
    conclusions = report.conclusions
    assert conclusions is not None
    add_text(document, conclusions.text, heading_level=part.level + 1)
    if conclusions.recommendations:
        document.add_heading("Rekommendationer", level=part.level + 1)
        add_text(document, conclusions.recommendations, heading_level=part.level + 2)


def part_kallor(document: Document, report: Report, part: ReportPart) -> None:
    for source in report.sources:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(source.text)
        if source.url:
            paragraph.add_run(" ")
            add_hyperlink(paragraph, source.url, source.url)


# ------------------------------------------------------------------------------------------ tables, charts


def add_table(document: Document, table: Table) -> WordTable:
    """A model ``Table`` as a Word table: caption above, repeated header row, source below."""
    if table.caption:
        caption = document.add_paragraph(table.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    word = _new_table(document, table.columns, None)
    for row in table.rows:
        cells = word.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=False)):
            _cell(cell, value, header=table.row_headers and index == 0)
    _finish_table(document, word)
    if table.source:
        document.add_paragraph(table.source, style="Caption")
    return word


def add_chart(document: Document, chart: Chart, *, caption: bool = True) -> None:
    """The chart's PNG as an inline picture with alt text (and title), its title above unless a heading says it."""
    if caption:
        title = document.add_paragraph(chart.title, style="Caption")
        title.paragraph_format.keep_with_next = True
        title.runs[0].bold = True
    shape = document.add_picture(io.BytesIO(chart_png(chart)), width=CHART_WIDTH)
    description = chart.alt if chart.description in ("", chart.alt) else f"{chart.alt} {chart.description}"
    set_alt_text(shape, description, chart.title)
    picture = document.paragraphs[-1]
    picture.paragraph_format.keep_with_next = True
    picture.alignment = WD_ALIGN_PARAGRAPH.CENTER


def _new_table(document: Document, columns: tuple[str, ...], widths: tuple[float, ...] | None) -> WordTable:
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, name in zip(table.rows[0].cells, columns, strict=True):
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        set_cell_shading(cell, HEADER_FILL)
    mark_header_row(table.rows[0])
    if widths is not None:
        table.autofit = False
        for column, width in zip(table.columns, widths, strict=True):
            column.width = Cm(width)
            for cell in column.cells:
                cell.width = Cm(width)
    return table


def _finish_table(document: Document, table: WordTable) -> None:
    """Smaller type, no space after paragraphs, widths on every cell, rows kept whole."""
    widths = [cell.width for cell in table.rows[0].cells]
    for row in table.rows:
        keep_row_together(row)
        for cell, width in zip(row.cells, widths, strict=False):
            if width is not None:
                cell.width = width
            for paragraph in cell.paragraphs:
                paragraph.paragraph_format.space_after = Pt(0)
                paragraph.paragraph_format.line_spacing = 1.0
                for run in paragraph.runs:
                    run.font.size = Pt(9.5)
    # an empty paragraph after the table (the document's last block) keeps two tables (or a table and a heading)
    # apart in Word
    document.add_paragraph().paragraph_format.space_after = Pt(2)


def _cell(cell: _Cell, value: Cell, *, header: bool = False) -> None:
    if value.signal is not None:
        _signal(cell, value.signal)
        return
    if value.numeric:
        _numeric(cell, value.text)
        return
    run = cell.paragraphs[0].add_run(value.text)
    run.bold = header or None


def _numeric(cell: _Cell, text: str) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    paragraph.add_run(text)


def _signal(cell: _Cell, signal: Signal) -> None:
    """A signal as symbol and words (never colour alone), on a light background in its colour."""
    cell.paragraphs[0].add_run(f"{signal.symbol} {signal.label}".strip())
    fill = TONE_FILL.get(signal.tone)
    if fill:
        set_cell_shading(cell, fill)
