"""The Swedish sentences of the analysis, in the style of Söderhamn's barnbokslut 2022.

One indicator's paragraph is built from parts, each grammatical on its own:

1. the peer comparison: "{Subjekt} är högre än i liknande kommuner." / "… är lägre än …" /
   "… är lika hög som …" (``lika högt`` for a neuter subject such as "Antalet …") /
   "Det finns ingen jämförelse med liknande kommuner.";
2. the trend: "Trenden är positiv." / "… negativ." / "Trenden är oförändrad." /
   "Det finns ingen tidigare mätning att jämföra med."; for a neutral indicator
   "Siffran har ökat sedan föregående mätning." / "… har minskat …" / "Siffran är oförändrad sedan …";
3. when the municipality's value for a newer period is missing:
   "Siffran för {kommun} saknas för {år}; den senaste siffran är från {period}.";
4. the value: "Siffran år {period} i {kommun} är {värde}.";
5. the desired direction: "Det är önskvärt med en så hög siffra som möjligt." / "… så låg …" (nothing for
   neutral).

Per school or preschool (Kolada's ``/oudata``), ``units_text``: "Bland kommunens 5 skolor varierar andelen år
2024 från 71,2 % (Bergviks skola) till 92,4 % (Stenbergaskolan), en skillnad på 21,2 procentenheter.", then
"För 1 skola saknas värdet: Ljusne skola (uppgiften är skyddad av sekretesskäl)." for a unit without a value.

Without any value up to the report year the paragraph is "Det finns ingen siffra för {kommun} till och med
{år}." and the desired direction. Numbers are Swedish ("14,7"), years plain ("2022").
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from barnbokslut.indicators.catalogue import DEFAULT_PEER_AREA, Direction, Indicator
from barnbokslut.indicators.results import (
    OWN_PROCESSING,
    Colour,
    Comparison,
    GenderGap,
    IndicatorResult,
    Judgement,
    Movement,
    Rank,
    Relation,
    Scope,
    Texts,
    Trend,
    UnitSpread,
    UnitValue,
)
from barnbokslut.numbers import format_count, format_date_sv, format_number, format_signed, format_value

__all__ = [
    "change_text",
    "colour_words",
    "comparison_text",
    "direction_sentence",
    "gender_text",
    "indicator_sentence",
    "join_words",
    "lika_hog",
    "own_processing",
    "peer_sentence",
    "rank_text",
    "source_text",
    "status_words",
    "trend_sentence",
    "unit_noun",
    "units_source_text",
    "units_text",
    "with_texts",
]

PERCENTAGE_POINTS = "procentenheter"

_COLOUR_WORDS = {
    Colour.GREEN: "bland de 25\u00a0% bästa kommunerna",
    Colour.YELLOW: "i mittenhalvan",
    Colour.RED: "bland de 25\u00a0% sämsta kommunerna",
    Colour.NONE: "",
}

_TREND_SENTENCES = {
    Trend.POSITIVE: "Trenden är positiv.",
    Trend.NEGATIVE: "Trenden är negativ.",
    Trend.UNCHANGED: "Trenden är oförändrad.",
}

_NEUTRAL_SENTENCES = {
    Movement.UP: "Siffran har ökat sedan föregående mätning.",
    Movement.DOWN: "Siffran har minskat sedan föregående mätning.",
    Movement.SAME: "Siffran är oförändrad sedan föregående mätning.",
}

NO_PREVIOUS = "Det finns ingen tidigare mätning att jämföra med."
NO_PEER = "Det finns ingen jämförelse med liknande kommuner."


def _subject(indicator: Indicator) -> str:
    return indicator.subject.strip().rstrip(".")


def lika_hog(subject: str) -> str:
    """The form of "hög" that agrees with the subject's head word: "Andelen" hög, "Antalet" högt, "-na" höga.

    The head is the first word, a definite noun: "-et" is neuter singular, "-na" plural, else common gender.
    """
    head = subject.split(maxsplit=1)[0].casefold() if subject.strip() else ""
    if head.endswith("et"):
        return "högt"
    if head.endswith("na"):
        return "höga"
    return "hög"


def _head_noun(indicator: Indicator) -> str:
    """The subject's head ("Andelen", "Antalet") for short sentences; "Siffran" if not a definite noun."""
    words = _subject(indicator).split(maxsplit=1)
    head = words[0] if words else ""
    if head[-2:].casefold() in ("en", "et", "na"):
        return head[0].upper() + head[1:]
    return "Siffran"


