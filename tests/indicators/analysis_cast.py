"""The fixed cast and data builders of the analysis tests (imported by the tests and conftest.py).

The cast: Söderhamn (2182) with a three-member peer group (Bollnäs, Hudiksvall, Ljusdal), four other kommuner
(eight kommuner in all, so the quartiles are two, four and two places) and Riket (0000, not a kommun).
Values are given as ``{kpi: {area: {period: value}}}``; an area key ``("2182", "K")`` gives girls' values,
and ``None`` is a missing value (status "Missing"), never 0.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from barnbokslut.indicators.catalogue import Catalogue, Direction, Indicator
from barnbokslut.indicators.dataset import Dataset
from barnbokslut.kolada import KPI, DataPoint, Municipality, MunicipalityGroup

FETCHED = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
YEARS = (2019, 2020, 2021, 2022, 2023)

SODERHAMN = Municipality("2182", "Söderhamn", "K")
BOLLNAS = Municipality("2183", "Bollnäs", "K")
HUDIKSVALL = Municipality("2184", "Hudiksvall", "K")
LJUSDAL = Municipality("2161", "Ljusdal", "K")
STOCKHOLM = Municipality("0180", "Stockholm", "K")
UPPSALA = Municipality("0380", "Uppsala", "K")
MALMO = Municipality("1280", "Malmö", "K")
GOTEBORG = Municipality("1480", "Göteborg", "K")
RIKET = Municipality("0000", "Riket", "L")
CAST = (SODERHAMN, BOLLNAS, HUDIKSVALL, LJUSDAL, STOCKHOLM, UPPSALA, MALMO, GOTEBORG, RIKET)
#: The seven kommuner other than Söderhamn, for ranking tests.
OTHERS = (BOLLNAS, HUDIKSVALL, LJUSDAL, STOCKHOLM, UPPSALA, MALMO, GOTEBORG)
PEER_GROUP = MunicipalityGroup(
    "G100001", "Liknande kommuner socioekonomi, Söderhamn, 2024", (BOLLNAS, HUDIKSVALL, LJUSDAL)
)

LOW = Indicator(
    kpi="U31803",
    title="Barn i familjer med ekonomiskt bistånd, andel (%)",
    short_title="Ekonomiskt bistånd",
    subject="Andelen barn som ingår i familjer med ekonomiskt bistånd",
    area="Ekonomisk utsatthet",
    direction=Direction.LOW,
    articles=(2, 6, 26, 27),
    unit="%",
    by_gender=False,
)
HIGH = Indicator(
    kpi="N15428",
    title="Elever i åk 9 som är behöriga till yrkesprogram, andel (%)",
    short_title="Behörighet yrkesprogram",
    subject="Andelen elever i årskurs 9 som är behöriga till yrkesprogram",
    area="Skola",
    direction=Direction.HIGH,
    articles=(28, 29),
    unit="%",
    by_gender=True,
)
NEUTRAL = Indicator(
    kpi="N15901",
    title="Nyinvandrade elever i grundskolan, andel (%)",
    short_title="Nyinvandrade elever",
    subject="Andelen nyinvandrade elever i grundskolan",
    area="Skola",
    direction=Direction.NEUTRAL,
    articles=(2, 22, 28),
    unit="%",
    by_gender=True,
)
COUNT = Indicator(
    kpi="U09800",
    title="Deltagartillfällen i idrottsföreningar, antal/inv 7–20 år",
    short_title="Idrott",
    subject="Antalet deltagartillfällen i idrottsföreningar per invånare 7–20 år",
    area="Fritid och kultur",
    direction=Direction.HIGH,
    articles=(31,),
    unit="antal/inv 7–20 år",
    by_gender=True,
)
INDICATORS = (LOW, HIGH, NEUTRAL, COUNT)
KOLADA_TITLES = {
    "U31803": "Barn i befolkningen som ingår i familjer med ekonomiskt bistånd, andel (%)",
    "N15428": "Elever i åk 9 som är behöriga till yrkesprogram, hemkommun, andel (%)",
    "N15901": "Nyinvandrade elever, grundskola åk 1-9, hemkommun, andel (%)",
    "U09800": "Deltagartillfällen i idrottsföreningar, antal/inv 7-20 år",
}

Values = Mapping[str, Mapping[str | tuple[str, str], Mapping[int, float | None]]]


def points(values: Values, *, example: bool = False) -> list[DataPoint]:
    """Turn ``{kpi: {area: {period: value}}}`` into data points; ``None`` is a "Missing" row."""
    found = []
    for kpi, areas in values.items():
        for key, series in areas.items():
            area, gender = key if isinstance(key, tuple) else (key, "T")
            for period, value in series.items():
                found.append(
                    DataPoint(
                        kpi=kpi,
                        area=area,
                        period=period,
                        gender=gender,
                        value=value,
                        status="Missing" if value is None else "",
                        fetched_at=FETCHED,
                        is_example=example,
                    )
                )
    return found


def make_dataset(
    values: Values, *, peer_group: bool = True, years: tuple[int, ...] = YEARS, example: bool = False
) -> Dataset:
    """A dataset with the cast, the KPIs' Kolada titles and the given values."""
    dataset = Dataset(
        years=years,
        kpis={kpi: KPI(id=kpi, title=title) for kpi, title in KOLADA_TITLES.items()},
        municipalities={m.id: m for m in CAST},
        peer_groups={SODERHAMN.id: PEER_GROUP} if peer_group else {},
    )
    dataset.add(points(values, example=example))
    dataset.fetched_at = FETCHED
    return dataset


def catalogue_of(*indicators: Indicator) -> Catalogue:
    return Catalogue(path=Path("test.toml"), indicators=tuple(indicators))
