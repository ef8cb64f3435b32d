"""The persistent cache in use: warm answers, max_age, stale fallback, incremental refresh, offline mode."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from barnbokslut.kolada import (
    KoladaClient,
    KoladaConnectionError,
    KoladaHTTPError,
    KoladaOfflineError,
    ResponseCache,
)
from barnbokslut.kolada._urls import cache_key
from barnbokslut.koladaserver import Fault

from .snapshots import row, write_data

Start = Callable[..., Any]
Make = Callable[..., KoladaClient]

QUERY = ("N15428", ["0180", "1280"], [2022, 2023])


def values(points: list[Any]) -> dict[tuple[str, int, str], float | None]:
    return {(p.area, p.period, p.gender): p.value for p in points}


@pytest.fixture
def first_snapshot(snapshot_dir: Path) -> Path:
    write_data(
        snapshot_dir,
        "data_2020.json",
        [
            row("N15428", "0180", 2022, T=70.0),
            row("N15428", "0180", 2023, T=71.0),
            row("N15428", "1280", 2023, T=60.0),
        ],
        updated="2020-01-01",
    )
    return snapshot_dir


def backdate(cache_path: Path, days: int) -> datetime:
    """Make every answer in the cache look ``days`` old; return that fetch time."""
    old = datetime.now(UTC) - timedelta(days=days)
    with ResponseCache(cache_path) as cache:
        for key in cache:
            cached = cache.get(key)
            assert cached is not None
            cache.put(key, cached.values, fetched_at=old, is_example=cached.is_example)
    return old


def test_a_warm_cache_answers_with_zero_requests(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    cold = make_client(base_url=server.url, cache=cache_path)
    fetched = cold.data(*QUERY)
    cold.kpis(["N15428"])
    cold.close()
    sent = len(server.requests)

    warm = make_client(base_url=server.url, cache=cache_path)
    again = warm.data(*QUERY)
    kpis = warm.kpis(["N15428"])

    assert again == fetched  # values, statuses and fetch times alike
    assert [k.id for k in kpis] == ["N15428"]
    assert len(server.requests) == sent
    assert warm.stats.requests == 0
    assert warm.stats.cache_hits == 2
    assert warm.stats.stale is False
    assert warm.oldest_fetch == fetched[0].fetched_at


def test_an_answer_older_than_max_age_is_fetched_again(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    backdate(cache_path, days=2)

    client = make_client(base_url=server.url, cache=cache_path, max_age=timedelta(days=1))
    points = client.data(*QUERY)

    assert client.stats.requests == 1
    assert client.stats.cache_hits == 0
    assert all(
        p.fetched_at is not None and p.fetched_at > datetime.now(UTC) - timedelta(minutes=1) for p in points
    )
    with ResponseCache(cache_path) as cache:
        (key,) = cache.keys()
        cached = cache.get(key)
        assert cached is not None and cached.age() < timedelta(minutes=1)


def test_max_age_none_serves_any_age(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    old = backdate(cache_path, days=400)

    client = make_client(base_url=server.url, cache=cache_path, max_age=None)
    points = client.data(*QUERY)

    assert client.stats.requests == 0
    assert {p.fetched_at for p in points} == {old}
    assert client.oldest_fetch == old


def test_a_stale_answer_is_served_when_kolada_is_down(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path, sleeps: list[float]
) -> None:
    server = start_server(first_snapshot)
    fresh = make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    old = backdate(cache_path, days=3)
    url = server.url
    server.stop()

    client = make_client(base_url=url, cache=cache_path, max_retries=2, max_requests_per_second=None)
    points = client.data(*QUERY)

    assert values(points) == values(fresh)
    assert {p.fetched_at for p in points} == {old}
    assert client.stats.stale is True
    assert client.stats.requests == 3
    assert client.oldest_fetch == old
    assert len(sleeps) == 2


def test_a_stale_answer_is_served_when_kolada_keeps_failing_with_5xx(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    backdate(cache_path, days=3)
    server.inject(*[Fault.status(503)] * 3)

    client = make_client(base_url=server.url, cache=cache_path, max_retries=2, max_requests_per_second=None)
    points = client.data(*QUERY)

    assert len(points) == 3
    assert client.stats.stale is True


def test_without_a_cached_answer_a_failure_still_raises(
    snapshot_dir: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(snapshot_dir)
    url = server.url
    server.stop()
    client = make_client(base_url=url, cache=cache_path, max_retries=1, max_requests_per_second=None)

    with pytest.raises(KoladaConnectionError):
        client.data(*QUERY)
    assert client.stats.stale is False


def test_a_4xx_is_not_hidden_behind_a_stale_answer(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    backdate(cache_path, days=3)
    server.inject(Fault.status(400, body={"detail": "kpi: okänt id"}))

    client = make_client(base_url=server.url, cache=cache_path)
    with pytest.raises(KoladaHTTPError, match="kpi: okänt id"):
        client.data(*QUERY)
    assert client.stats.stale is False


def test_refresh_asks_only_for_changes_since_the_fetch_and_merges_them(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path, tmp_path: Path
) -> None:
    first = start_server(first_snapshot)
    port = first.port
    before = make_client(base_url=first.url, cache=cache_path).data(*QUERY)
    first_fetch = before[0].fetched_at
    assert first_fetch is not None
    fetched_day = first_fetch.date().isoformat()
    first.stop()

    # Kolada a day later: one value revised, one row withdrawn, one new; the old file is unchanged.
    later = tmp_path / "later"
    shutil.copytree(first_snapshot, later)
    write_data(
        later,
        "data_update.json",
        [
            row("N15428", "0180", 2023, T=75.5),
            row("N15428", "1280", 2023, isdeleted=True, T=60.0),
            row("N15428", "1280", 2022, T=59.0),
        ],
        updated=datetime.now(UTC).date().isoformat(),
    )
    second = start_server(later, port=port)  # same address: the cache keys name the server
    client = make_client(base_url=second.url, cache=cache_path, mode="refresh")

    after = client.data(*QUERY)

    (sent,) = second.requests
    assert parse_qs(urlsplit(sent).query)["from_date"] == [fetched_day]
    assert values(after) == {
        ("0180", 2022, "T"): 70.0,
        ("0180", 2023, "T"): 75.5,
        ("1280", 2022, "T"): 59.0,
    }
    assert client.stats.requests == 1
    assert client.stats.stale is False
    (refreshed,) = {p.fetched_at for p in after}
    assert refreshed is not None and refreshed > first_fetch
    # The merged answer is what the cache holds now: a normal client serves it without asking.
    warm = make_client(base_url=second.url, cache=cache_path)
    assert values(warm.data(*QUERY)) == values(after)
    assert warm.stats.requests == 0


def test_refresh_serves_cached_metadata_and_fetches_what_is_not_cached(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    make_client(base_url=server.url, cache=cache_path).kpis(["N15428"])
    backdate(cache_path, days=30)
    client = make_client(base_url=server.url, cache=cache_path, mode="refresh")
    sent = len(server.requests)

    client.kpis(["N15428"])
    assert len(server.requests) == sent
    client.data(*QUERY)  # not cached yet: a full fetch, no from_date
    assert "from_date" not in server.requests[-1]
    assert client.stats.requests == 1


def test_a_failed_refresh_keeps_the_last_good_data(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    before = make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    server.inject(*[Fault.malformed()] * 2)

    client = make_client(base_url=server.url, cache=cache_path, mode="refresh", max_retries=1)
    after = client.data(*QUERY)

    assert after == before
    assert client.stats.stale is True
    assert client.stats.requests == 2
    with ResponseCache(cache_path) as cache:
        (key,) = cache.keys()
        cached = cache.get(key)
        assert cached is not None and cached.fetched_at == before[0].fetched_at


def test_offline_mode_serves_the_cache_and_sends_nothing(
    first_snapshot: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    online = make_client(base_url=server.url, cache=cache_path).data(*QUERY)
    old = backdate(cache_path, days=90)
    sent = len(server.requests)

    client = make_client(base_url=server.url, cache=cache_path, mode="offline")
    offline = client.data(*QUERY)

    assert values(offline) == values(online)
    assert len(server.requests) == sent
    assert client.stats.requests == 0
    assert client.oldest_fetch == old


def test_offline_mode_names_a_query_that_is_not_cached(
    snapshot_dir: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    server = start_server(snapshot_dir)
    client = make_client(base_url=server.url, cache=cache_path, mode="offline")

    with pytest.raises(KoladaOfflineError) as info:
        client.data(*QUERY)

    expected = cache_key(f"{server.url}/data/kpi/N15428/municipality/0180,1280/year/2022,2023")
    assert info.value.url == expected
    assert f"frågan {expected} finns inte i cachen {cache_path}" in info.value.message
    assert server.requests == []


def test_offline_mode_without_any_cache_says_so(make_client: Make) -> None:
    client = make_client(base_url="http://127.0.0.1:9/v3", cache=None, mode="offline")
    with pytest.raises(KoladaOfflineError, match="cache=None"):
        client.kpis(["N15428"])
    assert client.stats.requests == 0


def test_the_example_flag_survives_the_cache(
    snapshot_dir: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    write_data(snapshot_dir, "data.json", [row("N15428", "2182", 2023, T=70.0)], exempeldata=True)
    server = start_server(snapshot_dir)
    make_client(base_url=server.url, cache=cache_path).data("N15428", "2182", 2023)

    offline = make_client(base_url=server.url, cache=cache_path, mode="offline")
    (point,) = offline.data("N15428", "2182", 2023)

    assert point.is_example is True


def test_a_path_as_cache_is_opened_and_closed_by_the_client(
    first_snapshot: Path, start_server: Start, cache_path: Path
) -> None:
    server = start_server(first_snapshot)
    with KoladaClient(base_url=server.url, cache=str(cache_path)) as client:
        client.kpis(["N15428"])
        assert isinstance(client.cache, ResponseCache)
        assert client.cache.path == cache_path
    assert cache_path.is_file()


def test_without_a_cache_argument_the_client_uses_the_default_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("platformdirs.user_data_dir", lambda appname: str(tmp_path / appname))
    with KoladaClient(mode="offline") as client:
        assert client.cache is not None
        assert client.cache.path == tmp_path / "barnbokslut" / "kolada-cache.sqlite3"


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="Okänt läge 'online'"):
        KoladaClient(mode="online", cache=None)  # type: ignore[arg-type]