def peer_sentence(result: IndicatorResult) -> str:
    """ "{Subjekt} är högre/lägre än / lika hög som i liknande kommuner.", or that there is no comparison."""
    subject = _subject(result.indicator)
    peers = "liknande kommuner" + area_note(result.indicator)
    match result.peer.relation:
        case Relation.HIGHER:
            return f"{subject} är högre än i {peers}."
        case Relation.LOWER:
            return f"{subject} är lägre än i {peers}."
        case Relation.EQUAL:
            return f"{subject} är lika {lika_hog(subject)} som i {peers}."
        case _:
            return NO_PEER


def area_note(indicator: Indicator) -> str:
    """ " (grundskola)" when the indicator compares with another RKA area than socioekonomi, else ""."""
    return "" if indicator.peer_area == DEFAULT_PEER_AREA else f" ({indicator.peer_area})"


def trend_sentence(result: IndicatorResult) -> str:
    """The trend in words; for a neutral indicator only how the value moved."""
    if result.movement is Movement.UNKNOWN:
        return NO_PREVIOUS
    if result.indicator.direction is Direction.NEUTRAL:
        return _NEUTRAL_SENTENCES[result.movement]
    return _TREND_SENTENCES[result.trend]


def direction_sentence(direction: Direction) -> str:
    """ "Det är önskvärt med en så hög/låg siffra som möjligt."; "" for neutral."""
    if direction is Direction.HIGH:
        return "Det är önskvärt med en så hög siffra som möjligt."
    if direction is Direction.LOW:
        return "Det är önskvärt med en så låg siffra som möjligt."
    return ""


def indicator_sentence(result: IndicatorResult) -> str:
    """The paragraph for one indicator (see the module docstring for the parts)."""
    name = result.municipality.title
    direction = direction_sentence(result.indicator.direction)
    latest = result.latest
    reason = f" ({result.reason})" if result.reason else ""
    if latest is None:
        parts = [f"Det finns ingen siffra för {name} till och med {result.year}{reason}.", direction]
    else:
        parts = [peer_sentence(result), trend_sentence(result)]
        if result.repeated and result.previous is not None:
            parts.append(repeated_sentence(result))
        if any(point.predecessor is not None for point in result.history):
            parts.append(break_sentence(result))
        if result.missing_period is not None:
            parts.append(
                f"Siffran för {name} saknas för {result.missing_period}{reason}; "
                f"den senaste siffran är från {latest.period}."
            )
        parts += [f"Siffran år {latest.period} i {name} är {format_number(latest.value)}.", direction]
    return " ".join(part for part in parts if part)


def break_sentence(result: IndicatorResult) -> str:
    """ "Nyckeltalet ersatte N02904 år 2022; …" (or without the year when both series overlap)."""
    when = f" år {result.break_period}" if result.break_period is not None else ""
    return (
        f"Nyckeltalet ersatte {result.indicator.predecessor}{when}; de två måtten jämförs inte med varandra och "
        "ingen trend räknas över brottet."
    )


def repeated_sentence(result: IndicatorResult) -> str:
    """ "Mätningen görs vartannat år: siffran 2025 är samma mätning som 2024, så trenden jämför med 2023." """
    assert result.latest is not None and result.previous is not None
    years = " och ".join(str(p) for p in result.repeated)
    return (
        f"Mätningen görs vartannat år: siffran {result.latest.period} är samma mätning som {years}, "
        f"så trenden jämför med {result.previous.period}."
    )


