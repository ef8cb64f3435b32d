"""Import last year's barnbokslut (issue 14): read a DOCX, PDF or plain-text report into one neutral document
model (``model``), find the report's parts and tables in it (``understand``) and write a report folder that
``barnbokslut bygg`` builds (``folder``). No Django here: the web app's review screen uses the same core.

Entry points: :func:`read_document` (any supported file), :func:`understand`, :func:`write_folder`.
"""

from __future__ import annotations

from barnbokslut.importing.folder import FolderError, write_folder
from barnbokslut.importing.model import Block, Document, Heading, ImportFault, ListItem, Paragraph, Table
from barnbokslut.importing.read import read_document
from barnbokslut.importing.understand import Found, understand

__all__ = [
    "Block",
    "Document",
    "FolderError",
    "Found",
    "Heading",
    "ImportFault",
    "ListItem",
    "Paragraph",
    "Table",
    "read_document",
    "understand",
    "write_folder",
]
