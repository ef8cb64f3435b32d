"""The Sammanfattning: counts of trends and peer comparisons for the report year and the years before it, and
the sentences comparing them, all worked out by hand."""

from __future__ import annotations

import dataclasses

import pytest
from analysis_cast import COUNT, HIGH, LOW, NEUTRAL, PEER_GROUP, SODERHAMN, catalogue_of, make_dataset

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.dataset import Dataset
from barnbokslut.indicators.summary import (
    Development,
    Summary,
    YearCounts,
    compare_shares,
    groups_phrase,
    peer_sentence,
    trend_comparison_sentence,
    trend_sentence,
)

SOD = SODERHAMN.id
GROUP = PEER_GROUP.id
IMP, DET, SAME, UNK = (
    Development.IMPROVEMENT,
    Development.DETERIORATION,
    Development.SAME,
    Development.UNKNOWN,
)

# Four indicators over 2019–2022, Söderhamn and Kolada's rows for the peer group:
#   HIGH  (hög):     70, 72, 71, 75   group –, 70, 73, 74
#   LOW   (låg):     10, 10, 12, 11   group –, 11, 11, 12
#   COUNT (hög):      5,  6,  6,  5   group –,  6,  7,  5
#   NEUTRAL:          3,  4,  5,  6   group –,  1,  1,  1   (never counted)
SCENARIO = {
    HIGH.kpi: {
        SOD: {2019: 70.0, 2020: 72.0, 2021: 71.0, 2022: 75.0},
        GROUP: {2020: 70.0, 2021: 73.0, 2022: 74.0},
    },
    LOW.kpi: {
        SOD: {2019: 10.0, 2020: 10.0, 2021: 12.0, 2022: 11.0},
        GROUP: {2020: 11.0, 2021: 11.0, 2022: 12.0},
    },
    COUNT.kpi: {SOD: {2019: 5.0, 2020: 6.0, 2021: 6.0, 2022: 5.0}, GROUP: {2020: 6.0, 2021: 7.0, 2022: 5.0}},
    NEUTRAL.kpi: {
        SOD: {2019: 3.0, 2020: 4.0, 2021: 5.0, 2022: 6.0},
        GROUP: {2020: 1.0, 2021: 1.0, 2022: 1.0},
    },
}
CATALOGUE = catalogue_of(HIGH, LOW, COUNT, NEUTRAL)


def summary_for(dataset: Dataset, year: int) -> Summary:
    return analyse(dataset, CATALOGUE, SODERHAMN, year).summary


def counts(year: int, *, positive: int = 0, negative: int = 0, unchanged: int = 0, better: int = 0,
           worse: int = 0, equal: int = 0, not_judged: int = 0, unknown: int = 0) -> YearCounts:  # fmt: skip
    return YearCounts(
        year=year,
        judged=positive + negative + unchanged,
        positive=positive,
        negative=negative,
        unchanged=unchanged,
        not_judged=not_judged,
        unknown=unknown,
        compared=better + worse + equal,
        better=better,
        worse=worse,
        equal=equal,
    )


def assert_grammatical(text: str) -> None:
    assert text[:1].isupper() and text.endswith("."), text
    assert "None" not in text and "  " not in text and ".." not in text, text


# --- the whole summary, from data ------------------------------------------------------------------------


