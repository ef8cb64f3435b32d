"""Faults injected by our Kolada server: retries, backoff, Retry-After, giving up, timeouts, rate limit."""

from __future__ import annotations

import itertools
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx
import pytest

from barnbokslut.kolada import (
    RATE_ENV,
    KoladaClient,
    KoladaConnectionError,
    KoladaDecodeError,
    KoladaError,
    KoladaHTTPError,
    KoladaTimeoutError,
    ResponseCache,
    default_rate,
)
from barnbokslut.koladaserver import Fault

from .forwarding import Forwarding
from .snapshots import municipality_ids, row, write_data

Start = Callable[..., Any]
Make = Callable[..., KoladaClient]


@pytest.fixture
def server(snapshot_dir: Path, start_server: Start) -> Any:
    write_data(snapshot_dir, "data.json", [row("N15428", "2182", 2023, T=70.0, K=72.0, M=68.0)])
    return start_server(snapshot_dir)


def fast_client(make_client: Make, server: Any, **options: Any) -> KoladaClient:
    """A client with no rate limit, so retry tests take no time (retry waits are recorded, not slept)."""
    options.setdefault("max_requests_per_second", None)
    return make_client(base_url=server.url, **options)


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param(Fault.status(500), id="500"),
        pytest.param(Fault.status(503), id="503"),
        pytest.param(Fault.status(429), id="429-without-retry-after"),
        pytest.param(Fault.drop(), id="dropped-connection"),
        pytest.param(Fault.truncate(), id="truncated-body"),
        pytest.param(Fault.malformed(), id="malformed-json"),
    ],
)
def test_it_retries_a_failed_request_and_then_succeeds(
    server: Any, make_client: Make, sleeps: list[float], fault: Fault
) -> None:
    server.inject(fault, fault)
    client = fast_client(make_client, server)

    points = client.data("N15428", "2182", 2023)

    assert sorted((p.gender, p.value) for p in points) == [("K", 72.0), ("M", 68.0), ("T", 70.0)]
    assert len(server.requests) == 3
    assert client.stats.requests == 3
    assert client.stats.retries == 2
    assert len(sleeps) == 2


def test_it_retries_429_and_honours_retry_after(server: Any, make_client: Make, sleeps: list[float]) -> None:
    server.inject(Fault.status(429, retry_after=3))
    client = fast_client(make_client, server)

    client.kpis(["N15428"])

    assert sleeps == [3.0]
    assert client.stats.requests == 2


def test_it_honours_retry_after_given_as_an_http_date(
    server: Any, make_client: Make, sleeps: list[float]
) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    server.inject(Fault.status(503, retry_after=when))
    client = fast_client(make_client, server)

    client.kpis(["N15428"])

    (wait,) = sleeps
    assert 17.0 <= wait <= 20.0


def test_backoff_grows_exponentially_with_full_jitter_up_to_the_cap(
    server: Any, make_client: Make, sleeps: list[float]
) -> None:
    server.inject(*[Fault.status(500)] * 6)
    client = fast_client(make_client, server, backoff_base=0.5, backoff_cap=4.0)

    client.kpis(["N15428"])

    assert len(sleeps) == 6
    for attempt, wait in enumerate(sleeps):
        assert 0.0 <= wait <= min(4.0, 0.5 * 2**attempt)


def test_it_gives_up_after_max_retries_and_caches_nothing(
    server: Any, make_client: Make, sleeps: list[float], cache_path: Path
) -> None:
    server.inject(*[Fault.status(500)] * 7)
    client = fast_client(make_client, server, cache=cache_path)

    with pytest.raises(KoladaHTTPError) as info:
        client.data("N15428", "2182", 2023)

    assert info.value.status_code == 500
    assert info.value.detail == "Injected fault: HTTP 500"
    assert str(info.value).startswith(
        f"Kolada svarade 500 på {server.url}/data/kpi/N15428/municipality/2182/"
    )
    assert str(info.value).endswith("(gav upp efter 7 försök)")
    assert client.stats.requests == 7
    assert client.stats.retries == 6
    assert len(sleeps) == 6
    assert client.cache is not None
    assert len(client.cache) == 0


@pytest.mark.parametrize(
    ("fault", "error_class"),
    [
        pytest.param(Fault.malformed(), KoladaDecodeError, id="malformed"),
        pytest.param(Fault.truncate(), KoladaDecodeError, id="truncated"),
        pytest.param(Fault.drop(), KoladaConnectionError, id="dropped"),
        pytest.param(Fault.status(429), KoladaHTTPError, id="429"),
    ],
)
def test_each_kind_of_lasting_failure_raises_its_own_error(
    server: Any, make_client: Make, cache_path: Path, fault: Fault, error_class: type[KoladaError]
) -> None:
    server.inject(*[fault] * 3)
    client = fast_client(make_client, server, cache=cache_path, max_retries=2)

    with pytest.raises(error_class) as info:
        client.data("N15428", "2182", 2023)

    assert info.value.url is not None and info.value.url.startswith(server.url)
    assert "gav upp efter 3 försök" in info.value.message
    assert client.stats.requests == 3
    assert client.cache is not None and len(client.cache) == 0
    assert client.data("N15428", "2182", 2023)  # the server is fine again: no poisoned state


