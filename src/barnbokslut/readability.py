"""Readability of Swedish text: LIX (läsbarhetsindex), for the barnversion written for children.

LIX = words / sentences + 100 × long words / words, where a long word has more than six letters. Under 30 is
very easy (children's books), 30–40 easy, 40–50 middling (newspapers), over 50 hard (official texts).

Why not textstat: it pulls in nltk and setuptools for what is three counts, and splits words the English way;
here a word is a run of letters (å, ä, ö, é included, a hyphen or apostrophe inside allowed), and a sentence ends
at . ! ? or : followed by a space or the end, or at the end of a line that is a heading, a list item or a
paragraph (Markdown marks such as # and - are not words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["LONG_WORD", "Lix", "lix", "lix_level"]

#: A word longer than this many letters is long.
LONG_WORD = 6

_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)")
#: A heading (#) or list item (-, *, +, 1.) is a line of its own; the mark is not part of the text.
_OWN_LINE = re.compile(r"^(?:#{1,6}\s+|[-*+]\s+|\d+[.)]\s+)")


@dataclass(frozen=True)
class Lix:
    words: int
    long_words: int
    sentences: int

    @property
    def value(self) -> float:
        """The index; 0 for a text without words."""
        if not self.words:
            return 0.0
        return self.words / self.sentences + 100 * self.long_words / self.words


def _units(text: str) -> list[str]:
    """Paragraphs (lines joined up to a blank line), headings and list items: each ends a sentence."""
    units: list[str] = []
    paragraph: list[str] = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or _OWN_LINE.match(stripped):
            if paragraph:
                units.append(" ".join(paragraph))
                paragraph = []
            if stripped:
                units.append(_OWN_LINE.sub("", stripped))
        else:
            paragraph.append(stripped)
    if paragraph:
        units.append(" ".join(paragraph))
    return units


def lix(text: str) -> Lix:
    """The LIX counts of ``text`` (plain text or Markdown)."""
    words = long_words = sentences = 0
    for unit in _units(text):
        found = _WORD.findall(unit)
        if not found:
            continue
        words += len(found)
        long_words += sum(1 for word in found if sum(c.isalpha() for c in word) > LONG_WORD)
        marks = len(_SENTENCE_END.findall(unit))
        sentences += marks + (0 if _SENTENCE_END.search(unit.rstrip()[-1:] + " ") else 1)
    return Lix(words, long_words, sentences)


def lix_level(value: float) -> str:
    """The usual Swedish words for a LIX value."""
    if value < 30:
        return "mycket lätt"
    if value < 40:
        return "lätt"
    if value < 50:
        return "medelsvår"
    if value < 60:
        return "svår"
    return "mycket svår"
