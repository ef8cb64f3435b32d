"""The Swedish sentences: the seed report's style, and grammatical text for every combination of peer
comparison, trend and desired direction."""

from __future__ import annotations

import itertools
import re

import pytest
from analysis_cast import COUNT, HIGH, LOW, NEUTRAL, PEER_GROUP, SODERHAMN, Values, make_dataset

from barnbokslut.indicators.analysis import analyse_indicator
from barnbokslut.indicators.catalogue import Indicator
from barnbokslut.indicators.results import IndicatorResult, Relation, Trend
from barnbokslut.indicators.sentences import lika_hog

SOD = SODERHAMN.id
GROUP = PEER_GROUP.id


def run(values: Values, indicator: Indicator, year: int = 2022, **options: bool) -> IndicatorResult:
    return analyse_indicator(make_dataset(values, **options), indicator, SODERHAMN, year)


def assert_grammatical(text: str) -> None:
    """Simple rules every generated sentence keeps."""
    assert text[:1].isupper(), text
    assert text.endswith("."), text
    assert "None" not in text, text
    assert not re.search(r"\d\.\d", text), text  # a decimal point: Swedish numbers use a comma
    assert "  " not in text, text
    assert ".." not in text, text
    assert " ." not in text and " ," not in text, text


# --- the seed's style ------------------------------------------------------------------------------------


def test_a_low_is_good_indicator_reads_like_the_seed_report() -> None:
    values = {"U31803": {SOD: {2021: 15.1, 2022: 14.7}, GROUP: {2022: 12.0}}}
    # 14.7 > 12.0: higher than the peers; 15.1 → 14.7 is down, and low is good: positive.
    assert run(values, LOW).sentence == (
        "Andelen barn som ingår i familjer med ekonomiskt bistånd är högre än i liknande kommuner. "
        "Trenden är positiv. Siffran år 2022 i Söderhamn är 14,7. "
        "Det är önskvärt med en så låg siffra som möjligt."
    )


def test_a_high_is_good_indicator_below_its_peers_and_falling() -> None:
    values = {"N15428": {SOD: {2021: 78.0, 2022: 76.7}, GROUP: {2022: 80.0}}}
    assert run(values, HIGH).sentence == (
        "Andelen elever i årskurs 9 som är behöriga till yrkesprogram är lägre än i liknande kommuner. "
        "Trenden är negativ. Siffran år 2022 i Söderhamn är 76,7. "
        "Det är önskvärt med en så hög siffra som möjligt."
    )


def test_a_neuter_subject_equal_to_its_peers_is_lika_hogt() -> None:
    # "Antalet" is neuter: "lika högt"; 20.0 → 20.3 is up, high is good: positive.
    values = {"U09800": {SOD: {2021: 20.0, 2022: 20.3}, GROUP: {2022: 20.3}}}
    assert run(values, COUNT).sentence == (
        "Antalet deltagartillfällen i idrottsföreningar per invånare 7–20 år är lika högt som i liknande "
        "kommuner. Trenden är positiv. Siffran år 2022 i Söderhamn är 20,3. "
        "Det är önskvärt med en så hög siffra som möjligt."
    )


def test_a_neutral_indicator_says_how_it_moved_and_nothing_about_what_is_desirable() -> None:
    values = {"N15901": {SOD: {2021: 4.0, 2022: 5.0}, GROUP: {2022: 3.0}}}
    assert run(values, NEUTRAL).sentence == (
        "Andelen nyinvandrade elever i grundskolan är högre än i liknande kommuner. "
        "Siffran har ökat sedan föregående mätning. Siffran år 2022 i Söderhamn är 5,0."
    )


def test_a_missing_newest_value_is_named_before_the_latest_one() -> None:
    values = {"U31803": {SOD: {2023: 15.1, 2024: 14.7, 2025: None}, GROUP: {2024: 14.7}}}
    result = analyse_indicator(make_dataset(values, years=(2023, 2024, 2025)), LOW, SODERHAMN, 2025)
    assert result.sentence == (
        "Andelen barn som ingår i familjer med ekonomiskt bistånd är lika hög som i liknande kommuner. "
        "Trenden är positiv. Siffran för Söderhamn saknas för 2025 (uppgiften saknas i Kolada); den senaste "
        "siffran är från 2024. "
        "Siffran år 2024 i Söderhamn är 14,7. Det är önskvärt med en så låg siffra som möjligt."
    )


