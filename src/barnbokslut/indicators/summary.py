"""The Sammanfattning: how many indicators have a positive trend and a better outcome than similar
municipalities, for the report year and the years before it, in the words of Söderhamn's barnbokslut.

Earlier years are judged exactly as the report year: ``analysis.analyse`` re-runs the analysis as if the report
year were year − 1 and year − 2, using only the data up to then, and hands those results in. Two years are
compared by share (positive of judged, better of compared), which is the same as comparing counts when the
totals are equal.
"""

from __future__ import annotations

from collections.abc import Sequence

from barnbokslut.indicators.results import (
    Development,
    IndicatorResult,
    Judgement,
    Summary,
    Trend,
    YearCounts,
)
from barnbokslut.indicators.sentences import join_words
from barnbokslut.kolada import Municipality

# The records (Development, YearCounts, Summary) live with the other results; they are re-exported here.
__all__ = [
    "Development",
    "Summary",
    "YearCounts",
    "compare_shares",
    "count_year",
    "peer_sentence",
    "summarise",
    "trend_comparison_sentence",
    "trend_sentence",
]


def count_year(results: Sequence[IndicatorResult], year: int) -> YearCounts:
    """Count trends and peer judgements of ``results`` (the analysis as of ``year``)."""
    trends = [r.trend for r in results]
    judgements = [r.peer.judgement for r in results]
    positive = trends.count(Trend.POSITIVE)
    negative = trends.count(Trend.NEGATIVE)
    unchanged = trends.count(Trend.UNCHANGED)
    better = judgements.count(Judgement.BETTER)
    worse = judgements.count(Judgement.WORSE)
    equal = judgements.count(Judgement.EQUAL)
    return YearCounts(
        year=year,
        judged=positive + negative + unchanged,
        positive=positive,
        negative=negative,
        unchanged=unchanged,
        not_judged=trends.count(Trend.NOT_JUDGED),
        unknown=trends.count(Trend.UNKNOWN),
        compared=better + worse + equal,
        better=better,
        worse=worse,
        equal=equal,
    )


def compare_shares(count: int, total: int, earlier_count: int, earlier_total: int) -> Development:
    """``count/total`` against ``earlier_count/earlier_total`` (a higher share is better; UNKNOWN for 0)."""
    if total == 0 or earlier_total == 0:
        return Development.UNKNOWN
    # Cross-multiplied, so equal shares compare equal exactly (2 of 4 and 3 of 6).
    now, then = count * earlier_total, earlier_count * total
    if now > then:
        return Development.IMPROVEMENT
    if now < then:
        return Development.DETERIORATION
    return Development.SAME


def trend_sentence(counts: YearCounts) -> str:
    """ "Sammanställningen av nyckeltal visar att 7 av 13 nyckeltal har en positiv trend jämfört med
    föregående mätning, 4 har en negativ trend och 2 har en oförändrad trend." (zero counts after the first
    are left out)."""
    if counts.judged == 0:
        return f"För år {counts.year} finns inga nyckeltal med en trend som kan bedömas."
    text = (
        f"Sammanställningen av nyckeltal visar att {counts.positive} av {counts.judged} nyckeltal har en "
        "positiv trend jämfört med föregående mätning"
    )
    others = [
        f"{count} har en {word} trend"
        for count, word in ((counts.negative, "negativ"), (counts.unchanged, "oförändrad"))
        if count
    ]
    if len(others) == 2:
        return f"{text}, {others[0]} och {others[1]}."
    if others:
        return f"{text} och {others[0]}."
    return text + "."


def trend_comparison_sentence(current: YearCounts, earlier: YearCounts, development: Development) -> str:
    """ "Det är en förbättring från år 2021 då 3 av 12 nyckeltal hade en positiv trend." and its variants."""
    if development is Development.UNKNOWN:
        return f"För år {earlier.year} finns inga nyckeltal med bedömd trend att jämföra med."
    then = f"år {earlier.year} då {earlier.positive} av {earlier.judged} nyckeltal hade en positiv trend."
    if development is Development.IMPROVEMENT:
        return f"Det är en förbättring från {then}"
    if development is Development.DETERIORATION:
        return f"Det är en försämring från {then}"
    if current.judged == earlier.judged:
        return f"Det är lika många som {then}"
    return f"Det är samma andel som {then}"


def _first_phrase(counts: YearCounts, development: Development) -> str:
    """The phrase for the year just before the report year: "en förbättring från år 2021 (4 av 10)"."""
    figures = f"år {counts.year} ({counts.better} av {counts.compared})"
    return {
        Development.IMPROVEMENT: f"en förbättring från {figures}",
        Development.DETERIORATION: f"en försämring från {figures}",
    }.get(development, f"lika bra som {figures}")


