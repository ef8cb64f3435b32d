"""The indicator analysis: for one municipality and report year, what each catalogue indicator shows.

For every indicator it finds the municipality's latest value up to the report year and the measurement before
it, judges the trend against the desired direction, compares with the similar-municipalities group ("liknande
kommuner") and the country, ranks the municipality among all kommuner with Kolada's colours, splits girls and
boys, keeps the history for charts and the provenance, sets the municipality's schools or preschools side by side
where Kolada has values per unit (lowest, highest and the spread), and writes the Swedish sentences
(``sentences.py``).
``analyse`` adds the Sammanfattning (``summary.py``).

Values are compared as they are shown: rounded to one decimal (``numbers.round_value``), so two values that
print the same are equal, and a change or gap is the difference of the shown values.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from barnbokslut.indicators import sentences
from barnbokslut.indicators.catalogue import Catalogue, Direction, Indicator
from barnbokslut.indicators.dataset import COUNTRY_ID, Dataset, GroupValue
from barnbokslut.indicators.results import (
    DECIMALS,
    Analysis,
    Colour,
    Comparison,
    GenderGap,
    HistoryPoint,
    IndicatorResult,
    Judgement,
    Measurement,
    Movement,
    Provenance,
    Rank,
    Relation,
    Scope,
    Texts,
    Trend,
    UnitSpread,
    UnitValue,
)
from barnbokslut.indicators.sentences import join_words
from barnbokslut.indicators.summary import summarise
from barnbokslut.kolada import DataPoint, Municipality, MunicipalityGroup
from barnbokslut.numbers import round_value

__all__ = [
    "analyse",
    "analyse_indicator",
    "analyse_indicators",
    "colour_for",
    "compare_values",
    "judge",
]

# ----------------------------------------------------------------------------------------------------
# Judgements


def _rounded(value: float) -> float:
    return round_value(value, DECIMALS)


def compare_values(value: float | None, other: float | None) -> Relation:
    """``value`` relative to ``other`` after rounding both to the displayed precision."""
    if value is None or other is None:
        return Relation.UNKNOWN
    a, b = _rounded(value), _rounded(other)
    if a > b:
        return Relation.HIGHER
    if a < b:
        return Relation.LOWER
    return Relation.EQUAL


def judge(rel: Relation, direction: Direction) -> Judgement:
    """Whether being ``rel`` (higher/lower/equal) is better or worse, given the desired direction."""
    if rel is Relation.UNKNOWN:
        return Judgement.UNKNOWN
    if direction is Direction.NEUTRAL:
        return Judgement.NOT_JUDGED
    if rel is Relation.EQUAL:
        return Judgement.EQUAL
    good = Relation.HIGHER if direction is Direction.HIGH else Relation.LOWER
    return Judgement.BETTER if rel is good else Judgement.WORSE


def _movement(rel: Relation) -> Movement:
    return {
        Relation.HIGHER: Movement.UP,
        Relation.LOWER: Movement.DOWN,
        Relation.EQUAL: Movement.SAME,
        Relation.UNKNOWN: Movement.UNKNOWN,
    }[rel]


def _trend(movement: Movement, direction: Direction) -> Trend:
    if movement is Movement.UNKNOWN:
        return Trend.UNKNOWN
    if direction is Direction.NEUTRAL:
        return Trend.NOT_JUDGED
    if movement is Movement.SAME:
        return Trend.UNCHANGED
    good = Movement.UP if direction is Direction.HIGH else Movement.DOWN
    return Trend.POSITIVE if movement is good else Trend.NEGATIVE


def colour_for(position: int, of: int, direction: Direction) -> Colour:
    """Kolada's colour for ``position`` (1 = best) among ``of`` kommuner; see ``Rank`` for the rule."""
    if direction is Direction.NEUTRAL:
        return Colour.NONE
    if 4 * position <= of:
        return Colour.GREEN
    if 4 * (of - position + 1) <= of:
        return Colour.RED
    return Colour.YELLOW


# ----------------------------------------------------------------------------------------------------
# The computation


