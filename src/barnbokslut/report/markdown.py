"""Markdown texts for the report: a sanitised HTML fragment and DOCX blocks from the same source.

Writers' texts are Markdown (CommonMark: paragraphs, emphasis, links, lists, headings, block quotes). Raw HTML is
never passed through: markdown-it escapes it (``html=False``) and nh3 then keeps only an allow-list of tags,
attributes and URL schemes, so no ``<script>``, event handler or ``javascript:`` link reaches the report.

A block quote whose last paragraph starts with a dash ("— Elev i årskurs 8") gets that line as attribution:
``<figure class="citat"><blockquote>…</blockquote><figcaption>— …</figcaption></figure>`` in HTML and
``Block(kind=QUOTE, attribution=…)`` for DOCX.

Markdown headings are demoted to fit where the text sits: with ``heading_base=3`` the text's top heading level
becomes ``<h3>``, whether the writer wrote ``#``, ``##`` or ``###`` (a writer's ``### Artikel 2`` is the first
level under the part it sits in, not two levels further down), and the levels below it follow.

A numbered list keeps its first number: "3. Ej påbörjad" gives ``<ol start="3">`` and ``Block(start=3)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.rules_inline import image, link
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict

from barnbokslut.report.model import Block, BlockKind, Run, Text

__all__ = ["sanitise_html", "to_text"]

_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "figure", "figcaption",
    "h3", "h4", "h5", "h6", "code", "hr",
}  # fmt: skip
_ALLOWED_ATTRIBUTES = {"a": {"href"}, "figure": {"class"}, "ol": {"start"}}
_SCHEMES = {"http", "https", "mailto"}
_DASH = re.compile(r"^\s*(?:—|–|--)\s*")
_CITAT = "citat"


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    # A quote with attribution (marked by ``_mark_attributions``) renders as a figure; everything else as usual.
    for name, html in _FIGURE_HTML.items():
        md.add_render_rule(name, _figure_rule(html))
    # "[" with no "]" after it can't open a link or an image: skip the label search that would scan to the end
    # of the paragraph from every such bracket (100k of "[" cost 22 times an ordinary text of that size).
    md.inline.ruler.at("link", _needs_close(link, 0))
    md.inline.ruler.at("image", _needs_close(image, 1))
    return md


def _needs_close(
    rule: Callable[[StateInline, bool], bool], offset: int
) -> Callable[[StateInline, bool], bool]:
    """``rule`` (link or image), tried only when a "]" follows its "[" (at ``offset`` from the position)."""

    def guarded(state: StateInline, silent: bool) -> bool:
        last_close: int | None = getattr(state, "_last_close", None)
        if last_close is None:
            last_close = state.src.rfind("]")
            state._last_close = last_close  # type: ignore[attr-defined]  # one search per paragraph
        if state.pos + offset >= last_close:
            return False
        return rule(state, silent)

    return guarded


_FIGURE_HTML = {
    "blockquote_open": '<figure class="citat"><blockquote>\n',
    "paragraph_open": "</blockquote>\n<figcaption>— ",
    "paragraph_close": "</figcaption></figure>",
    "blockquote_close": "\n",
}


def _figure_rule(html: str) -> Callable[..., str]:
    def render(
        self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
    ) -> str:
        if tokens[idx].meta.get(_CITAT):
            return html
        return str(self.renderToken(tokens, idx, options, env))

    return render


def _mark_attributions(tokens: Sequence[Token]) -> None:
    """Mark each block quote whose last paragraph starts with a dash, in one pass over the tokens.

    The quote's open and close tokens and the last paragraph's get ``meta["citat"]`` (the renderer then writes a
    ``<figure>`` with that paragraph as ``<figcaption>``) and the dash is taken off the paragraph's first text. A
    quote that is only the dash line stays a quote, as in DOCX. Linear in the number of tokens: a regular
    expression over the rendered HTML was quadratic in the number of dash lines.
    """
    opened: list[int] = []
    for index, token in enumerate(tokens):
        if token.type == "blockquote_open":
            opened.append(index)
        elif token.type == "blockquote_close" and opened:
            start = opened.pop()
            last = index - 3  # paragraph_open, inline, paragraph_close, blockquote_close
            if last <= start + 1 or tokens[last].type != "paragraph_open":
                continue
            if tokens[last].level != token.level + 1 or tokens[index - 1].type != "paragraph_close":
                continue
            children = tokens[last + 1].children
            first = children[0] if children else None
            if first is None or first.type != "text" or not _DASH.match(first.content):
                continue
            first.content = _DASH.sub("", first.content, count=1)
            for marked in (tokens[start], tokens[last], tokens[index - 1], token):
                marked.meta[_CITAT] = True


def sanitise_html(fragment: str) -> str:
    """Keep only the allowed tags, attributes and link schemes of ``fragment``."""
    return nh3.clean(
        fragment,
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes=_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def _demote(tokens: Sequence[Token], base: int) -> None:
    headings = [token for token in tokens if token.type in ("heading_open", "heading_close")]
    top = min((int(token.tag[1:]) for token in headings), default=1)
    for token in headings:
        level = int(token.tag[1:])
        token.tag = f"h{min(6, base + level - top)}"


def to_text(markdown: str, *, heading_base: int = 3) -> Text:
    """Parse ``markdown`` into a ``Text`` (Markdown, sanitised HTML, DOCX blocks)."""
    md = _parser()
    tokens = md.parse(markdown)
    _demote(tokens, heading_base)
    blocks = tuple(_blocks(tokens, heading_base))  # before the attributions lose their dash
    _mark_attributions(tokens)
    html = md.renderer.render(tokens, md.options, {})
    return Text(markdown=markdown, html=sanitise_html(html).strip(), blocks=blocks)


def _runs(inline: Token) -> tuple[Run, ...]:
    runs: list[Run] = []
    bold = italic = 0
    href: str | None = None
    for child in inline.children or ():
        kind = child.type
        if kind == "strong_open":
            bold += 1
        elif kind == "strong_close":
            bold -= 1
        elif kind == "em_open":
            italic += 1
        elif kind == "em_close":
            italic -= 1
        elif kind == "link_open":
            target = str(child.attrs.get("href", ""))
            href = target if target.split(":", 1)[0].lower() in _SCHEMES else None
        elif kind == "link_close":
            href = None
        elif kind in ("text", "code_inline"):
            runs.append(Run(child.content, bold > 0, italic > 0, href))
        elif kind == "softbreak":
            runs.append(Run(" ", bold > 0, italic > 0, href))
        elif kind == "hardbreak":
            runs.append(Run("\n", bold > 0, italic > 0, href))
    return _merge(runs)


def _merge(runs: list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if merged and (merged[-1].bold, merged[-1].italic, merged[-1].href) == (
            run.bold,
            run.italic,
            run.href,
        ):
            merged[-1] = Run(merged[-1].text + run.text, run.bold, run.italic, run.href)
        else:
            merged.append(run)
    return tuple(merged)


def _blocks(tokens: Sequence[Token], heading_base: int) -> list[Block]:
    blocks: list[Block] = []
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "heading_open":
            level = int(token.tag[1:]) - heading_base + 1
            blocks.append(Block(BlockKind.HEADING, runs=_runs(tokens[i + 1]), level=max(1, level)))
            i += 3
        elif token.type == "paragraph_open":
            blocks.append(Block(BlockKind.PARAGRAPH, runs=_runs(tokens[i + 1])))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open", "blockquote_open"):
            end = _closing(tokens, i)
            inner = [
                tokens[j + 1]
                for j in range(i + 1, end)
                if tokens[j].type in ("paragraph_open", "heading_open")
            ]
            items = [_runs(t) for t in inner]
            if token.type == "blockquote_open":
                attribution = ""
                if len(items) > 1 and _DASH.match("".join(r.text for r in items[-1])):
                    attribution = _DASH.sub("", "".join(r.text for r in items[-1]))
                    items = items[:-1]
                blocks.append(Block(BlockKind.QUOTE, items=tuple(items), attribution=attribution))
            else:
                if token.type == "bullet_list_open":
                    blocks.append(Block(BlockKind.BULLET_LIST, items=tuple(items)))
                else:  # markdown-it gives "start" only when the list does not start at 1
                    start = int(token.attrs.get("start", 1))
                    blocks.append(Block(BlockKind.ORDERED_LIST, items=tuple(items), start=start))
            i = end + 1
        elif token.type in ("fence", "code_block"):
            blocks.append(Block(BlockKind.PARAGRAPH, runs=(Run(token.content.rstrip("\n")),)))
            i += 1
        else:
            i += 1
    return blocks


def _closing(tokens: Sequence[Token], start: int) -> int:
    """The index of the token closing the container opened at ``start``."""
    depth = 0
    for j in range(start, len(tokens)):
        depth += tokens[j].nesting
        if depth == 0:
            return j
    return len(tokens) - 1
