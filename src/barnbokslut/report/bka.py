"""The register of barnkonsekvensanalyser (BKA): read it, count it, and turn the counts into the report's part.

One row per decision or ärende (``data/barnkonsekvensanalyser.csv`` or ``.xlsx``, read by the one local-data
reader with ``text=True``; see ``docs/rapportstruktur.md`` for the columns and their values). Everything is
checked first; any bad row makes the whole register unusable (``BkaError`` naming file, row and column), so a
report is never built from part of it.

Per unit and year (the year of ``datum``) and in total per year: the decisions, those with a BKA (``analys`` is
not ``ingen``), those where children were heard, those against barnets bästa with and without compensating
measures; shares as fractions of the decisions. A share is not shown ("–") when it rests on fewer decisions than
the report's small-count threshold (``sma_tal``, the same threshold as the local tables'). When the share with a
BKA or with children heard falls from the previous year in the register to the latest, a development-area
suggestion in Swedish is made.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from barnbokslut.localdata import parse_table
from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD
from barnbokslut.numbers import format_number, format_value, round_value
from barnbokslut.report.model import BkaSection, Cell, Table

__all__ = [
    "ANALYSES",
    "COLUMNS",
    "DEFAULT_FILES",
    "OUTCOMES",
    "REQUIRED",
    "BkaError",
    "Counts",
    "Decision",
    "Register",
    "bka_section",
    "count",
    "hidden_note",
    "parse_register",
    "read_register",
    "share_text",
]

DEFAULT_FILES = ("data/barnkonsekvensanalyser.csv", "data/barnkonsekvensanalyser.xlsx")
COLUMNS = (
    "diarienummer", "enhet", "datum", "beslut", "analys", "berörda_barn", "artiklar", "kunskap", "barn_hörda",
    "hur_hörda", "antal_hörda", "åldrar", "avvägning", "utfall", "kompenserande_åtgärder", "status",
)  # fmt: skip
REQUIRED = ("diarienummer", "enhet", "datum", "beslut", "analys", "barn_hörda", "utfall")
ANALYSES = ("snabb", "fullständig", "ingen")
#: ``utfall``: the written value → the kind of outcome ("för", "mot", "neutral").
OUTCOMES = {
    "för barnets bästa": "för", "för": "för",
    "mot barnets bästa": "mot", "mot": "mot",
    "neutral": "neutral",
}  # fmt: skip
_YES_NO = {"ja": True, "nej": False}
SHOWN_ERRORS = 5


class BkaError(ValueError):
    """The register cannot be used; ``problems`` lists each one (file, row, column)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass(frozen=True)
class Decision:
    row: int  # line in the file
    diarienummer: str
    unit: str
    day: date
    decision: str
    analysis: str  # snabb / fullständig / ingen
    heard: bool
    outcome: str  # för / mot / neutral
    compensating: str
    articles: tuple[int, ...] = ()
    heard_count: int | None = None
    status: str = ""

    @property
    def has_analysis(self) -> bool:
        return self.analysis != "ingen"

    @property
    def against(self) -> bool:
        return self.outcome == "mot"


@dataclass(frozen=True)
class Register:
    file: str  # as shown in the source line: "data/barnkonsekvensanalyser.csv"
    decisions: tuple[Decision, ...]


@dataclass(frozen=True)
class Counts:
    decisions: int = 0
    with_analysis: int = 0
    heard: int = 0
    against: int = 0
    against_compensated: int = 0

    @property
    def against_uncompensated(self) -> int:
        return self.against - self.against_compensated

    def share(self, part: int, threshold: int) -> float | None:
        """``part`` as a fraction of the decisions, or None when they are fewer than ``threshold``."""
        if self.decisions == 0 or self.decisions < threshold:
            return None
        return part / self.decisions


def _header_key(title: str) -> str:
    return re.sub(r"[\s-]+", "_", title.strip().casefold())


def read_register(path: Path, label: str, units: set[str]) -> Register:
    """Read and check the register at ``path`` (shown as ``label``); raise ``BkaError`` with every problem."""
    try:
        data = path.read_bytes()
    except OSError:
        raise BkaError([f"{label}: filen finns inte eller kunde inte läsas."]) from None
    return parse_register(path.name, data, label, units)