@dataclass(frozen=True)
class _Context:
    dataset: Dataset
    municipality: Municipality
    year: int
    kommun_ids: tuple[str, ...]
    peer_group: MunicipalityGroup | None
    country_title: str


def _context(dataset: Dataset, municipality: Municipality, year: int) -> _Context:
    country = dataset.municipalities.get(COUNTRY_ID)
    return _Context(
        dataset=dataset,
        municipality=municipality,
        year=year,
        kommun_ids=tuple(m.id for m in dataset.kommuner),
        peer_group=dataset.peer_group(municipality.id),
        country_title=country.title if country is not None else "Riket",
    )


def _measurement(point: DataPoint) -> Measurement:
    assert point.value is not None
    return Measurement(point.period, point.value, point.fetched_at, point.is_example)


def _has_value(point: DataPoint | None) -> bool:
    return point is not None and point.value is not None


def _is_published(ctx: _Context, kpi: str, period: int) -> bool:
    """Whether Kolada has values for ``period`` at all (Riket or any kommun)."""
    ds = ctx.dataset
    if _has_value(ds.point(kpi, COUNTRY_ID, period)):
        return True
    return any(_has_value(ds.point(kpi, area, period)) for area in ctx.kommun_ids)


def _national(ctx: _Context, kpi: str, period: int, gender: str = "T") -> tuple[Scope, GroupValue | None]:
    """Riket at ``period`` if Kolada has it, else the unweighted mean of all kommuner with a value."""
    riket = ctx.dataset.point(kpi, COUNTRY_ID, period, gender)
    if riket is not None and riket.value is not None:
        return Scope.COUNTRY, GroupValue(
            riket.value, riket.count or 0, False, riket.fetched_at, riket.is_example
        )
    return Scope.ALL_KOMMUNER, ctx.dataset.mean_of(kpi, ctx.kommun_ids, period, gender)


def _comparison(
    scope: Scope,
    area: str | None,
    title: str,
    period: int | None,
    found: GroupValue | None,
    latest: Measurement | None,
    direction: Direction,
) -> Comparison:
    if found is None or latest is None:
        return Comparison(scope, area, title, period, None, False, 0, Relation.UNKNOWN, Judgement.UNKNOWN)
    rel = compare_values(latest.value, found.value)
    return Comparison(
        scope,
        area,
        title,
        period,
        found.value,
        found.computed,
        found.count,
        rel,
        judge(rel, direction),
        found.is_example,
    )


def _group(ctx: _Context, indicator: Indicator) -> MunicipalityGroup | None:
    """The "Liknande kommuner" group of the indicator's RKA area (socioekonomi unless the catalogue says)."""
    return ctx.dataset.peer_group(ctx.municipality.id, indicator.peer_area)


def _own(ctx: _Context, indicator: Indicator, latest: Measurement | None) -> Comparison | None:
    """The unweighted mean of the user's own comparison kommuner at the latest period (our own processing)."""
    chosen = ctx.dataset.comparison
    if not chosen:
        return None
    title = join_words([m.title for m in chosen])
    period = latest.period if latest is not None else None
    found = ctx.dataset.mean_of(indicator.kpi, [m.id for m in chosen], latest.period) if latest else None
    return _comparison(Scope.OWN, None, title, period, found, latest, indicator.direction)


def _peer(ctx: _Context, indicator: Indicator, latest: Measurement | None) -> Comparison:
    group = _group(ctx, indicator)
    if group is None:
        return _comparison(Scope.PEER, None, "", None, None, latest, indicator.direction)
    found = ctx.dataset.group_value(indicator.kpi, group, latest.period) if latest is not None else None
    period = latest.period if latest is not None else None
    return _comparison(Scope.PEER, group.id, group.title, period, found, latest, indicator.direction)


def _national_comparison(ctx: _Context, indicator: Indicator, latest: Measurement | None) -> Comparison:
    if latest is None:
        return _comparison(
            Scope.COUNTRY, COUNTRY_ID, ctx.country_title, None, None, None, indicator.direction
        )
    scope, found = _national(ctx, indicator.kpi, latest.period)
    if scope is Scope.COUNTRY:
        return _comparison(
            scope, COUNTRY_ID, ctx.country_title, latest.period, found, latest, indicator.direction
        )
    return _comparison(scope, None, "Alla kommuner", latest.period, found, latest, indicator.direction)


