"""Quiet faults through our Kolada server: answers that look fine but aren't, hangs, endless 503s, an unwritable
cache. Each is driven through the real client with a cold cache and a warm one (3 days old, normal and refresh
mode): what it raises or serves, what it said, how many requests it sent, and what the cache holds afterwards.

Issue 11, rows 1-5, 7 and 8 (row 6 and the CLI are in tests/cli/test_kolada_faults.py).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from barnbokslut.kolada import (
    DEADLINE_ENV,
    KoladaClient,
    KoladaDeadlineError,
    KoladaDecodeError,
    KoladaError,
    KoladaIncompleteError,
    KoladaPagingError,
    KoladaShapeError,
    ResponseCache,
    default_deadline,
)
from barnbokslut.kolada._urls import cache_key, data_urls, page_identity
from barnbokslut.koladaserver import Fault

from .snapshots import make_snapshot, row, write_data

Start = Callable[..., Any]
Make = Callable[..., KoladaClient]

AREAS = ["0180", "1280", "2182"]
QUERY = ("N15428", AREAS, [2022, 2023])
GOOD = {
    (m, y, g): 60.0 + i + (y - 2022) / 10 for i, m in enumerate(AREAS) for y in (2022, 2023) for g in "TKM"
}

#: The faults a page can carry, each with the error it must end in when it lasts.
PAGE_FAULTS = [
    pytest.param(Fault.short(), KoladaIncompleteError, "bara", id="short-page"),
    pytest.param(Fault.cut(), KoladaIncompleteError, "bara", id="cut-at-a-row"),
    pytest.param(Fault.shape("values"), KoladaShapeError, 'saknar fältet "values"', id="rows-without-values"),
    pytest.param(Fault.shape("value"), KoladaShapeError, 'saknar fältet "value"', id="entries-without-value"),
    pytest.param(Fault.token("true"), KoladaShapeError, '"value" true', id="true"),
    pytest.param(Fault.token("NaN"), KoladaShapeError, "NaN", id="NaN"),
    pytest.param(Fault.token("Infinity"), KoladaShapeError, "Infinity", id="Infinity"),
    pytest.param(Fault.token("1e999"), KoladaShapeError, "1e999", id="1e999"),
]


def values(points: list[Any]) -> dict[tuple[str, int, str], float | None]:
    return {(p.area, p.period, p.gender): p.value for p in points}


def cache_contents(cache_path: Path) -> dict[str, tuple[datetime, int]]:
    with ResponseCache(cache_path) as cache:
        return {key: (found.fetched_at, len(found.values)) for key in cache if (found := cache.get(key))}


@pytest.fixture
def server(snapshot_dir: Path, start_server: Start) -> Any:
    rows = [
        row("N15428", m, y, T=GOOD[(m, y, "T")], K=GOOD[(m, y, "K")], M=GOOD[(m, y, "M")])
        for m in AREAS
        for y in (2022, 2023)
    ]
    # Changed today: a refresh (from_date = the day of the cached fetch) gets every row again.
    write_data(snapshot_dir, "data.json", rows, updated=datetime.now(UTC).date().isoformat())
    return start_server(snapshot_dir)


@pytest.fixture
def warm(server: Any, make_client: Make, cache_path: Path) -> dict[str, tuple[datetime, int]]:
    """A cache holding the good answer, fetched 3 days ago; returns what it holds."""
    assert values(make_client(base_url=server.url, cache=cache_path).data(*QUERY)) == GOOD
    old = datetime.now(UTC) - timedelta(days=3)
    with ResponseCache(cache_path) as cache:
        for key in cache:
            cached = cache.get(key)
            assert cached is not None
            cache.put(key, cached.values, fetched_at=old)
    server.reset()
    return cache_contents(cache_path)


def client_for(make_client: Make, server: Any, **options: Any) -> KoladaClient:
    options.setdefault("max_requests_per_second", None)
    options.setdefault("max_retries", 2)
    return make_client(base_url=server.url, **options)


# -- rows 1-3: pages that look fine but aren't --------------------------------------------------------------


@pytest.mark.parametrize(("fault", "error", "said"), PAGE_FAULTS)
def test_a_bad_page_once_is_asked_again_and_the_answer_is_complete(
    server: Any, make_client: Make, cache_path: Path, fault: Fault, error: type[KoladaError], said: str
) -> None:
    server.inject(fault.on("/data/"))
    client = client_for(make_client, server, cache=cache_path)

    assert values(client.data(*QUERY)) == GOOD
    assert client.stats.requests == 2
    assert client.stats.retries == 1
    assert [n for _, n in cache_contents(cache_path).values()] == [6]


@pytest.mark.parametrize(("fault", "error", "said"), PAGE_FAULTS)
def test_a_lasting_bad_page_with_a_cold_cache_raises_and_caches_nothing(
    server: Any, make_client: Make, cache_path: Path, fault: Fault, error: type[KoladaError], said: str
) -> None:
    server.inject(fault.on("/data/").always())
    client = client_for(make_client, server, cache=cache_path)

    with pytest.raises(error) as info:
        client.data(*QUERY)

    assert said in info.value.message
    assert "svaret används inte" in info.value.message
    assert "gav upp efter 3 försök" in info.value.message
    assert info.value.url is not None and info.value.url.startswith(server.url + "/data/kpi/N15428/")
    assert client.stats.requests == 3
    assert cache_contents(cache_path) == {}


@pytest.mark.parametrize("mode", ["normal", "refresh"])
@pytest.mark.parametrize(("fault", "error", "said"), PAGE_FAULTS)
def test_a_lasting_bad_page_with_a_warm_cache_keeps_the_good_rows_and_says_how_old(
    server: Any,
    warm: dict[str, tuple[datetime, int]],
    make_client: Make,
    cache_path: Path,
    fault: Fault,
    error: type[KoladaError],
    said: str,
    mode: str,
) -> None:
    server.inject(fault.on("/data/").always())
    client = client_for(make_client, server, cache=cache_path, mode=mode)

    assert values(client.data(*QUERY)) == GOOD
    assert client.stats.stale is True
    assert client.stats.requests == 3
    if mode == "refresh":
        assert all("from_date=" in path for path in server.requests)
    (warning,) = client.warnings
    assert warning.startswith("Kolada gav inget användbart svar: ")
    assert said in warning
    assert "för en fråga, hämtade " in warning and "för 3 dagar sedan" in warning
    assert cache_contents(cache_path) == warm  # not one row lost, not refetched


def test_a_page_with_more_rows_than_its_count_is_refused(make_client: Make) -> None:
    page = {
        "count": 1,
        "values": [{"id": "N1", "title": "Ett"}, {"id": "N2", "title": "Två"}],
        "next_url": None,
    }
    client = make_client(base_url="https://kolada.test/v3", transport=_stub(lambda _: page), max_retries=0)

    with pytest.raises(KoladaIncompleteError, match=r"fler rader \(2\) än svaret säger \(1\)"):
        client.kpis()


def test_count_may_count_the_page_or_the_whole_query(make_client: Make) -> None:
    def per_page(request: httpx.Request) -> dict[str, Any]:
        second = b"page=2" in request.url.query
        following = None if second else "https://kolada.test/v3/kpi?per_page=5000&page=2"
        return {"count": 1, "values": [{"id": "N2" if second else "N1", "title": "x"}], "next_url": following}

    client = make_client(base_url="https://kolada.test/v3", transport=_stub(per_page))
    assert [k.id for k in client.kpis()] == ["N1", "N2"]


def test_a_cached_answer_that_is_not_shaped_like_kolada_is_fetched_again(
    server: Any, make_client: Make, cache_path: Path
) -> None:
    # What an older version cached from a "true" fault: served, it printed "1,0 %".
    (url,) = data_urls(server.url, *QUERY)
    bad = [row("N15428", "2182", 2023, T=True)]  # type: ignore[arg-type]
    with ResponseCache(cache_path) as cache:
        cache.put(cache_key(url), bad, fetched_at=datetime.now(UTC))
    client = client_for(make_client, server, cache=cache_path)

    assert values(client.data(*QUERY)) == GOOD
    assert client.stats.requests == 1


# -- row 4: a next_url that loops ---------------------------------------------------------------------------


def test_a_next_url_back_to_the_same_page_spelled_differently_ends_the_walk_at_once(
    server: Any, make_client: Make, cache_path: Path
) -> None:
    server.inject(Fault.loop().on("/data/").always())
    client = client_for(make_client, server, cache=cache_path)
    started = time.monotonic()

    with pytest.raises(KoladaPagingError, match="samma sida två gånger") as info:
        client.data(*QUERY)

    assert time.monotonic() - started < 2.0
    assert "age=01" in info.value.message  # page 1, spelled "%70age=01"
    assert client.stats.requests == 1
    assert client.stats.retries == 0
    assert cache_contents(cache_path) == {}


def test_a_looping_next_url_with_a_warm_cache_keeps_the_good_rows(
    server: Any, warm: dict[str, tuple[datetime, int]], make_client: Make, cache_path: Path
) -> None:
    server.inject(Fault.loop().on("/data/").always())
    client = client_for(make_client, server, cache=cache_path, mode="refresh")

    assert values(client.data(*QUERY)) == GOOD
    assert client.stats.requests == 1
    assert "samma sida" in client.warnings[0]
    assert cache_contents(cache_path) == warm


@pytest.mark.parametrize(
    "spelled",
    [
        "http://127.0.0.1:80/v3/data/kpi/N1/municipality/0180,1280/year/2023?per_page=5000&page=1",
        "HTTP://127.0.0.1/v3/data/kpi/N1/municipality/1280,0180/year/2023?page=001&per_page=5000",
        "http://127.0.0.1/v3//data/kpi/N1/municipality/1280%2C0180/year/2023/?%70age=1&per_page=05000",
        "http://127.0.0.1/v3/%64ata/kpi/n1/municipality/0180,1280/year/2023?per_page=5000&%50AGE=01",
    ],
)
def test_a_page_is_known_however_it_is_spelled(spelled: str) -> None:
    first = "http://127.0.0.1/v3/data/kpi/N1/municipality/0180,1280/year/2023?per_page=5000"
    assert page_identity(spelled) == page_identity(first)
    assert page_identity(first + "&page=2") != page_identity(first)
    assert page_identity(first.replace("127.0.0.1", "127.0.0.2")) != page_identity(first)


def test_a_query_is_read_for_at_most_max_pages(make_client: Make) -> None:
    def onwards(request: httpx.Request) -> dict[str, Any]:
        number = int(dict(request.url.params).get("page", "1"))
        following = f"https://kolada.test/v3/kpi?per_page=5000&page={number + 1}"
        return {"count": 10**6, "values": [{"id": f"N{number}", "title": "x"}], "next_url": following}

    seen: list[str] = []
    client = make_client(base_url="https://kolada.test/v3", transport=_stub(onwards, seen), max_pages=5)

    with pytest.raises(KoladaPagingError, match="fler än 5 sidor"):
        client.kpis()
    assert len(seen) == 5


# -- row 5: a next_url to another host ----------------------------------------------------------------------


@pytest.fixture
def forged(tmp_path: Path, start_server: Start) -> Any:
    """Another server, on 127.0.0.2, with forged values (1.0 everywhere)."""
    folder = make_snapshot(tmp_path / "forged")
    write_data(folder, "data.json", [row("N15428", m, y, T=1.0) for m in AREAS for y in (2022, 2023)])
    return start_server(folder, host="127.0.0.2")


@pytest.mark.parametrize("where", ["another-host", "another-port"])
def test_a_next_url_to_another_server_is_never_followed(
    server: Any,
    forged: Any,
    start_server: Start,
    snapshot_dir: Path,
    make_client: Make,
    cache_path: Path,
    where: str,
) -> None:
    foreign = forged if where == "another-host" else start_server(snapshot_dir)
    server.inject(Fault.foreign_next(foreign.url).on("/data/"))
    client = client_for(make_client, server, cache=cache_path)

    with pytest.raises(KoladaPagingError, match="annan adress") as info:
        client.data(*QUERY)

    assert foreign.url in info.value.message and "den följs inte" in info.value.message
    assert foreign.requests == []
    assert client.stats.requests == 1
    assert cache_contents(cache_path) == {}


def test_a_next_url_to_another_host_with_a_warm_cache_keeps_the_good_rows(
    server: Any, forged: Any, warm: dict[str, tuple[datetime, int]], make_client: Make, cache_path: Path
) -> None:
    server.inject(Fault.foreign_next(forged.url).on("/data/").always())
    client = client_for(make_client, server, cache=cache_path)

    points = client.data(*QUERY)

    assert values(points) == GOOD  # never the forged 1.0
    assert forged.requests == []
    assert client.stats.stale is True
    assert cache_contents(cache_path) == warm


def test_a_redirect_to_another_host_is_not_followed(make_client: Make) -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "https://forged.test/v3/kpi"})

    client = make_client(base_url="https://kolada.test/v3", transport=httpx.MockTransport(handler))

    with pytest.raises(KoladaPagingError, match=r"annan adress \(https://forged\.test/v3/kpi\)"):
        client.kpis()
    assert seen == ["https://kolada.test/v3/kpi?per_page=5000"]


# -- row 7: a cache that cannot be written ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pragma", "reason"),
    [
        pytest.param("PRAGMA query_only = ON", "readonly database", id="read-only"),
        pytest.param("full", "database or disk is full", id="disk-full"),
    ],
)
def test_a_cache_that_cannot_be_written_is_a_warning_and_the_fetched_data_is_used(
    server: Any, make_client: Make, cache_path: Path, pragma: str, reason: str
) -> None:
    with ResponseCache(cache_path) as cache:
        connection: sqlite3.Connection = cache._connection
        if pragma == "full":
            fill_up(cache)
        else:
            connection.execute(pragma)
        client = client_for(make_client, server, cache=cache)

        assert values(client.data(*QUERY)) == GOOD

        (warning,) = client.warnings
        assert f"Cachefilen {cache_path} kan inte skrivas: " in warning and reason in warning
        assert "är skrivbar och att disken inte är full" in warning
        assert "används ändå, men sparas inte till nästa gång" in warning
        assert "Ta bort filen" not in warning
        assert [key for key in cache if not key.startswith("fyllnad")] == []


def fill_up(cache: ResponseCache) -> None:
    """Make the cache's disk full: SQLite's own SQLITE_FULL, as on a full disk, by capping its pages."""
    connection: sqlite3.Connection = cache._connection
    (pages,) = connection.execute("PRAGMA page_count").fetchone()
    connection.execute(f"PRAGMA max_page_count = {pages + 2}")
    with pytest.raises(KoladaError, match="database or disk is full"):
        for number in range(100):
            cache.put(f"fyllnad{number}", [{"x": "y" * 1500}], fetched_at=datetime.now(UTC))


def test_a_cache_folder_that_cannot_be_made_is_a_warning_and_the_fetch_goes_on(
    server: Any, make_client: Make, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    client = client_for(make_client, server, cache=blocker / "kolada.sqlite3")

    assert client.cache is None
    assert values(client.data(*QUERY)) == GOOD
    (warning,) = client.warnings
    assert "kan inte öppnas" in warning and "Hämtar utan cache" in warning


# -- row 8: Kolada hangs, or answers 503 for ever -----------------------------------------------------------


def test_a_hang_with_a_cold_cache_stops_at_the_deadline(
    server: Any, make_client: Make, cache_path: Path
) -> None:
    server.inject(Fault.hang(30.0).on("/data/").always())
    lines: list[str] = []
    client = client_for(
        make_client, server, cache=cache_path, timeout=0.4, deadline=1.0, max_retries=6, sleep=time.sleep,
        progress=lines.append, backoff_base=0.05,
    )  # fmt: skip
    started = time.monotonic()

    with pytest.raises(KoladaDeadlineError) as info:
        client.data(*QUERY)

    assert time.monotonic() - started < 2.0
    assert "Tidsgränsen på 1 s för hela hämtningen från Kolada nåddes" in info.value.message
    assert DEADLINE_ENV in info.value.message
    assert isinstance(info.value.last_error, KoladaError)
    assert lines and all(line.startswith("Väntar på Kolada … försök ") for line in lines)
    assert "(inget svar i tid)" in lines[0]
    assert cache_contents(cache_path) == {}
    # The deadline is for the whole fetch: what comes after it is not sent at all.
    sent = client.stats.requests
    with pytest.raises(KoladaDeadlineError, match="har passerats"):
        client.kpis(["N15428"])
    assert client.stats.requests == sent


@pytest.mark.parametrize(
    "fault", [pytest.param(Fault.hang(30.0), id="hang"), pytest.param(Fault.status(503), id="503-for-ever")]
)
def test_a_hang_or_an_endless_503_with_a_warm_cache_falls_back_at_the_deadline(
    server: Any, warm: dict[str, tuple[datetime, int]], make_client: Make, cache_path: Path, fault: Fault
) -> None:
    server.inject(fault.always())
    lines: list[str] = []
    client = client_for(
        make_client, server, cache=cache_path, timeout=0.4, deadline=1.0, max_retries=50, sleep=time.sleep,
        progress=lines.append, backoff_base=0.1,
    )  # fmt: skip
    started = time.monotonic()

    assert values(client.data(*QUERY)) == GOOD

    assert time.monotonic() - started < 1.5
    assert client.stats.stale is True
    assert any(line.startswith("Väntar på Kolada … försök 2 av 51 om ") for line in lines)
    (warning,) = client.warnings
    assert "Tidsgränsen på 1 s" in warning and "för en fråga" in warning and "för 3 dagar sedan" in warning
    assert cache_contents(cache_path) == warm


def test_a_slow_answer_is_announced_while_it_is_waited_for(server: Any, make_client: Make) -> None:
    server.inject(Fault.delay(0.6))
    lines: list[str] = []
    client = client_for(make_client, server, timeout=5.0, slow_notice=0.2, progress=lines.append)

    assert client.kpis(["N15428"])
    assert lines == ["Väntar på Kolada … inget svar efter 0,2 s (försök 1 av 3, ger upp efter 5 s)"]


def test_the_deadline_comes_from_the_environment_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(DEADLINE_ENV, raising=False)
    assert default_deadline() == 180.0
    monkeypatch.setenv(DEADLINE_ENV, "2,5")
    assert default_deadline() == 2.5
    monkeypatch.setenv(DEADLINE_ENV, "0")
    assert default_deadline() is None
    monkeypatch.setenv(DEADLINE_ENV, "snart")
    with pytest.raises(KoladaError, match=f"Miljövariabeln {DEADLINE_ENV} ska vara ett antal sekunder"):
        KoladaClient(cache=None)


# -- helpers -------------------------------------------------------------------------------------------------


def _stub(
    answer: Callable[[httpx.Request], dict[str, Any]], seen: list[str] | None = None
) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        if seen is not None:
            seen.append(str(request.url))
        return httpx.Response(200, json=answer(request))

    return httpx.MockTransport(handler)


def test_every_new_error_is_a_decode_or_timeout_error_so_a_stale_answer_may_stand_in() -> None:
    assert issubclass(KoladaShapeError, KoladaDecodeError)
    assert issubclass(KoladaIncompleteError, KoladaDecodeError)
    assert issubclass(KoladaPagingError, KoladaDecodeError)


def test_a_bad_page_is_asked_for_again_at_most_twice_whatever_max_retries_says(
    server: Any, make_client: Make, cache_path: Path
) -> None:
    server.inject(Fault.short().on("/data/").always())
    client = client_for(make_client, server, cache=cache_path, max_retries=6)

    with pytest.raises(KoladaIncompleteError, match="gav upp efter 3 försök"):
        client.data(*QUERY)
    assert client.stats.requests == 3