def _later_phrase(counts: YearCounts, development: Development) -> str:
    """The phrase for an older year: "sämre än år 2020 (7 av 12)"."""
    figures = f"år {counts.year} ({counts.better} av {counts.compared})"
    return {
        Development.IMPROVEMENT: f"bättre än {figures}",
        Development.DETERIORATION: f"sämre än {figures}",
    }.get(development, f"lika bra som {figures}")


_COMPARED = (Judgement.BETTER, Judgement.WORSE, Judgement.EQUAL)


def groups_phrase(results: Sequence[IndicatorResult]) -> str:
    """Which RKA groups the peer comparisons used: " (RKA:s grupp för socioekonomi)", or with several areas
    " (RKA:s grupper: socioekonomi för 15 nyckeltal och grundskola för 3)"; "" when nothing was compared."""
    areas: dict[str, int] = {}
    for result in results:
        if result.peer.judgement in _COMPARED:
            areas[result.indicator.peer_area] = areas.get(result.indicator.peer_area, 0) + 1
    if not areas:
        return ""
    if len(areas) == 1:
        return f" (RKA:s grupp för {next(iter(areas))})"
    parts = [f"{area} för {count}" for area, count in areas.items()]
    return f" (RKA:s grupper: {join_words([parts[0] + ' nyckeltal', *parts[1:]])})"


def own_sentence(results: Sequence[IndicatorResult], name: str) -> str | None:
    """ "Jämfört med jämförelsekommunerna (Bollnäs och Hudiksvall) har Söderhamn ett bättre utfall i 7 av 12
    nyckeltal."; ``None`` without an own list."""
    own = [r.own for r in results if r.own is not None]
    if not own:
        return None
    compared = [c for c in own if c.judgement in _COMPARED]
    better = sum(1 for c in compared if c.judgement is Judgement.BETTER)
    if not compared:
        return f"Inget nyckeltal kan jämföras med jämförelsekommunerna ({own[0].title})."
    return (
        f"Jämfört med jämförelsekommunerna ({own[0].title}) har {name} ett bättre utfall i {better} av "
        f"{len(compared)} nyckeltal."
    )


def peer_sentence(
    current: YearCounts,
    name: str,
    earlier: Sequence[YearCounts] = (),
    developments: Sequence[Development] = (),
    groups: str = "",
) -> str:
    """ "Av de 11 nyckeltal som jämförs med liknande kommuner har Söderhamn ett bättre utfall i 5 av 11,
    vilket är en förbättring från år 2021 (4 av 10) men sämre än år 2020 (7 av 12)."

    Consecutive comparisons are joined with "och" when they point the same way, else with "men"; years without
    a comparison are left out, and when no earlier year has one the sentence says so.
    """
    if current.compared == 0:
        return f"För år {current.year} finns inga nyckeltal som kan jämföras med liknande kommuner."
    which = "det enda nyckeltal" if current.compared == 1 else f"de {current.compared} nyckeltal"
    text = (
        f"Av {which} som jämförs med liknande kommuner{groups} har {name} ett bättre utfall i "
        f"{current.better} av {current.compared}"
    )
    known = [
        (index, counts, development)
        for index, (counts, development) in enumerate(zip(earlier, developments, strict=True))
        if development is not Development.UNKNOWN
    ]
    if not known:
        if not earlier:
            return text + "."
        return text + ". För tidigare år finns ingen jämförelse med liknande kommuner."
    text += ", vilket är "
    previous: Development | None = None
    for index, counts, development in known:
        if previous is not None:
            text += " och " if development is previous else " men "
        text += _first_phrase(counts, development) if index == 0 else _later_phrase(counts, development)
        previous = development
    return text + "."


def summarise(
    municipality: Municipality,
    year: int,
    results: Sequence[IndicatorResult],
    earlier_results: Sequence[Sequence[IndicatorResult]] = (),
) -> Summary:
    """The Sammanfattning of ``results`` (the analysis of ``year``) and of the years before it.

    ``earlier_results[i]`` is the analysis of year − 1 − i (newest first), made by ``analysis.analyse`` as if
    that were the report year.
    """
    current = count_year(results, year)
    earlier = tuple(count_year(past, year - back) for back, past in enumerate(earlier_results, start=1))
    trend_development = tuple(
        compare_shares(current.positive, current.judged, e.positive, e.judged) for e in earlier
    )
    peer_development = tuple(
        compare_shares(current.better, current.compared, e.better, e.compared) for e in earlier
    )
    sentences = [trend_sentence(current)]
    if current.judged and earlier:
        sentences.append(trend_comparison_sentence(current, earlier[0], trend_development[0]))
    sentences.append(
        peer_sentence(current, municipality.title, earlier, peer_development, groups_phrase(results))
    )
    if (own := own_sentence(results, municipality.title)) is not None:
        sentences.append(own)
    return Summary(
        year=year,
        current=current,
        earlier=earlier,
        trend_development=trend_development,
        peer_development=peer_development,
        sentences=tuple(sentences),
    )