def _ranked_values(ds: Dataset, kpi: str, period: int, ids: tuple[str, ...]) -> tuple[list[float], bool]:
    """The rounded values of ``ids`` at ``period`` and whether any is example data, memoised per dataset."""
    key = ("ranking", kpi, period, ids)
    cached = ds.memo.get(key)
    if cached is None:
        points = [p for area in ids if (p := ds.point(kpi, area, period)) is not None and p.value is not None]
        cached = (
            [_rounded(p.value) for p in points if p.value is not None],
            any(p.is_example for p in points),
        )
        ds.memo[key] = cached
    return cached  # type: ignore[return-value]


def _rank(ctx: _Context, indicator: Indicator, latest: Measurement | None) -> tuple[Rank, bool]:
    """The rank and whether any ranked value is example data."""
    if latest is None:
        return Rank(None, None, 0, False, Colour.NONE), False
    ids = ctx.kommun_ids if ctx.municipality.id in ctx.kommun_ids else (*ctx.kommun_ids, ctx.municipality.id)
    values, example = _ranked_values(ctx.dataset, indicator.kpi, latest.period, ids)
    own = latest.rounded
    if indicator.direction is Direction.LOW:
        better = sum(1 for v in values if v < own)
    else:  # high, and neutral ranked by value descending
        better = sum(1 for v in values if v > own)
    position = better + 1
    tied = sum(1 for v in values if v == own) > 1
    colour = colour_for(position, len(values), indicator.direction)
    return Rank(latest.period, position, len(values), tied, colour), example


def _gender(ctx: _Context, indicator: Indicator) -> GenderGap | None:
    if not indicator.by_gender:
        return None
    ds = ctx.dataset
    reason = ""
    for period in sorted((p for p in ds.years if p <= ctx.year), reverse=True):
        girls = ds.point(indicator.kpi, ctx.municipality.id, period, "K")
        boys = ds.point(indicator.kpi, ctx.municipality.id, period, "M")
        if girls is not None and girls.value is not None and boys is not None and boys.value is not None:
            gap = round_value(_rounded(girls.value) - _rounded(boys.value), DECIMALS)
            return GenderGap(period, girls.value, boys.value, gap, compare_values(girls.value, boys.value))
        if not reason and (girls is not None or boys is not None):
            # The newest period with a row says why: suppressed split of a small kommun, most often.
            missing = girls if girls is not None and girls.value is None else boys
            reason = sentences.status_words(missing.status if missing is not None else None)
    return GenderGap(None, None, None, None, Relation.UNKNOWN, reason)


def _value(point: DataPoint | None) -> float | None:
    return point.value if point is not None else None


def _break_period(history: tuple[HistoryPoint, ...]) -> int | None:
    """The first period with a value of the KPI when its predecessor has a value before it: the break."""
    first = next((p.period for p in history if p.value is not None), None)
    if first is None or not any(p.predecessor is not None and p.period < first for p in history):
        return None
    return first


def _reason(point: DataPoint | None) -> str:
    """Why ``point`` has no value, in words ("" when it has one)."""
    if point is not None and point.value is not None:
        return ""
    return sentences.status_words(point.status if point is not None else None)


def _history(ctx: _Context, indicator: Indicator) -> tuple[HistoryPoint, ...]:
    ds = ctx.dataset
    points = []
    for period in sorted(p for p in ds.years if p <= ctx.year):
        own = ds.point(indicator.kpi, ctx.municipality.id, period)
        group = _group(ctx, indicator)
        peer = ds.group_value(indicator.kpi, group, period) if group is not None else None
        _, national = _national(ctx, indicator.kpi, period)
        points.append(
            HistoryPoint(
                period=period,
                value=own.value if own is not None else None,
                peer=peer.value if peer is not None else None,
                peer_computed=peer.computed if peer is not None else False,
                national=national.value if national is not None else None,
                national_computed=national.computed if national is not None else False,
                national_count=national.count if national is not None else 0,
                reason=_reason(own),
                predecessor=_value(ds.point(indicator.predecessor, ctx.municipality.id, period))
                if indicator.predecessor
                else None,
            )
        )
    return tuple(points)


