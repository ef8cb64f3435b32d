"""The indicator catalogue: which Kolada KPIs a barnbokslut shows, and how to read them.

The catalogue is a TOML file users edit (``default.toml`` is the shipped pack). Loading checks every entry and
reports each problem with file, line and field, in Swedish, so a coordinator can fix it without reading code.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

from barnbokslut.kolada import KPI

__all__ = [
    "DEFAULT_CATALOGUE",
    "Catalogue",
    "CatalogueError",
    "Direction",
    "Indicator",
    "load_catalogue",
]

DEFAULT_CATALOGUE = Path(str(resources.files("barnbokslut.indicators") / "default.toml"))

_KPI_ID = re.compile(r"^[NU]\d{5}$")
# TOML 1.0 bare keys are ASCII only, so the file writes "område", "kön" and "källa" in quotes.
_REQUIRED = ("kpi", "titel", "kort_titel", "subjekt", "område", "riktning", "artiklar", "enhet", "kön")
_OPTIONAL = ("källa", "vartannat_år", "jämförelsegrupp", "ersätter")
#: RKA's "Liknande kommuner <område>, <Kommun>, <år>" areas; an indicator compares with the group of its area.
PEER_AREAS = (
    "socioekonomi", "förskola", "grundskola", "gymnasieskola", "IFO", "ekonomiskt bistånd", "fritidshem", "LSS",
    "äldreomsorg", "arbetsmarknad", "räddningstjänst", "övergripande",
)  # fmt: skip
DEFAULT_PEER_AREA = "socioekonomi"


class Direction(StrEnum):
    """Which way is good for an indicator."""

    HIGH = "hög"
    LOW = "låg"
    NEUTRAL = "neutral"


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry: a Kolada KPI with the words and judgement a report needs."""

    kpi: str
    title: str
    short_title: str
    subject: str
    area: str
    direction: Direction
    articles: tuple[int, ...]
    unit: str
    by_gender: bool
    source_note: str = ""
    line: int = 0
    #: Measured every other year (Skolenkäten): a value equal to the one before is the same measurement
    #: repeated, so the trend compares with the previous *different* value.
    every_other_year: bool = False
    #: The RKA area whose "Liknande kommuner" group the indicator is compared with (``PEER_AREAS``).
    peer_area: str = DEFAULT_PEER_AREA
    #: The retired KPI this one replaced (N66077 replaced N02904): its series is shown beside this one with the
    #: break marked, and no trend is computed across the break.
    predecessor: str = ""

    @property
    def is_percentage(self) -> bool:
        return self.unit.strip() == "%"


