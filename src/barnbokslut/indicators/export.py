"""The analysis as plain data: the documented JSON shape (docs/json-format.md) and flat rows for CSV.

Everything returned is made of dicts, lists, str, int, float, bool and None, so ``json.dumps`` takes it as is.
Keys are Swedish like the rest of the output; a missing value is ``null`` in JSON and ".." in the formatted
CSV rows, never 0.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from barnbokslut.indicators.results import (
    DECIMALS,
    Analysis,
    Comparison,
    GenderGap,
    HistoryPoint,
    IndicatorResult,
    Measurement,
    Rank,
    SourceKind,
    Summary,
    YearCounts,
)
from barnbokslut.indicators.sentences import colour_words, own_processing
from barnbokslut.numbers import MISSING, format_number, format_value

__all__ = [
    "FORMAT",
    "ROW_FIELDS",
    "VERSION",
    "analysis_to_dict",
    "analysis_to_rows",
    "result_to_dict",
    "result_to_row",
    "summary_to_dict",
]

FORMAT = "barnbokslut-indikatorer"
VERSION = 2

#: The columns of ``analysis_to_rows``, in order.
ROW_FIELDS = (
    "kommun_id",
    "kommun",
    "år",
    "kpi",
    "titel",
    "område",
    "riktning",
    "enhet",
    "period",
    "värde",
    "status",
    "saknas_för",
    "föregående_period",
    "föregående_värde",
    "förändring",
    "rörelse",
    "trend",
    "liknande_kommuner",
    "liknande_kommuner_beräknat",
    "liknande_kommuner_antal",
    "jämfört_med_liknande",
    "bedömning_mot_liknande",
    "nationellt",
    "nationellt_omfattning",
    "nationellt_beräknat",
    "nationellt_antal",
    "jämfört_med_nationellt",
    "bedömning_mot_nationellt",
    "plats",
    "antal_kommuner",
    "färg",
    "placering",
    "könsperiod",
    "flickor",
    "pojkar",
    "skillnad_flickor_pojkar",
    "kön_text",
    "mening",
    "källa",
    "hämtad",
)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment is not None else None


def _measurement(measurement: Measurement | None, unit: str) -> dict[str, Any] | None:
    if measurement is None:
        return None
    return {
        "period": measurement.period,
        "värde": measurement.value,
        "text": format_value(measurement.value, unit),
        "exempeldata": measurement.is_example,
        "källtyp": SourceKind.of(is_example=measurement.is_example, computed=False).value,
    }


def _comparison(comparison: Comparison, unit: str, description: str) -> dict[str, Any]:
    return {
        "omfattning": comparison.scope.value,
        "id": comparison.area,
        "namn": comparison.title,
        "period": comparison.period,
        "värde": comparison.value,
        "text": format_value(comparison.value, unit),
        "beräknat": comparison.computed,
        "källtyp": comparison.source_kind.value if comparison.value is not None else None,
        "antal_kommuner": comparison.count if comparison.computed else None,
        "jämförelse": comparison.relation.value,
        "bedömning": comparison.judgement.value,
        "beskrivning": description,
    }


def _rank(rank: Rank, description: str, kind: SourceKind) -> dict[str, Any]:
    return {
        "period": rank.period,
        "plats": rank.position,
        "av": rank.of,
        "delad": rank.tied,
        "färg": rank.colour.value,
        "ord": colour_words(rank.colour),
        "beskrivning": description,
        "källtyp": kind.value if rank.position is not None else None,
    }


def _gender(
    gap: GenderGap | None, unit: str, description: str | None, kind: SourceKind
) -> dict[str, Any] | None:
    if gap is None:
        return None
    return {
        "period": gap.period,
        "flickor": gap.girls,
        "pojkar": gap.boys,
        "flickor_text": format_value(gap.girls, unit),
        "pojkar_text": format_value(gap.boys, unit),
        "skillnad": gap.gap,
        "jämförelse": gap.relation.value,
        "beskrivning": description,
        "källtyp": kind.value if gap.gap is not None else None,
        "orsak": gap.reason or None,
    }


def _history(point: HistoryPoint) -> dict[str, Any]:
    return {
        "period": point.period,
        "värde": point.value,
        "liknande_kommuner": point.peer,
        "liknande_kommuner_beräknat": point.peer_computed,
        "nationellt": point.national,
        "nationellt_beräknat": point.national_computed,
        "nationellt_antal_kommuner": point.national_count if point.national_computed else None,
        "orsak": point.reason or None,
    }


def _units(result: IndicatorResult) -> dict[str, Any] | None:
    """The municipality's schools or preschools (``IndicatorResult.units``), or ``None`` without unit data."""
    spread = result.units
    if spread is None:
        return None
    unit = result.indicator.unit
    return {
        "period": spread.period,
        "benämning": spread.noun[1],
        "antal_med_värde": len(spread.valued),
        "värden": [
            {
                "id": u.id,
                "namn": u.title,
                "värde": u.value,
                "text": format_value(u.value, unit),
                "orsak": u.reason or None,
                "källtyp": u.source_kind.value,
            }
            for u in spread.units
        ],
        "lägst": [u.id for u in spread.lowest],
        "högst": [u.id for u in spread.highest],
        "skillnad": spread.spread,
        "skillnad_källtyp": SourceKind.of(is_example=spread.is_example, computed=True).value
        if spread.spread is not None
        else None,
        "beskrivning": result.texts.units,
        "källa": {
            "text": result.texts.units_source,
            "källa": spread.source.removeprefix("Källa: "),
            "hämtad": _iso(spread.fetched_at),
            "exempeldata": spread.is_example,
        },
    }


