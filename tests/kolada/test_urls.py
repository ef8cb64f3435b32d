"""Unit tests of URL building: segments of at most 25 ids, the fewest requests, cache keys."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from barnbokslut.kolada import KoladaError
from barnbokslut.kolada._urls import (
    cache_key,
    chunked,
    data_urls,
    default_base_url,
    metadata_urls,
    normalize_base_url,
    normalize_ids,
    normalize_years,
    oudata_urls,
    with_params,
)

BASE = "https://api.kolada.se/v3"


def segment(url: str, name: str) -> list[str]:
    parts = urlsplit(url).path.split("/")
    return parts[parts.index(name) + 1].split(",")


@pytest.mark.parametrize(
    ("count", "sizes"),
    [
        pytest.param(0, [], id="nothing"),
        pytest.param(1, [1], id="one"),
        pytest.param(25, [25], id="exactly-25"),
        pytest.param(26, [13, 13], id="26-in-two-even-halves"),
        pytest.param(60, [20, 20, 20], id="60-in-three"),
        pytest.param(290, [25] * 2 + [24] * 10, id="all-kommuner-in-twelve"),
    ],
)
def test_it_makes_the_fewest_chunks_of_at_most_25_as_even_as_possible(count: int, sizes: list[int]) -> None:
    ids = [f"{i:04d}" for i in range(count)]
    chunks = chunked(ids)
    assert [len(chunk) for chunk in chunks] == sizes
    assert [item for chunk in chunks for item in chunk] == ids


def test_it_splits_60_municipalities_into_3_requests_covering_each_once() -> None:
    municipalities = [f"{i:04d}" for i in range(100, 160)]
    urls = data_urls(BASE, ["N15428", "N17457"], municipalities, [2022, 2023])
    assert len(urls) == 3
    seen = [m for url in urls for m in segment(url, "municipality")]
    assert sorted(seen) == municipalities
    assert all(segment(url, "kpi") == ["N15428", "N17457"] for url in urls)
    assert all(len(segment(url, "municipality")) <= 25 for url in urls)


def test_it_takes_the_cartesian_product_of_the_chunks_of_every_segment() -> None:
    kpis = [f"N{i:05d}" for i in range(30)]  # 2 chunks
    municipalities = [f"{i:04d}" for i in range(60)]  # 3 chunks
    years = list(range(1990, 2020))  # 2 chunks
    urls = data_urls(BASE, kpis, municipalities, years)
    assert len(urls) == 2 * 3 * 2
    covered = {
        (k, m, y)
        for url in urls
        for k in segment(url, "kpi")
        for m in segment(url, "municipality")
        for y in segment(url, "year")
    }
    assert len(covered) == 30 * 60 * 30


def test_data_urls_take_any_two_segments_in_kolada_order() -> None:
    (all_municipalities,) = data_urls(BASE, ["N15428"], None, [2023])
    assert all_municipalities == f"{BASE}/data/kpi/N15428/year/2023?per_page=5000"
    (all_years,) = data_urls(BASE, "N15428", "2182", None)
    assert all_years == f"{BASE}/data/kpi/N15428/municipality/2182?per_page=5000"
    (all_kpis,) = data_urls(BASE, None, ["2182", "G176409"], 2023)
    assert all_kpis == f"{BASE}/data/municipality/2182,G176409/year/2023?per_page=5000"


def test_data_urls_refuse_fewer_than_two_segments() -> None:
    with pytest.raises(ValueError, match="minst 2"):
        data_urls(BASE, ["N15428"], None, None)


def test_an_empty_list_means_no_request_at_all() -> None:
    assert data_urls(BASE, [], ["2182"], [2023]) == []
    assert metadata_urls(BASE, "kpi", []) == []


def test_oudata_needs_all_three_segments() -> None:
    (url,) = oudata_urls(BASE, "N15428", ["V15E218200101"], [2023])
    assert url == f"{BASE}/oudata/kpi/N15428/ou/V15E218200101/year/2023?per_page=5000"
    with pytest.raises(ValueError, match="minst 3"):
        oudata_urls(BASE, "N15428", None, [2023])  # type: ignore[arg-type]


def test_ids_are_deduplicated_and_sorted_so_the_same_question_is_the_same_url() -> None:
    assert normalize_ids(["2182", " 0180", "2182"]) == ["0180", "2182"]
    assert normalize_ids("N15428") == ["N15428"]
    assert normalize_years([2023, "2021", 2023]) == ["2021", "2023"]
    shuffled = data_urls(BASE, ["N2", "N1"], ["2", "1"], [2023])
    assert shuffled == data_urls(BASE, ["N1", "N2"], ["1", "2"], [2023])


@pytest.mark.parametrize("bad", ["", "01,80", "a/b"])
def test_it_rejects_ids_that_would_break_the_path(bad: str) -> None:
    with pytest.raises(ValueError, match="Ogiltigt"):
        normalize_ids([bad])


def test_it_rejects_a_year_that_is_not_a_number() -> None:
    with pytest.raises(ValueError, match="Ogiltigt år"):
        normalize_years(["tjugotjugo"])


def test_metadata_urls_carry_title_and_per_page_and_split_long_id_lists() -> None:
    (search,) = metadata_urls(BASE, "kpi", params={"title": "behöriga"})
    assert parse_qs(urlsplit(search).query) == {"title": ["behöriga"], "per_page": ["5000"]}
    assert len(metadata_urls(BASE, "municipality", [f"{i:04d}" for i in range(51)])) == 3


def test_cache_key_ignores_paging_and_from_date_and_parameter_order() -> None:
    first = f"{BASE}/kpi?title=skola&per_page=5000"
    page_two = f"{BASE}/kpi?per_page=5000&page=2&title=skola"
    refresh = f"{BASE}/kpi?title=skola&from_date=2026-11-20"
    assert cache_key(first) == cache_key(page_two) == cache_key(refresh) == f"{BASE}/kpi?title=skola"
    assert cache_key(f"{BASE}/kpi?title=skola") != cache_key(f"{BASE}/kpi?title=vård")


def test_with_params_replaces_a_parameter_of_the_same_name() -> None:
    old = f"{BASE}/data/kpi/N1/year/2023?per_page=5000&from_date=2020-01-01"
    url = with_params(old, {"from_date": "2026-11-25"})
    assert parse_qs(urlsplit(url).query) == {"per_page": ["5000"], "from_date": ["2026-11-25"]}


def test_base_urls_are_normalised_and_must_be_http() -> None:
    assert normalize_base_url("HTTPS://API.Kolada.se/v3/") == BASE
    with pytest.raises(KoladaError, match="ingen http"):
        normalize_base_url("api.kolada.se/v3")


def test_default_base_url_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BARNBOKSLUT_KOLADA_URL", raising=False)
    assert default_base_url() == BASE
    monkeypatch.setenv("BARNBOKSLUT_KOLADA_URL", "http://127.0.0.1:8765/v3/")
    assert default_base_url() == "http://127.0.0.1:8765/v3"
    monkeypatch.setenv("BARNBOKSLUT_KOLADA_URL", "   ")
    assert default_base_url() == BASE


def test_a_bad_base_url_in_the_environment_names_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BARNBOKSLUT_KOLADA_URL", "ftp://kolada")
    with pytest.raises(KoladaError, match="BARNBOKSLUT_KOLADA_URL"):
        default_base_url()
