"""Per school from Kolada (issue 10, part 6): the units of the kommun (``/v3/ou?municipality=…``) and their values
(``/v3/oudata``) fetched by the real client from our Kolada server on loopback, for the catalogue KPIs that have
``has_ou_data``; the analysis names the lowest and highest unit and the spread, and says a missing unit value in
words (hand-computed on a small snapshot written here).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from barnbokslut.indicators.analysis import analyse
from barnbokslut.indicators.catalogue import Catalogue, load_catalogue
from barnbokslut.indicators.dataset import Dataset, fetch_dataset
from barnbokslut.indicators.export import analysis_to_dict
from barnbokslut.kolada import KoladaClient
from barnbokslut.koladaserver import KoladaServer
from barnbokslut.numbers import format_date_sv

GRUNDSKOLA = "Grundskola åk 0-9 inkl förskoleklass"
TITLE_N15643 = "Elever i åk 8: Känner du dig trygg i skolan? (%)"
KPIS = [
    {"id": "N15643", "title": TITLE_N15643, "operating_area": GRUNDSKOLA, "has_ou_data": True},
    {"id": "N15613", "title": "Elever i åk 5: Känner du dig trygg i skolan? (%)", "operating_area": GRUNDSKOLA,
     "has_ou_data": True},
    {"id": "N15428", "title": "Elever i åk 9 som är behöriga till yrkesprogram (%)", "has_ou_data": False},
]  # fmt: skip
MUNICIPALITIES = [
    {"id": "0000", "title": "Riket", "type": "L"},
    {"id": "2182", "title": "Söderhamn", "type": "K"},
    {"id": "2183", "title": "Bollnäs", "type": "K"},
]
BERGVIK, STENBERGA, VAGBRO, LJUSNE = "V15E218200001", "V15E218200002", "V15E218200003", "V15E218200004"
GRANSKOLAN = "V15E218300001"
UNITS = [
    {"id": BERGVIK, "municipality": "2182", "title": "Bergviks skola"},
    {"id": STENBERGA, "municipality": "2182", "title": "Stenbergaskolan"},
    {"id": VAGBRO, "municipality": "2182", "title": "Vågbroskolan"},
    {"id": LJUSNE, "municipality": "2182", "title": "Ljusne skola"},
    {"id": GRANSKOLAN, "municipality": "2183", "title": "Granskolan"},
]


def _row(
    kpi: str, area: str, period: int, value: float | None, *, key: str, status: str = ""
) -> dict[str, Any]:
    entry = {"count": 1, "gender": "T", "status": status, "value": value}
    return {"kpi": kpi, key: area, "period": period, "values": [entry]}


def _data() -> list[dict[str, Any]]:
    rows = []
    for area, base in (("2182", 80.0), ("2183", 84.0)):
        for kpi in ("N15643", "N15613", "N15428"):
            rows += [
                _row(kpi, area, period, base + period - 2022, key="municipality")
                for period in (2022, 2023, 2024)
            ]
    return rows


def _oudata() -> list[dict[str, Any]]:
    def ou(kpi: str, unit: str, period: int, value: float | None, status: str = "") -> dict[str, Any]:
        return _row(kpi, unit, period, value, key="ou", status=status)

    return [
        # N15643: three units in 2024; two in 2022 (none in 2023).
        ou("N15643", BERGVIK, 2022, 70.0),
        ou("N15643", STENBERGA, 2022, 90.0),
        ou("N15643", BERGVIK, 2024, 71.24),
        ou("N15643", STENBERGA, 2024, 92.4),
        ou("N15643", VAGBRO, 2024, 80.0),
        ou("N15643", GRANSKOLAN, 2024, 50.0),  # Bollnäs: never asked for in Söderhamn's job
        # N15613: Ljusne protected in 2024, Vågbro reported in 2023 but has no row in 2024.
        ou("N15613", BERGVIK, 2023, 86.0),
        ou("N15613", STENBERGA, 2023, 89.0),
        ou("N15613", VAGBRO, 2023, 84.0),
        ou("N15613", BERGVIK, 2024, 88.0),
        ou("N15613", STENBERGA, 2024, 90.0),
        ou("N15613", LJUSNE, 2024, None, "Privacy"),
    ]


def _write(path: Path, values: list[dict[str, Any]]) -> None:
    path.write_text(
        json.dumps({"count": len(values), "values": values}, ensure_ascii=False), encoding="utf-8"
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KoladaServer]:
    folder = tmp_path_factory.mktemp("ou-snapshot")
    _write(folder / "kpi.json", KPIS)
    _write(folder / "municipality.json", MUNICIPALITIES)
    _write(folder / "municipality_groups.json", [])
    _write(folder / "ou.json", UNITS)
    _write(folder / "data.json", _data())
    _write(folder / "oudata.json", _oudata())
    with KoladaServer(folder, port=0) as running:
        yield running


def catalogue_of(*kpis: str) -> Catalogue:
    default = load_catalogue()
    return Catalogue(path=default.path, indicators=tuple(i for i in default if i.kpi in kpis))


def fetch(server: KoladaServer, catalogue: Catalogue, municipality: str | None, **options: Any) -> Dataset:
    server.reset()
    options.setdefault("cache", None)
    options.setdefault("max_requests_per_second", None)  # loopback: no need to wait between requests
    with KoladaClient(base_url=server.url, **options) as client:
        dataset, _ = fetch_dataset(client, catalogue, 2024, municipality=municipality)
    return dataset


SODERHAMN_UNITS = f"{BERGVIK},{STENBERGA},{VAGBRO},{LJUSNE}"
YEARS = ",".join(str(year) for year in range(2015, 2025))


def test_one_report_asks_for_the_kommuns_units_and_their_values_in_two_requests(server: KoladaServer) -> None:
    dataset = fetch(server, catalogue_of("N15643", "N15613", "N15428"), "2182")

    # 3 metadata + 2 data requests as before, then the units and one /oudata request for the two OU KPIs only.
    assert len(server.requests) == 7
    assert server.requests[-2:] == [
        "/v3/ou?municipality=2182&per_page=5000",
        f"/v3/oudata/kpi/N15613,N15643/ou/{SODERHAMN_UNITS}/year/{YEARS}?per_page=5000",
    ]
    assert sorted(dataset.units) == [BERGVIK, STENBERGA, VAGBRO, LJUSNE]
    assert dataset.units[STENBERGA].title == "Stenbergaskolan"
    point = dataset.point("N15643", BERGVIK, 2024)
    assert point is not None and (point.value, point.is_example) == (71.24, False)
    protected = dataset.point("N15613", LJUSNE, 2024)
    assert protected is not None and (protected.value, protected.status) == (None, "Privacy")
    assert dataset.point("N15643", GRANSKOLAN, 2024) is None


def test_no_unit_requests_without_an_ou_kpi_nor_for_the_national_job(server: KoladaServer) -> None:
    fetch(server, catalogue_of("N15428"), "2182")
    assert len(server.requests) == 5
    national = fetch(server, catalogue_of("N15643", "N15613", "N15428"), None)
    assert not any(path.startswith("/v3/ou") for path in server.requests)
    assert national.units == {}


def test_the_unit_answers_are_cached_like_the_others(server: KoladaServer, tmp_path: Path) -> None:
    catalogue = catalogue_of("N15643", "N15613", "N15428")
    cache = tmp_path / "kolada.sqlite3"
    first = fetch(server, catalogue, "2182", cache=cache)
    again = fetch(server, catalogue, "2182", cache=cache, mode="offline")
    assert server.requests == []
    assert again.units == first.units
    assert again.point("N15643", STENBERGA, 2024) == first.point("N15643", STENBERGA, 2024)


@pytest.fixture(scope="module")
def analysed(server: KoladaServer) -> Any:
    catalogue = catalogue_of("N15643", "N15613", "N15428")
    dataset = fetch(server, catalogue, "2182")
    return analyse(dataset, catalogue, dataset.municipalities["2182"], 2024)


def test_the_lowest_and_highest_unit_are_named_with_the_spread(analysed: Any) -> None:
    result = analysed.by_kpi("N15643")
    spread = result.units
    assert spread is not None and spread.period == 2024
    # Highest first: 92.4, 80.0, 71.24 (71,2 shown); spread 92.4 − 71.2 = 21.2 percentage points.
    assert [(u.title, u.value) for u in spread.units] == [
        ("Stenbergaskolan", 92.4),
        ("Vågbroskolan", 80.0),
        ("Bergviks skola", 71.24),
    ]
    assert [u.id for u in spread.lowest] == [BERGVIK] and [u.id for u in spread.highest] == [STENBERGA]
    assert spread.spread == pytest.approx(21.2)
    assert result.texts.units == (
        "Bland kommunens 3 skolor varierar andelen år 2024 från 71,2\u00a0% (Bergviks skola) till 92,4\u00a0% "
        "(Stenbergaskolan), en skillnad på 21,2 procentenheter."
    )
    fetched = format_date_sv(spread.fetched_at) if spread.fetched_at else ""
    assert result.texts.units_source == (
        f"Källa: Kolada, nyckeltal N15643 ”{TITLE_N15643}”, enheter (oudata) år 2024, hämtad {fetched}. "
        "Egen bearbetning av data från Kolada: skillnaden mellan skolorna."
    )
    # N15428 has no unit data in Kolada: nothing per school.
    assert analysed.by_kpi("N15428").units is None


def test_a_missing_unit_value_is_said_in_words_never_zero(analysed: Any) -> None:
    result = analysed.by_kpi("N15613")
    spread = result.units
    assert spread is not None and spread.period == 2024
    # Ljusne's row says Privacy; Vågbro had a row in 2023 (the unit data's period before) and none in 2024.
    assert [(u.title, u.value, u.reason) for u in spread.units] == [
        ("Stenbergaskolan", 90.0, ""),
        ("Bergviks skola", 88.0, ""),
        ("Ljusne skola", None, "uppgiften är skyddad av sekretesskäl"),
        ("Vågbroskolan", None, "Kolada har ingen uppgift för året"),
    ]
    assert spread.spread == pytest.approx(2.0)
    assert result.texts.units == (
        "Bland kommunens 2 skolor med värde varierar andelen år 2024 från 88,0\u00a0% (Bergviks skola) till "
        "90,0\u00a0% (Stenbergaskolan), en skillnad på 2,0 procentenheter. För 2 skolor saknas värdet: Ljusne "
        "skola (uppgiften är skyddad av sekretesskäl) och Vågbroskolan (Kolada har ingen uppgift för året)."
    )
    units = analysis_to_dict(analysed)["nyckeltal"]
    entry = next(e for e in units if e["kpi"] == "N15613")["enheter"]
    ljusne = next(u for u in entry["värden"] if u["id"] == LJUSNE)
    assert ljusne == {
        "id": LJUSNE,
        "namn": "Ljusne skola",
        "värde": None,
        "text": "..",
        "orsak": "uppgiften är skyddad av sekretesskäl",
        "källtyp": "kolada",
    }
    assert (entry["lägst"], entry["högst"], entry["antal_med_värde"]) == ([BERGVIK], [STENBERGA], 2)
    assert (entry["skillnad_källtyp"], entry["källa"]["källa"], entry["källa"]["exempeldata"]) == (
        "egen bearbetning",
        "Kolada",
        False,
    )


def test_the_newest_period_with_unit_values_when_the_kommuns_latest_has_none(server: KoladaServer) -> None:
    catalogue = catalogue_of("N15643")
    dataset = fetch(server, catalogue, "2182")
    result = analyse(dataset, catalogue, dataset.municipalities["2182"], 2023).by_kpi("N15643")
    # The kommun's latest value is 2023, but units have values only in 2022 (up to the report year 2023).
    assert result.latest is not None and result.latest.period == 2023
    assert result.units is not None and result.units.period == 2022
    assert result.texts.units == (
        "Bland kommunens 2 skolor varierar andelen år 2022 från 70,0\u00a0% (Bergviks skola) till 90,0\u00a0% "
        "(Stenbergaskolan), en skillnad på 20,0 procentenheter."
    )
