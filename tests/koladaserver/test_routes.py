"""Tests of the koladaserver's URLs: metadata routes, paging envelope, limits and error shapes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from barnbokslut.koladaserver import KoladaServer

from .snapshots import listing, row, write_data, write_json

Start = Callable[..., KoladaServer]


def _ids(body: dict[str, Any]) -> list[str]:
    return [item["id"] for item in body["values"]]


def test_the_server_url_is_loopback_with_the_v3_prefix(snapshot_dir: Path, start_server: Start) -> None:
    server = start_server(snapshot_dir)
    assert server.url == f"http://127.0.0.1:{server.port}/v3"
    assert server.port > 0


def test_municipality_lists_all_312_areas_in_one_page(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    response = http.get(f"{server.url}/municipality")
    body = response.json()
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert body["count"] == 312
    assert len(body["values"]) == 312
    assert body["next_url"] is None
    assert body["previous_url"] is None
    assert body["values"][0] == {"id": "0000", "title": "Riket", "type": "L"}


def test_paging_follows_next_url_to_the_end_with_the_same_count_on_every_page(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    everything = http.get(f"{server.url}/municipality").json()["values"]
    url: str | None = f"{server.url}/municipality?per_page=50"
    pages: list[dict[str, Any]] = []
    while url:
        body = http.get(url).json()
        pages.append(body)
        url = body["next_url"]
    assert [len(page["values"]) for page in pages] == [50] * 6 + [12]
    assert {page["count"] for page in pages} == {312}
    assert [item for page in pages for item in page["values"]] == everything
    assert pages[1]["next_url"] == f"{server.url}/municipality?per_page=50&page=3"
    assert pages[1]["previous_url"] == f"{server.url}/municipality?per_page=50&page=1"
    assert pages[0]["previous_url"] is None


def test_next_url_is_built_from_the_host_header(snapshot_dir: Path, start_server: Start) -> None:
    server = start_server(snapshot_dir)
    with httpx.Client(headers={"Host": "kolada.example:8080"}) as client:
        body = client.get(f"{server.url}/municipality?per_page=100&title=a").json()
    assert body["next_url"] == "http://kolada.example:8080/v3/municipality?per_page=100&title=a&page=2"


def test_a_page_after_the_last_is_empty_but_keeps_the_count(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    body = http.get(f"{server.url}/municipality?per_page=300&page=3").json()
    assert body["count"] == 312
    assert body["values"] == []
    assert body["next_url"] is None
    assert body["previous_url"].endswith("page=2")


def test_title_search_is_a_case_insensitive_substring_match(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    assert _ids(http.get(f"{server.url}/municipality", params={"title": "SÖDERHAMN"}).json()) == ["2182"]
    assert _ids(http.get(f"{server.url}/municipality", params={"title": "göteborg"}).json()) == ["1480"]
    groups = http.get(f"{server.url}/municipality_groups", params={"title": "liknande kommuner"}).json()
    assert _ids(groups) == ["G1", "G176199"]
    kpis = http.get(f"{server.url}/kpi", params={"title": "EKONOMISKT bistånd"}).json()
    assert _ids(kpis) == ["U31803"]
    assert http.get(f"{server.url}/kpi", params={"title": "finns inte"}).json() == {
        "count": 0,
        "values": [],
        "next_url": None,
        "previous_url": None,
    }


def test_metadata_by_comma_separated_ids_returns_only_those(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    assert _ids(http.get(f"{server.url}/kpi/N15428,U31803").json()) == ["N15428", "U31803"]
    assert _ids(http.get(f"{server.url}/municipality/2182,0000/").json()) == ["0000", "2182"]
    group = http.get(f"{server.url}/municipality_groups/G176199").json()
    assert group["count"] == 1
    assert [m["id"] for m in group["values"][0]["members"]] == [
        "0319", "0562", "0687", "1082", "1083", "1885", "2084",
    ]  # fmt: skip


def test_kpi_groups_and_ou_are_empty_lists_when_the_snapshot_has_none(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    for route in ("kpi_groups", "ou"):
        body = http.get(f"{server.url}/{route}").json()
        assert (body["count"], body["values"]) == (0, [])


def test_ou_can_be_filtered_by_municipality_and_title(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    units = [
        {"id": "V15E218200101", "title": "Bergvik skola", "municipality": "2182"},
        {"id": "V15E218200102", "title": "Ljusne skola", "municipality": "2182"},
        {"id": "V11E148000101", "title": "Bergsjö förskola", "municipality": "1480"},
    ]
    write_json(snapshot_dir / "ou.json", listing(units))
    server = start_server(snapshot_dir)
    assert _ids(http.get(f"{server.url}/ou?municipality=2182").json()) == ["V15E218200101", "V15E218200102"]
    assert _ids(http.get(f"{server.url}/ou?municipality=2182&title=ljusne").json()) == ["V15E218200102"]
    assert _ids(http.get(f"{server.url}/ou/V11E148000101").json()) == ["V11E148000101"]
    assert _ids(http.get(f"{server.url}/ou?title=berg").json()) == ["V15E218200101", "V11E148000101"]


def test_it_rejects_26_ids_in_a_segment_and_accepts_25(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(snapshot_dir, "data.json", [row("N15428", "0428", 2023, T=70.0)])
    server = start_server(snapshot_dir)
    ids = [f"{n:04d}" for n in range(1, 27)]
    too_many = http.get(f"{server.url}/data/kpi/N15428/municipality/{','.join(ids)}/year/2023")
    assert too_many.status_code == 400
    assert "25" in too_many.json()["detail"]
    ok = http.get(f"{server.url}/data/kpi/N15428/municipality/{','.join([*ids[:24], '0428'])}/year/2023")
    assert ok.status_code == 200
    assert ok.json()["count"] == 1
    metadata = http.get(f"{server.url}/kpi/{','.join(f'N{n:05d}' for n in range(26))}")
    assert metadata.status_code == 400


def test_it_rejects_26_ids_sent_as_repeated_query_keys(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    params = [("kpi_id", "N15428")] + [("year", str(year)) for year in range(1990, 2016)]
    response = http.get(f"{server.url}/data/", params=params)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}


def test_a_non_integer_year_is_a_400_with_a_detail(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    response = http.get(f"{server.url}/data/kpi/N15428/municipality/2182/year/2023,tjugo")
    assert response.status_code == 400
    assert "tjugo" in response.json()["detail"]


@pytest.mark.parametrize(
    "query", ["per_page=5001", "per_page=0", "per_page=many", "page=0", "page=x", "from_date=2024-13-01"]
)
def test_bad_paging_or_date_parameters_are_a_400(
    snapshot_dir: Path, start_server: Start, http: httpx.Client, query: str
) -> None:
    server = start_server(snapshot_dir)
    response = http.get(f"{server.url}/data/kpi/N15428/year/2023?{query}")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_per_page_5000_is_accepted(snapshot_dir: Path, start_server: Start, http: httpx.Client) -> None:
    server = start_server(snapshot_dir)
    assert http.get(f"{server.url}/municipality?per_page=5000").json()["count"] == 312


@pytest.mark.parametrize(
    "path",
    [
        "/v3",
        "/v3/kommuner",
        "/v2/kpi",
        "/v3/kpi/N15428/extra",
        "/v3/data/kpi/N15428/year",
        "/v3/data/kpi/N15428/kommun/2182",
        "/v3/oudata/kpi/N15428/municipality/2182",
        "/",
    ],
)
def test_an_unknown_path_is_a_404_with_a_json_detail(
    snapshot_dir: Path, start_server: Start, http: httpx.Client, path: str
) -> None:
    server = start_server(snapshot_dir)
    response = http.get(f"http://127.0.0.1:{server.port}{path}")
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_a_data_request_with_only_one_dimension_is_a_400(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    for url in (f"{server.url}/data/kpi/N15428", f"{server.url}/data?kpi_id=N15428"):
        response = http.get(url)
        assert response.status_code == 400
        assert "two" in response.json()["detail"]


def test_post_to_the_api_is_a_405_and_unknown_methods_a_json_error(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    posted = http.post(f"{server.url}/kpi", json={})
    assert posted.status_code == 405
    assert "detail" in posted.json()
    deleted = http.delete(f"{server.url}/kpi")
    assert deleted.status_code == 501
    assert "detail" in deleted.json()


def test_every_response_has_a_content_length_and_connections_are_kept_alive(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    first = http.get(f"{server.url}/municipality")
    second = http.get(f"{server.url}/nothing-here")
    for response in (first, second):
        assert response.http_version == "HTTP/1.1"
        assert int(response.headers["content-length"]) == len(response.content)
        assert response.headers.get("connection", "").lower() != "close"