def test_no_value_at_all_says_there_is_no_figure_up_to_the_report_year() -> None:
    result = analyse_indicator(
        make_dataset({"U31803": {SOD: {2024: None}}}, years=(2023, 2024, 2025)), LOW, SODERHAMN, 2025
    )
    assert result.sentence == (
        "Det finns ingen siffra för Söderhamn till och med 2025 (uppgiften saknas i Kolada). "
        "Det är önskvärt med en så låg siffra som möjligt."
    )
    neutral = analyse_indicator(make_dataset({}, years=(2023, 2024, 2025)), NEUTRAL, SODERHAMN, 2025)
    assert neutral.sentence == "Det finns ingen siffra för Söderhamn till och med 2025."


def test_large_numbers_use_swedish_grouping_and_a_decimal_comma() -> None:
    values = {"U09800": {SOD: {2022: 1234.5}}}
    sentence = run(values, COUNT).sentence
    assert "Siffran år 2022 i Söderhamn är 1\u00a0234,5." in sentence
    assert_grammatical(sentence)


def test_the_change_text_gives_the_signed_change_with_its_unit() -> None:
    # 14.7 − 15.1 = −0.4, with a real minus sign; "%" is in percentage points.
    assert run({"U31803": {SOD: {2021: 15.1, 2022: 14.7}}}, LOW).texts.change == (
        "Förändring sedan 2021: \u22120,4 procentenheter (från 15,1 till 14,7)."
    )
    # 20.0 → 20.3 = +0.3, a plain number for a count.
    assert run({"U09800": {SOD: {2021: 20.0, 2022: 20.3}}}, COUNT).texts.change == (
        "Förändring sedan 2021: +0,3 (från 20,0 till 20,3)."
    )


@pytest.mark.parametrize(
    ("subject", "form"),
    [
        ("Andelen barn", "hög"),
        ("Antalet barn", "högt"),
        ("Förskollärartätheten", "hög"),
        ("Resultatet", "högt"),
        ("Kostnaderna per barn", "höga"),
    ],
)
def test_lika_hog_agrees_with_the_head_noun(subject: str, form: str) -> None:
    assert lika_hog(subject) == form


# --- every combination -----------------------------------------------------------------------------------

PEER_GROUP_VALUES = {"higher": 10.0, "lower": 20.0, "equal": 14.7, "missing": None}
PEER_RELATIONS = {
    "higher": Relation.HIGHER,
    "lower": Relation.LOWER,
    "equal": Relation.EQUAL,
    "missing": Relation.UNKNOWN,
}
#: The previous value that gives each trend, with the latest value 14.7 (None: no previous measurement).
#: For a neutral indicator "positive" means up and "negative" down, which are then not judged.
PREVIOUS = {
    (HIGH.kpi, "positive"): 13.0,
    (HIGH.kpi, "negative"): 16.0,
    (COUNT.kpi, "positive"): 13.0,
    (COUNT.kpi, "negative"): 16.0,
    (LOW.kpi, "positive"): 16.0,
    (LOW.kpi, "negative"): 13.0,
    (NEUTRAL.kpi, "positive"): 13.0,
    (NEUTRAL.kpi, "negative"): 16.0,
}
TRENDS = {
    "positive": Trend.POSITIVE,
    "negative": Trend.NEGATIVE,
    "unchanged": Trend.UNCHANGED,
    "unknown": Trend.UNKNOWN,
}

EXPECTED_PEER = {
    "higher": "{subject} är högre än i liknande kommuner.",
    "lower": "{subject} är lägre än i liknande kommuner.",
    "equal": "{subject} är lika {adjective} som i liknande kommuner.",
    "missing": "Det finns ingen jämförelse med liknande kommuner.",
}
ADJECTIVE = {LOW.kpi: "hög", HIGH.kpi: "hög", NEUTRAL.kpi: "hög", COUNT.kpi: "högt"}
EXPECTED_TREND = {
    "positive": "Trenden är positiv.",
    "negative": "Trenden är negativ.",
    "unchanged": "Trenden är oförändrad.",
    "unknown": "Det finns ingen tidigare mätning att jämföra med.",
}
EXPECTED_NEUTRAL_TREND = {
    "positive": "Siffran har ökat sedan föregående mätning.",
    "negative": "Siffran har minskat sedan föregående mätning.",
    "unchanged": "Siffran är oförändrad sedan föregående mätning.",
    "unknown": "Det finns ingen tidigare mätning att jämföra med.",
}
EXPECTED_DIRECTION = {
    LOW.kpi: "Det är önskvärt med en så låg siffra som möjligt.",
    HIGH.kpi: "Det är önskvärt med en så hög siffra som möjligt.",
    COUNT.kpi: "Det är önskvärt med en så hög siffra som möjligt.",
    NEUTRAL.kpi: "",
}


