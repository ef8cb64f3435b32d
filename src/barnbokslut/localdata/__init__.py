"""Local data: tables of a municipality's own figures (CSV or XLSX), read the same way by the report folder and
the web app's upload. The reader and its rules are in ``barnbokslut.localdata.reader``."""

from barnbokslut.localdata.reader import (
    MAX_COLUMNS,
    MAX_DECIMALS,
    MAX_ERRORS,
    MAX_ROWS,
    ParsedTable,
    TableError,
    decimals_for,
    parse_number,
    parse_table,
)

__all__ = [
    "MAX_COLUMNS",
    "MAX_DECIMALS",
    "MAX_ERRORS",
    "MAX_ROWS",
    "ParsedTable",
    "TableError",
    "decimals_for",
    "parse_number",
    "parse_table",
]
