"""A local file whose columns have fixed names (the register of barnkonsekvensanalyser, a survey): read by the one
reader with every cell as text, its header checked against the names, problems worded "file, rad N, kolumn …"."""

from __future__ import annotations

import re

from barnbokslut.localdata.reader import ParsedTable, parse_table

__all__ = ["NamedColumnsError", "header_key", "located", "read_named"]


class NamedColumnsError(ValueError):
    """The file could not be read, or its header lacks a column or has an unknown one: every problem, in Swedish."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def header_key(title: str) -> str:
    """A column title as its name: "Antal svar" → "antal_svar"."""
    return re.sub(r"[\s-]+", "_", title.strip().casefold())


def located(label: str, message: str) -> str:
    """The reader's "Rad 4, …" after the file name as "data/x.csv, rad 4, …"; other messages after a colon."""
    return f"{label}, r{message[1:]}" if message.startswith("Rad ") else f"{label}: {message}"


def read_named(
    name: str,
    data: bytes,
    label: str,
    columns: tuple[str, ...],
    required: tuple[str, ...],
    *,
    shown_errors: int,
    max_bytes: int | None = None,
) -> tuple[ParsedTable, dict[str, int]]:
    """``data`` (a file called ``name``, shown as ``label``) read as text, and the index of each of ``columns``
    it has; raise ``NamedColumnsError`` when it can't be read (the first ``shown_errors`` of the reader's
    messages), a column is unknown or one of ``required`` is missing."""
    parsed = parse_table(name, data, text=True, max_bytes=max_bytes)
    if not parsed.ok:
        errors = [e.message for e in parsed.errors] or ["filen behöver en rubrikrad och minst en rad."]
        raise NamedColumnsError([located(label, m) for m in errors[:shown_errors]])
    problems: list[str] = []
    index: dict[str, int] = {}
    for i, title in enumerate(parsed.columns):
        key = header_key(title)
        if key not in columns:
            problems.append(
                f"{label}, rad 1, kolumn ”{title}”: okänd kolumn; kolumnerna heter {', '.join(columns)}."
            )
        else:
            index[key] = i
    for key in required:
        if key not in index:
            problems.append(f"{label}, rad 1: kolumnen ”{key}” saknas (den behövs).")
    if problems:
        raise NamedColumnsError(problems)
    return parsed, index