def combination(indicator: Indicator, peer: str, trend: str) -> IndicatorResult:
    own: dict[int, float | None] = {2022: 14.7}
    if trend == "unchanged":
        own[2021] = 14.7
    elif trend != "unknown":
        own[2021] = PREVIOUS[(indicator.kpi, trend)]
    areas: dict[str | tuple[str, str], dict[int, float | None]] = {SOD: own}
    if PEER_GROUP_VALUES[peer] is not None:
        areas[GROUP] = {2022: PEER_GROUP_VALUES[peer]}
    # Girls and boys, Riket and two other kommuner so that every text has something to say.
    areas[(SOD, "K")] = {2022: 15.0}
    areas[(SOD, "M")] = {2022: 14.0}
    areas["0000"] = {2022: 13.3}
    areas["0180"] = {2022: 12.0}
    areas["1480"] = {2022: 18.0}
    return run({indicator.kpi: areas}, indicator)


@pytest.mark.parametrize(
    ("indicator", "peer", "trend"),
    list(itertools.product((HIGH, LOW, NEUTRAL, COUNT), PEER_GROUP_VALUES, TRENDS)),
    ids=lambda value: value.kpi if isinstance(value, Indicator) else value,
)
def test_every_combination_of_peer_trend_and_direction_is_grammatical(
    indicator: Indicator, peer: str, trend: str
) -> None:
    result = combination(indicator, peer, trend)
    assert result.peer.relation is PEER_RELATIONS[peer]
    if indicator is NEUTRAL and trend != "unknown":
        assert result.trend is Trend.NOT_JUDGED
    else:
        assert result.trend is TRENDS[trend]
    trend_part = (EXPECTED_NEUTRAL_TREND if indicator is NEUTRAL else EXPECTED_TREND)[trend]
    parts = [
        EXPECTED_PEER[peer].format(subject=indicator.subject, adjective=ADJECTIVE[indicator.kpi]),
        trend_part,
        "Siffran år 2022 i Söderhamn är 14,7.",
        EXPECTED_DIRECTION[indicator.kpi],
    ]
    assert result.sentence == " ".join(part for part in parts if part)
    texts = result.texts
    for text in (texts.sentence, texts.change, texts.peer, texts.national, texts.rank, texts.source):
        assert_grammatical(text)
    if indicator.by_gender:
        assert texts.gender is not None
        assert_grammatical(texts.gender)
    else:
        assert texts.gender is None


@pytest.mark.parametrize(
    ("indicator", "state"), list(itertools.product((HIGH, LOW, NEUTRAL, COUNT), range(3)))
)
def test_missing_values_read_grammatically_for_every_direction(indicator: Indicator, state: int) -> None:
    own: dict[int, float | None] = [
        {2021: 13.0, 2022: None},  # the newest period is missing, 2021 is the latest
        {2021: None, 2022: None},  # no value at all
        {},  # no row at all
    ][state]
    values = {indicator.kpi: {SOD: own, "0180": {2021: 12.0, 2022: 12.5}}}
    result = run(values, indicator, peer_group=state != 0)
    texts = result.texts
    for text in (texts.sentence, texts.change, texts.peer, texts.national, texts.rank, texts.source):
        assert_grammatical(text)
    if state == 0:
        assert (
            "Siffran för Söderhamn saknas för 2022 (uppgiften saknas i Kolada); den senaste siffran är från 2021."
            in result.sentence
        )
    elif state == 1:
        assert result.sentence.startswith(
            "Det finns ingen siffra för Söderhamn till och med 2022 (uppgiften saknas i Kolada)."
        )
    else:  # no row: nothing Kolada said to explain
        assert result.sentence.startswith("Det finns ingen siffra för Söderhamn till och med 2022.")
