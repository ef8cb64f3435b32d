"""Children's voices: surveys, quotes and proposals, read and checked, and turned into the part "Det här säger
barnen" (``barnens-roster``).

**Surveys** (LUPP, elevenkäten, the municipality's own) are files with one row per question × year × breakdown
group, as the survey tools export them: ``fråga``, ``år``, ``indelning`` (totalt, kön, skola, årskurs, område),
``grupp``, ``antal_svar`` and ``andel`` (per cent), optionally ``svar`` (what the share is a share of). They are
read by the one local-data reader (``text=True``), all or nothing (``VoicesError`` naming file, row and column).
Each question is shown like an indicator: the latest share with the change since the previous measurement, the
trend over the years and the breakdown. A share based on fewer answers than the report's small-count threshold
is "–"; within a breakdown the groups' answers add up to the year's total answers (which the trend shows), so
the groups are suppressed by the one rule of ``localdata.suppression`` with the year totals published
(``row_totals=False``): a single hidden group per year would be the total minus the others, so a second one is
hidden.

**Quotes** (``[[citat]]``: text, age or age band, context, consent) never carry a name, and a quote without
consent is dropped here, before the report model, so no writer can show it. **Proposals** (``[[forslag]]``:
the proposal, from whom, date, status genomfört / pågår / inte genomfört, and the feedback, required when it is
not carried out). Development areas marked ``barnens_forslag = true`` are listed as proposed by children.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from barnbokslut.localdata import decimals_for, parse_number
from barnbokslut.localdata.named import NamedColumnsError, read_named
from barnbokslut.localdata.suppression import DEFAULT_THRESHOLD, HIDDEN_NOTE, Reason, suppress
from barnbokslut.numbers import format_count, format_date_sv, format_number, format_value, round_value
from barnbokslut.report.figures import slug as _slug
from barnbokslut.report.model import (
    Cell,
    Chart,
    ChartKind,
    DevelopmentArea,
    Proposal,
    ProposalStatus,
    Quote,
    Series,
    SeriesRole,
    SurveyQuestion,
    SurveySection,
    Table,
    Text,
    VoicesSection,
)
from barnbokslut.report.sections import SettingsReader

__all__ = [
    "BREAKDOWNS",
    "COLUMNS",
    "PROPOSAL_KEYS",
    "QUOTE_KEYS",
    "REQUIRED",
    "SURVEY_KEYS",
    "QuoteEntry",
    "Survey",
    "SurveyRow",
    "VoicesError",
    "age_label",
    "parse_survey",
    "proposals_from",
    "quotes_from",
    "read_survey",
    "voices_section",
]

COLUMNS = ("fråga", "svar", "år", "indelning", "grupp", "antal_svar", "andel")
REQUIRED = ("fråga", "år", "indelning", "antal_svar", "andel")
#: ``indelning``: the written value → its heading; the order is the breakdown table's.
BREAKDOWNS = {"totalt": "Totalt", "kön": "Kön", "skola": "Skola", "årskurs": "Årskurs", "område": "Område"}
SURVEY_KEYS = ("namn", "fil", "text")
QUOTE_KEYS = ("text", "ålder", "sammanhang", "samtycke")
PROPOSAL_KEYS = ("förslag", "från", "datum", "status", "återkoppling")
#: Years of a question shown in its breakdown table (the latest ones).
BREAKDOWN_YEARS = 3
SHOWN_ERRORS = 8


class VoicesError(NamedColumnsError):
    """A survey file that cannot be used; ``problems`` lists each one (file, row, column)."""


@dataclass(frozen=True)
class SurveyRow:
    row: int  # line in the file
    question: str
    measure: str
    year: int
    breakdown: str  # a key of BREAKDOWNS
    group: str  # "" for totalt
    answers: int
    share: float | None  # per cent; None when missing ("..")
    decimals: int


@dataclass(frozen=True)
class Survey:
    name: str  # "LUPP"
    file: str  # as shown in the source line: "data/lupp.csv"
    text: Text | None
    rows: tuple[SurveyRow, ...]


@dataclass(frozen=True)
class QuoteEntry:
    """A quote as written in the source, consent flag included (``voices_section`` keeps only consented ones)."""

    text: str
    age: str
    context: str
    consent: bool


def read_survey(path: Path, label: str, name: str, text: Text | None = None) -> Survey:
    """Read and check the survey file at ``path`` (shown as ``label``); raise ``VoicesError`` with every problem."""
    try:
        data = path.read_bytes()
    except OSError:
        raise VoicesError([f"{label}: filen finns inte eller kunde inte läsas."]) from None
    return parse_survey(path.name, data, label, name, text)


def parse_survey(filename: str, data: bytes, label: str, name: str, text: Text | None = None) -> Survey:
    try:
        parsed, index = read_named(filename, data, label, COLUMNS, REQUIRED, shown_errors=SHOWN_ERRORS)
    except NamedColumnsError as exc:
        raise VoicesError(exc.problems) from None
    problems: list[str] = []

    rows: list[SurveyRow] = []
    seen: dict[tuple[str, int, str, str], int] = {}
    for number, cells in zip(parsed.row_numbers, parsed.rows, strict=True):

        def cell(key: str, cells: tuple[object, ...] = cells) -> str:
            return str(cells[index[key]] or "").strip() if key in index else ""

        def bad(key: str, message: str, number: int = number) -> None:
            problems.append(f"{label}, rad {number}, kolumn ”{parsed.columns[index[key]]}”: {message}")

        before = len(problems)
        for key in ("fråga", "år", "indelning", "antal_svar"):
            if not cell(key):
                bad(key, "värdet saknas.")
        if len(problems) > before:
            continue
        year_text = cell("år")
        year = int(year_text) if re.fullmatch(r"(19|20)\d\d", year_text) else None
        if year is None:
            bad("år", f"”{year_text}” är inget år; skriv året med fyra siffror, t.ex. 2025.")
        breakdown = cell("indelning").casefold()
        if breakdown not in BREAKDOWNS:
            bad("indelning", f"okänt värde ”{cell('indelning')}”; välj {', '.join(BREAKDOWNS)}.")
        group = cell("grupp")
        if breakdown in BREAKDOWNS and breakdown != "totalt" and not group:
            bad("grupp", f"värdet saknas; skriv vilken grupp raden gäller (indelning {breakdown}).")
        answers_text = cell("antal_svar").replace("\u00a0", "").replace(" ", "")
        answers = int(answers_text) if answers_text.isdigit() else None
        if answers is None:
            bad("antal_svar", f"”{cell('antal_svar')}” är inget antal; skriv ett heltal, t.ex. 48.")
        share: float | None = None
        decimals = 0
        try:
            share, decimals = parse_number(cell("andel").removesuffix("%").strip())
        except ValueError:
            bad(
                "andel",
                f"”{cell('andel')}” är ingen andel; skriv procent, t.ex. 72 eller 72,5 (.. om den saknas).",
            )
        else:
            if share is not None and not 0 <= share <= 100:
                bad("andel", f"{cell('andel')} ligger inte mellan 0 och 100 procent.")
        if len(problems) > before:
            continue
        assert year is not None and answers is not None
        key4 = (cell("fråga"), year, breakdown, group.casefold() if breakdown != "totalt" else "")
        if key4 in seen:
            bad("grupp", f"samma fråga, år och grupp finns redan på rad {seen[key4]}.")
            continue
        seen[key4] = number
        rows.append(
            SurveyRow(
                row=number, question=cell("fråga"), measure=cell("svar"), year=year, breakdown=breakdown,
                group=group if breakdown != "totalt" else "", answers=answers, share=share, decimals=decimals,
            )
        )  # fmt: skip
    first: dict[tuple[str, int], int] = {}
    totals: set[tuple[str, int]] = set()
    for r in rows:
        first.setdefault((r.question, r.year), r.row)
        if r.breakdown == "totalt":
            totals.add((r.question, r.year))
    for (question, year), row in first.items():
        if (question, year) not in totals:
            problems.append(
                f"{label}, rad {row}: frågan ”{question}” saknar en rad med indelning totalt för {year} "
                "(alla svar det året)."
            )
    if problems:
        raise VoicesError(problems)
    return Survey(name, label, text, tuple(rows))


_AGE = re.compile(r"^(\d{1,2})(?:\s*[–—-]\s*(\d{1,2}))?(?:\s*år)?$")
_STATUSES = {s.value: s for s in ProposalStatus} | {"ej genomfört": ProposalStatus.NOT_DONE}


def age_label(value: str | int) -> str | None:
    """ "11 år" or "13–15 år" from 11, "13-15" or "13–15 år"; "" for an empty value; None when it is no age
    (0–25) or age band (the folder's ``[[citat]]`` and the web app's form read ages with this one rule)."""
    text = str(value).strip()
    if not text:
        return ""
    match = _AGE.fullmatch(text)
    if match is None or not 0 <= int(match.group(1)) <= int(match.group(2) or match.group(1)) <= 25:
        return None
    low, high = match.group(1), match.group(2)
    return f"{low}–{high} år" if high and high != low else f"{low} år"


def _age(reader: SettingsReader, entry: dict[str, Any], where: str) -> str:
    value = entry.get("ålder")
    if value is None:
        return ""
    label = age_label(value) if isinstance(value, str | int) and not isinstance(value, bool) else None
    if label is None:
        reader.problem(
            where, "ålder", f"skriv en ålder eller ett åldersspann, t.ex. 11 eller ”13–15”, inte {value!r}"
        )
        return ""
    return label


def _nameless(
    reader: SettingsReader, data: dict[str, Any], table: str, keys: tuple[str, ...], refusal: str
) -> Iterator[tuple[str, dict[str, Any]]]:
    """The entries of ``[[table]]`` with where they are: a ``namn`` field is refused with ``refusal`` (children
    are never named), any other unknown key as the reader refuses it."""
    for row, entry in reader.rows(data, table):
        where = f"[[{table}]] nr {row}"
        if "namn" in entry:
            reader.problem(where, "namn", refusal)
        reader.check_keys({k: v for k, v in entry.items() if k != "namn"}, where, keys)
        yield where, entry


def quotes_from(reader: SettingsReader, data: dict[str, Any]) -> tuple[QuoteEntry, ...]:
    """``[[citat]]``: text, ålder, sammanhang and samtycke (required: true or false). A name is refused."""
    quotes = []
    refusal = "citat visas aldrig med namn; ta bort fältet och skriv ålder och sammanhang"
    for where, entry in _nameless(reader, data, "citat", QUOTE_KEYS, refusal):
        text = reader.string(entry, where, "text", required=True)
        age = _age(reader, entry, where)
        context = reader.string(entry, where, "sammanhang")
        consent = reader.boolean(entry, where, "samtycke", required=True)
        if text:
            quotes.append(QuoteEntry(text, age, context, consent))
    return tuple(quotes)


def proposals_from(reader: SettingsReader, data: dict[str, Any]) -> tuple[Proposal, ...]:
    """``[[forslag]]``: förslag, från, datum, status and återkoppling (required for inte genomfört)."""
    proposals = []
    refusal = "förslag visas aldrig med namn; skriv i ”från” vilken grupp eller plats"
    for where, entry in _nameless(reader, data, "forslag", PROPOSAL_KEYS, refusal):
        text = reader.string(entry, where, "förslag", required=True)
        origin = reader.string(entry, where, "från")
        day = _day(reader, entry, where)
        status_text = reader.string(entry, where, "status", required=True)
        status = _STATUSES.get(status_text.casefold())
        if status_text and status is None:
            reader.problem(
                where, "status", f"okänt värde ”{status_text}”; välj genomfört, pågår eller inte genomfört"
            )
        feedback = reader.string(entry, where, "återkoppling")
        if status is ProposalStatus.NOT_DONE and not feedback:
            reader.problem(
                where,
                "återkoppling",
                "krävs när förslaget inte genomförs: skriv varför, så att barnen får veta",
            )
            continue
        if text and status is not None:
            proposals.append(Proposal(text, origin, day, status, feedback))
    return tuple(proposals)


def _day(reader: SettingsReader, entry: dict[str, Any], where: str) -> date | None:
    value = entry.get("datum")
    if value is None:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    reader.problem(where, "datum", f"skriv ett datum ÅÅÅÅ-MM-DD, t.ex. 2025-03-14, inte {value!r}")
    return None


# ---------------------------------------------------------------------------------------------- the part


def _years(years: Sequence[int]) -> str:
    """ "2025", "2023 och 2025", "2021, 2023 och 2025"."""
    text = [str(y) for y in years]
    return text[0] if len(text) == 1 else ", ".join(text[:-1]) + " och " + text[-1]


def _pp(value: float, decimals: int) -> str:
    points = format_number(abs(value), decimals=decimals)
    return f"{points} procentenhet" + ("" if points == "1" else "er")


def _sentence(name: str, by_year: dict[int, SurveyRow], threshold: int, decimals: int, measure: str) -> str:
    years = sorted(by_year)
    last = by_year[years[-1]]
    what = measure[0].lower() + measure[1:] if measure else "andelen"
    if 0 < last.answers < threshold:
        return f"{name} {last.year}: {what} visas inte, eftersom den {Reason.PRIMARY.text(threshold)}."
    if last.share is None:
        return f"{name} {last.year}: {what} saknas ({format_count(last.answers, 'svar', 'svar')})."
    now = round_value(last.share, decimals)
    text = (
        f"{name} {last.year}: {format_value(last.share, '%', decimals=decimals)} "
        f"({format_count(last.answers, 'svar', 'svar')})."
    )
    earlier = [
        by_year[y]
        for y in years[:-1]
        if by_year[y].share is not None and not 0 < by_year[y].answers < threshold
    ]
    if earlier:
        prev = earlier[-1]
        assert prev.share is not None
        change = now - round_value(prev.share, decimals)
        then = f"{prev.year} ({format_value(prev.share, '%', decimals=decimals)})"
        if round_value(change, decimals) == 0:
            text += f" Det är lika mycket som {then}."
        else:
            direction = "mer" if change > 0 else "mindre"
            text += f" Det är {_pp(change, decimals)} {direction} än {then}."
        if len(earlier) > 1:
            start = earlier[0]
            assert start.share is not None
            total = now - round_value(start.share, decimals)
            if round_value(total, decimals) == 0:
                text += f" Sedan {start.year} är andelen oförändrad."
            else:
                verb = "ökat" if total > 0 else "minskat"
                text += (
                    f" Sedan {start.year} ({format_value(start.share, '%', decimals=decimals)}) har andelen "
                    f"{verb} med {_pp(total, decimals)}."
                )
    return text


def _question(
    survey: Survey, question: str, rows: list[SurveyRow], threshold: int, is_example: bool, anchor: str
) -> SurveyQuestion:
    decimals = min(1, decimals_for(r.share for r in survey.rows))
    example = " (Exempeldata)" if is_example else ""
    totals = {r.year: r for r in rows if r.breakdown == "totalt"}
    years = sorted(totals)
    measure = next((r.measure for r in rows if r.measure), "")

    def share_cell(r: SurveyRow | None, hidden: bool) -> Cell:
        if r is None:
            return Cell("..", numeric=True)
        return Cell("–" if hidden else format_value(r.share, "%", decimals=decimals), numeric=True)

    def answers_cell(r: SurveyRow | None, hidden: bool) -> Cell:
        if r is None:
            return Cell("..", numeric=True)
        return Cell("–" if hidden else format_number(r.answers, decimals=0), numeric=True)

    # The trend: each year's total answers. No sum over the years is shown, so only the primary rule applies.
    trend_hidden = suppress([[totals[y].answers] for y in years], threshold=threshold).hidden
    trend_rows = tuple(
        (
            Cell(str(y)),
            answers_cell(totals[y], (i, 0) in trend_hidden),
            share_cell(totals[y], (i, 0) in trend_hidden),
        )
        for i, y in enumerate(years)
    )
    source = f"Källa: {survey.name} {_years(years)}, fil {survey.file}{example}"
    trend = Table(
        caption=f"{question} – {survey.name} {years[0]}–{years[-1]}"
        if len(years) > 1
        else f"{question} – {survey.name} {years[0]}",
        columns=("År", "Antal svar", measure or "Andel"),
        rows=trend_rows,
        source=source + (". " + HIDDEN_NOTE.format(threshold=threshold) if trend_hidden else ""),
    )

    chart = None
    if len(years) > 1:
        values = tuple(None if (i, 0) in trend_hidden else totals[y].share for i, y in enumerate(years))
        shown = [(y, v) for y, v in zip(years, values, strict=True) if v is not None]
        described = ", ".join(f"{y} {format_value(v, '%', decimals=decimals)}" for y, v in shown)
        chart = Chart(
            id=f"diagram-{anchor}", title=f"{question} – {survey.name}", kind=ChartKind.LINE,
            categories=tuple(str(y) for y in years),
            series=(Series(measure or "Andel", values, SeriesRole.MUNICIPALITY),),
            unit="%", alt=f"Linjediagram: {question}, {survey.name} {_years(years)}, andel i procent.",
            description=f"{measure or 'Andelen'}: {described or 'inga värden visas'}."
            + (f" {len(years) - len(shown)} år visas inte." if len(shown) < len(years) else ""),
            table=trend, source=trend.source, decimals=decimals, y_max=100.0,
        )  # fmt: skip

    breakdown = None
    groups = [r for r in rows if r.breakdown != "totalt"]
    if groups:
        shown_years = sorted({r.year for r in groups})[-BREAKDOWN_YEARS:]
        body: list[tuple[Cell, ...]] = []
        any_hidden = False
        for key, heading in BREAKDOWNS.items():
            in_key = [r for r in groups if r.breakdown == key and r.year in shown_years]
            names: list[str] = []
            for r in in_key:
                if r.group.casefold() not in (n.casefold() for n in names):
                    names.append(r.group)
            if not names:
                continue
            cells_by = {(r.group.casefold(), r.year): r for r in in_key}
            matrix = [[_answers(cells_by.get((n.casefold(), y))) for y in shown_years] for n in names]
            # The groups of a breakdown add up to the year's total answers, which the trend shows.
            result = suppress(matrix, threshold=threshold, totals=True, row_totals=False)
            any_hidden = any_hidden or bool(result.hidden)
            for g, n in enumerate(names):
                row: list[Cell] = [Cell(f"{heading}: {n}")]
                for y_index, y in enumerate(shown_years):
                    found = cells_by.get((n.casefold(), y))
                    hidden = (g, y_index) in result.hidden
                    row += [share_cell(found, hidden), answers_cell(found, hidden)]
                body.append(tuple(row))
        columns = ["Grupp"]
        for y in shown_years:
            columns += [f"Andel {y}", f"Svar {y}"]
        line = f"Källa: {survey.name} {_years(shown_years)}, fil {survey.file}{example}"
        breakdown = Table(
            caption=f"{question} – efter {_kinds(groups)}, {survey.name} {_years(shown_years)}",
            columns=tuple(columns),
            rows=tuple(body),
            source=line + (". " + HIDDEN_NOTE.format(threshold=threshold) if any_hidden else ""),
        )
    return SurveyQuestion(
        question=question, measure=measure, anchor=anchor,
        sentence=_sentence(survey.name, totals, threshold, decimals, measure), trend=trend, breakdown=breakdown,
        chart=chart,
    )  # fmt: skip


def _answers(row: SurveyRow | None) -> int | None:
    return None if row is None else row.answers


def _kinds(groups: list[SurveyRow]) -> str:
    present = [BREAKDOWNS[k].lower() for k in BREAKDOWNS if any(r.breakdown == k for r in groups)]
    return present[0] if len(present) == 1 else ", ".join(present[:-1]) + " och " + present[-1]


def survey_section(survey: Survey, *, threshold: int, is_example: bool, anchor: str) -> SurveySection:
    questions: list[str] = []
    for r in survey.rows:
        if r.question not in questions:
            questions.append(r.question)
    made = tuple(
        _question(
            survey, q, [r for r in survey.rows if r.question == q], threshold, is_example,
            f"{anchor}-{i}-{_slug(q)[:40]}".rstrip("-"),
        )
        for i, q in enumerate(questions, start=1)
    )  # fmt: skip
    years = sorted({r.year for r in survey.rows})
    source = f"{survey.name} {_years(years)}, fil {survey.file}" + (" (Exempeldata)" if is_example else "")
    return SurveySection(survey.name, anchor, survey.text, made, survey.file, source)


def _summary(proposals: Sequence[Proposal]) -> str:
    if not proposals:
        return ""
    done = sum(p.status is ProposalStatus.DONE for p in proposals)
    ongoing = sum(p.status is ProposalStatus.ONGOING for p in proposals)
    not_done = sum(p.status is ProposalStatus.NOT_DONE for p in proposals)
    parts = []
    if done:
        parts.append(f"{done} {'är genomfört' if done == 1 else 'är genomförda'}")
    if ongoing:
        parts.append(f"{ongoing} pågår")
    if not_done:
        parts.append(f"{not_done} genomförs inte")
    said = ", ".join(parts[:-1]) + " och " + parts[-1] if len(parts) > 1 else parts[0]
    return f"Barnen lämnade {format_count(len(proposals), 'förslag', 'förslag')}: {said}."


def voices_section(
    surveys: Sequence[Survey],
    quotes: Sequence[QuoteEntry],
    proposals: Sequence[Proposal],
    development_areas: Sequence[DevelopmentArea] = (),
    *,
    threshold: int = DEFAULT_THRESHOLD,
    is_example: bool = False,
    source_label: str = "barnbokslut.toml",
) -> VoicesSection | None:
    """The part's content; None when there is nothing to show. Quotes without consent are left out here."""
    shown_quotes = tuple(Quote(q.text, q.age, q.context) for q in quotes if q.consent)
    child_areas = tuple(
        a.area + (f" ({a.department_label})" if a.departments else "")
        for a in development_areas
        if a.from_children
    )
    sections = tuple(
        survey_section(s, threshold=threshold, is_example=is_example, anchor=f"enkat-{i}-{_slug(s.name)}")
        for i, s in enumerate(surveys, start=1)
    )
    if not (sections or shown_quotes or proposals or child_areas):
        return None
    table = None
    if proposals:
        table = Table(
            caption="Barnens förslag och vad som hände",
            columns=("Förslag", "Från", "Datum", "Vad som hände", "Återkoppling"),
            rows=tuple(
                (
                    Cell(p.text),
                    Cell(p.origin or ".."),
                    Cell(format_date_sv(p.day) if p.day else ".."),
                    Cell(f"{p.status.symbol} {p.status.label}"),
                    Cell(p.feedback),
                )
                for p in proposals
            ),
            source=f"Källa: egen sammanställning, {source_label}" + (" (Exempeldata)" if is_example else ""),
        )
    source = f"Egen sammanställning av barnens citat och förslag, {source_label}" + (
        " (Exempeldata)" if is_example else ""
    )
    return VoicesSection(
        surveys=sections, quotes=shown_quotes, proposals=tuple(proposals), proposals_table=table,
        proposals_summary=_summary(proposals), child_areas=child_areas, source=source,
    )  # fmt: skip