def test_the_summary_counts_the_report_year_and_re_judges_the_earlier_years_from_their_own_data() -> None:
    summary = summary_for(make_dataset(SCENARIO), 2022)
    # 2022: HIGH 71→75 up (positive), peer 75 > 74 better; LOW 12→11 down (positive), 11 < 12 better;
    #       COUNT 6→5 down (negative), 5 = 5 equal; NEUTRAL not judged.
    assert summary.current == counts(2022, positive=2, negative=1, better=2, equal=1, not_judged=1)
    # 2021 (only data up to 2021): HIGH 72→71 negative, 71 < 73 worse; LOW 10→12 negative, 12 > 11 worse;
    #       COUNT 6→6 unchanged, 6 < 7 worse.
    # 2020: HIGH 70→72 positive, 72 > 70 better; LOW 10→10 unchanged, 10 < 11 better; COUNT 5→6 positive,
    #       6 = 6 equal.
    assert summary.earlier == (
        counts(2021, negative=2, unchanged=1, worse=3, not_judged=1),
        counts(2020, positive=2, unchanged=1, better=2, equal=1, not_judged=1),
    )
    # Trend 2/3 against 0/3 (better) and 2/3 (same); peers 2/3 against 0/3 (better) and 2/3 (same).
    assert summary.trend_development == (IMP, SAME)
    assert summary.peer_development == (IMP, SAME)
    assert summary.sentences == (
        "Sammanställningen av nyckeltal visar att 2 av 3 nyckeltal har en positiv trend jämfört med "
        "föregående mätning och 1 har en negativ trend.",
        "Det är en förbättring från år 2021 då 0 av 3 nyckeltal hade en positiv trend.",
        "Av de 3 nyckeltal som jämförs med liknande kommuner (RKA:s grupp för socioekonomi) "
        "har Söderhamn ett bättre utfall i 2 av 3, "
        "vilket är en förbättring från år 2021 (0 av 3) men lika bra som år 2020 (2 av 3).",
    )
    assert summary.text == " ".join(summary.sentences)
    for sentence in summary.sentences:
        assert_grammatical(sentence)


def test_a_worse_year_than_the_one_before_and_an_earlier_year_without_data() -> None:
    summary = summary_for(make_dataset(SCENARIO), 2021)
    # 2021: 0 of 3 positive, 0 of 3 better; 2020: 2 of 3 and 2 of 3; 2019 has no earlier measurement and no
    # group rows, so nothing to compare.
    # All four indicators, NEUTRAL too, have only one measurement in 2019: unknown.
    assert summary.earlier[1] == counts(2019, unknown=4)
    assert summary.trend_development == (DET, UNK)
    assert summary.peer_development == (DET, UNK)
    assert summary.sentences == (
        "Sammanställningen av nyckeltal visar att 0 av 3 nyckeltal har en positiv trend jämfört med "
        "föregående mätning, 2 har en negativ trend och 1 har en oförändrad trend.",
        "Det är en försämring från år 2020 då 2 av 3 nyckeltal hade en positiv trend.",
        "Av de 3 nyckeltal som jämförs med liknande kommuner (RKA:s grupp för socioekonomi) "
        "har Söderhamn ett bättre utfall i 0 av 3, "
        "vilket är en försämring från år 2020 (2 av 3).",
    )


def test_without_earlier_data_the_summary_says_there_is_nothing_to_compare_with() -> None:
    summary = summary_for(make_dataset(SCENARIO), 2020)
    # 2020: HIGH and COUNT positive, LOW unchanged; 2019 has no previous measurement, 2018 no data at all.
    assert summary.trend_development == (UNK, UNK)
    assert summary.peer_development == (UNK, UNK)
    assert summary.sentences == (
        "Sammanställningen av nyckeltal visar att 2 av 3 nyckeltal har en positiv trend jämfört med "
        "föregående mätning och 1 har en oförändrad trend.",
        "För år 2019 finns inga nyckeltal med bedömd trend att jämföra med.",
        "Av de 3 nyckeltal som jämförs med liknande kommuner (RKA:s grupp för socioekonomi) "
        "har Söderhamn ett bättre utfall i 2 av 3. "
        "För tidigare år finns ingen jämförelse med liknande kommuner.",
    )


def test_a_report_year_without_judged_trends_or_peers_says_so() -> None:
    # One measurement each and no group data: no trend can be judged and nothing is compared.
    dataset = make_dataset({HIGH.kpi: {SOD: {2022: 75.0}}, LOW.kpi: {SOD: {2022: 11.0}}})
    summary = summary_for(dataset, 2022)
    assert summary.current == counts(2022, unknown=4)  # the two without any value are unknown too
    assert summary.sentences == (
        "För år 2022 finns inga nyckeltal med en trend som kan bedömas.",
        "För år 2022 finns inga nyckeltal som kan jämföras med liknande kommuner.",
    )


