"""Markdown texts as real Word paragraphs: headings, bullet and numbered lists, bold, italic, quotes, links.

Built on markdown-it-py's token stream, so a writer's Markdown never reaches the document as raw "**" or "##",
and raw HTML in a text is reduced to its words (no tags leak into Word).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from markdown_it import MarkdownIt
from markdown_it.token import Token

from barnbokslut.report.docx_xml import add_hyperlink, restart_numbering, use_numbering

if TYPE_CHECKING:
    from docx.text.paragraph import Paragraph

    from barnbokslut.report.docx_xml import Container

__all__ = ["add_inline_markdown", "add_markdown", "plain_text"]

_PARSER = MarkdownIt("commonmark", {"html": True}).enable("table")
_TAG = re.compile(r"<[^>]+>")
MAX_HEADING = 3


@dataclass
class _Style:
    bold: bool = False
    italic: bool = False
    code: bool = False
    link: str | None = None


@dataclass
class _State:
    document: Container
    heading_shift: int
    quote_depth: int = 0
    lists: list[tuple[str, int, int]] = field(default_factory=list)  # (kind, numbering id, first number)
    item_started: bool = False


def plain_text(markdown: str) -> str:
    """The words of a Markdown text without any markup (for alt texts and metadata)."""
    words: list[str] = []
    for token in _PARSER.parse(markdown):
        if token.type == "inline" and token.children:
            words.append(
                "".join(
                    " " if c.type in ("softbreak", "hardbreak") else c.content
                    for c in token.children
                    if c.type in ("text", "code_inline", "softbreak", "hardbreak")
                )
            )
    return " ".join(w for w in words if w)


def add_inline_markdown(paragraph: Paragraph, markdown: str) -> Paragraph:
    """Append one line of Markdown (bold, italic, links) as runs of ``paragraph``."""
    for token in _PARSER.parseInline(markdown):
        _add_inline(paragraph, token.children or [])
    return paragraph


def add_markdown(document: Container, markdown: str, *, heading_level: int = 2) -> list[Paragraph]:
    """Append ``markdown`` to ``document`` as styled paragraphs; returns them.

    The text's highest heading becomes ``heading_level`` (a text under a "Heading 1" section uses level 2), its
    lower headings follow relatively, capped at Heading 3.
    """
    tokens = _PARSER.parse(markdown or "")
    levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
    state = _State(document, heading_shift=heading_level - min(levels) if levels else 0)
    added: list[Paragraph] = []
    index = 0
    while index < len(tokens):
        index = _block(state, tokens, index, added)
    return added


def _paragraph_style(state: _State) -> str:
    if state.lists:
        kind, _, _ = state.lists[-1]
        depth = min(len(state.lists), 3)
        base = "List Bullet" if kind == "bullet" else "List Number"
        if state.item_started:
            return "List Continue" if depth == 1 else f"List Continue {depth}"
        return base if depth == 1 else f"{base} {depth}"
    if state.quote_depth:
        return "Quote"
    return "Normal"


def _block(state: _State, tokens: Sequence[Token], index: int, added: list[Paragraph]) -> int:
    token = tokens[index]
    kind = token.type
    if kind == "heading_open":
        level = max(1, min(MAX_HEADING, int(token.tag[1]) + state.heading_shift))
        paragraph = state.document.add_paragraph(style=f"Heading {level}")
        _add_inline(paragraph, tokens[index + 1].children or [])
        added.append(paragraph)
        return index + 3
    if kind == "paragraph_open":
        paragraph = state.document.add_paragraph(style=_paragraph_style(state))
        if state.lists and not state.item_started:
            _kind, num_id, start = state.lists[-1]
            if _kind == "ordered":
                if num_id == 0:
                    num_id = restart_numbering(state.document.part.document, paragraph, start)
                    state.lists[-1] = (_kind, num_id, start)
                else:
                    use_numbering(paragraph, num_id)
            state.item_started = True
        _add_inline(paragraph, tokens[index + 1].children or [])
        added.append(paragraph)
        return index + 3
    if kind == "bullet_list_open":
        state.lists.append(("bullet", 0, 1))
    elif kind == "ordered_list_open":  # "start" only when the list does not start at 1
        state.lists.append(("ordered", 0, int(token.attrs.get("start", 1))))
    elif kind in ("bullet_list_close", "ordered_list_close"):
        state.lists.pop()
        state.item_started = bool(state.lists)
    elif kind == "list_item_open":
        state.item_started = False
    elif kind == "blockquote_open":
        state.quote_depth += 1
    elif kind == "blockquote_close":
        state.quote_depth -= 1
    elif kind in ("fence", "code_block"):
        for line in token.content.rstrip("\n").split("\n"):
            paragraph = state.document.add_paragraph(line, style="No Spacing")
            added.append(paragraph)
    elif kind == "html_block":
        text = _TAG.sub("", token.content).strip()
        if text:
            added.append(state.document.add_paragraph(text, style=_paragraph_style(state)))
    elif kind == "table_open":
        return _table(state, tokens, index, added)
    return index + 1


def _table(state: _State, tokens: Sequence[Token], index: int, added: list[Paragraph]) -> int:
    """A Markdown table as a Word table with a repeated header row."""
    from barnbokslut.report.docx_xml import mark_header_row

    rows: list[list[list[Token]]] = []
    header_rows = 0
    while tokens[index].type != "table_close":
        token = tokens[index]
        if token.type == "tr_open":
            rows.append([])
        elif token.type == "inline":
            rows[-1].append(token.children or [])
        elif token.type == "thead_close":
            header_rows = len(rows)
        index += 1
    if not rows:
        return index + 1
    columns = max(len(r) for r in rows)
    table = state.document.add_table(rows=len(rows), cols=columns)
    table.style = "Table Grid"
    for r, cells in enumerate(rows):
        for c, children in enumerate(cells):
            paragraph = table.cell(r, c).paragraphs[0]
            _add_inline(paragraph, children, _Style(bold=r < header_rows))
    for r in range(header_rows):
        mark_header_row(table.rows[r])
    return index + 1


def _add_inline(paragraph: Paragraph, children: Sequence[Token], base: _Style | None = None) -> None:
    style = base or _Style()
    stack: list[_Style] = []
    for token in children:
        kind = token.type
        if kind in ("strong_open", "em_open", "link_open"):
            stack.append(style)
            style = _Style(
                bold=style.bold or kind == "strong_open",
                italic=style.italic or kind == "em_open",
                link=str(token.attrs.get("href", "")) if kind == "link_open" else style.link,
            )
        elif kind in ("strong_close", "em_close", "link_close"):
            style = stack.pop() if stack else _Style()
        elif kind in ("text", "code_inline"):
            _run(paragraph, token.content, style, code=kind == "code_inline")
        elif kind == "softbreak":
            _run(paragraph, " ", style)
        elif kind == "hardbreak":
            paragraph.add_run().add_break()
        elif kind == "image":
            _run(paragraph, token.content or "", style)
        elif kind == "html_inline":
            continue  # a tag on its own; its text arrives as separate text tokens


def _run(paragraph: Paragraph, text: str, style: _Style, *, code: bool = False) -> None:
    if not text:
        return
    if style.link and style.link.startswith(("http://", "https://", "mailto:")):
        add_hyperlink(paragraph, style.link, text, bold=style.bold, italic=style.italic)
        return
    run = paragraph.add_run(text)
    run.bold = style.bold or None
    run.italic = style.italic or None
    if code:
        run.font.name = "DejaVu Sans Mono"