def parse_register(name: str, data: bytes, label: str, units: set[str]) -> Register:
    parsed = parse_table(name, data, text=True)
    if not parsed.ok:
        errors = [e.message for e in parsed.errors] or ["filen behöver en rubrikrad och minst en rad."]
        raise BkaError([_located(label, m) for m in errors[:SHOWN_ERRORS]])
    problems: list[str] = []
    index: dict[str, int] = {}
    for i, title in enumerate(parsed.columns):
        key = _header_key(title)
        if key not in COLUMNS:
            problems.append(
                f"{label}, rad 1, kolumn ”{title}”: okänd kolumn; kolumnerna heter {', '.join(COLUMNS)}."
            )
        else:
            index[key] = i
    for key in REQUIRED:
        if key not in index:
            problems.append(f"{label}, rad 1: kolumnen ”{key}” saknas (den behövs).")
    if problems:
        raise BkaError(problems)

    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for number, cells in zip(parsed.row_numbers, parsed.rows, strict=True):

        def cell(key: str, cells: tuple[object, ...] = cells) -> str:
            return str(cells[index[key]] or "").strip() if key in index else ""

        def bad(key: str, message: str, number: int = number) -> None:
            problems.append(f"{label}, rad {number}, kolumn ”{parsed.columns[index[key]]}”: {message}")

        before = len(problems)
        for key in REQUIRED:
            if not cell(key):
                bad(key, "värdet saknas.")
        if len(problems) > before:
            continue
        diarienummer = cell("diarienummer")
        if diarienummer in seen:
            bad("diarienummer", f"”{diarienummer}” finns redan på rad {seen[diarienummer]}.")
        seen.setdefault(diarienummer, number)
        unit = cell("enhet")
        if unit not in units:
            known = ", ".join(sorted(units)) or "inga (lägg till [[verksamhet]] i barnbokslut.toml)"
            bad("enhet", f"okänd verksamhet ”{unit}”; välj en förkortning ur [[verksamhet]]: {known}.")
        day = _date(cell("datum"))
        if day is None:
            bad("datum", f"”{cell('datum')}” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-03-14.")
        analysis = cell("analys").casefold()
        if analysis not in ANALYSES:
            bad("analys", f"okänt värde ”{cell('analys')}”; välj {_choices(ANALYSES)}.")
        heard = _YES_NO.get(cell("barn_hörda").casefold())
        if heard is None:
            bad("barn_hörda", f"okänt värde ”{cell('barn_hörda')}”; välj ja eller nej.")
        outcome = OUTCOMES.get(cell("utfall").casefold())
        if outcome is None:
            bad(
                "utfall",
                f"okänt värde ”{cell('utfall')}”; välj för barnets bästa, mot barnets bästa eller neutral.",
            )
        articles: list[int] = []
        for piece in filter(None, (p.strip() for p in re.split(r"[,;]", cell("artiklar")))):
            if not piece.isdigit() or not 1 <= int(piece) <= 54:
                bad("artiklar", f"”{piece}” är ingen artikel i barnkonventionen (1–54); skriv t.ex. 3, 12.")
                break
            articles.append(int(piece))
        heard_count: int | None = None
        if cell("antal_hörda"):
            text = cell("antal_hörda")
            if not text.isdigit():
                bad("antal_hörda", f"”{text}” är inget antal; skriv ett heltal, t.ex. 4, eller lämna tomt.")
            else:
                heard_count = int(text)
        if len(problems) > before:
            continue
        assert day is not None and heard is not None and outcome is not None
        decisions.append(
            Decision(
                row=number, diarienummer=diarienummer, unit=unit, day=day, decision=cell("beslut"),
                analysis=analysis, heard=heard, outcome=outcome, compensating=cell("kompenserande_åtgärder"),
                articles=tuple(articles), heard_count=heard_count, status=cell("status"),
            )
        )  # fmt: skip
    if problems:
        raise BkaError(problems)
    return Register(label, tuple(decisions))


def _located(label: str, message: str) -> str:
    """The reader's "Rad 4, …" after the file name as "data/x.csv, rad 4, …"; other messages after a colon."""
    return f"{label}, r{message[1:]}" if message.startswith("Rad ") else f"{label}: {message}"


def _choices(values: tuple[str, ...]) -> str:
    return ", ".join(values[:-1]) + " eller " + values[-1]


def _date(text: str) -> date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def count(decisions: list[Decision] | tuple[Decision, ...]) -> Counts:
    return Counts(
        decisions=len(decisions),
        with_analysis=sum(d.has_analysis for d in decisions),
        heard=sum(d.heard for d in decisions),
        against=sum(d.against for d in decisions),
        against_compensated=sum(d.against and bool(d.compensating) for d in decisions),
    )


def share_text(share: float | None) -> str:
    """A share as Swedish whole percent ("60 %"), or "–" when it is not shown."""
    return "–" if share is None else format_value(share * 100, "%", decimals=0)


TOTAL = "Totalt"