def test_a_failure_on_a_later_page_loses_the_whole_query(
    snapshot_dir: Path, start_server: Start, make_client: Make, cache_path: Path
) -> None:
    years = range(2006, 2024)
    write_data(
        snapshot_dir, "data.json", [row("U31803", m, y, T=1.0) for m in municipality_ids() for y in years]
    )
    server = start_server(snapshot_dir)

    def break_page_two(request: httpx.Request) -> None:
        if b"page=2" in request.url.query:
            server.inject(Fault.malformed())

    client = make_client(
        base_url=server.url,
        cache=cache_path,
        max_retries=2,
        max_requests_per_second=None,
        transport=Forwarding(break_page_two),
    )

    with pytest.raises(KoladaDecodeError, match="page=2"):
        client.data("U31803", None, years)

    assert client.stats.requests == 1 + 3
    assert client.cache is not None and len(client.cache) == 0


def test_a_slow_answer_times_out_and_is_retried(server: Any, make_client: Make) -> None:
    server.inject(Fault.delay(3.0))
    client = fast_client(make_client, server, timeout=0.3)

    started = time.monotonic()
    assert client.kpis(["N15428"])
    assert time.monotonic() - started < 2.5
    assert client.stats.requests == 2


def test_lasting_timeouts_raise_a_timeout_error(server: Any, make_client: Make) -> None:
    server.inject(Fault.delay(3.0), Fault.delay(3.0))
    client = fast_client(make_client, server, timeout=0.3, max_retries=1)

    with pytest.raises(KoladaTimeoutError, match=r"svarade inte inom 0\.3 s"):
        client.kpis(["N15428"])


def test_an_unreachable_server_raises_a_connection_error(
    snapshot_dir: Path, start_server: Start, make_client: Make, sleeps: list[float]
) -> None:
    server = start_server(snapshot_dir)
    url = server.url
    server.stop()
    client = make_client(base_url=url, max_retries=2, max_requests_per_second=None)

    with pytest.raises(KoladaConnectionError, match="Anslutningen till Kolada misslyckades"):
        client.kpis(["N15428"])
    assert client.stats.requests == 3
    assert len(sleeps) == 2


def test_a_retry_after_too_long_to_wait_for_is_reported_at_once(
    server: Any, make_client: Make, sleeps: list[float]
) -> None:
    server.inject(Fault.status(503, retry_after=3600))
    client = fast_client(make_client, server)

    with pytest.raises(KoladaHTTPError, match="bad oss vänta 3600 s"):
        client.kpis(["N15428"])
    assert sleeps == []


def test_it_sends_at_most_5_requests_per_second(
    server: Any, make_client: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RATE_ENV)  # the default, as without the suite's loopback rate (tests/conftest.py)
    transport = Forwarding()
    client = make_client(base_url=server.url, transport=transport)

    started = time.monotonic()
    for _ in range(11):
        client.kpis(["N15428"])  # no cache: every call is a request
    elapsed = time.monotonic() - started

    assert len(server.requests) == 11
    assert elapsed >= 1.95
    sent = [when for when, _ in transport.sent]
    # No window of one second holds more than 5 requests: the 1st and the 6th are 1 s apart.
    assert all(sent[i + 5] - sent[i] >= 1.0 - 0.02 for i in range(len(sent) - 5))
    assert all(later - earlier >= 0.2 - 0.02 for earlier, later in itertools.pairwise(sent))


def test_the_rate_comes_from_the_environment_when_not_given(
    server: Any, make_client: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RATE_ENV)
    assert default_rate() == 5.0
    monkeypatch.setenv(RATE_ENV, "2,5")
    assert default_rate() == 2.5
    transport = Forwarding()
    client = make_client(base_url=server.url, transport=transport)
    for _ in range(3):
        client.kpis(["N15428"])
    sent = [when for when, _ in transport.sent]
    assert len(sent) == 3
    # 2.5 per second: 0.4 s apart
    assert all(later - earlier >= 0.4 - 0.02 for earlier, later in itertools.pairwise(sent))
    for bad in ("snart", "0", "-5", "inf", "nan"):
        monkeypatch.setenv(RATE_ENV, bad)
        with pytest.raises(
            KoladaError, match=f"Miljövariabeln {RATE_ENV} ska vara högsta antal frågor per sekund"
        ):
            KoladaClient(cache=None)
        with KoladaClient(cache=None, max_requests_per_second=5.0):  # a rate given: the variable is not read
            pass


def test_retries_count_towards_the_rate_limit(
    server: Any, make_client: Make, sleeps: list[float], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(RATE_ENV)  # the default 5 per second
    server.inject(*[Fault.status(500)] * 5)
    transport = Forwarding()
    client = make_client(base_url=server.url, transport=transport)  # retry waits are not slept here

    client.kpis(["N15428"])

    sent = [when for when, _ in transport.sent]
    assert len(sent) == 6
    assert sent[-1] - sent[0] >= 5 * 0.2 - 0.01


def test_threads_sharing_a_client_share_its_rate_limit(server: Any, make_client: Make) -> None:
    transport = Forwarding()
    client = make_client(base_url=server.url, transport=transport, max_requests_per_second=20.0)

    def work() -> None:
        for _ in range(5):
            client.kpis(["N15428"])

    threads = [threading.Thread(target=work) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    sent = sorted(when for when, _ in transport.sent)
    assert len(sent) == 15
    assert client.stats.requests == 15
    # One interval of 50 ms between requests whichever thread sends them: 15 span at least 14.
    assert sent[-1] - sent[0] >= 14 * 0.05 - 0.02


def test_a_cache_passed_in_is_left_open_for_its_owner(server: Any, cache_path: Path) -> None:
    with ResponseCache(cache_path) as cache:
        with KoladaClient(base_url=server.url, cache=cache, max_requests_per_second=None) as client:
            client.kpis(["N15428"])
        assert len(cache) == 1  # still usable after the client closed
