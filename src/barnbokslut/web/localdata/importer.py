"""The web app's name for the one local-data reader, ``barnbokslut.localdata`` (shared with the report folder).

``parse_upload`` is ``parse_table`` and ``UploadError`` is ``TableError``; the rules (encodings, separators,
missing values, limits, error messages) live there, so an upload accepts exactly what a folder accepts.
"""

from __future__ import annotations

from barnbokslut.localdata import (
    MAX_COLUMNS,
    MAX_ERRORS,
    MAX_ROWS,
    ParsedTable,
    TableError,
    parse_number,
    parse_table,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_ERRORS",
    "MAX_ROWS",
    "ParsedTable",
    "UploadError",
    "parse_number",
    "parse_upload",
]

UploadError = TableError
parse_upload = parse_table