# --- the sentences, from counts --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "expected"),
    [
        (
            counts(2022, positive=7, negative=4, unchanged=2),
            "Sammanställningen av nyckeltal visar att 7 av 13 nyckeltal har en positiv trend jämfört med "
            "föregående mätning, 4 har en negativ trend och 2 har en oförändrad trend.",
        ),
        (
            counts(2022, positive=3),
            "Sammanställningen av nyckeltal visar att 3 av 3 nyckeltal har en positiv trend jämfört med "
            "föregående mätning.",
        ),
        (
            counts(2022, negative=1),
            "Sammanställningen av nyckeltal visar att 0 av 1 nyckeltal har en positiv trend jämfört med "
            "föregående mätning och 1 har en negativ trend.",
        ),
    ],
)
def test_the_trend_sentence(current: YearCounts, expected: str) -> None:
    assert trend_sentence(current) == expected


@pytest.mark.parametrize(
    ("current", "earlier", "expected"),
    [
        # 7/13 ≈ 0.54 against 3/12 = 0.25.
        ((7, 13), (3, 12), "Det är en förbättring från år 2021 då 3 av 12 nyckeltal hade en positiv trend."),
        # 3/13 ≈ 0.23 against 8/12 ≈ 0.67.
        ((3, 13), (8, 12), "Det är en försämring från år 2021 då 8 av 12 nyckeltal hade en positiv trend."),
        ((7, 13), (7, 13), "Det är lika många som år 2021 då 7 av 13 nyckeltal hade en positiv trend."),
        # 2/4 = 3/6 = 0.5: the same share of a different number of indicators.
        ((2, 4), (3, 6), "Det är samma andel som år 2021 då 3 av 6 nyckeltal hade en positiv trend."),
        # The same count of more indicators is a smaller share: 3/12 = 0.25 against 3/10 = 0.3.
        ((3, 12), (3, 10), "Det är en försämring från år 2021 då 3 av 10 nyckeltal hade en positiv trend."),
        ((3, 12), (0, 0), "För år 2021 finns inga nyckeltal med bedömd trend att jämföra med."),
    ],
)
def test_the_trend_compared_with_the_year_before(
    current: tuple[int, int], earlier: tuple[int, int], expected: str
) -> None:
    now = counts(2022, positive=current[0], negative=current[1] - current[0])
    then = counts(2021, positive=earlier[0], negative=earlier[1] - earlier[0])
    development = compare_shares(now.positive, now.judged, then.positive, then.judged)
    assert trend_comparison_sentence(now, then, development) == expected


PREFIX = "Av de 11 nyckeltal som jämförs med liknande kommuner har Söderhamn ett bättre utfall i 5 av 11"
#: Earlier counts (better, compared) that make 5 of 11 (≈ 0.455) better, worse, the same or not comparable:
#: 2021: 4/10 = 0.4 (improvement), 8/10 = 0.8 (deterioration), 5/11 (same), 0/0 (unknown);
#: 2020: 3/12 = 0.25, 7/12 ≈ 0.58, 10/22 = 5/11, 0/0.
LAST_YEAR = {IMP: (4, 10), DET: (8, 10), SAME: (5, 11), UNK: (0, 0)}
YEAR_BEFORE = {IMP: (3, 12), DET: (7, 12), SAME: (10, 22), UNK: (0, 0)}


