"""From the indicator analysis to the report model: Sammanfattning, overview table, signals, charts, source lines.

Everything here reads an ``indicators.analysis.Analysis`` and returns ``model`` objects; no format is involved.
Every signal carries words as well as a colour and a symbol, every chart its text alternative, description and
data table, and every source line names the KPI, the period, Kolada, the fetch date and "Exempeldata" when so.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

from barnbokslut.indicators import sentences
from barnbokslut.indicators.results import (
    OWN_PROCESSING,
    Analysis,
    Colour,
    HistoryPoint,
    IndicatorResult,
    Movement,
    Relation,
    Trend,
    UnitValue,
)
from barnbokslut.indicators.sentences import join_words, own_processing, status_words
from barnbokslut.indicators.summary import YearCounts
from barnbokslut.numbers import MISSING, format_date_sv, format_number, format_value
from barnbokslut.report.model import (
    AreaSection,
    Cell,
    Chart,
    ChartKind,
    FiguresSection,
    IndicatorSection,
    OverviewRow,
    Series,
    SeriesRole,
    Signal,
    SignalKind,
    SummarySection,
    Table,
    Text,
    Tone,
    UnitFigures,
)

__all__ = [
    "figures_section",
    "gender_signal",
    "history_chart",
    "indicator_section",
    "position_signal",
    "slug",
    "summary_section",
    "trend_signal",
    "units_figures",
]

#: At most this many periods in a chart (the newest).
CHART_PERIODS = 8


def slug(text: str) -> str:
    """An ASCII anchor: "Pedagogisk omsorg och utbildning" → "pedagogisk-omsorg-och-utbildning"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "avsnitt"


# ----------------------------------------------------------------------------------------------------
# Signals

_MOVE_SYMBOL = {Movement.UP: "▲", Movement.DOWN: "▼", Movement.SAME: "►", Movement.UNKNOWN: "–"}


def trend_signal(result: IndicatorResult) -> Signal:
    """The trend against the municipality's own previous measurement."""
    symbol = _MOVE_SYMBOL[result.movement]
    tone, label = {
        Trend.POSITIVE: (Tone.GREEN, "Positiv trend"),
        Trend.NEGATIVE: (Tone.RED, "Negativ trend"),
        Trend.UNCHANGED: (Tone.YELLOW, "Oförändrad"),
        Trend.NOT_JUDGED: (Tone.NEUTRAL, f"Har {result.movement.value} (ej bedömd)"),
        Trend.UNKNOWN: (Tone.UNKNOWN, "Ingen jämförelse"),
    }[result.trend]
    return Signal(SignalKind.TREND, tone, symbol, label, result.texts.change)


def position_signal(result: IndicatorResult) -> Signal:
    """The place among all kommuner, in Kolada's colours and in words."""
    rank = result.rank
    if rank.position is None:
        return Signal(SignalKind.POSITION, Tone.UNKNOWN, MISSING, "Ingen placering", result.texts.rank)
    place = f"{rank.position} av {rank.of}"
    tone, symbol, words = {
        Colour.GREEN: (Tone.GREEN, "●", "bästa fjärdedelen"),
        Colour.YELLOW: (Tone.YELLOW, "◐", "mittenhalvan"),
        Colour.RED: (Tone.RED, "○", "sämsta fjärdedelen"),
        Colour.NONE: (Tone.NEUTRAL, "·", "ej bedömd"),
    }[rank.colour]
    return Signal(SignalKind.POSITION, tone, symbol, f"Plats {place}, {words}", result.texts.rank)


def gender_signal(result: IndicatorResult) -> Signal:
    """The gap between girls and boys."""
    gap = result.gender
    words = result.texts.gender or "Nyckeltalet redovisas inte för flickor och pojkar."
    if gap is None:
        return Signal(SignalKind.GENDER, Tone.NEUTRAL, "–", "Redovisas inte per kön", words)
    if gap.gap is None:
        return Signal(SignalKind.GENDER, Tone.UNKNOWN, MISSING, "Uppgift saknas", words)
    if gap.relation is Relation.EQUAL:
        return Signal(SignalKind.GENDER, Tone.NEUTRAL, "=", "Ingen skillnad", words)
    who = "Flickor" if gap.relation is Relation.HIGHER else "Pojkar"
    unit = " p.e." if result.indicator.is_percentage else ""
    label = f"{who} {format_number(abs(gap.gap))}{unit} högre"
    return Signal(SignalKind.GENDER, Tone.NEUTRAL, "♀" if who == "Flickor" else "♂", label, words)


# ----------------------------------------------------------------------------------------------------
# Charts


def _chart_points(history: tuple[HistoryPoint, ...]) -> list[HistoryPoint]:
    known = [
        p
        for p in history
        if p.value is not None or p.peer is not None or p.national is not None or p.predecessor is not None
    ]
    return known[-CHART_PERIODS:]


