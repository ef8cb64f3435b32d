"""Choose the reader by the file's extension: ``.docx``, ``.pdf``, ``.txt`` (or ``.text``/``.md``); anything
else is refused with a Swedish message naming the file."""

from __future__ import annotations

from pathlib import Path

from barnbokslut.importing.docx_reader import read_docx
from barnbokslut.importing.model import Document, ImportFault
from barnbokslut.importing.pdf_reader import read_pdf
from barnbokslut.importing.text_reader import read_text

SUFFIXES = {".docx": read_docx, ".pdf": read_pdf, ".txt": read_text, ".text": read_text, ".md": read_text}


def read_document(path: Path) -> Document:
    """The document at ``path``, read by the reader of its kind."""
    path = Path(path)
    reader = SUFFIXES.get(path.suffix.lower())
    if reader is None:
        kinds = ", ".join(sorted(SUFFIXES))
        raise ImportFault(path, f"okänd filtyp ”{path.suffix or '(ingen)'}”; importera en av {kinds}.")
    if not path.is_file():
        raise ImportFault(path, "filen finns inte.")
    return reader(path)
