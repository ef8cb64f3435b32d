"""Tests of the koladaserver's data routes: segment and query forms, group means, from_date, overrides."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from barnbokslut.koladaserver import KoladaServer

from .snapshots import SAMPLES, listing, row, write_data, write_json

Start = Callable[..., KoladaServer]


def _keys(body: dict[str, Any], area_key: str = "municipality") -> list[tuple[str, str, int]]:
    return [(item["kpi"], item[area_key], item["period"]) for item in body["values"]]


def _by_gender(item: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {entry["gender"]: entry for entry in item["values"]}


@pytest.fixture
def school_data(snapshot_dir: Path) -> Path:
    """Rows for N15428/U31803 in Söderhamn, Riket and the members of G1 (0428, 0763, 1461)."""
    write_data(
        snapshot_dir,
        "data_school.json",
        [
            row("N15428", "2182", 2022, T=68.0, K=71.0, M=65.0),
            row("N15428", "2182", 2023, T=74.1, K=77.0, M=71.3),
            row("N15428", "0000", 2023, T=72.5, K=75.0, M=70.0),
            row("N15428", "0428", 2022, T=60.0),
            row("N15428", "0428", 2023, T=70.0, K=74.0, M=66.0),
            row("N15428", "0763", 2023, T=80.0, K=None, M=78.0),
            row("N15428", "1461", 2023, T=None, K=None, M=None),
            row("N15428", "1461", 2021, T=None),
            row("U31803", "2182", 2023, T=8.4),
            row("U31803", "0428", 2023, T=5.5),
        ],
        updated="2024-05-01",
    )
    return snapshot_dir


def test_a_full_data_path_returns_the_row_exactly_in_kolada_shape(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    response = http.get(f"{server.url}/data/kpi/N15428/municipality/2182/year/2023")
    assert response.status_code == 200
    assert response.json() == {
        "count": 1,
        "values": [
            {
                "kpi": "N15428",
                "municipality": "2182",
                "period": 2023,
                "values": [
                    {"count": 1, "gender": "T", "status": "", "value": 74.1},
                    {"count": 1, "gender": "K", "status": "", "value": 77.0},
                    {"count": 1, "gender": "M", "status": "", "value": 71.3},
                ],
            }
        ],
        "next_url": None,
        "previous_url": None,
    }
    assert "x-barnbokslut-exempeldata" not in response.headers


def test_lists_in_all_three_segments_give_every_stored_combination(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428,U31803/municipality/2182,0428/year/2022,2023/").json()
    assert body["count"] == 6
    assert _keys(body) == [
        ("N15428", "0428", 2022),
        ("N15428", "0428", 2023),
        ("N15428", "2182", 2022),
        ("N15428", "2182", 2023),
        ("U31803", "0428", 2023),
        ("U31803", "2182", 2023),
    ]


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("kpi/N15428/municipality/2182", [("N15428", "2182", 2022), ("N15428", "2182", 2023)]),
        ("municipality/2182/year/2023", [("N15428", "2182", 2023), ("U31803", "2182", 2023)]),
        (
            "kpi/N15428/year/2023",
            [
                ("N15428", "0000", 2023),
                ("N15428", "0428", 2023),
                ("N15428", "0763", 2023),
                ("N15428", "1461", 2023),
                ("N15428", "2182", 2023),
            ],
        ),
    ],
)
def test_each_two_of_three_segment_form_works(
    school_data: Path,
    start_server: Start,
    http: httpx.Client,
    path: str,
    expected: list[tuple[str, str, int]],
) -> None:
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/{path}").json()
    assert _keys(body) == expected
    assert body["count"] == len(expected)


def test_kpi_and_year_without_municipality_never_includes_groups(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(school_data, "data_group.json", [row("N15428", "G2", 2023, T=99.9)], updated="2024-05-01")
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/year/2023").json()
    areas = [item["municipality"] for item in body["values"]]
    assert "0000" in areas
    assert not [area for area in areas if area.startswith("G")]


def test_the_query_parameter_form_with_repeated_keys_matches_the_path_form(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    path_form = http.get(f"{server.url}/data/kpi/N15428,U31803/municipality/2182,0428/year/2023").json()
    params = [
        ("kpi_id", "N15428"),
        ("kpi_id", "U31803"),
        ("municipality_id", "2182"),
        ("municipality_id", "0428"),
        ("year", "2023"),
        ("page", "1"),
        ("per_page", "5000"),
    ]
    for base in (f"{server.url}/data/", f"{server.url}/data"):
        assert http.get(base, params=params).json() == path_form
    comma_form = http.get(f"{server.url}/data?kpi_id=N15428,U31803&municipality_id=2182,0428&year=2023")
    assert comma_form.json() == path_form
    assert path_form["count"] == 4


def test_query_parameter_paging_keeps_the_repeated_keys_in_next_url(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    params = [("kpi_id", "N15428"), ("kpi_id", "U31803"), ("year", "2023"), ("page", "1"), ("per_page", "3")]
    first = http.get(f"{server.url}/data/", params=params).json()
    assert first["count"] == 7
    assert first["next_url"] == (
        f"{server.url}/data/?kpi_id=N15428&kpi_id=U31803&year=2023&per_page=3&page=2"
    )
    second = http.get(first["next_url"]).json()
    third = http.get(second["next_url"]).json()
    assert third["next_url"] is None
    rows = first["values"] + second["values"] + third["values"]
    assert len(rows) == 7
    assert len({(r["kpi"], r["municipality"], r["period"]) for r in rows}) == 7


def test_a_group_value_is_the_unweighted_mean_of_the_members_with_a_value(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/G1/year/2023").json()
    assert body["count"] == 1
    group = body["values"][0]
    assert (group["kpi"], group["municipality"], group["period"]) == ("N15428", "G1", 2023)
    genders = _by_gender(group)
    # T: 0428 70.0, 0763 80.0, 1461 null -> (70 + 80) / 2
    assert genders["T"] == {"count": 2, "gender": "T", "status": "", "value": pytest.approx(75.0)}
    # K: only 0428 has a value
    assert genders["K"] == {"count": 1, "gender": "K", "status": "", "value": pytest.approx(74.0)}
    # M: (66 + 78) / 2
    assert genders["M"] == {"count": 2, "gender": "M", "status": "", "value": pytest.approx(72.0)}


def test_group_periods_without_member_values_are_missing_and_without_member_rows_absent(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/G1/year/2019,2020,2021,2022").json()
    assert _keys(body) == [("N15428", "G1", 2021), ("N15428", "G1", 2022)]
    missing, one_member = body["values"]
    assert missing["values"] == [{"count": 0, "gender": "T", "status": "Missing", "value": None}]
    assert one_member["values"] == [{"count": 1, "gender": "T", "status": "", "value": 60.0}]


def test_a_group_without_years_lists_every_period_any_member_has(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/G1").json()
    assert [item["period"] for item in body["values"]] == [2021, 2022, 2023]
    by_kpi = http.get(f"{server.url}/data/municipality/G1/year/2023").json()
    assert _keys(by_kpi) == [("N15428", "G1", 2023), ("U31803", "G1", 2023)]
    assert _by_gender(by_kpi["values"][1])["T"]["value"] == pytest.approx(5.5)


def test_the_real_arboga_peer_group_mean_leaves_arboga_itself_out(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    shutil.copy(SAMPLES / "data_BRP_arboga_peer_group.json", snapshot_dir / "data_brp.json")
    server = start_server(snapshot_dir)
    body = http.get(f"{server.url}/data/kpi/N03702/municipality/G176199,1984/year/2020").json()
    arboga, group = body["values"]
    assert arboga["municipality"] == "1984"
    assert arboga["values"][0]["value"] == 269.962248
    # The seven members' N03702 values for 2020 in the sample file:
    members = [298.917043, 438.961636, 381.949955, 387.04401, 302.36022, 366.937188, 389.083973]
    assert sum(members) == pytest.approx(2565.254025)
    assert group["municipality"] == "G176199"
    assert group["values"] == [
        {"count": 7, "gender": "T", "status": "", "value": pytest.approx(2565.254025 / 7)}
    ]
    assert group["values"][0]["value"] == pytest.approx(366.46486, abs=1e-5)


def test_served_group_rows_take_precedence_over_the_computed_mean(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    served = row("N15428", "G2", 2023, T=99.9)
    served["values"][0]["count"] = 2
    write_data(school_data, "data_group.json", [served], updated="2024-05-01")
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/G2/year/2022,2023").json()
    assert body["values"] == [
        # 2022 is not served for G2, so it is computed from 0428 alone, and says so (our mean, not Kolada's)
        {"kpi": "N15428", "municipality": "G2", "period": 2022,
         "values": [{"count": 1, "gender": "T", "status": "", "value": 60.0}], "beräknat": True},
        {"kpi": "N15428", "municipality": "G2", "period": 2023,
         "values": [{"count": 2, "gender": "T", "status": "", "value": 99.9}]},
    ]  # fmt: skip


def test_from_date_returns_only_rows_changed_on_or_after_it(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(school_data, "data_update.json", [row("N15428", "2182", 2024, T=75.0)], updated="2025-03-01")
    server = start_server(school_data)
    url = f"{server.url}/data/kpi/N15428/municipality/2182,G1"
    assert http.get(url).json()["count"] == 3 + 3
    recent = http.get(f"{url}?from_date=2025-01-01").json()
    assert _keys(recent) == [("N15428", "2182", 2024)]
    on_the_day = http.get(f"{url}?from_date=2025-03-01").json()
    assert on_the_day["count"] == 1
    later = http.get(f"{url}?from_date=2025-03-02").json()
    assert later == {"count": 0, "values": [], "next_url": None, "previous_url": None}
    # computed group rows carry the newest change date of their members
    since_first = http.get(f"{url}?from_date=2024-05-01").json()
    assert since_first["count"] == 6


def test_a_computed_group_row_is_changed_when_any_member_row_is(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(school_data, "data_update.json", [row("N15428", "0763", 2022, T=90.0)], updated="2025-03-01")
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/G1?from_date=2025-01-01").json()
    assert _keys(body) == [("N15428", "G1", 2022)]
    assert body["values"][0]["values"] == [{"count": 2, "gender": "T", "status": "", "value": 75.0}]


def test_without_updated_the_file_modification_date_is_the_change_date(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    old = write_data(snapshot_dir, "data_old.json", [row("U31803", "2182", 2020, T=9.0)])
    new = write_data(snapshot_dir, "data_new.json", [row("U31803", "2182", 2021, T=9.5)])
    os.utime(old, (time.mktime((2020, 6, 1, 12, 0, 0, 0, 0, -1)),) * 2)
    os.utime(new, (time.mktime((2024, 6, 1, 12, 0, 0, 0, 0, -1)),) * 2)
    server = start_server(snapshot_dir)
    body = http.get(f"{server.url}/data/kpi/U31803/municipality/2182?from_date=2023-01-01").json()
    assert _keys(body) == [("U31803", "2182", 2021)]


def test_a_later_file_overrides_the_same_row_everywhere(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    # Sorts before data_school.json, but its change date is later, so it wins.
    write_data(school_data, "data_a_update.json", [row("N15428", "0428", 2023, T=50.0)], updated="2025-01-15")
    # Sorts after, but older: loses.
    write_data(school_data, "data_z_old.json", [row("N15428", "0763", 2023, T=10.0)], updated="2020-01-01")
    server = start_server(school_data)
    direct = http.get(f"{server.url}/data/kpi/N15428/municipality/0428,0763/year/2023").json()
    values = {item["municipality"]: _by_gender(item)["T"]["value"] for item in direct["values"]}
    assert values == {"0428": 50.0, "0763": 80.0}
    assert direct["count"] == 2
    # the updated row replaces the whole old row (its K and M are gone)
    assert list(_by_gender(direct["values"][0])) == ["T"]
    group = http.get(f"{server.url}/data/kpi/N15428/municipality/G1/year/2023").json()
    assert _by_gender(group["values"][0])["T"]["value"] == pytest.approx((50.0 + 80.0) / 2)
    listed = http.get(f"{server.url}/data/kpi/N15428/year/2023").json()
    assert [item["municipality"] for item in listed["values"]].count("0428") == 1


def test_string_periods_in_files_are_served_as_integers(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(snapshot_dir, "data.json", [row("U31803", "2182", "2022", T=8.0)], updated="2024-01-01")
    server = start_server(snapshot_dir)
    body = http.get(f"{server.url}/data/kpi/U31803/municipality/2182/year/2022").json()
    assert body["values"][0]["period"] == 2022


def test_isdeleted_rows_are_passed_through_and_left_out_of_group_means(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    deleted = {**row("N15428", "0763", 2023, T=80.0), "isdeleted": True}
    write_data(school_data, "data_delete.json", [deleted], updated="2025-02-01")
    server = start_server(school_data)
    body = http.get(f"{server.url}/data/kpi/N15428/municipality/0763/year/2023?from_date=2025-01-01").json()
    assert body["values"] == [deleted]
    group = http.get(f"{server.url}/data/kpi/N15428/municipality/G1/year/2023").json()
    assert _by_gender(group["values"][0])["T"] == {"count": 1, "gender": "T", "status": "", "value": 70.0}


def test_the_exempeldata_header_marks_only_pages_that_contain_generated_rows(
    school_data: Path, start_server: Start, http: httpx.Client
) -> None:
    write_data(
        school_data,
        "data_example.json",
        [row("N17457", "2182", 2023, T=81.0), row("N17457", "0428", 2023, T=79.0)],
        exempeldata=True,
        updated="2024-05-01",
    )
    server = start_server(school_data)
    real = http.get(f"{server.url}/data/kpi/N15428/municipality/2182")
    generated = http.get(f"{server.url}/data/kpi/N17457/municipality/2182")
    mixed = http.get(f"{server.url}/data/municipality/2182/year/2023")
    assert "x-barnbokslut-exempeldata" not in real.headers
    assert generated.headers["x-barnbokslut-exempeldata"] == "1"
    assert mixed.headers["x-barnbokslut-exempeldata"] == "1"
    # paging (rows sorted by kpi): only the page holding the generated N17457 row is marked
    first = http.get(f"{server.url}/data/municipality/2182/year/2023?per_page=1")
    second = http.get(first.json()["next_url"])
    third = http.get(second.json()["next_url"])
    pages = [first, second, third]
    assert [page.json()["values"][0]["kpi"] for page in pages] == ["N15428", "N17457", "U31803"]
    assert [page.headers.get("x-barnbokslut-exempeldata") for page in pages] == [None, "1", None]
    # a group mean computed from generated member values is generated too
    group = http.get(f"{server.url}/data/kpi/N17457/municipality/G1/year/2023")
    assert group.json()["values"][0]["values"][0]["value"] == 79.0
    assert group.headers["x-barnbokslut-exempeldata"] == "1"


def test_oudata_works_in_the_path_and_query_forms(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    units = [
        row("N15428", "V15E218200101", 2023, area_key="ou", T=81.0),
        row("N15428", "V15E218200102", 2023, area_key="ou", T=64.0),
        row("N15428", "V15E218200101", 2022, area_key="ou", T=79.0),
    ]
    write_json(snapshot_dir / "oudata_units.json", listing(units, updated="2024-05-01"))
    server = start_server(snapshot_dir)
    full = http.get(f"{server.url}/oudata/kpi/N15428/ou/V15E218200101/year/2022,2023").json()
    assert _keys(full, "ou") == [("N15428", "V15E218200101", 2022), ("N15428", "V15E218200101", 2023)]
    assert "municipality" not in full["values"][0]
    by_year = http.get(f"{server.url}/oudata/kpi/N15428/year/2023").json()
    assert [item["ou"] for item in by_year["values"]] == ["V15E218200101", "V15E218200102"]
    by_unit = http.get(f"{server.url}/oudata/ou/V15E218200102/year/2023").json()
    assert by_unit["values"][0]["values"][0]["value"] == 64.0
    query = http.get(f"{server.url}/oudata/", params=[("kpi_id", "N15428"), ("ou_id", "V15E218200101")])
    assert _keys(query.json(), "ou") == _keys(full, "ou")
    # /data does not see unit rows
    assert http.get(f"{server.url}/data/kpi/N15428/year/2023").json()["count"] == 0