def history_chart(result: IndicatorResult, source: str) -> Chart | None:
    """The municipality, liknande kommuner and the country (or all kommuner) over the years."""
    points = _chart_points(result.history)
    if not points:
        return None
    name = result.municipality.title
    national_label = "Alla kommuner" if all(p.national_computed for p in points) else "Riket"
    series = [Series(name, tuple(p.value for p in points), SeriesRole.MUNICIPALITY)]
    if any(p.peer is not None for p in points):
        series.append(Series("Liknande kommuner", tuple(p.peer for p in points), SeriesRole.PEER))
    if any(p.national is not None for p in points):
        series.append(Series(national_label, tuple(p.national for p in points), SeriesRole.NATIONAL))
    predecessor = result.indicator.predecessor
    shows_predecessor = bool(predecessor) and any(p.predecessor is not None for p in points)
    if shows_predecessor:
        label = f"{name}, {predecessor} (tidigare mått)"
        series.append(Series(label, tuple(p.predecessor for p in points), SeriesRole.PREDECESSOR))
    categories = tuple(str(p.period) for p in points)
    unit = result.indicator.unit
    title = result.indicator.short_title
    rows = tuple(
        (Cell(cat), *(Cell(format_value(s.values[i], unit), numeric=True) for s in series))
        for i, cat in enumerate(categories)
    )
    table = Table(
        caption=f"{title}: {', '.join(s.label for s in series)} {categories[0]}–{categories[-1]}",
        columns=("År", *(s.label for s in series)),
        rows=rows,
        source=source,
    )
    labels = [s.label.lower() if s.role is not SeriesRole.MUNICIPALITY else s.label for s in series]
    names = join_words(labels)
    alt = f"Linjediagram: {title} {categories[0]}–{categories[-1]} för {names}."
    parts = []
    for s in series:
        known = [(categories[i], v) for i, v in enumerate(s.values) if v is not None]
        if not known:
            continue
        (first_period, first), (last_period, last) = known[0], known[-1]
        parts.append(
            f"{s.label}: {format_value(last, unit)} år {last_period}"
            + (f" (år {first_period}: {format_value(first, unit)})" if first_period != last_period else "")
            + "."
        )
    if shows_predecessor:
        parts.append(sentences.break_sentence(result))
    missing = [p for p in points if p.value is None]
    if missing:
        # Every gap in the line is explained: Kolada's status in words, year by year.
        reasons = join_words([f"{p.period}: {p.reason or status_words(None)}" for p in missing])
        parts.append(f"För {name} saknas värde för {len(missing)} av åren ({MISSING} i tabellen; {reasons}).")
    y_max = (
        100.0
        if unit.strip() == "%" and max((v for s in series for v in s.values if v is not None), default=0) > 85
        else None
    )
    return Chart(
        id=f"diagram-{result.kpi.lower()}",
        title=title,
        kind=ChartKind.LINE,
        categories=categories,
        series=tuple(series),
        unit=unit.strip(),
        alt=alt,
        description=" ".join(parts),
        table=table,
        source=source,
        y_max=y_max,
        break_at=str(result.break_period) if result.break_period is not None else None,
    )


def _units_description(units: tuple[UnitValue, ...], unit: str) -> str:
    """Every bar in words, highest first: "Bergviksskolan 84,4 %, Vågbroskolan 74,2 % och Ljusne skola ..
    (uppgiften är skyddad av sekretesskäl, ingen stapel)"."""
    words = [
        f"{u.title} {format_value(u.value, unit)}"
        if u.value is not None
        else f"{u.title} {MISSING} ({u.reason}, ingen stapel)"
        for u in units
    ]
    return join_words(words) + "."


def units_figures(result: IndicatorResult) -> UnitFigures | None:
    """The indicator per school or preschool: the spread in words, a table (missing values with their reason)
    and a bar chart, highest first; ``None`` when Kolada has no unit data for the kommun."""
    spread = result.units
    if spread is None or result.texts.units is None:
        return None
    unit = result.indicator.unit
    singular = spread.noun[0]
    title = f"{result.indicator.short_title} per {singular} {spread.period}"
    source = result.texts.units_source or spread.source
    any_missing = bool(spread.missing)
    columns = (singular.capitalize(), f"Värde {spread.period}", *(("Orsak",) if any_missing else ()))
    rows = tuple(
        (
            Cell(u.title),
            Cell(format_value(u.value, unit), numeric=True),
            *((Cell(u.reason if u.value is None else ""),) if any_missing else ()),
        )
        for u in spread.units
    )
    table = Table(caption=title, columns=columns, rows=rows, source=source)
    chart = None
    values = tuple(u.value for u in spread.units)
    if any(v is not None for v in values):
        top = max(v for v in values if v is not None)
        chart = Chart(
            id=f"diagram-{result.kpi.lower()}-enheter",
            title=title,
            kind=ChartKind.BAR,
            categories=tuple(u.title for u in spread.units),
            series=(Series(result.indicator.short_title, values, SeriesRole.MUNICIPALITY),),
            unit=unit.strip(),
            alt=f"Stapeldiagram: {result.indicator.short_title} år {spread.period} för "
            f"{len(spread.units)} {spread.noun[1] if len(spread.units) != 1 else singular} i "
            f"{result.municipality.title}, högst först.",
            description=_units_description(spread.units, unit),
            table=table,
            source=source,
            y_max=100.0 if unit.strip() == "%" and top > 85 else None,
        )
    return UnitFigures(
        title=title,
        sentence=result.texts.units,
        table=table,
        chart=chart,
        source=source,
        is_example=spread.is_example,
    )


