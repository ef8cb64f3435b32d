"""The neutral document model every reader produces: a flat list of blocks (heading with level, paragraph,
list item, table of rows of cells), plus :class:`ImportFault`, the one exception a reader raises with a Swedish
message that names the file and says what could not be read."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ImportFault(Exception):
    """The file can't be imported; the message is Swedish, names the file and says what is wrong."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"Kan inte importera {self.path.name}: {problem}")


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class ListItem:
    text: str
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    """Rows of cells; a cell's paragraphs are kept apart by newlines."""

    rows: tuple[tuple[str, ...], ...]


Block = Heading | Paragraph | ListItem | Table


@dataclass
class Document:
    """What a reader found in one file: its blocks in order, the kind of source and any notes for the user."""

    source: Path
    kind: str  # "docx", "pdf" or "text"
    blocks: list[Block] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: OCR repairs of a plain-text source, for review: {rad, kolumn, original, ersättning, skäl, tillämpad}.
    repairs: list[dict[str, Any]] = field(default_factory=list)
    #: The text as read, for a plain-text source: its tables are found in it line by line (``understand``).
    raw_text: str = ""
    #: A plain-text source as decoded, before OCR repair: the repairs' offsets point into it (``reread_text``).
    original_text: str = ""

    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]