@dataclass(frozen=True)
class Catalogue:
    """An ordered list of indicators, read from ``path``."""

    path: Path
    indicators: tuple[Indicator, ...]
    #: The user's own comparison kommuner (names or ids as written, e.g. the neighbours in the county).
    comparison_kommuner: tuple[str, ...] = ()

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    @property
    def kpi_ids(self) -> list[str]:
        return [indicator.kpi for indicator in self.indicators]

    @property
    def history_kpi_ids(self) -> list[str]:
        """The catalogue's KPIs and the retired KPIs they replaced (fetched for the charts' history only)."""
        return list(
            dict.fromkeys([*self.kpi_ids, *(i.predecessor for i in self.indicators if i.predecessor)])
        )

    @property
    def peer_areas(self) -> list[str]:
        """The RKA areas whose peer groups the indicators use, in order of first use."""
        return list(dict.fromkeys(indicator.peer_area for indicator in self.indicators))

    @property
    def areas(self) -> list[str]:
        """Areas in the order they first appear."""
        return list(dict.fromkeys(indicator.area for indicator in self.indicators))

    def by_kpi(self, kpi: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.kpi == kpi:
                return indicator
        raise KeyError(kpi)


class CatalogueError(ValueError):
    """The catalogue file has one or more wrong entries; ``problems`` lists them, each naming file and line."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__(f"Fel i nyckeltalskatalogen {path}:\n" + "\n".join(f"  - {p}" for p in problems))


def _entry_lines(text: str) -> list[int]:
    """Return the 1-based line of each ``[[indikator]]`` header, in order (tomllib keeps no positions)."""
    return [n for n, line in enumerate(text.splitlines(), start=1) if line.strip() == "[[indikator]]"]


def _top_line(text: str, key: str) -> int:
    """The line of a top-level ``key = …`` (before the first entry), else 1."""
    for number, line in enumerate(text.splitlines(), start=1):
        if line.strip().startswith("[["):
            break
        if re.match(rf"^\"?{re.escape(key)}\"?\s*=", line.strip()):
            return number
    return 1


def _field_line(text: str, start: int, key: str) -> int:
    """Return the line of ``key = …`` in the entry whose header is on line ``start``, else ``start``."""
    lines = text.splitlines()
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith("[["):
            break
        if re.match(rf"^\"?{re.escape(key)}\"?\s*=", stripped):
            return index + 1
    return start


def load_catalogue(
    path: Path | str | None = None, *, known_kpis: Mapping[str, KPI] | None = None
) -> Catalogue:
    """Read and check a catalogue file; ``path=None`` reads the shipped default pack.

    ``known_kpis`` (Kolada's KPI metadata by id) lets the check also report KPI ids that Kolada does not have,
    KPIs Kolada has retired, and a gender flag that disagrees with Kolada. Raises ``CatalogueError`` listing
    every problem with its line.
    """
    file = Path(path) if path is not None else DEFAULT_CATALOGUE
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(file, [f"filen {file} finns inte"]) from None
    except UnicodeDecodeError as exc:
        raise CatalogueError(file, [f"filen är inte UTF-8 (byte {exc.start})"]) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CatalogueError(file, [f"ogiltig TOML: {exc}"]) from None

    entries = data.get("indikator")
    if not isinstance(entries, list) or not entries:
        raise CatalogueError(file, ["filen innehåller inga [[indikator]]-poster"])
    unknown_top = sorted(set(data) - {"indikator", "jämförelsekommuner"})
    problems: list[str] = [f"okänd nyckel på toppnivå: {key!r}" for key in unknown_top]
    own = data.get("jämförelsekommuner", [])
    if not isinstance(own, list) or not all(isinstance(name, str) and name.strip() for name in own):
        problems.append(
            f"{file.name}, rad {_top_line(text, 'jämförelsekommuner')}, fält 'jämförelsekommuner': ska vara en "
            'lista med kommunnamn eller kommun-id, t.ex. ["Bollnäs", "Hudiksvall"]'
        )
        own = []
    starts = _entry_lines(text)
    indicators: list[Indicator] = []
    seen: dict[str, int] = {}
    for number, entry in enumerate(entries):
        start = starts[number] if number < len(starts) else 0
        where = f"{file.name}, rad {start} (indikator nr {number + 1})"
        entry_problems = _check_entry(entry, text, start, where, known_kpis)
        problems.extend(entry_problems)
        if entry_problems:
            continue
        kpi = entry["kpi"]
        if kpi in seen:
            problems.append(f"{where}: kpi {kpi!r} finns redan på rad {seen[kpi]}")
            continue
        seen[kpi] = start
        indicators.append(
            Indicator(
                kpi=kpi,
                title=entry["titel"].strip(),
                short_title=entry["kort_titel"].strip(),
                subject=entry["subjekt"].strip(),
                area=entry["område"].strip(),
                direction=Direction(entry["riktning"]),
                articles=tuple(entry["artiklar"]),
                unit=entry["enhet"].strip(),
                by_gender=entry["kön"],
                source_note=str(entry.get("källa", "")).strip(),
                line=start,
                every_other_year=entry.get("vartannat_år", False),
                peer_area=entry.get("jämförelsegrupp", DEFAULT_PEER_AREA),
                predecessor=entry.get("ersätter", ""),
            )
        )
    if problems:
        raise CatalogueError(file, problems)
    return Catalogue(
        path=file, indicators=tuple(indicators), comparison_kommuner=tuple(name.strip() for name in own)
    )


def _check_entry(
    entry: dict[str, Any], text: str, start: int, where: str, known_kpis: Mapping[str, KPI] | None
) -> list[str]:
    problems: list[str] = []

    def at(key: str) -> str:
        return f"{where.split(', rad')[0]}, rad {_field_line(text, start, key)}, fält {key!r}"

    for key in _REQUIRED:
        if key not in entry:
            problems.append(f"{where}: fältet {key!r} saknas")
    for key in sorted(set(entry) - set(_REQUIRED) - set(_OPTIONAL)):
        problems.append(f"{at(key)}: okänt fält (tillåtna: {', '.join(_REQUIRED + _OPTIONAL)})")
    if problems:
        return problems

    kpi = entry["kpi"]
    if not isinstance(kpi, str) or not _KPI_ID.match(kpi):
        problems.append(f'{at("kpi")}: {kpi!r} är inget Kolada-id (t.ex. "N15428" eller "U31803")')
    elif known_kpis is not None:
        if kpi not in known_kpis:
            problems.append(f"{at('kpi')}: nyckeltalet {kpi} finns inte i Kolada")
        else:
            meta = known_kpis[kpi]
            if meta.is_discontinued:
                problems.append(f"{at('kpi')}: nyckeltalet {kpi} har upphört i Kolada ({meta.title})")
            if isinstance(entry["kön"], bool) and entry["kön"] and not meta.is_divided_by_gender:
                problems.append(f"{at('kön')}: Kolada redovisar inte {kpi} per kön; sätt kön = false")
    for key in ("titel", "kort_titel", "subjekt", "område", "enhet"):
        value = entry[key]
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{at(key)}: ska vara en text som inte är tom")
    subject = entry["subjekt"]
    if isinstance(subject, str) and subject.strip() and not subject.strip()[0].isupper():
        problems.append(f'{at("subjekt")}: ska börja med versal, t.ex. "Andelen …"')
    direction = entry["riktning"]
    if direction not in {d.value for d in Direction}:
        problems.append(f'{at("riktning")}: {direction!r} är ogiltig; använd "hög", "låg" eller "neutral"')
    articles = entry["artiklar"]
    if (
        not isinstance(articles, list)
        or not articles
        or not all(isinstance(a, int) and not isinstance(a, bool) and 1 <= a <= 54 for a in articles)
    ):
        problems.append(f"{at('artiklar')}: ska vara en lista med artikelnummer 1–54, t.ex. [2, 6]")
    if not isinstance(entry["kön"], bool):
        problems.append(f"{at('kön')}: ska vara true eller false")
    if "vartannat_år" in entry and not isinstance(entry["vartannat_år"], bool):
        problems.append(f"{at('vartannat_år')}: ska vara true eller false")
    predecessor = entry.get("ersätter")
    if predecessor is not None and (not isinstance(predecessor, str) or not _KPI_ID.match(predecessor)):
        problems.append(f'{at("ersätter")}: {predecessor!r} är inget Kolada-id (t.ex. "N02904")')
    elif predecessor is not None and predecessor == kpi:
        problems.append(f"{at('ersätter')}: ett nyckeltal kan inte ersätta sig självt")
    if "jämförelsegrupp" in entry and entry["jämförelsegrupp"] not in PEER_AREAS:
        problems.append(
            f"{at('jämförelsegrupp')}: {entry['jämförelsegrupp']!r} är inget av RKA:s områden för liknande "
            f"kommuner ({', '.join(PEER_AREAS)})"
        )
    return problems