def _unit_value(ctx: _Context, unit_id: str, point: DataPoint | None, earlier: DataPoint | None) -> UnitValue:
    unit = ctx.dataset.units.get(unit_id)
    title = unit.title if unit is not None and unit.title else unit_id
    shown = point if point is not None else earlier
    return UnitValue(
        id=unit_id,
        title=title,
        value=point.value if point is not None else None,
        reason=_reason(point),
        is_example=shown.is_example if shown is not None else False,
    )


def _units(ctx: _Context, indicator: Indicator, latest: Measurement | None) -> UnitSpread | None:
    """The municipality's units for ``indicator`` (see ``UnitSpread``), or ``None`` without unit rows."""
    ds = ctx.dataset
    if not ds.units:
        return None
    kpi = indicator.kpi
    rows: dict[int, dict[str, DataPoint]] = {}
    for period in sorted(p for p in ds.years if p <= ctx.year):
        found = {unit: point for unit in ds.units if (point := ds.point(kpi, unit, period)) is not None}
        if found:
            rows[period] = found
    if not rows:
        return None
    valued = [period for period, found in rows.items() if any(p.value is not None for p in found.values())]
    newest = valued[-1] if valued else max(rows)
    period = latest.period if latest is not None and latest.period in valued else newest
    before = [p for p in rows if p < period]
    earlier = rows[before[-1]] if before else {}
    current = rows[period]
    units = [_unit_value(ctx, unit, current.get(unit), earlier.get(unit)) for unit in {*current, *earlier}]
    with_value = sorted((u for u in units if u.value is not None), key=lambda u: (-(u.value or 0.0), u.title))
    without = sorted((u for u in units if u.value is None), key=lambda u: u.title)
    lowest: tuple[UnitValue, ...] = ()
    highest: tuple[UnitValue, ...] = ()
    spread = None
    if with_value:
        rounded = {u.id: _rounded(u.value) for u in with_value if u.value is not None}
        low, high = min(rounded.values()), max(rounded.values())
        lowest = tuple(sorted((u for u in with_value if rounded[u.id] == low), key=lambda u: u.title))
        highest = tuple(sorted((u for u in with_value if rounded[u.id] == high), key=lambda u: u.title))
        if len(with_value) > 1:
            spread = round_value(high - low, DECIMALS)
    meta = ds.kpis.get(kpi)
    fetched = [p.fetched_at for p in current.values() if p.fetched_at is not None]
    return UnitSpread(
        period=period,
        units=(*with_value, *without),
        lowest=lowest,
        highest=highest,
        spread=spread,
        noun=sentences.unit_noun(meta.operating_area if meta is not None else ""),
        fetched_at=min(fetched) if fetched else ds.fetched_at,
    )