@pytest.mark.parametrize(
    ("last", "before", "tail"),
    [
        (IMP, IMP, ", vilket är en förbättring från år 2021 (4 av 10) och bättre än år 2020 (3 av 12)."),
        (IMP, DET, ", vilket är en förbättring från år 2021 (4 av 10) men sämre än år 2020 (7 av 12)."),
        (IMP, SAME, ", vilket är en förbättring från år 2021 (4 av 10) men lika bra som år 2020 (10 av 22)."),
        (IMP, UNK, ", vilket är en förbättring från år 2021 (4 av 10)."),
        (DET, IMP, ", vilket är en försämring från år 2021 (8 av 10) men bättre än år 2020 (3 av 12)."),
        (DET, DET, ", vilket är en försämring från år 2021 (8 av 10) och sämre än år 2020 (7 av 12)."),
        (DET, SAME, ", vilket är en försämring från år 2021 (8 av 10) men lika bra som år 2020 (10 av 22)."),
        (DET, UNK, ", vilket är en försämring från år 2021 (8 av 10)."),
        (SAME, IMP, ", vilket är lika bra som år 2021 (5 av 11) men bättre än år 2020 (3 av 12)."),
        (SAME, DET, ", vilket är lika bra som år 2021 (5 av 11) men sämre än år 2020 (7 av 12)."),
        (SAME, SAME, ", vilket är lika bra som år 2021 (5 av 11) och lika bra som år 2020 (10 av 22)."),
        (SAME, UNK, ", vilket är lika bra som år 2021 (5 av 11)."),
        (UNK, IMP, ", vilket är bättre än år 2020 (3 av 12)."),
        (UNK, DET, ", vilket är sämre än år 2020 (7 av 12)."),
        (UNK, SAME, ", vilket är lika bra som år 2020 (10 av 22)."),
        (UNK, UNK, ". För tidigare år finns ingen jämförelse med liknande kommuner."),
    ],
)
def test_the_peer_sentence_joins_the_earlier_years_with_och_or_men(
    last: Development, before: Development, tail: str
) -> None:
    now = counts(2022, better=5, worse=6)
    earlier = (
        counts(2021, better=LAST_YEAR[last][0], worse=LAST_YEAR[last][1] - LAST_YEAR[last][0]),
        counts(2020, better=YEAR_BEFORE[before][0], worse=YEAR_BEFORE[before][1] - YEAR_BEFORE[before][0]),
    )
    developments = tuple(compare_shares(now.better, now.compared, e.better, e.compared) for e in earlier)
    assert developments == (last, before)
    sentence = peer_sentence(now, "Söderhamn", earlier, developments)
    assert sentence == PREFIX + tail
    assert_grammatical(sentence)


def test_the_seed_reports_peer_sentence() -> None:
    # Söderhamn 2022: 5 of 11 better; 2021: 4 of 10 (0.4 < 0.45); 2020: 7 of 12 (0.58 > 0.45).
    now, last, before = (
        counts(2022, better=5, worse=6),
        counts(2021, better=4, worse=6),
        counts(2020, better=7, worse=5),
    )
    developments = (IMP, DET)
    assert peer_sentence(now, "Söderhamn", (last, before), developments) == (
        "Av de 11 nyckeltal som jämförs med liknande kommuner har Söderhamn ett bättre utfall i 5 av 11, "
        "vilket är en förbättring från år 2021 (4 av 10) men sämre än år 2020 (7 av 12)."
    )


def test_a_single_compared_indicator_and_none_at_all() -> None:
    assert peer_sentence(counts(2022, better=1), "Söderhamn") == (
        "Av det enda nyckeltal som jämförs med liknande kommuner har Söderhamn ett bättre utfall i 1 av 1."
    )
    assert peer_sentence(counts(2022), "Söderhamn") == (
        "För år 2022 finns inga nyckeltal som kan jämföras med liknande kommuner."
    )


@pytest.mark.parametrize(
    ("shares", "development"),
    [
        ((2, 4, 3, 6), SAME),  # 2/4 = 3/6
        ((3, 10, 3, 12), IMP),  # 0.3 > 0.25
        ((3, 12, 3, 10), DET),  # 0.25 < 0.3
        ((1, 0, 1, 1), UNK),  # nothing judged now
        ((1, 1, 0, 0), UNK),  # nothing judged then
    ],
)
def test_years_are_compared_by_share(shares: tuple[int, int, int, int], development: Development) -> None:
    assert compare_shares(*shares) is development


def test_the_summary_names_the_rka_groups_it_compared_with() -> None:
    values = {
        LOW.kpi: {SODERHAMN.id: {2021: 15.1, 2022: 14.7}, PEER_GROUP.id: {2022: 12.0}},
        HIGH.kpi: {SODERHAMN.id: {2021: 70.0, 2022: 75.0}, PEER_GROUP.id: {2022: 74.0}},
    }
    results = analyse(make_dataset(values), catalogue_of(LOW, HIGH), SODERHAMN, 2022).results
    assert groups_phrase(results) == " (RKA:s grupp för socioekonomi)"
    mixed = [
        dataclasses.replace(r, indicator=dataclasses.replace(r.indicator, peer_area="grundskola"))
        if r.kpi == HIGH.kpi
        else r
        for r in results
    ]
    assert groups_phrase(mixed) == " (RKA:s grupper: socioekonomi för 1 nyckeltal och grundskola för 1)"
    assert groups_phrase([r for r in results if r.kpi == "none"]) == ""
