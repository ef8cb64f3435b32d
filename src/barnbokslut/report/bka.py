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
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from barnbokslut.localdata.named import NamedColumnsError, read_named
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
    "check_decision",
    "count",
    "hidden_note",
    "notices",
    "parse_articles",
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
#: Where the known units come from, in the message about an unknown one (the folder's; the web app says its own).
UNITS_FROM_FOLDER = "[[verksamhet]]"
_NO_UNITS = {UNITS_FROM_FOLDER: "inga (lägg till [[verksamhet]] i barnbokslut.toml)"}
SHOWN_ERRORS = 5


class BkaError(NamedColumnsError):
    """The register cannot be used; ``problems`` lists each one (file, row, column)."""


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
    # The checklist's free answers: kept for the web app's register, not counted.
    affected_children: str = ""
    knowledge: str = ""
    how_heard: str = ""
    ages: str = ""
    weighing: str = ""

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
    is_example: bool = False  # invented decisions (the examples): the source line says "(Exempeldata)"


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


def read_register(path: Path, label: str, units: set[str], *, is_example: bool = False) -> Register:
    """Read and check the register at ``path`` (shown as ``label``); raise ``BkaError`` with every problem."""
    try:
        data = path.read_bytes()
    except OSError:
        raise BkaError([f"{label}: filen finns inte eller kunde inte läsas."]) from None
    return parse_register(path.name, data, label, units, is_example=is_example)


def parse_register(
    name: str,
    data: bytes,
    label: str,
    units: set[str],
    *,
    max_bytes: int | None = None,
    units_from: str = UNITS_FROM_FOLDER,
    is_example: bool = False,
) -> Register:
    """Read and check the register in ``data`` (a file called ``name``, shown as ``label``); raise ``BkaError``
    with every problem. ``units`` are the known abbreviations, ``units_from`` says where they come from in the
    message about an unknown one; ``max_bytes`` bounds the file (the web app's upload limit)."""
    try:
        parsed, index = read_named(
            name, data, label, COLUMNS, REQUIRED, shown_errors=SHOWN_ERRORS, max_bytes=max_bytes
        )
    except NamedColumnsError as exc:
        raise BkaError(exc.problems) from None
    problems: list[str] = []

    decisions: list[Decision] = []
    seen: dict[str, int] = {}
    for number, cells in zip(parsed.row_numbers, parsed.rows, strict=True):
        values = {key: str(cells[i] or "").strip() for key, i in index.items()}
        decision, row_errors = check_decision(values, units, row=number, units_from=units_from)
        diarienummer = values["diarienummer"]
        found = list(row_errors.items())
        if all(values.get(key) for key in REQUIRED):
            if diarienummer in seen:
                found.insert(
                    0, ("diarienummer", f"”{diarienummer}” finns redan på rad {seen[diarienummer]}.")
                )
            seen.setdefault(diarienummer, number)
        for key, message in found:
            problems.append(f"{label}, rad {number}, kolumn ”{parsed.columns[index[key]]}”: {message}")
        if decision is not None and not found:
            decisions.append(decision)
    if problems:
        raise BkaError(problems)
    return Register(label, tuple(decisions), is_example=is_example)


def check_decision(
    values: Mapping[str, str], units: set[str], *, row: int = 0, units_from: str = UNITS_FROM_FOLDER
) -> tuple[Decision | None, dict[str, str]]:
    """Check one decision's values (by column key, as written in the file or the web form): the decision, or
    None and the problem per column key (Swedish, without file and row). The one set of rules for the folder's
    file, the web app's import and its form."""
    errors: dict[str, str] = {}

    def cell(key: str) -> str:
        return str(values.get(key) or "").strip()

    for key in REQUIRED:
        if not cell(key):
            errors[key] = "värdet saknas."
    if errors:
        return None, errors
    unit = cell("enhet")
    if unit not in units:
        known = ", ".join(sorted(units)) or _NO_UNITS.get(units_from, "inga")
        errors["enhet"] = f"okänd verksamhet ”{unit}”; välj en förkortning ur {units_from}: {known}."
    day = _date(cell("datum"))
    if day is None:
        errors["datum"] = f"”{cell('datum')}” är inget datum; skriv ÅÅÅÅ-MM-DD, t.ex. 2025-03-14."
    analysis = cell("analys").casefold()
    if analysis not in ANALYSES:
        errors["analys"] = f"okänt värde ”{cell('analys')}”; välj {_choices(ANALYSES)}."
    heard = _YES_NO.get(cell("barn_hörda").casefold())
    if heard is None:
        errors["barn_hörda"] = f"okänt värde ”{cell('barn_hörda')}”; välj ja eller nej."
    outcome = OUTCOMES.get(cell("utfall").casefold())
    if outcome is None:
        errors["utfall"] = (
            f"okänt värde ”{cell('utfall')}”; välj för barnets bästa, mot barnets bästa eller neutral."
        )
    articles = parse_articles(cell("artiklar"))
    if isinstance(articles, str):
        errors["artiklar"] = articles
    heard_count: int | None = None
    if cell("antal_hörda"):
        text = cell("antal_hörda")
        if not text.isdigit():
            errors["antal_hörda"] = f"”{text}” är inget antal; skriv ett heltal, t.ex. 4, eller lämna tomt."
        else:
            heard_count = int(text)
    if errors:
        return None, errors
    assert day is not None and heard is not None and outcome is not None and not isinstance(articles, str)
    return Decision(
        row=row, diarienummer=cell("diarienummer"), unit=unit, day=day, decision=cell("beslut"),
        analysis=analysis, heard=heard, outcome=outcome, compensating=cell("kompenserande_åtgärder"),
        articles=articles, heard_count=heard_count, status=cell("status"),
        affected_children=cell("berörda_barn"), knowledge=cell("kunskap"), how_heard=cell("hur_hörda"),
        ages=cell("åldrar"), weighing=cell("avvägning"),
    ), {}  # fmt: skip


def parse_articles(text: str) -> tuple[int, ...] | str:
    """``"3, 12"`` as (3, 12), or the problem (Swedish) with the first piece that is no article (1–54)."""
    articles: list[int] = []
    for piece in filter(None, (p.strip() for p in re.split(r"[,;]", text))):
        if not piece.isdigit() or not 1 <= int(piece) <= 54:
            return f"”{piece}” är ingen artikel i barnkonventionen (1–54); skriv t.ex. 3, 12."
        articles.append(int(piece))
    return tuple(articles)


def notices(decision: Decision) -> list[str]:
    """What the checklist asks for but the register does not require: said to the one who writes the decision."""
    found = []
    if decision.against and not decision.compensating:
        found.append(
            "Beslutet går emot barnets bästa men har inga kompenserande åtgärder. Skriv vilka åtgärder som "
            "mildrar följderna för barnen; utan dem räknas beslutet som ”utan kompenserande åtgärder”."
        )
    return found


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