def result_to_dict(result: IndicatorResult) -> dict[str, Any]:
    """One indicator as the JSON object documented in docs/json-format.md."""
    indicator = result.indicator
    unit = indicator.unit
    texts = result.texts
    provenance = result.provenance
    # What we compute (rank, change, gender gap) is our own processing, or example data when the values are.
    derived = SourceKind.of(is_example=provenance.is_example, computed=True)
    return {
        "kpi": indicator.kpi,
        "titel": indicator.title,
        "kort_titel": indicator.short_title,
        "kolada_titel": result.kpi_title,
        "subjekt": indicator.subject,
        "område": indicator.area,
        "artiklar": list(indicator.articles),
        "riktning": indicator.direction.value,
        "enhet": unit,
        "senaste": _measurement(result.latest, unit),
        "föregående": _measurement(result.previous, unit),
        "status": result.status,
        "orsak": result.reason or None,
        "saknas_för": result.missing_period,
        "förändring": result.change,
        "förändring_text": texts.change,
        "rörelse": result.movement.value,
        "trend": result.trend.value,
        "jämförelsegrupp": indicator.peer_area,
        "liknande_kommuner": _comparison(result.peer, unit, texts.peer),
        "jämförelsekommuner": _comparison(result.own, unit, texts.own) if result.own is not None else None,
        "nationellt": _comparison(result.national, unit, texts.national),
        "placering": _rank(result.rank, texts.rank, derived),
        "kön": _gender(result.gender, unit, texts.gender, derived),
        "historik": [_history(point) for point in result.history],
        "enheter": _units(result),
        "mening": texts.sentence,
        "källa": {
            "text": texts.source,
            "källa": provenance.source.removeprefix("Källa: "),
            "kpi": provenance.kpi,
            "kolada_titel": provenance.kpi_title,
            "period": provenance.period,
            "hämtad": _iso(provenance.fetched_at),
            "exempeldata": provenance.is_example,
            "källtyp": provenance.source_kind.value,
            "egen_bearbetning": own_processing(result) if not provenance.is_example else [],
        },
    }


def _counts(counts: YearCounts) -> dict[str, Any]:
    return {
        "år": counts.year,
        "bedömda_trender": counts.judged,
        "positiva": counts.positive,
        "negativa": counts.negative,
        "oförändrade": counts.unchanged,
        "ej_bedömda": counts.not_judged,
        "okända": counts.unknown,
        "jämförda_med_liknande": counts.compared,
        "bättre": counts.better,
        "sämre": counts.worse,
        "lika": counts.equal,
    }


def summary_to_dict(summary: Summary) -> dict[str, Any]:
    """The Sammanfattning: the report year's counts, each earlier year's counts and development, the text."""
    earlier = [
        {**_counts(counts), "trend_jämfört": trend.value, "liknande_jämfört": peer.value}
        for counts, trend, peer in zip(
            summary.earlier, summary.trend_development, summary.peer_development, strict=True
        )
    ]
    return {
        "år": summary.year,
        "aktuellt": _counts(summary.current),
        "tidigare": earlier,
        "meningar": list(summary.sentences),
        "text": summary.text,
    }