def _table(title: str, rows: list[tuple[str, Counts]], threshold: int, source: str) -> Table:
    columns = (
        "Verksamhet", "Beslut", "Med barnkonsekvensanalys", "Andel med analys", "Barn hörda", "Andel barn hörda",
        "Mot barnets bästa", "därav med kompenserande åtgärder", "därav utan kompenserande åtgärder",
    )  # fmt: skip
    body = tuple(
        (
            Cell(name),
            Cell(format_number(c.decisions, decimals=0), numeric=True),
            Cell(format_number(c.with_analysis, decimals=0), numeric=True),
            Cell(share_text(c.share(c.with_analysis, threshold)), numeric=True),
            Cell(format_number(c.heard, decimals=0), numeric=True),
            Cell(share_text(c.share(c.heard, threshold)), numeric=True),
            Cell(format_number(c.against, decimals=0), numeric=True),
            Cell(format_number(c.against_compensated, decimals=0), numeric=True),
            Cell(format_number(c.against_uncompensated, decimals=0), numeric=True),
        )
        for name, c in rows
    )
    if any(0 < c.decisions < threshold for _, c in rows):
        source += ". " + hidden_note(threshold)
    return Table(caption=title, columns=columns, rows=body, source=source)


def hidden_note(threshold: int) -> str:
    """What "–" means in the part's tables, after the source line (as the local tables' ``HIDDEN_NOTE``)."""
    return f"– visas där andelen bygger på färre än {threshold} beslut"


def bka_section(
    register: Register,
    *,
    unit_names: dict[str, str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    is_example: bool = False,
) -> BkaSection:
    """The counts per year and unit, the comparison over the years and the suggestions, ready to render."""
    names = unit_names or {}
    years = sorted({d.day.year for d in register.decisions})
    order = list(names)  # the units in the order of [[verksamhet]], then any others alphabetically
    units = sorted(
        {d.unit for d in register.decisions},
        key=lambda u: (u not in names, order.index(u) if u in names else 0, u),
    )
    source = f"Källa: egen sammanställning av {register.file}" + (" (Exempeldata)" if is_example else "")
    note = "Andelarna är andelar av årets beslut i verksamheten (eller totalt), i hela procent."
    by: dict[tuple[int, str | None], Counts] = {}
    for year in years:
        in_year = [d for d in register.decisions if d.day.year == year]
        by[(year, None)] = count(in_year)
        for unit in units:
            in_unit = [d for d in in_year if d.unit == unit]
            if in_unit:
                by[(year, unit)] = count(in_unit)
    tables = []
    for year in years:
        rows = [(u, by[(year, u)]) for u in units if (year, u) in by]
        rows.append((TOTAL, by[(year, None)]))
        tables.append(_table(f"Barnkonsekvensanalyser {year}", rows, threshold, source))

    comparison = None
    if len(years) > 1:
        columns = (
            "Verksamhet",
            *(f"Andel med analys {y}" for y in years),
            *(f"Andel barn hörda {y}" for y in years),
        )
        rows_c = []
        for key in [*units, None]:
            cells = [Cell(key or TOTAL)]
            for attr in ("with_analysis", "heard"):
                for y in years:
                    c = by.get((y, key))
                    cells.append(
                        Cell(
                            ".." if c is None else share_text(c.share(getattr(c, attr), threshold)),
                            numeric=True,
                        )
                    )
            rows_c.append(tuple(cells))
        hidden = any(c.text == "–" for row in rows_c for c in row)
        comparison = Table(
            caption=f"Jämförelse {years[0]}–{years[-1]}", columns=columns, rows=tuple(rows_c),
            source=source + (". " + hidden_note(threshold) if hidden else ""),
        )  # fmt: skip

    suggestions: list[str] = []
    if len(years) > 1:
        last, previous = years[-1], years[-2]
        for key in [*units, None]:
            now, before = by.get((last, key)), by.get((previous, key))
            if now is None or before is None:
                continue
            where = f"i {key}" if key else "totalt"
            if key and key in names:
                where = f"i {key} ({names[key]})"
            for attr, what, advice in _SUGGESTIONS:
                old = before.share(getattr(before, attr), threshold)
                new = now.share(getattr(now, attr), threshold)
                if (
                    old is not None
                    and new is not None
                    and round_value(new * 100, 0) < round_value(old * 100, 0)
                ):
                    suggestions.append(
                        f"Andelen beslut {what} sjönk från {share_text(old)} ({previous}) till "
                        f"{share_text(new)} ({last}) {where}. Förslag: {advice}"
                    )
    return BkaSection(
        years=tuple(years), tables=tuple(tables), comparison=comparison, suggestions=tuple(suggestions),
        source=source, note=note, file=register.file,
    )  # fmt: skip


_SUGGESTIONS = (
    (
        "with_analysis",
        "med barnkonsekvensanalys",
        "gör barnkonsekvensanalysen till en fast del av beslutsunderlaget, med checklistan för prövning av "
        "barnets bästa i ärendemallen, och följ upp andelen varje tertial.",
    ),
    (
        "heard",
        "där barn hördes",
        "planera redan när ärendet startar hur berörda barn ska komma till tals (samtal, enkät eller "
        "barnråd) och skriv i beslutet hur deras åsikter har vägts in.",
    ),
)