def _analyse(ctx: _Context, indicator: Indicator, *, details: bool = True) -> IndicatorResult:
    ds = ctx.dataset
    kpi = indicator.kpi
    rows = [p for period, p in ds.series(kpi, ctx.municipality.id).items() if period <= ctx.year]
    valued = [p for p in rows if p.value is not None]
    latest = _measurement(valued[-1]) if valued else None
    earlier = valued[:-1]
    repeated: tuple[int, ...] = ()
    if indicator.every_other_year and latest is not None:
        # A value equal to the latest is the same measurement repeated (Skolenkäten every other year).
        while earlier and earlier[-1].value == latest.value:
            repeated = (earlier[-1].period, *repeated)
            earlier = earlier[:-1]
    previous = _measurement(earlier[-1]) if earlier else None

    status = ""
    missing_period = None
    reason = ""
    if latest is None:
        status = rows[-1].status if rows else ""
        reason = sentences.status_words(status) if rows else ""
    else:
        own_missing = {p.period: p for p in rows if p.value is None and p.period > latest.period}
        candidates = [
            period
            for period in ds.years
            if latest.period < period <= ctx.year
            and (period in own_missing or _is_published(ctx, kpi, period))
        ]
        if candidates:
            missing_period = max(candidates)
            status = own_missing[missing_period].status if missing_period in own_missing else ""
            reason = _reason(own_missing.get(missing_period))

    rel = compare_values(latest.value, previous.value) if latest and previous else Relation.UNKNOWN
    movement = _movement(rel)
    change = round_value(latest.rounded - previous.rounded, DECIMALS) if latest and previous else None
    peer = _peer(ctx, indicator, latest)
    national = _national_comparison(ctx, indicator, latest)
    rank, rank_example = _rank(ctx, indicator, latest if details else None)
    meta = ds.kpis.get(kpi)
    kpi_title = meta.title if meta is not None and meta.title else indicator.title
    own = _own(ctx, indicator, latest)
    is_example = (
        rank_example
        or peer.is_example
        or national.is_example
        or (own is not None and own.is_example)
        or any(p.is_example for p in rows)
    )
    provenance = Provenance(
        kpi=kpi,
        kpi_title=kpi_title,
        period=latest.period if latest else None,
        fetched_at=(latest.fetched_at if latest and latest.fetched_at else None) or ds.fetched_at,
        is_example=is_example,
    )
    history = _history(ctx, indicator) if details else ()
    result = IndicatorResult(
        indicator=indicator,
        municipality=ctx.municipality,
        year=ctx.year,
        kpi_title=kpi_title,
        latest=latest,
        previous=previous,
        status=status,
        missing_period=missing_period,
        change=change,
        movement=movement,
        trend=_trend(movement, indicator.direction),
        peer=peer,
        national=national,
        rank=rank,
        gender=_gender(ctx, indicator) if details else None,
        history=history,
        provenance=provenance,
        texts=Texts("", "", "", "", "", None, ""),
        reason=reason,
        repeated=repeated,
        own=own,
        break_period=_break_period(history),
        units=_units(ctx, indicator, latest) if details else None,
    )
    return sentences.with_texts(result) if details else result


def analyse_indicator(
    dataset: Dataset, indicator: Indicator, municipality: Municipality, year: int
) -> IndicatorResult:
    """Analyse one indicator for ``municipality`` as if the report year were ``year`` (later data unused)."""
    return _analyse(_context(dataset, municipality, year), indicator)


def analyse_indicators(
    dataset: Dataset,
    indicators: Catalogue | Sequence[Indicator],
    municipality: Municipality,
    year: int,
    *,
    details: bool = True,
) -> tuple[IndicatorResult, ...]:
    """Analyse every indicator, in catalogue order, using only data up to ``year``.

    ``details=False`` computes only what the summary counts (values, trend, comparisons) and leaves out the
    rank (position ``None``), the gender split (``None``), the history (empty) and the texts (empty): the
    summary's earlier years use it, which keeps an analysis of all 290 kommuner fast.
    """
    ctx = _context(dataset, municipality, year)
    return tuple(_analyse(ctx, indicator, details=details) for indicator in indicators)


def analyse(
    dataset: Dataset, catalogue: Catalogue, municipality: Municipality, year: int, *, earlier_years: int = 2
) -> Analysis:
    """The analysis of ``municipality`` for report year ``year``: per-indicator results and the summary.

    The summary re-runs the same judgement for the ``earlier_years`` years before ``year`` (as if the report
    year were year − 1, year − 2, using only the data up to then).
    """
    results = analyse_indicators(dataset, catalogue, municipality, year)
    earlier = tuple(
        analyse_indicators(dataset, catalogue, municipality, year - back, details=False)
        for back in range(1, earlier_years + 1)
    )
    summary = summarise(municipality, year, results, earlier)
    return Analysis(
        municipality=municipality,
        year=year,
        peer_group=dataset.peer_group(municipality.id),
        results=results,
        summary=summary,
        is_example=dataset.is_example,
        fetched_at=dataset.fetched_at,
        comparison=dataset.comparison,
    )