def change_text(result: IndicatorResult) -> str:
    """ "Förändring sedan 2020: −0,4 procentenheter (från 15,1 till 14,7)."; or why there is none."""
    latest, previous = result.latest, result.previous
    if latest is None:
        return f"Det finns ingen siffra för {result.municipality.title} till och med {result.year}."
    if previous is None or result.change is None:
        return NO_PREVIOUS
    unit = f" {PERCENTAGE_POINTS}" if result.indicator.is_percentage else ""
    return (
        f"Förändring sedan {previous.period}: {format_signed(result.change)}{unit} "
        f"(från {format_number(previous.value)} till {format_number(latest.value)})."
    )


def _relation_words(comparison: Comparison, name: str) -> str:
    base = {
        Relation.HIGHER: f"Siffran i {name} är högre",
        Relation.LOWER: f"Siffran i {name} är lägre",
        Relation.EQUAL: f"Siffran i {name} är lika hög",
    }[comparison.relation]
    if comparison.judgement in (Judgement.BETTER, Judgement.WORSE):
        return f"{base}, vilket är {comparison.judgement.value}."
    return base + "."


def comparison_text(comparison: Comparison, result: IndicatorResult) -> str:
    """A comparison value with its label, whether it is computed, and how the municipality relates to it.

    "Liknande kommuner år 2021: 12,3 (beräknat medelvärde av 3 kommuner). Siffran i Söderhamn är högre, vilket
    är sämre." / "Riket år 2021: 12,3. …" / "Alla kommuner år 2021: 12,3 (beräknat medelvärde av 290 kommuner;
    Kolada har ingen siffra för riket). …"
    """
    name = result.municipality.title
    peer = comparison.scope is Scope.PEER
    own = comparison.scope is Scope.OWN
    area = area_note(result.indicator)
    if result.latest is None:
        if own:
            return "Det finns ingen jämförelse med jämförelsekommunerna eftersom siffran saknas."
        return NO_PEER if peer else "Det finns ingen jämförelse med riket."
    if peer and comparison.area is None:
        return f"Det finns ingen grupp med liknande kommuner{area} för {name}."
    if comparison.value is None:
        what = {
            Scope.PEER: f"liknande kommuner{area}",
            Scope.OWN: f"jämförelsekommunerna ({comparison.title})",
        }
        missing = what.get(comparison.scope, "riket eller för kommunerna")
        return f"Det finns ingen siffra för {missing} år {comparison.period}."
    label = {
        Scope.PEER: f"Liknande kommuner{area}",
        Scope.COUNTRY: comparison.title or "Riket",
        Scope.OWN: f"Jämförelsekommunerna ({comparison.title})",
    }.get(comparison.scope, "Alla kommuner")
    note = ""
    if comparison.computed:
        note = f" (beräknat medelvärde av {format_count(comparison.count, 'kommun', 'kommuner')}"
        note += "; Kolada har ingen siffra för riket)" if comparison.scope is Scope.ALL_KOMMUNER else ")"
    value = format_number(comparison.value)
    return f"{label} år {comparison.period}: {value}{note}. {_relation_words(comparison, name)}"


def colour_words(colour: Colour) -> str:
    """Kolada's colour in words: "bland de 25 % bästa kommunerna", "i mittenhalvan", "… sämsta …"."""
    return _COLOUR_WORDS[colour]


def rank_text(rank: Rank, direction: Direction) -> str:
    """ "Plats 12 av 290, bland de 25 % bästa kommunerna." (neutral: counted from the highest value)."""
    if rank.position is None:
        return "Det finns ingen placering eftersom siffran saknas."
    place = f"{'Delad plats' if rank.tied else 'Plats'} {rank.position} av {rank.of}"
    if direction is Direction.NEUTRAL:
        return f"{place} räknat från det högsta värdet."
    return f"{place}, {colour_words(rank.colour)}."


