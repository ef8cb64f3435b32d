"""Which Kolada kommun an organisation belongs to: an id ("2182") or a name ("Söderhamn"), checked against Kolada's
list of municipalities.

The list is the ``municipality.json`` of the shipped example snapshot (``barnbokslut.example.EXAMPLE_SNAPSHOT``), or
the file named by ``settings.KOLADA_MUNICIPALITIES``. It is read once per process. When neither file exists the
check falls back to the format only (four digits), so an installation without the example data still works.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from barnbokslut.indicators.dataset import UnknownMunicipalityError, resolve_municipality
from barnbokslut.kolada import Municipality

__all__ = ["FORMAT_HINT", "known_municipalities", "kommun_names", "municipality_file", "resolve_kommun"]

FORMAT_HINT = "Skriv kommunens namn eller Koladas kommun-id (fyra siffror, t.ex. 2182 för Söderhamn)."


def municipality_file() -> Path:
    configured = getattr(settings, "KOLADA_MUNICIPALITIES", None)
    if configured:
        return Path(configured)
    from barnbokslut.example import EXAMPLE_SNAPSHOT

    return Path(EXAMPLE_SNAPSHOT) / "municipality.json"


@lru_cache(maxsize=4)
def _read(path: str) -> tuple[Municipality, ...]:
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    values = raw.get("values", []) if isinstance(raw, dict) else raw
    return tuple(Municipality.from_api(entry) for entry in values)


def known_municipalities() -> tuple[Municipality, ...] | None:
    """Kolada's municipalities and regions, or ``None`` when no list is available."""
    file = municipality_file()
    if not file.is_file():
        return None
    try:
        found = _read(str(file))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return found or None


def kommun_names(ids: list[str]) -> list[str]:
    """The names of the kommuner with Kolada ``ids``, in order (an id stays as it is when no list names it)."""
    names = {m.id: m.title for m in known_municipalities() or ()}
    return [names.get(kommun, kommun) for kommun in ids]


def resolve_kommun(value: str) -> str:
    """The Kolada id of the kommun ``value`` names ("" for blank); raise ``ValidationError`` in Swedish otherwise."""
    wanted = value.strip()
    if not wanted:
        return ""
    known = known_municipalities()
    if known is None:
        if len(wanted) == 4 and wanted.isdigit():
            return wanted
        raise ValidationError("Kommun-id i Kolada är fyra siffror, t.ex. 2182 för Söderhamn.")
    try:
        return resolve_municipality(wanted, known).id
    except UnknownMunicipalityError as exc:
        if wanted.isdigit():
            raise ValidationError(f"Kolada har ingen kommun med id {wanted}. {FORMAT_HINT}") from None
        hint = (
            " Menade du " + ", ".join(f"{m.title} ({m.id})" for m in exc.suggestions) + "?"
            if exc.suggestions
            else ""
        )
        raise ValidationError(
            f"Hittar ingen kommun som heter ”{wanted}” i Kolada.{hint} {FORMAT_HINT}"
        ) from None
