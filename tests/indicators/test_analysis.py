"""The per-indicator analysis: latest value, trend, comparisons, rank and colour, girls and boys, history and
provenance, each checked against numbers worked out by hand (the arithmetic is in the comments)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from analysis_cast import (
    COUNT,
    FETCHED,
    HIGH,
    KOLADA_TITLES,
    LOW,
    NEUTRAL,
    OTHERS,
    PEER_GROUP,
    SODERHAMN,
    Values,
    make_dataset,
)

from barnbokslut.indicators.analysis import analyse, analyse_indicator, analyse_indicators, colour_for
from barnbokslut.indicators.catalogue import Catalogue, Direction, Indicator, load_catalogue
from barnbokslut.indicators.dataset import Dataset
from barnbokslut.indicators.results import (
    Colour,
    GenderGap,
    HistoryPoint,
    IndicatorResult,
    Judgement,
    Movement,
    Provenance,
    Relation,
    Scope,
    Trend,
)
from barnbokslut.numbers import format_number, round_value
from barnbokslut.report.charts import render_chart
from barnbokslut.report.figures import history_chart, source_line
from barnbokslut.report.model import SeriesRole

SOD = SODERHAMN.id
GROUP = PEER_GROUP.id


def run(values: Values, indicator: Indicator = LOW, year: int = 2022, **options: bool) -> IndicatorResult:
    return analyse_indicator(make_dataset(values, **options), indicator, SODERHAMN, year)


# --- latest value, previous value, change and trend ------------------------------------------------------


def test_the_latest_value_is_the_newest_period_up_to_the_report_year_and_later_data_is_ignored() -> None:
    result = run({"U31803": {SOD: {2020: 16.0, 2021: 15.1, 2022: 14.7, 2023: 9.9}}}, year=2022)
    assert result.latest is not None and (result.latest.period, result.latest.value) == (2022, 14.7)
    assert result.previous is not None and (result.previous.period, result.previous.value) == (2021, 15.1)
    assert result.change == -0.4  # 14.7 − 15.1
    assert result.movement is Movement.DOWN
    assert result.trend is Trend.POSITIVE  # low is good and it went down
    assert result.missing_period is None
    assert result.status == ""


def test_the_previous_measurement_is_the_newest_earlier_period_with_a_value() -> None:
    result = run({"U31803": {SOD: {2019: 11.0, 2020: 12.0, 2021: None, 2022: 14.7}}})
    assert result.previous is not None and (result.previous.period, result.previous.value) == (2020, 12.0)
    assert result.change == 2.7  # 14.7 − 12.0; 2021 is missing and skipped
    assert result.trend is Trend.NEGATIVE  # low is good and it went up


def test_a_kpi_that_lags_uses_its_newest_published_period_without_calling_it_missing() -> None:
    # Nobody (no kommun, not Riket) has 2023 yet: the KPI is published a year late, nothing is missing.
    values = {"U31803": {SOD: {2021: 15.1, 2022: 14.7}, "2183": {2022: 12.0}, "0000": {2022: 11.0}}}
    result = run(values, year=2023)
    assert result.latest is not None and result.latest.period == 2022
    assert result.missing_period is None
    assert "saknas" not in result.sentence


def test_a_missing_newest_period_falls_back_to_the_earlier_one_and_keeps_koladas_status() -> None:
    values = {"U31803": {SOD: {2021: 15.1, 2022: 14.7, 2023: None}, "2183": {2023: 12.0}}}
    result = run(values, year=2023)
    assert result.latest is not None and (result.latest.period, result.latest.value) == (2022, 14.7)
    assert result.previous is not None and result.previous.period == 2021
    assert result.missing_period == 2023
    assert result.status == "Missing"
    assert result.reason == "uppgiften saknas i Kolada"
    assert (
        "Siffran för Söderhamn saknas för 2023 (uppgiften saknas i Kolada); den senaste siffran är från 2022."
        in result.sentence
    )


def test_a_newest_period_that_others_have_counts_as_missing_even_without_a_row() -> None:
    # Söderhamn has no 2023 row at all, but Riket has a 2023 value: the period is published.
    values = {"U31803": {SOD: {2021: 15.1, 2022: 14.7}, "0000": {2023: 11.0}}}
    result = run(values, year=2023)
    assert result.missing_period == 2023
    assert result.status == ""


def test_no_value_at_all_leaves_everything_unknown_and_never_zero() -> None:
    values = {"U31803": {SOD: {2021: None, 2022: None}, "2183": {2022: 12.0}, "0000": {2022: 11.0}}}
    result = run(values, year=2022)
    assert result.latest is None and result.previous is None
    assert result.change is None
    assert (result.movement, result.trend) == (Movement.UNKNOWN, Trend.UNKNOWN)
    assert result.status == "Missing"
    assert (result.peer.value, result.peer.relation, result.peer.judgement) == (
        None,
        Relation.UNKNOWN,
        Judgement.UNKNOWN,
    )
    assert (result.national.value, result.national.relation) == (None, Relation.UNKNOWN)
    assert (result.rank.position, result.rank.of, result.rank.colour) == (None, 0, Colour.NONE)
    assert [point.value for point in result.history] == [None, None, None, None]  # 2019–2022
    assert result.sentence == (
        "Det finns ingen siffra för Söderhamn till och med 2022 (uppgiften saknas i Kolada). "
        "Det är önskvärt med en så låg siffra som möjligt."
    )


def test_a_kpi_without_any_row_for_the_municipality_has_an_empty_status() -> None:
    result = run({"U31803": {"2183": {2022: 12.0}}})
    assert result.latest is None
    assert result.status == ""


def test_only_one_measurement_gives_an_unknown_trend() -> None:
    result = run({"U31803": {SOD: {2022: 14.7}}})
    assert result.previous is None and result.change is None
    assert (result.movement, result.trend) == (Movement.UNKNOWN, Trend.UNKNOWN)


def test_a_neutral_indicator_with_one_measurement_is_unknown_not_merely_unjudged() -> None:
    result = run({"N15901": {SOD: {2022: 5.0}}}, indicator=NEUTRAL)
    assert result.trend is Trend.UNKNOWN


def test_values_that_show_the_same_after_rounding_are_unchanged() -> None:
    # 14.72 and 14.68 both show as "14,7": unchanged, and the change is 14.7 − 14.7 = 0.0.
    result = run({"U31803": {SOD: {2021: 14.72, 2022: 14.68}}})
    assert (result.movement, result.trend, result.change) == (Movement.SAME, Trend.UNCHANGED, 0.0)


def test_a_tiny_raw_difference_that_shows_counts_as_a_change_of_the_shown_values() -> None:
    # 14.74 shows as 14,7 and 14.76 as 14,8: up by 14.8 − 14.7 = 0.1 although the raw difference is 0.02.
    result = run({"U31803": {SOD: {2021: 14.74, 2022: 14.76}}})
    assert (result.movement, result.trend, result.change) == (Movement.UP, Trend.NEGATIVE, 0.1)


def test_values_are_rounded_exactly_as_they_are_printed() -> None:
    # Babel rounds the decimal text half to even: 0.25 → "0,2", 0.35 → "0,4"; round_value must agree.
    assert (round_value(0.25), format_number(0.25)) == (0.2, "0,2")
    assert (round_value(0.35), format_number(0.35)) == (0.4, "0,4")
    assert format_number(-0.04) == "0,0"  # no negative zero


@pytest.mark.parametrize(
    ("indicator", "previous", "latest", "movement", "trend"),
    [
        (HIGH, 70.0, 75.0, Movement.UP, Trend.POSITIVE),
        (HIGH, 75.0, 70.0, Movement.DOWN, Trend.NEGATIVE),
        (HIGH, 70.0, 70.0, Movement.SAME, Trend.UNCHANGED),
        (LOW, 10.0, 12.0, Movement.UP, Trend.NEGATIVE),
        (LOW, 12.0, 10.0, Movement.DOWN, Trend.POSITIVE),
        (NEUTRAL, 3.0, 4.0, Movement.UP, Trend.NOT_JUDGED),
        (NEUTRAL, 4.0, 3.0, Movement.DOWN, Trend.NOT_JUDGED),
        (NEUTRAL, 4.0, 4.0, Movement.SAME, Trend.NOT_JUDGED),
    ],
)
def test_the_trend_is_judged_against_the_desired_direction(
    indicator: Indicator, previous: float, latest: float, movement: Movement, trend: Trend
) -> None:
    result = run({indicator.kpi: {SOD: {2021: previous, 2022: latest}}}, indicator=indicator)
    assert (result.movement, result.trend) == (movement, trend)


# --- similar municipalities and the country -------------------------------------------------------------


def test_the_peer_comparison_uses_koladas_group_row_when_there_is_one() -> None:
    # The members' mean would be 99.0; Kolada's own row for the group (12.0) wins.
    values = {"U31803": {SOD: {2022: 14.7}, GROUP: {2022: 12.0}, "2183": {2022: 99.0}}}
    peer = run(values).peer
    assert (peer.scope, peer.area, peer.title, peer.period) == (Scope.PEER, GROUP, PEER_GROUP.title, 2022)
    assert (peer.value, peer.computed) == (12.0, False)
    assert (peer.relation, peer.judgement) == (Relation.HIGHER, Judgement.WORSE)  # 14.7 > 12.0, low is good


def test_a_group_without_a_row_gets_the_computed_mean_of_its_members_and_says_so() -> None:
    # No row for the group; members 12.0 and 13.0 (Ljusdal missing): (12.0 + 13.0) / 2 = 12.5 of 2 kommuner.
    values = {"U31803": {SOD: {2022: 14.7}, "2183": {2022: 12.0}, "2184": {2022: 13.0}, "2161": {2022: None}}}
    result = run(values)
    assert (result.peer.value, result.peer.computed, result.peer.count) == (12.5, True, 2)
    assert result.texts.peer == (
        "Liknande kommuner år 2022: 12,5 (beräknat medelvärde av 2 kommuner). "
        "Siffran i Söderhamn är högre, vilket är sämre."
    )


def test_the_peer_value_is_taken_at_the_period_of_the_latest_value_not_the_report_year() -> None:
    values = {"U31803": {SOD: {2021: 14.7}, GROUP: {2021: 10.0, 2022: 20.0}}}
    peer = run(values, year=2022).peer
    assert (peer.period, peer.value, peer.relation) == (2021, 10.0, Relation.HIGHER)


def test_a_value_equal_to_the_peer_after_rounding_is_equal() -> None:
    # 14.66 shows as 14,7 like Söderhamn's 14.7.
    peer = run({"U31803": {SOD: {2022: 14.7}, GROUP: {2022: 14.66}}}).peer
    assert (peer.relation, peer.judgement) == (Relation.EQUAL, Judgement.EQUAL)


@pytest.mark.parametrize(
    ("indicator", "group_value", "relation", "judgement"),
    [
        (HIGH, 10.0, Relation.HIGHER, Judgement.BETTER),
        (HIGH, 20.0, Relation.LOWER, Judgement.WORSE),
        (LOW, 10.0, Relation.HIGHER, Judgement.WORSE),
        (LOW, 20.0, Relation.LOWER, Judgement.BETTER),
        (NEUTRAL, 10.0, Relation.HIGHER, Judgement.NOT_JUDGED),
        (NEUTRAL, 20.0, Relation.LOWER, Judgement.NOT_JUDGED),
    ],
)
def test_better_or_worse_than_the_peers_depends_on_the_desired_direction(
    indicator: Indicator, group_value: float, relation: Relation, judgement: Judgement
) -> None:
    peer = run({indicator.kpi: {SOD: {2022: 14.7}, GROUP: {2022: group_value}}}, indicator=indicator).peer
    assert (peer.relation, peer.judgement) == (relation, judgement)


def test_a_municipality_without_a_peer_group_has_no_peer_comparison() -> None:
    result = run({"U31803": {SOD: {2022: 14.7}, GROUP: {2022: 12.0}}}, peer_group=False)
    assert (result.peer.area, result.peer.value, result.peer.relation) == (None, None, Relation.UNKNOWN)
    assert result.texts.peer == "Det finns ingen grupp med liknande kommuner för Söderhamn."


def test_a_peer_group_without_any_data_has_no_peer_value() -> None:
    result = run({"U31803": {SOD: {2022: 14.7}}})
    assert (result.peer.area, result.peer.value, result.peer.relation) == (GROUP, None, Relation.UNKNOWN)
    assert result.texts.peer == "Det finns ingen siffra för liknande kommuner år 2022."


def test_the_national_comparison_is_riket_when_kolada_has_it() -> None:
    national = run({"U31803": {SOD: {2022: 14.7}, "0000": {2022: 13.0}, "2183": {2022: 50.0}}}).national
    assert (national.scope, national.area, national.title) == (Scope.COUNTRY, "0000", "Riket")
    assert (national.value, national.computed) == (13.0, False)
    assert (national.relation, national.judgement) == (Relation.HIGHER, Judgement.WORSE)


EIGHT = {
    SOD: 14.7,
    "2183": 10.0,
    "2184": 11.0,
    "2161": 12.0,
    "0180": 13.0,
    "0380": 16.0,
    "1280": 17.0,
    "1480": 18.0,
}


@pytest.mark.parametrize("riket", [{}, {"0000": {2022: None}}], ids=["no riket row", "riket missing"])
def test_without_a_riket_value_the_mean_of_all_kommuner_is_used_and_said(riket: dict) -> None:
    values = {"U31803": {**{area: {2022: v} for area, v in EIGHT.items()}, **riket}}
    result = run(values)
    national = result.national
    # (14.7 + 10 + 11 + 12 + 13 + 16 + 17 + 18) / 8 = 111.7 / 8 = 13.9625, shown as 14,0.
    assert national.scope is Scope.ALL_KOMMUNER and national.area is None
    assert national.value == pytest.approx(13.9625)
    assert (national.computed, national.count) == (True, 8)
    assert (national.relation, national.judgement) == (Relation.HIGHER, Judgement.WORSE)  # 14.7 > 14.0
    assert result.texts.national == (
        "Alla kommuner år 2022: 14,0 (beräknat medelvärde av 8 kommuner; Kolada har ingen siffra för riket). "
        "Siffran i Söderhamn är högre, vilket är sämre."
    )


# --- rank and colour -------------------------------------------------------------------------------------

LADDER = (80.0, 70.0, 60.0, 50.0, 40.0, 30.0, 20.0, 10.0)


def ranked(
    indicator: Indicator, own: float, others: tuple[float | None, ...], extra: Values | None = None
) -> IndicatorResult:
    """Söderhamn's value and the seven other kommuner's values at 2022 (plus ``extra`` areas)."""
    values = {SOD: {2022: own}} | {m.id: {2022: v} for m, v in zip(OTHERS, others, strict=True)}
    return run({indicator.kpi: values | dict(extra or {})}, indicator=indicator)


@pytest.mark.parametrize(
    ("place", "colour", "text"),
    [
        # Eight kommuner: green when 4·place ≤ 8 (places 1–2), red when 4·(8 − place + 1) ≤ 8 (places 7–8).
        (1, Colour.GREEN, "Plats 1 av 8, bland de 25\u00a0% bästa kommunerna."),
        (2, Colour.GREEN, "Plats 2 av 8, bland de 25\u00a0% bästa kommunerna."),
        (3, Colour.YELLOW, "Plats 3 av 8, i mittenhalvan."),
        (4, Colour.YELLOW, "Plats 4 av 8, i mittenhalvan."),
        (5, Colour.YELLOW, "Plats 5 av 8, i mittenhalvan."),
        (6, Colour.YELLOW, "Plats 6 av 8, i mittenhalvan."),
        (7, Colour.RED, "Plats 7 av 8, bland de 25\u00a0% sämsta kommunerna."),
        (8, Colour.RED, "Plats 8 av 8, bland de 25\u00a0% sämsta kommunerna."),
    ],
)
def test_the_place_among_eight_kommuner_has_koladas_quartile_colours(
    place: int, colour: Colour, text: str
) -> None:
    own = LADDER[place - 1]  # high is good: the place-th highest value
    others = tuple(v for v in LADDER if v != own)
    # Riket (99.0) and the group row (98.0) are not kommuner and are not ranked.
    result = ranked(HIGH, own, others, {"0000": {2022: 99.0}, GROUP: {2022: 98.0}})
    assert (result.rank.position, result.rank.of, result.rank.tied, result.rank.colour) == (
        place,
        8,
        False,
        colour,
    )
    assert result.texts.rank == text


def test_for_a_low_is_good_indicator_the_lowest_value_is_first() -> None:
    assert ranked(LOW, 10.0, LADDER[:7]).rank.position == 1  # 10.0 is the lowest of the eight
    last = ranked(LOW, 80.0, LADDER[1:])
    assert (last.rank.position, last.rank.colour) == (8, Colour.RED)


def test_tied_kommuner_share_the_best_place_and_its_colour() -> None:
    # 80 is better; 70 is shared by Söderhamn and Bollnäs: both place 2, which is green (4·2 = 8 ≤ 8).
    result = ranked(HIGH, 70.0, (70.0, 80.0, 60.0, 50.0, 40.0, 30.0, 20.0))
    assert (result.rank.position, result.rank.tied, result.rank.colour) == (2, True, Colour.GREEN)
    assert result.texts.rank == "Delad plats 2 av 8, bland de 25\u00a0% bästa kommunerna."


def test_a_tie_across_the_red_boundary_takes_the_better_place() -> None:
    # 80, 70, 60, 50, 40 are better (5): the shared 20 is place 6 of 8, yellow (4·(8 − 6 + 1) = 12 > 8).
    result = ranked(HIGH, 20.0, (20.0, 80.0, 70.0, 60.0, 50.0, 40.0, 10.0))
    assert (result.rank.position, result.rank.tied, result.rank.colour) == (6, True, Colour.YELLOW)


def test_values_that_show_the_same_are_tied_in_the_ranking() -> None:
    # 50.04 and 49.96 both show as 50,0; 80, 70, 60 are better: place 4, tied.
    result = ranked(HIGH, 50.04, (49.96, 80.0, 70.0, 60.0, 40.0, 30.0, 20.0))
    assert (result.rank.position, result.rank.tied) == (4, True)


def test_kommuner_without_a_value_are_not_ranked() -> None:
    # Six kommuner have a value; Söderhamn's 10.0 is the lowest, with high good: place 6 of 6, red
    # (4·(6 − 6 + 1) = 4 ≤ 6).
    result = ranked(HIGH, 10.0, (80.0, 70.0, 60.0, 50.0, 40.0, None, None))
    assert (result.rank.position, result.rank.of, result.rank.colour) == (6, 6, Colour.RED)


def test_a_neutral_indicator_is_ranked_by_value_descending_without_a_colour() -> None:
    result = ranked(NEUTRAL, 60.0, (80.0, 70.0, 50.0, 40.0, 30.0, 20.0, 10.0))
    assert (result.rank.position, result.rank.colour) == (3, Colour.NONE)
    assert result.texts.rank == "Plats 3 av 8 räknat från det högsta värdet."


@pytest.mark.parametrize(
    ("position", "of", "colour"),
    [
        # 290 kommuner: green while 4·p ≤ 290 (p ≤ 72); red when 4·(291 − p) ≤ 290, i.e. p ≥ 219.
        (72, 290, Colour.GREEN),
        (73, 290, Colour.YELLOW),
        (218, 290, Colour.YELLOW),
        (219, 290, Colour.RED),
        # Four: one place each end. Three or fewer: no quarter holds a whole kommun, all yellow.
        (1, 4, Colour.GREEN),
        (2, 4, Colour.YELLOW),
        (4, 4, Colour.RED),
        (1, 3, Colour.YELLOW),
        (3, 3, Colour.YELLOW),
        (1, 1, Colour.YELLOW),
    ],
)
def test_the_quartile_boundaries(position: int, of: int, colour: Colour) -> None:
    assert colour_for(position, of, Direction.HIGH) is colour
    assert colour_for(position, of, Direction.NEUTRAL) is Colour.NONE


# --- girls and boys --------------------------------------------------------------------------------------


def test_girls_and_boys_are_compared_at_the_latest_period_where_both_have_a_value() -> None:
    values = {
        "N15428": {
            SOD: {2022: 78.0, 2023: 79.0},
            (SOD, "K"): {2022: 80.1, 2023: 81.0},
            (SOD, "M"): {2022: 75.9, 2023: None},
        }
    }
    result = run(values, indicator=HIGH, year=2023)
    # 2023 has no boys' value, so 2022: 80.1 − 75.9 = 4.2.
    assert result.gender == GenderGap(2022, 80.1, 75.9, 4.2, Relation.HIGHER)
    assert result.texts.gender == "Andelen är 4,2 procentenheter högre för flickor än för pojkar."


def test_girls_and_boys_after_the_report_year_are_not_used() -> None:
    values = {"N15428": {(SOD, "K"): {2021: 70.0, 2023: 90.0}, (SOD, "M"): {2021: 72.5, 2023: 60.0}}}
    result = run(values, indicator=HIGH, year=2022)
    assert result.gender == GenderGap(2021, 70.0, 72.5, -2.5, Relation.LOWER)  # 70.0 − 72.5
    assert result.texts.gender == "Andelen är 2,5 procentenheter högre för pojkar än för flickor."


def test_girls_and_boys_equal_after_rounding_are_equal() -> None:
    # 70.04 and 69.96 both show as 70,0.
    result = run({"N15428": {(SOD, "K"): {2022: 70.04}, (SOD, "M"): {2022: 69.96}}}, indicator=HIGH)
    assert result.gender is not None
    assert (result.gender.gap, result.gender.relation) == (0.0, Relation.EQUAL)
    assert result.texts.gender == "Andelen är lika hög för flickor och pojkar."


def test_a_gender_gap_in_a_unit_that_is_not_percent_is_a_plain_difference() -> None:
    result = run({"U09800": {(SOD, "K"): {2022: 25.3}, (SOD, "M"): {2022: 23.2}}}, indicator=COUNT)
    assert result.texts.gender == "Antalet är 2,1 högre för flickor än för pojkar."  # 25.3 − 23.2
    equal = run({"U09800": {(SOD, "K"): {2022: 25.3}, (SOD, "M"): {2022: 25.3}}}, indicator=COUNT)
    assert equal.texts.gender == "Antalet är lika högt för flickor och pojkar."


def test_an_indicator_without_gender_split_has_no_gender_result() -> None:
    result = run({"U31803": {SOD: {2022: 14.7}, (SOD, "K"): {2022: 15.0}, (SOD, "M"): {2022: 14.0}}})
    assert result.gender is None and result.texts.gender is None


def test_a_gender_split_indicator_without_girls_and_boys_values_says_they_are_missing() -> None:
    result = run({"N15428": {SOD: {2022: 78.0}, (SOD, "K"): {2022: 80.0}}}, indicator=HIGH)
    # Girls have a value, boys no row at all: the newest period with a row says why.
    assert result.gender == GenderGap(
        None, None, None, None, Relation.UNKNOWN, "Kolada har ingen uppgift för året"
    )
    assert (
        result.texts.gender
        == "Det saknas siffror för flickor och pojkar (Kolada har ingen uppgift för året)."
    )


# --- history and provenance ------------------------------------------------------------------------------


def test_the_history_has_every_year_up_to_the_report_year_with_none_where_missing() -> None:
    values = {
        "U31803": {
            SOD: {2020: 15.0, 2022: 14.7, 2023: 13.0},
            GROUP: {2022: 12.0},
            "2183": {2021: 10.0},
            "2184": {2021: 12.0},
            "0000": {2020: 13.0, 2022: 12.5},
        }
    }
    assert run(values, year=2022).history == (
        HistoryPoint(2019, None, None, False, None, False, 0, "Kolada har ingen uppgift för året"),
        # 2020: no group row and no member values; Riket 13.0.
        HistoryPoint(2020, 15.0, None, False, 13.0, False, 0),
        # 2021: members (10.0 + 12.0) / 2 = 11.0; no Riket, so all kommuner with a value: the same two, 11.0.
        HistoryPoint(2021, None, 11.0, True, 11.0, True, 2, "Kolada har ingen uppgift för året"),
        HistoryPoint(2022, 14.7, 12.0, False, 12.5, False, 0),
    )  # 2023 is after the report year


def test_the_provenance_names_the_kpi_its_kolada_title_the_period_and_the_fetch_date() -> None:
    result = run({"U31803": {SOD: {2021: 15.1, 2022: 14.7}}})
    assert result.provenance == Provenance("U31803", KOLADA_TITLES["U31803"], 2022, FETCHED, False)
    assert result.provenance.source == "Källa: Kolada"
    assert result.texts.source == (
        "Källa: Kolada, nyckeltal U31803 ”Barn i befolkningen som ingår i familjer med ekonomiskt bistånd, "
        "andel (%)”, år 2022, hämtad 25 november 2026. Egen bearbetning av data från Kolada: förändringen, "
        "placeringen och medelvärdet för alla kommuner."
    )


def test_example_data_is_labelled_exempeldata() -> None:
    result = run({"U31803": {SOD: {2022: 14.7}}}, example=True)
    assert result.provenance.is_example is True
    assert result.provenance.source == "Exempeldata (genererade värden, inte Koladas)"
    assert result.texts.source.startswith("Exempeldata (genererade värden, inte Koladas), nyckeltal U31803")
    assert "Kolada:" not in result.texts.source  # nothing generated is given Kolada as its source


def test_a_kpi_missing_from_koladas_metadata_keeps_the_catalogue_title() -> None:
    dataset = make_dataset({"U31803": {SOD: {2022: 14.7}}})
    dataset.kpis.clear()
    result = analyse_indicator(dataset, LOW, SODERHAMN, 2022)
    assert result.kpi_title == LOW.title


# --- the whole analysis ----------------------------------------------------------------------------------


def test_analyse_returns_one_result_per_indicator_in_catalogue_order(
    dataset_of: Callable[..., Dataset], catalogue: Catalogue
) -> None:
    dataset = dataset_of({"U31803": {SOD: {2022: 14.7}}, "N15428": {SOD: {2021: 70.0, 2022: 75.0}}})
    analysis = analyse(dataset, catalogue, SODERHAMN, 2022)
    assert [r.kpi for r in analysis.results] == ["U31803", "N15428", "N15901", "U09800"]
    assert (analysis.municipality, analysis.year, analysis.peer_group) == (SODERHAMN, 2022, PEER_GROUP)
    assert (analysis.is_example, analysis.fetched_at, analysis.source) == (False, FETCHED, "Källa: Kolada")
    assert analysis.by_kpi("N15428").trend is Trend.POSITIVE
    assert analysis.summary.year == 2022


def test_analyse_says_exempeldata_when_any_value_is_example_data(catalogue: Catalogue) -> None:
    analysis = analyse(
        make_dataset({"U31803": {SOD: {2022: 14.7}}}, example=True), catalogue, SODERHAMN, 2022
    )
    # Only U31803 has values, and they are generated: no figure of the analysis is Kolada's.
    assert (analysis.is_example, analysis.source) == (True, "Exempeldata (genererade värden, inte Koladas)")
    assert (analysis.example_count, analysis.real_count) == (1, 0)


def test_without_details_only_what_the_summary_counts_is_computed() -> None:
    dataset = make_dataset({"N15428": {SOD: {2021: 70.0, 2022: 75.0}, GROUP: {2022: 74.0}}})
    (result,) = analyse_indicators(dataset, [HIGH], SODERHAMN, 2022, details=False)
    # 70 → 75 is positive; 75 > 74 is better: the two things the summary counts.
    assert (result.trend, result.peer.judgement) == (Trend.POSITIVE, Judgement.BETTER)
    assert (result.rank.position, result.gender, result.history, result.sentence) == (None, None, (), "")


# --- measurements every other year (Skolenkäten) ------------------------------------------------------------

EVERY_OTHER_YEAR = dataclasses.replace(HIGH, every_other_year=True)


def test_a_repeated_measurement_is_no_trend_the_previous_different_one_is_compared() -> None:
    # 2021 and 2022 repeat one measurement (85.0), 2023 and 2024 the next (87.0).
    values = {"N15428": {SOD: {2021: 85.0, 2022: 85.0, 2023: 87.0, 2024: 87.0}}}
    result = analyse_indicator(
        make_dataset(values, years=(2021, 2022, 2023, 2024)), EVERY_OTHER_YEAR, SODERHAMN, 2024
    )
    assert result.latest is not None and result.previous is not None
    assert (result.latest.period, result.previous.period, result.repeated) == (2024, 2022, (2023,))
    assert (result.change, result.trend) == (2.0, Trend.POSITIVE)  # 87.0 − 85.0
    assert (
        "Mätningen görs vartannat år: siffran 2024 är samma mätning som 2023, så trenden jämför med 2022."
        in result.sentence
    )
    assert result.texts.change == "Förändring sedan 2022: +2,0 procentenheter (från 85,0 till 87,0)."
    # The same values for a KPI measured every year: an unchanged value is an unchanged trend.
    yearly = analyse_indicator(make_dataset(values, years=(2021, 2022, 2023, 2024)), HIGH, SODERHAMN, 2024)
    assert yearly.previous is not None and (yearly.previous.period, yearly.trend) == (2023, Trend.UNCHANGED)


def test_the_default_catalogue_marks_skolenkaten_as_every_other_year() -> None:
    marked = {i.kpi for i in load_catalogue() if i.every_other_year}
    assert marked == {"N15613", "N15643"}


# --- a retired KPI and its successor ------------------------------------------------------------------------

SUCCESSOR = dataclasses.replace(LOW, predecessor="N02904")


def test_a_retired_kpi_is_shown_beside_its_successor_and_no_trend_crosses_the_break() -> None:
    # N02904 (the retired measure) 2019–2020, U31803 (its successor here) from 2021.
    values = {"N02904": {SOD: {2019: 12.0, 2020: 11.0}}, "U31803": {SOD: {2021: 15.0, 2022: 14.0}}}
    result = run(values, SUCCESSOR)
    assert [(p.period, p.value, p.predecessor) for p in result.history] == [
        (2019, None, 12.0),
        (2020, None, 11.0),
        (2021, 15.0, None),
        (2022, 14.0, None),
    ]
    assert result.break_period == 2021
    # The trend compares 2022 with 2021 only: 11.0 → 15.0 across the break is never a change.
    assert result.previous is not None and result.previous.period == 2021 and result.change == -1.0
    assert (
        "Nyckeltalet ersatte N02904 år 2021; de två måtten jämförs inte med varandra och ingen trend räknas "
        "över brottet." in result.sentence
    )
    chart = history_chart(result, source_line(result))
    assert chart is not None and chart.break_at == "2021"
    old = next(s for s in chart.series if s.role is SeriesRole.PREDECESSOR)
    assert (old.label, old.values) == ("Söderhamn, N02904 (tidigare mått)", (12.0, 11.0, None, None))
    assert "Nytt mått" in render_chart(chart).svg.decode()
    # Without the link the retired KPI is not part of the indicator at all.
    plain = run(values, LOW)
    assert plain.break_period is None and all(p.predecessor is None for p in plain.history)