def analysis_to_dict(analysis: Analysis) -> dict[str, Any]:
    """The whole analysis as the JSON object documented in docs/json-format.md."""
    group = analysis.peer_group
    return {
        "format": FORMAT,
        "version": VERSION,
        "kommun": {"id": analysis.municipality.id, "namn": analysis.municipality.title},
        "år": analysis.year,
        "liknande_kommuner": None
        if group is None
        else {
            "id": group.id,
            "namn": group.title,
            "medlemmar": [{"id": m.id, "namn": m.title} for m in group.members],
        },
        "jämförelsekommuner": [{"id": m.id, "namn": m.title} for m in analysis.comparison],
        "exempeldata": analysis.is_example,
        "nyckeltal_med_exempeldata": analysis.example_count,
        "källa": analysis.source.removeprefix("Källa: "),
        "hämtad": _iso(analysis.fetched_at),
        "nyckeltal": [result_to_dict(result) for result in analysis.results],
        "sammanfattning": summary_to_dict(analysis.summary),
    }


def result_to_row(result: IndicatorResult) -> dict[str, str | int | float | bool | None]:
    """One indicator as a flat row (the columns of ``ROW_FIELDS``); numbers unformatted, missing as None."""
    latest, previous = result.latest, result.previous
    gap = result.gender
    peer, national, rank = result.peer, result.national, result.rank
    return {
        "kommun_id": result.municipality.id,
        "kommun": result.municipality.title,
        "år": result.year,
        "kpi": result.indicator.kpi,
        "titel": result.indicator.title,
        "område": result.indicator.area,
        "riktning": result.indicator.direction.value,
        "enhet": result.indicator.unit,
        "period": latest.period if latest else None,
        "värde": latest.value if latest else None,
        "status": result.status,
        "saknas_för": result.missing_period,
        "föregående_period": previous.period if previous else None,
        "föregående_värde": previous.value if previous else None,
        "förändring": result.change,
        "rörelse": result.movement.value,
        "trend": result.trend.value,
        "liknande_kommuner": peer.value,
        "liknande_kommuner_beräknat": peer.computed,
        "liknande_kommuner_antal": peer.count if peer.computed else None,
        "jämfört_med_liknande": peer.relation.value,
        "bedömning_mot_liknande": peer.judgement.value,
        "nationellt": national.value,
        "nationellt_omfattning": national.scope.value,
        "nationellt_beräknat": national.computed,
        "nationellt_antal": national.count if national.computed else None,
        "jämfört_med_nationellt": national.relation.value,
        "bedömning_mot_nationellt": national.judgement.value,
        "plats": rank.position,
        "antal_kommuner": rank.of if rank.position is not None else None,
        "färg": rank.colour.value,
        "placering": result.texts.rank,
        "könsperiod": gap.period if gap else None,
        "flickor": gap.girls if gap else None,
        "pojkar": gap.boys if gap else None,
        "skillnad_flickor_pojkar": gap.gap if gap else None,
        "kön_text": result.texts.gender,
        "mening": result.texts.sentence,
        "källa": result.provenance.source.removeprefix("Källa: "),
        "hämtad": _iso(result.provenance.fetched_at),
    }


def _cell(value: str | int | float | bool | None) -> str | int:
    """A CSV cell as Swedish Excel reads it: "14,7" (no thousands separator), "ja"/"nej", ".." for missing."""
    if value is None:
        return MISSING
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return format_number(value, decimals=DECIMALS).replace("\u00a0", "").replace("\u202f", "")
    return value


def analysis_to_rows(
    analysis: Analysis, *, formatted: bool = True
) -> list[dict[str, str | int | float | bool | None]]:
    """One flat row per indicator, in catalogue order, for CSV (columns ``ROW_FIELDS``).

    ``formatted`` (the default) gives the cells as the report shows them: numbers with one decimal and a
    decimal comma ("14,7", "1234,5"), "ja"/"nej", and ".." for a missing value; ``formatted=False`` gives the
    raw values (floats, bools, None).
    """
    rows = [result_to_row(result) for result in analysis.results]
    if not formatted:
        return rows
    return [{key: _cell(value) for key, value in row.items()} for row in rows]