# ----------------------------------------------------------------------------------------------------
# Sections


def source_line(result: IndicatorResult) -> str:
    """ "U31803, 2024, Källa: Kolada, hämtad 3 mars 2026; medelvärdet för liknande kommuner: egen bearbetning av
    data från Kolada" (generated values say "Exempeldata (…)" instead of Kolada)."""
    prov = result.provenance
    period = str(prov.period) if prov.period is not None else MISSING
    line = f"{prov.kpi}, {period}, {prov.source}"
    if prov.fetched_at is not None:
        line += f", hämtad {format_date_sv(prov.fetched_at)}"
    own = [w for w in own_processing(result) if w.startswith("medelvärdet")]
    if own and not prov.is_example:
        line += f"; {join_words(own)}: {OWN_PROCESSING.lower()}"
    return line


def indicator_section(result: IndicatorResult, comment: Text | None = None) -> IndicatorSection:
    source = source_line(result)
    texts = result.texts
    details = tuple(
        t for t in (texts.change, texts.peer, texts.own, texts.national, texts.rank, texts.gender) if t
    )
    prov = result.provenance
    return IndicatorSection(
        kpi=result.kpi,
        title=result.indicator.title,
        area=result.indicator.area,
        anchor=f"nyckeltal-{result.kpi.lower()}",
        sentence=texts.sentence,
        details=details,
        chart=history_chart(result, source),
        comment=comment,
        source=source,
        period=prov.period,
        fetched_at=prov.fetched_at.date() if prov.fetched_at is not None else None,
        is_example=prov.is_example,
        units=units_figures(result),
    )


def overview_row(result: IndicatorResult) -> OverviewRow:
    latest = result.latest
    return OverviewRow(
        kpi=result.kpi,
        title=result.indicator.short_title,
        area=result.indicator.area,
        value=format_value(latest.value if latest else None, result.indicator.unit),
        period=str(latest.period) if latest else MISSING,
        trend=trend_signal(result),
        position=position_signal(result),
        gender=gender_signal(result),
        anchor=f"nyckeltal-{result.kpi.lower()}",
    )


def figures_section(
    analysis: Analysis, comments: Mapping[str, Text] | None = None, intro: Text | None = None
) -> FiguresSection | None:
    """Situationen i siffror: the overview of all indicators, then one subsection per area."""
    if not analysis.results:
        return None
    comments = comments or {}
    areas: dict[str, list[IndicatorSection]] = {}
    for result in analysis.results:
        areas.setdefault(result.indicator.area, []).append(
            indicator_section(result, comments.get(result.kpi))
        )
    return FiguresSection(
        title=f"Situationen för barn och unga i {analysis.municipality.title} – i siffror",
        intro=intro,
        overview=tuple(overview_row(r) for r in analysis.results),
        areas=tuple(
            AreaSection(title, f"omrade-{slug(title)}", tuple(items)) for title, items in areas.items()
        ),
    )


def _count_row(counts: YearCounts) -> tuple[Cell, ...]:
    numbers = (
        counts.positive,
        counts.negative,
        counts.unchanged,
        counts.judged,
        counts.better,
        counts.compared,
    )
    return (Cell(str(counts.year)), *(Cell(str(n), numeric=True) for n in numbers))


def summary_section(analysis: Analysis, text: Text | None) -> SummarySection:
    """The analysis's sentences and counts (report year and earlier years), then the writer's text."""
    summary = analysis.summary
    counts = Table(
        caption="Antal nyckeltal efter trend och jämförelse med liknande kommuner, per år",
        columns=(
            "År",
            "Positiv trend",
            "Negativ trend",
            "Oförändrad",
            "Bedömda",
            "Bättre än liknande kommuner",
            "Jämförda",
        ),
        rows=tuple(_count_row(c) for c in (summary.current, *summary.earlier)),
        source=analysis.source,
    )
    return SummarySection(sentences=summary.sentences, counts=counts, text=text)
