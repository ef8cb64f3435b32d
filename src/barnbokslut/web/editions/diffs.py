"""Word-level differences between two texts, as accessible HTML for the history and the conflict view.

Texts are prose in Markdown, where a paragraph is one long line, so a line diff would mark whole paragraphs;
the diff works on words (whitespace kept). Added words are wrapped in ``<ins>``, removed ones in ``<del>``, each
starting with a visually hidden "tillagt:"/"borttaget:" so screen readers (which mostly ignore ins/del) say what
changed::

    diff_html("en katt", "en hund")
    # en <del><span class="visually-hidden">borttaget: </span>katt</del><ins><span …>tillagt: </span>hund</ins>

Bounded work (issue 12, row 4: two different 99k-character texts took 40 s, every time the history page was
shown). The common start and end are taken off first; a word carries the whitespace after it (a token of its own, the
space between every two words made difflib compare each token with half of the other text); and difflib's
search for the longest match counts its steps: past ``WORK_LIMIT`` the texts
are compared line by line (a paragraph is a line), and past it again the changed middle is shown as one removal
and one addition. ``DiffSummary.by_lines`` says when the comparison is not word by word.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKEN = re.compile(r"\S+\s*|\s+")  # a word and the whitespace after it; leading whitespace alone
#: Steps of difflib's longest-match search (about 0.1 µs each) before the comparison falls back.
WORK_LIMIT = 4_000_000

Opcode = tuple[str, int, int, int, int]


@dataclass(frozen=True)
class DiffSummary:
    html: SafeString
    added: int
    removed: int
    by_lines: bool = False

    @property
    def unchanged(self) -> bool:
        return self.added == 0 and self.removed == 0


def _words(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _wrap(tag: str, label: str, text: str) -> str:
    return f'<{tag}><span class="visually-hidden">{label}: </span>{escape(text)}</{tag}>'


class _OverBudget(Exception):
    pass


class _BoundedMatcher(difflib.SequenceMatcher[str]):
    """difflib's matcher, which gives up (``_OverBudget``) after ``limit`` steps of its longest-match search."""

    def __init__(self, a: list[str], b: list[str], limit: int) -> None:
        self._left = limit
        super().__init__(a=a, b=b, autojunk=False)

    def find_longest_match(
        self, alo: int = 0, ahi: int | None = None, blo: int = 0, bhi: int | None = None
    ) -> difflib.Match:
        ahi = len(self.a) if ahi is None else ahi
        bhi = len(self.b) if bhi is None else bhi
        b2j, a = self.b2j, self.a
        # The search visits, for each token of a[alo:ahi], its places in b (up to bhi): at most this many steps.
        self._left -= (ahi - alo) + sum(len(b2j.get(a[i], ())) for i in range(alo, ahi))
        if self._left < 0:
            raise _OverBudget
        return super().find_longest_match(alo, ahi, blo, bhi)


def _opcodes(a: list[str], b: list[str], limit: int | None) -> list[Opcode]:
    """difflib's opcodes for a → b, the common start and end taken off first; ``limit=None``: the middle is
    one replacement."""
    start = 0
    while start < len(a) and start < len(b) and a[start] == b[start]:
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and a[-1 - end] == b[-1 - end]:
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    ops: list[Opcode] = [("equal", 0, start, 0, start)] if start else []
    if middle_a or middle_b:
        if limit is None:
            inner: list[Opcode] = [("replace", 0, len(middle_a), 0, len(middle_b))]
        else:
            inner = list(_BoundedMatcher(middle_a, middle_b, limit).get_opcodes())  # type: ignore[arg-type]
        ops += [(op, i1 + start, i2 + start, j1 + start, j2 + start) for op, i1, i2, j1, j2 in inner]
    if end:
        ops.append(("equal", len(a) - end, len(a), len(b) - end, len(b)))
    return ops


def _comparison(old: str, new: str) -> tuple[list[str], list[str], list[Opcode], bool]:
    a, b = _words(old), _words(new)
    try:
        return a, b, _opcodes(a, b, WORK_LIMIT), False
    except _OverBudget:
        pass
    a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    try:
        return a, b, _opcodes(a, b, WORK_LIMIT), True
    except _OverBudget:
        return a, b, _opcodes(a, b, None), True


def _common_trailing_space(one: str, other: str) -> str:
    space = one[len(one.rstrip()) :]
    while space and not other.endswith(space):
        space = space[1:]
    return space


def diff(old: str, new: str) -> DiffSummary:
    """Compare ``old`` with ``new`` word by word (bounded; see the module); count the words added and removed."""
    a, b, opcodes, by_lines = _comparison(old, new)
    parts: list[str] = []
    added = removed = 0
    for op, i1, i2, j1, j2 in opcodes:
        if op == "equal":
            parts.append(escape("".join(a[i1:i2])))
            continue
        removed_text, added_text = "".join(a[i1:i2]), "".join(b[j1:j2])
        # Whitespace both sides end with is unchanged: "<del>bra</del><ins>trygg</ins> ", not inside the marks.
        kept = _common_trailing_space(removed_text, added_text) if op == "replace" else ""
        if op in ("delete", "replace"):
            parts.append(_wrap("del", "borttaget", removed_text[: len(removed_text) - len(kept)]))
            removed += len(removed_text.split())
        if op in ("insert", "replace"):
            parts.append(_wrap("ins", "tillagt", added_text[: len(added_text) - len(kept)]))
            added += len(added_text.split())
        parts.append(escape(kept))
    return DiffSummary(mark_safe("".join(parts)), added, removed, by_lines)  # every token is escaped


def diff_html(old: str, new: str) -> SafeString:
    return diff(old, new).html
