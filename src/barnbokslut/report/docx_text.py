"""A report ``Text`` as Word paragraphs, in the body or in a table cell.

The model already parses each Markdown text into ``blocks`` (the same parse the HTML uses), so those are
written with real Word styles: "Heading 2/3", "List Bullet", "List Number" (each numbered list its own
numbering, from its first number), "Quote". A text without blocks (a
model built by hand) falls back to :mod:`docx_markdown`, which parses the Markdown itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH

from barnbokslut.report.docx_markdown import add_markdown
from barnbokslut.report.docx_xml import add_hyperlink, restart_numbering, use_numbering
from barnbokslut.report.model import Block, BlockKind, Run, Text

if TYPE_CHECKING:
    from docx.table import _Cell
    from docx.text.paragraph import Paragraph

    from barnbokslut.report.docx_xml import Container

__all__ = ["add_runs", "add_text", "fill_cell"]

MAX_HEADING = 3


def add_runs(paragraph: Paragraph, runs: tuple[Run, ...]) -> Paragraph:
    """Append ``runs`` (bold, italic, links) to ``paragraph``."""
    for run in runs:
        if not run.text:
            continue
        if run.href and run.href.startswith(("http://", "https://", "mailto:")):
            add_hyperlink(paragraph, run.href, run.text, bold=run.bold, italic=run.italic)
            continue
        added = paragraph.add_run(run.text)
        added.bold = run.bold or None
        added.italic = run.italic or None
    return paragraph


def add_text(
    container: Container, text: Text | None, *, heading_level: int = 2, in_cell: bool = False
) -> list[Paragraph]:
    """Append ``text`` to ``container``; its first-level headings become "Heading ``heading_level``".

    In a table cell (``in_cell``) headings are bold paragraphs: a heading inside a table would clutter the
    navigation pane and the table of contents.
    """
    if text is None or not text:
        return []
    if not text.blocks:
        return add_markdown(container, text.markdown, heading_level=heading_level)
    added: list[Paragraph] = []
    for block in text.blocks:
        added += _block(container, block, heading_level, in_cell)
    return added


def fill_cell(cell: _Cell, text: Text | None) -> None:
    """Write ``text`` into a table cell, using the cell's own first paragraph."""
    if text is None or not text:
        return
    add_text(cell, text, in_cell=True)
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) > 1:
        first._p.getparent().remove(first._p)
    for paragraph in cell.paragraphs:
        paragraph.paragraph_format.space_after = 0


def _block(container: Container, block: Block, heading_level: int, in_cell: bool) -> list[Paragraph]:
    kind = block.kind
    if kind == BlockKind.HEADING:
        if in_cell:
            paragraph = container.add_paragraph()
            add_runs(paragraph, tuple(Run(r.text, True, r.italic, r.href) for r in block.runs))
            return [paragraph]
        level = max(1, min(MAX_HEADING, heading_level + max(block.level, 1) - 1))
        return [add_runs(container.add_paragraph(style=f"Heading {level}"), block.runs)]
    if kind == BlockKind.PARAGRAPH:
        return [add_runs(container.add_paragraph(), block.runs)]
    if kind == BlockKind.BULLET_LIST:
        return [add_runs(container.add_paragraph(style="List Bullet"), item) for item in block.items]
    if kind == BlockKind.ORDERED_LIST:
        items: list[Paragraph] = []
        num_id = 0
        for item in block.items:
            paragraph = container.add_paragraph(style="List Number")
            if not items:
                num_id = restart_numbering(container.part.document, paragraph, block.start)
            else:
                use_numbering(paragraph, num_id)
            items.append(add_runs(paragraph, item))
        return items
    if kind == BlockKind.QUOTE:
        quote = [add_runs(container.add_paragraph(style="Quote"), item) for item in block.items]
        if block.attribution:
            who = container.add_paragraph(f"\u2014 {block.attribution}", style="Quote")
            who.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            quote.append(who)
        return quote
    return []
