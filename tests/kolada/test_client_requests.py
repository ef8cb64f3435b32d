"""The client against our Kolada server over loopback: batching, paging, metadata and the data shapes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

import barnbokslut.kolada as kolada
from barnbokslut.kolada import (
    KPI,
    DataPoint,
    KoladaClient,
    KoladaDecodeError,
    KoladaHTTPError,
    KoladaPagingError,
    Municipality,
    MunicipalityGroup,
    OrganisationalUnit,
)

from .snapshots import municipality_ids, row, write_data

Start = Callable[..., Any]
Make = Callable[..., KoladaClient]


def data_requests(server: Any) -> list[str]:
    return [path for path in server.requests if path.startswith("/v3/data/")]


def test_every_public_name_is_exported_and_importable() -> None:
    assert sorted(kolada.__all__) == sorted(set(kolada.__all__))
    for name in kolada.__all__:
        assert getattr(kolada, name) is not None
    for name in (
        "KoladaClient",
        "ResponseCache",
        "RequestStats",
        "KoladaError",
        "DataPoint",
        "default_base_url",
    ):
        assert name in kolada.__all__


def test_it_splits_60_municipalities_into_3_requests(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    municipalities = municipality_ids()[:60]
    write_data(
        snapshot_dir, "data.json", [row("N15428", m, 2023, T=float(i)) for i, m in enumerate(municipalities)]
    )
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = client.data(["N15428"], municipalities, [2023])

    assert sorted(p.area for p in points) == sorted(municipalities)
    sent = data_requests(server)
    assert len(sent) == 3
    assert client.stats.requests == 3
    for path in sent:
        query = parse_qs(urlsplit(path).query)
        assert query["per_page"] == ["5000"]
        segment = urlsplit(path).path.split("/municipality/")[1].split("/")[0]
        assert len(segment.split(",")) <= 25


def test_kpis_and_years_without_municipalities_give_every_municipality(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    write_data(snapshot_dir, "data.json", [row("N15428", m, 2023, T=50.0) for m in ("0180", "1280", "2182")])
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = client.data("N15428", None, 2023)

    assert data_requests(server) == ["/v3/data/kpi/N15428/year/2023?per_page=5000"]
    assert sorted(p.area for p in points) == ["0180", "1280", "2182"]


def test_it_follows_next_url_across_pages_of_5000(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    municipalities = municipality_ids()  # 290 kommuner
    years = range(2006, 2024)  # 18 years: 5 220 rows, more than one page
    rows = [row("U31803", m, y, T=float(y - 2000)) for m in municipalities for y in years]
    write_data(snapshot_dir, "data_big.json", rows)
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = client.data(["U31803"], None, years)

    assert len(points) == 290 * 18
    assert len({(p.area, p.period) for p in points}) == 290 * 18
    sent = data_requests(server)
    assert len(sent) == 2
    assert parse_qs(urlsplit(sent[1]).query)["page"] == ["2"]
    assert client.stats.requests == 2


def test_missing_values_stay_none_and_zero_stays_zero(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    write_data(
        snapshot_dir,
        "data.json",
        [row("N15428", "2182", 2023, T=0.0, K=None, M=12.5), row("N15428", "2182", 2022, T=None)],
    )
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = {(p.period, p.gender): p for p in client.data("N15428", "2182", [2022, 2023])}

    assert points[(2023, "T")].value == 0.0
    assert not points[(2023, "T")].is_missing
    assert points[(2023, "K")].value is None
    assert points[(2023, "K")].status == "Missing"
    assert points[(2023, "M")].value == 12.5
    assert points[(2022, "T")].is_missing


def test_rows_marked_isdeleted_are_dropped(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    write_data(
        snapshot_dir,
        "data.json",
        [row("N15428", "2182", 2022, T=60.0), row("N15428", "2182", 2023, isdeleted=True, T=61.0)],
    )
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = client.data("N15428", "2182", [2022, 2023])

    assert [(p.period, p.value) for p in points] == [(2022, 60.0)]


def test_group_ids_are_asked_for_like_municipality_ids(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    write_data(
        snapshot_dir, "data.json", [row("N15428", "0428", 2023, T=60.0), row("N15428", "0763", 2023, T=70.0)]
    )
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    (point,) = client.data("N15428", "G176409", 2023)

    assert data_requests(server) == ["/v3/data/kpi/N15428/municipality/G176409/year/2023?per_page=5000"]
    assert point.area == "G176409"
    assert point.value == pytest.approx(65.0)


def test_example_data_is_flagged_on_every_point(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    write_data(snapshot_dir, "data_real.json", [row("N15428", "0180", 2023, T=80.0)])
    write_data(snapshot_dir, "data_example.json", [row("N15428", "2182", 2023, T=70.0)], exempeldata=True)
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    real = client.data("N15428", "0180", 2023)
    mixed = client.data("N15428", ["0180", "2182"], 2023)

    assert [p.is_example for p in real] == [False]
    # One answer holding both: each row says what it is, so the real value stays Kolada's and the generated
    # one is never passed off as real.
    assert [(p.area, p.is_example) for p in mixed] == [("0180", False), ("2182", True)]
    assert mixed[1].provenance()["källa"] == "Kolada (Exempeldata)"


def test_data_points_carry_the_fetch_time(snapshot_dir: Path, start_server: Start, make_client: Make) -> None:
    write_data(snapshot_dir, "data.json", [row("N15428", "2182", 2023, T=70.0)])
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    before = datetime.now(UTC)
    (point,) = client.data("N15428", "2182", 2023)
    after = datetime.now(UTC)

    assert point.fetched_at is not None
    assert before <= point.fetched_at <= after
    assert client.oldest_fetch is None  # nothing came from the cache


def test_oudata_asks_for_units(snapshot_dir: Path, start_server: Start, make_client: Make) -> None:
    write_data(
        snapshot_dir,
        "oudata.json",
        [row("N15428", "V15E218200101", 2023, area_key="ou", T=81.0, K=None)],
    )
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    points = client.oudata("N15428", ["V15E218200101", "V15E218200102"], [2023])

    assert server.requests == ["/v3/oudata/kpi/N15428/ou/V15E218200101,V15E218200102/year/2023?per_page=5000"]
    assert [(p.area, p.gender, p.value) for p in points] == [
        ("V15E218200101", "T", 81.0),
        ("V15E218200101", "K", None),
    ]


def test_metadata_comes_back_as_typed_records(
    snapshot_dir: Path, start_server: Start, make_client: Make
) -> None:
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    kpis = client.kpis(["N15428", "N02904"])
    municipalities = client.municipalities(["2182", "0000"])
    (group,) = client.municipality_groups("G176409")
    units = client.ous(municipality="2182")

    assert all(isinstance(k, KPI) for k in kpis)
    assert {k.id: k.is_discontinued for k in kpis} == {"N15428": False, "N02904": True}
    assert next(k for k in kpis if k.id == "N15428").is_divided_by_gender
    assert sorted(municipalities, key=lambda m: m.id) == [
        Municipality(id="0000", title="Riket", type="L"),
        Municipality(id="2182", title="Söderhamn", type="K"),
    ]
    assert isinstance(group, MunicipalityGroup)
    assert "2182" not in group.member_ids
    assert len(group.member_ids) == 7
    assert [u.id for u in units] == ["V15E218200101", "V15E218200102"]
    assert all(isinstance(u, OrganisationalUnit) and u.municipality == "2182" for u in units)
    assert server.requests == [
        "/v3/kpi/N02904,N15428?per_page=5000",
        "/v3/municipality/0000,2182?per_page=5000",
        "/v3/municipality_groups/G176409?per_page=5000",
        "/v3/ou?municipality=2182&per_page=5000",
    ]


def test_title_search_is_sent_to_kolada(snapshot_dir: Path, start_server: Start, make_client: Make) -> None:
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    found = client.kpis(title="ekonomiskt bistånd")
    groups = client.municipality_groups(title="Söderhamn")
    kpi_groups = client.kpi_groups(title="barn")
    everything = client.municipalities()

    assert [k.id for k in found] == ["U31803"]
    assert [g.id for g in groups] == ["G176409"]
    assert [g["id"] for g in kpi_groups] == ["G2KPI1"]
    assert len(everything) == 312
    assert parse_qs(urlsplit(server.requests[0]).query)["title"] == ["ekonomiskt bistånd"]


def test_an_empty_id_list_sends_nothing(snapshot_dir: Path, start_server: Start, make_client: Make) -> None:
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url)

    assert client.data([], ["2182"], [2023]) == []
    assert client.kpis([]) == []
    assert server.requests == []


def test_a_4xx_is_not_retried_and_names_the_url_and_the_detail(
    snapshot_dir: Path, start_server: Start, make_client: Make, sleeps: list[float]
) -> None:
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url.replace("/v3", "/v2"))

    with pytest.raises(KoladaHTTPError) as info:
        client.kpis(["N15428"])

    error = info.value
    assert error.status_code == 404
    assert error.detail == "Not found: /v2/kpi/N15428"
    assert error.url == f"{server.url.replace('/v3', '/v2')}/kpi/N15428?per_page=5000"
    assert str(error) == f"Kolada svarade 404 på {error.url}: Not found: /v2/kpi/N15428"
    assert client.stats.requests == 1
    assert client.stats.retries == 0
    assert sleeps == []


# -- what our server cannot shape: a stub transport -----------------------------------------------


def stub(pages: dict[str, dict[str, Any]], seen: list[str]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=pages[request.url.path + "?" + request.url.query.decode()])

    return httpx.MockTransport(handler)


def test_string_periods_and_the_older_next_page_link_are_understood(make_client: Make) -> None:
    # Our server turns every period into an int and only sends next_url; Kolada has sent both forms.
    first = "/v3/data/kpi/N15428/municipality/2182/year/2022,2023?per_page=5000"
    second = "/v3/data/kpi/N15428/municipality/2182/year/2022,2023?per_page=5000&page=2"
    pages = {
        first: {
            "count": 1,
            "values": [row("N15428", "2182", "2022", T=70.0)],
            "next_url": None,
            "next_page": "https://kolada.test" + second,
        },
        second: {"count": 1, "values": [row("N15428", "2182", "2023", T=71.0)], "next_page": ""},
    }
    seen: list[str] = []
    client = make_client(base_url="https://kolada.test/v3", transport=stub(pages, seen))

    points = client.data("N15428", "2182", [2022, 2023])

    assert [(p.period, p.value) for p in points] == [(2022, 70.0), (2023, 71.0)]
    assert isinstance(points[0], DataPoint)
    assert seen == ["https://kolada.test" + first, "https://kolada.test" + second]


def test_next_url_is_requested_exactly_as_given(make_client: Make) -> None:
    # Kolada's next_url may carry its own parameters: we must not rebuild it.
    first = "/v3/kpi?per_page=5000"
    following = "/v3/kpi?per_page=5000&page=2&token=abc%2Cdef"
    pages = {
        first: {
            "count": 2,
            "values": [{"id": "N1", "title": "Ett"}],
            "next_url": "https://kolada.test" + following,
        },
        following: {"count": 2, "values": [{"id": "N2", "title": "Två"}], "next_url": None},
    }
    seen: list[str] = []
    client = make_client(base_url="https://kolada.test/v3", transport=stub(pages, seen))

    assert [k.id for k in client.kpis()] == ["N1", "N2"]
    assert seen[1] == "https://kolada.test" + following


def test_a_next_url_on_another_host_is_never_followed(make_client: Make) -> None:
    first = "/v3/kpi?per_page=5000"
    pages = {
        first: {
            "count": 2,
            "values": [{"id": "N1", "title": "Ett"}],
            "next_url": "https://mirror.test/v3/kpi?per_page=5000&page=2",
        },
    }
    seen: list[str] = []
    client = make_client(base_url="https://kolada.test/v3", transport=stub(pages, seen))

    with pytest.raises(KoladaPagingError, match=r"annan adress \(https://mirror\.test/v3/kpi") as info:
        client.kpis()
    assert "än https://kolada.test på" in info.value.message
    assert seen == ["https://kolada.test" + first]


def test_a_next_url_that_loops_is_an_error_not_an_endless_loop(make_client: Make) -> None:
    page = "/v3/kpi?per_page=5000"
    pages = {
        page: {"count": 1, "values": [{"id": "N1", "title": "Ett"}], "next_url": "https://kolada.test" + page}
    }
    seen: list[str] = []
    client = make_client(base_url="https://kolada.test/v3", transport=stub(pages, seen))

    with pytest.raises(KoladaDecodeError, match="samma sida"):
        client.kpis()
    assert len(seen) == 1


def test_rows_that_cannot_be_parsed_raise_a_decode_error(make_client: Make) -> None:
    page = "/v3/data/kpi/N15428/municipality/2182/year/2023?per_page=5000"
    pages = {page: {"count": 1, "values": [{"kpi": "N15428", "municipality": "2182", "period": "tjugo"}]}}
    client = make_client(base_url="https://kolada.test/v3", transport=stub(pages, []))

    with pytest.raises(KoladaDecodeError, match="inte går att tolka"):
        client.data("N15428", "2182", 2023)
