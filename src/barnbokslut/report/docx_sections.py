"""The sections of the Word report, in the model's order, each with real Word headings, tables and pictures.

Heading levels follow the HTML: a section is "Heading 1", an area, department or local data item "Heading 2",
an indicator or a principle "Heading 3". Tables repeat their header row on every page; charts are the PNGs
the chart module rendered once for this build, with the chart's text alternative as the picture's alt text.
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
from barnbokslut.report.model import Cell, Chart, Report, Signal, Table, Tone

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
    """Append every section that has content, in report order."""
    writers: dict[str, Callable[[Document, Report], None]] = {
        "inledning": _introduction,
        "upplagg": lambda d, r: add_text(d, r.layout),
        "underlag": lambda d, r: add_text(d, r.basis),
        "sammanfattning": _summary,
        "siffror": _figures,
        "lokala-data": _local_data,
        "verksamheter": _departments,
        "uppfoljning": _follow_up,
        "nulage": _current_analysis,
        "utvecklingsomraden": _development_areas,
        "slutsatser": _conclusions,
        "kallor": _sources,
    }
    for section in report.present_sections():
        document.add_heading(report.heading(section), level=1)
        writers[section](document, report)


# ------------------------------------------------------------------------------------------------ sections


def _introduction(document: Document, report: Report) -> None:
    intro = report.introduction
    assert intro is not None
    add_text(document, intro.purpose)
    for concept in intro.concepts:
        document.add_heading(concept.term, level=2)
        add_text(document, concept.text, heading_level=3)
    if intro.principles:
        document.add_heading("Barnkonventionens fyra grundprinciper", level=2)
        for principle in intro.principles:
            document.add_heading(f"Artikel {principle.article} – {principle.title}", level=3)
            add_text(document, principle.text, heading_level=3)


def _summary(document: Document, report: Report) -> None:
    summary = report.summary
    assert summary is not None
    for sentence in summary.sentences:
        document.add_paragraph(sentence)
    if summary.counts is not None:
        add_table(document, summary.counts)
    add_text(document, summary.text)


def _figures(document: Document, report: Report) -> None:
    figures = report.figures
    assert figures is not None
    add_text(document, figures.intro)
    if figures.overview:
        _overview(document, report)
    for area in figures.areas:
        document.add_heading(area.title, level=2)
        for indicator in area.indicators:
            document.add_heading(indicator.title, level=3)
            if indicator.chart is not None:
                add_chart(document, indicator.chart, caption=indicator.chart.title != indicator.title)
            document.add_paragraph(indicator.sentence)
            for detail in indicator.details:
                document.add_paragraph(detail, style="List Bullet")
            add_text(document, indicator.comment, heading_level=4)
            document.add_paragraph(indicator.source, style="Caption")


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
    _finish_table(table)
    document.add_paragraph(
        "Trend: jämfört med kommunens egna tidigare värden. Placering: bland alla kommuner, i Koladas färger. "
        "Flickor och pojkar: skillnaden mellan könen. Varje signal står även i ord.",
        style="Caption",
    )


def _local_data(document: Document, report: Report) -> None:
    for item in report.local_data:
        document.add_heading(item.title, level=2)
        add_text(document, item.text, heading_level=3)
        if item.chart is not None:
            add_chart(document, item.chart)
        add_table(document, item.table)


def _departments(document: Document, report: Report) -> None:
    for department in report.departments:
        document.add_heading(f"{department.name} ({department.abbreviation})", level=2)
        add_text(document, department.intro, heading_level=3)
        for principle in department.principles:
            document.add_heading(f"Artikel {principle.article} – {principle.title}", level=3)
            add_text(document, principle.text, heading_level=4)


def _follow_up(document: Document, report: Report) -> None:
    columns = ("Område", "Förvaltning", "Åtgärd", "Status", "Kommentar")
    table = _new_table(document, columns, (3.0, 2.2, 4.6, 2.4, 3.8))
    for row in report.follow_up:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(row.area)
        cells[1].paragraphs[0].add_run(", ".join(row.departments))
        fill_cell(cells[2], row.action)
        status = cells[3].paragraphs[0]
        status.add_run(f"{row.status.symbol} {row.status.value}")
        set_cell_shading(cells[3], TONE_FILL.get(row.status.tone, "FFFFFF"))
        fill_cell(cells[4], row.comment)
    _finish_table(table)


def _current_analysis(document: Document, report: Report) -> None:
    analysis = report.current_analysis
    assert analysis is not None
    if analysis.conditions:
        document.add_heading("Förutsättningar", level=2)
        add_text(document, analysis.conditions, heading_level=3)
    for article in analysis.articles:
        document.add_heading(f"Artikel {article.article} – {article.title}", level=2)
        for label, text in (("Styrkor", article.strengths), ("Utmaningar", article.challenges)):
            if text:
                document.add_heading(label, level=3)
                add_text(document, text, heading_level=3)


def _development_areas(document: Document, report: Report) -> None:
    columns = ("Område", "Förvaltning", "Åtgärder", "Förväntade resultat")
    table = _new_table(document, columns, (3.2, 2.3, 5.5, 5.0))
    for area in report.development_areas:
        cells = table.add_row().cells
        cells[0].paragraphs[0].add_run(area.area)
        cells[1].paragraphs[0].add_run(", ".join(area.departments))
        fill_cell(cells[2], area.actions)
        fill_cell(cells[3], area.expected)
    _finish_table(table)


def _conclusions(document: Document, report: Report) -> None:
    conclusions = report.conclusions
    assert conclusions is not None
    add_text(document, conclusions.text)
    if conclusions.recommendations:
        document.add_heading("Rekommendationer", level=2)
        add_text(document, conclusions.recommendations, heading_level=3)


def _sources(document: Document, report: Report) -> None:
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
    _finish_table(word)
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


def _finish_table(table: WordTable) -> None:
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
    # an empty paragraph after a table keeps two tables (or a table and a heading) apart in Word
    body = table._parent
    body.add_paragraph().paragraph_format.space_after = Pt(2)


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