def gender_text(gap: GenderGap | None, indicator: Indicator) -> str | None:
    """ "Andelen är 4,2 procentenheter högre för flickor än för pojkar."; None without gender split."""
    if gap is None:
        return None
    if gap.gap is None:
        return "Det saknas siffror för flickor och pojkar" + (f" ({gap.reason})." if gap.reason else ".")
    head = _head_noun(indicator)
    if gap.relation is Relation.EQUAL:
        return f"{head} är lika {lika_hog(head)} för flickor och pojkar."
    unit = f" {PERCENTAGE_POINTS}" if indicator.is_percentage else ""
    first, second = ("flickor", "pojkar") if gap.relation is Relation.HIGHER else ("pojkar", "flickor")
    return f"{head} är {format_number(abs(gap.gap))}{unit} högre för {first} än för {second}."


#: Kolada's states in words; a value that is missing is never shown as 0 and never without its reason.
STATUS_WORDS = {
    "Privacy": "uppgiften är skyddad av sekretesskäl",
    "Missing": "uppgiften saknas i Kolada",
    "Not applicable": "uppgiften är inte tillämplig",
}
NO_ROW = "Kolada har ingen uppgift för året"
NO_STATUS = "Kolada har inget värde och anger ingen orsak"


def status_words(status: str | None) -> str:
    """Why a value is missing: Kolada's ``status`` in words; ``None`` when Kolada has no row at all.

    Status and value are read independently: the words are for a row whose value is null, whatever it says.
    """
    if status is None:
        return NO_ROW
    if not status:
        return NO_STATUS
    return STATUS_WORDS.get(status, f"Kolada anger status ”{status}”")


def source_text(result: IndicatorResult) -> str:
    """ "Källa: Kolada, nyckeltal U31803 ”…”, år 2021, hämtad 25 november 2026." and what we computed.

    Kolada's terms: a figure computed from Kolada's values is not given Kolada as its source, so the line goes
    on "Egen bearbetning av data från Kolada: förändringen, placeringen och medelvärdet för liknande kommuner."
    Generated values say "Exempeldata (…)" instead of Kolada, and what is computed from them is example data
    too.
    """
    provenance = result.provenance
    parts = [provenance.source, f"nyckeltal {provenance.kpi} ”{provenance.kpi_title}”"]
    if provenance.period is not None:
        parts.append(f"år {provenance.period}")
    if provenance.fetched_at is not None:
        parts.append(f"hämtad {format_date_sv(provenance.fetched_at)}")
    text = ", ".join(parts) + "."
    own = own_processing(result)
    if own and not provenance.is_example:
        text += f" {OWN_PROCESSING}: {join_words(own)}."
    return text


def own_processing(result: IndicatorResult) -> list[str]:
    """What of ``result`` we computed ourselves from Kolada's values, in words (empty without a value)."""
    if result.latest is None:
        return []
    own = []
    if result.change is not None:
        own.append("förändringen")
    if result.rank.position is not None:
        own.append("placeringen")
    if result.peer.value is not None and result.peer.computed:
        own.append("medelvärdet för liknande kommuner")
    if result.national.value is not None and result.national.computed:
        own.append("medelvärdet för alla kommuner")
    if result.own is not None and result.own.value is not None:
        own.append("medelvärdet för jämförelsekommunerna")
    if result.gender is not None and result.gender.gap is not None:
        own.append("skillnaden mellan flickor och pojkar")
    return own


def unit_noun(operating_area: str) -> tuple[str, str]:
    """What a KPI's units are called, singular and plural, from Kolada's operating area of the KPI.

    "Förskoleverksamhet" → ("förskola", "förskolor"); "Grundskola åk 0-9 inkl förskoleklass", "Gymnasieskola …"
    → ("skola", "skolor"); anything else → ("enhet", "enheter").
    """
    area = operating_area.casefold().strip()
    if area.startswith("förskol"):
        return "förskola", "förskolor"
    if "skola" in area:
        return "skola", "skolor"
    return "enhet", "enheter"


