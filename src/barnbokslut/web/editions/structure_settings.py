"""An edition's report structure and its settings, read from ``Edition.structure`` by the one structure reader
(``report.structure.parse_settings``): used by the report built from the database and by the edition's pages."""

from __future__ import annotations

from collections.abc import Mapping

from barnbokslut.report.structure import StructureSettings, parse_settings
from barnbokslut.web.editions.models import Edition

__all__ = ["STRUCTURE_FILE", "STRUCTURE_WHERE", "edition_settings"]

STRUCTURE_FILE = "Struktur"
STRUCTURE_WHERE = "årgången"


def edition_settings(edition: Edition, problems: list[str]) -> StructureSettings:
    """The edition's structure and its settings (``Edition.structure``); problems are appended in Swedish.
    Without a structure: the "kommun" preset when the organisation has a Kolada kommun, else "namnd"."""
    settings = edition.structure if isinstance(edition.structure, Mapping) else {}
    default = "kommun" if edition.organisation.kommun else "namnd"
    return parse_settings(
        settings, file=STRUCTURE_FILE, where=STRUCTURE_WHERE, problems=problems, default=default
    )