def _unit_names(units: Sequence[UnitValue]) -> str:
    return join_words([unit.title for unit in units])


def units_text(result: IndicatorResult) -> str | None:
    """The municipality's units side by side in words: lowest and highest named, the spread; None without units.

    "Bland kommunens 5 skolor varierar andelen år 2024 från 71,2 % (Bergviks skola) till 92,4 %
    (Stenbergaskolan), en skillnad på 21,2 procentenheter." A unit without a value is said in words, never 0:
    "För 1 skola saknas värdet: Ljusne skola (uppgiften är skyddad av sekretesskäl)."
    """
    spread = result.units
    if spread is None:
        return None
    unit = result.indicator.unit
    valued, missing = spread.valued, spread.missing
    head = _head_noun(result.indicator).lower()
    period = spread.period
    reasons = join_words([f"{u.title} ({u.reason})" for u in missing]) if missing else ""
    if not valued and len(missing) == 1:
        return f"{missing[0].title} har inget värde år {period} ({missing[0].reason})."
    if not valued:
        return f"Ingen av kommunens {format_count(len(missing), *spread.noun)} har ett värde år {period}: {reasons}."
    if len(valued) == 1:
        only = valued[0]
        parts = [
            f"Bara en {spread.noun[0]} har ett värde år {period}: {only.title}, {format_value(only.value, unit)}."
        ]
    else:
        where = f"Bland kommunens {format_count(len(valued), *spread.noun)}{' med värde' if missing else ''}"
        low, high = spread.lowest[0].value, spread.highest[0].value
        if spread.spread == 0:
            parts = [f"{where} är {head} lika {lika_hog(head)} år {period}: {format_value(low, unit)}."]
        else:
            difference = format_number(spread.spread)
            if result.indicator.is_percentage:
                difference += f" {PERCENTAGE_POINTS}"
            parts = [
                f"{where} varierar {head} år {period} från {format_value(low, unit)} ({_unit_names(spread.lowest)}) "
                f"till {format_value(high, unit)} ({_unit_names(spread.highest)}), en skillnad på {difference}."
            ]
    if missing:
        parts.append(f"För {format_count(len(missing), *spread.noun)} saknas värdet: {reasons}.")
    return " ".join(parts)


def units_source_text(result: IndicatorResult) -> str | None:
    """ "Källa: Kolada, nyckeltal N15643 ”…”, enheter (oudata) år 2025, hämtad 25 november 2026. Egen bearbetning
    av data från Kolada: skillnaden mellan skolorna." (generated rows: "Exempeldata (…)" instead of Kolada)."""
    spread: UnitSpread | None = result.units
    if spread is None:
        return None
    provenance = result.provenance
    parts = [
        spread.source,
        f"nyckeltal {provenance.kpi} ”{provenance.kpi_title}”",
        f"enheter (oudata) år {spread.period}",
    ]
    if spread.fetched_at is not None:
        parts.append(f"hämtad {format_date_sv(spread.fetched_at)}")
    text = ", ".join(parts) + "."
    if spread.spread is not None and not spread.is_example:
        text += f" {OWN_PROCESSING}: skillnaden mellan {spread.noun[1]}na."
    return text


def join_words(words: Sequence[str]) -> str:
    """ "a", "a och b", "a, b och c"."""
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " och " + words[-1]


def with_texts(result: IndicatorResult) -> IndicatorResult:
    """Return ``result`` with all its Swedish texts filled in."""
    texts = Texts(
        sentence=indicator_sentence(result),
        change=change_text(result),
        peer=comparison_text(result.peer, result),
        national=comparison_text(result.national, result),
        rank=rank_text(result.rank, result.indicator.direction),
        gender=gender_text(result.gender, result.indicator),
        source=source_text(result),
        own=comparison_text(result.own, result) if result.own is not None else "",
        units=units_text(result),
        units_source=units_source_text(result),
    )
    return dataclasses.replace(result, texts=texts)
