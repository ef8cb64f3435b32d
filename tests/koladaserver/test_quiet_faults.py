"""The quiet faults: answers that look fine but aren't (short, cut, wrong shape, odd tokens, foreign or looping
next_url), hangs, and the `on`/`always` modifiers, as seen on the wire."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

import httpx
import pytest

from barnbokslut.koladaserver import Fault, KoladaServer

from .snapshots import row, write_data

Start = Callable[..., KoladaServer]
DATA = "/data/kpi/N15428/municipality/0428,0763,1461,2182/year/2023"


@pytest.fixture
def server(snapshot_dir: Path, start_server: Start) -> KoladaServer:
    rows = [
        row("N15428", m, 2023, T=60.0 + i, K=61.0 + i) for i, m in enumerate(["0428", "0763", "1461", "2182"])
    ]
    write_data(snapshot_dir, "data.json", rows)
    return start_server(snapshot_dir)


def test_a_short_page_keeps_its_count_but_half_its_rows_and_no_next_url(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.short())
    page = http.get(server.url + DATA).json()
    assert page["count"] == 4
    assert len(page["values"]) == 2
    assert page["next_url"] is None
    assert len(http.get(server.url + DATA).json()["values"]) == 4  # once only


def test_a_cut_page_ends_after_a_row_as_valid_json_without_next_url(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.cut())
    response = http.get(server.url + DATA)
    assert response.content.endswith(b"}]}")
    assert int(response.headers["content-length"]) == len(response.content)
    page = response.json()
    assert set(page) == {"count", "values"}
    assert (page["count"], len(page["values"])) == (4, 2)


def test_a_short_page_of_one_row_has_no_rows_and_a_count_of_one(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.short())
    page = http.get(server.url + "/data/kpi/N15428/municipality/2182/year/2023").json()
    assert (page["count"], page["values"]) == (1, [])


def test_shape_faults_drop_the_rows_values_or_the_entries_value(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.shape("values"), Fault.shape("value"))
    assert all("values" not in r for r in http.get(server.url + DATA).json()["values"])
    entries = [e for r in http.get(server.url + DATA).json()["values"] for e in r["values"]]
    assert entries and all("value" not in e and "gender" in e for e in entries)


@pytest.mark.parametrize("token", ["true", "NaN", "Infinity", "-Infinity", "1e999"])
def test_token_faults_put_the_raw_token_where_the_values_are(
    server: KoladaServer, http: httpx.Client, token: str
) -> None:
    server.inject(Fault.token(token))
    body = http.get(server.url + DATA).text
    assert body.count(f'"value":{token}') == 8
    assert '"value":null' not in body


def test_a_foreign_next_url_names_the_same_query_on_another_server(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.foreign_next("http://127.0.0.2:8999/v3"))
    page = http.get(server.url + DATA + "?per_page=5000").json()
    assert page["next_url"] == "http://127.0.0.2:8999/v3" + DATA + "?per_page=5000"
    assert len(page["values"]) == 4


def test_a_looping_next_url_names_the_same_page_spelled_differently_each_time(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.loop().always())
    url = server.url + DATA + "?per_page=5000"
    spellings = []
    for _ in range(8):
        url = http.get(url).json()["next_url"]
        spellings.append(url)
    assert len(set(spellings)) == 8
    for spelled in spellings:
        parts = urlsplit(spelled)
        assert [p for p in unquote(parts.path).split("/") if p] == [p for p in ("/v3" + DATA).split("/") if p]
        query = dict(parse_qsl(parts.query))
        assert int(query["page"]) == 1 and query["per_page"] == "5000"
    assert len(server.requests) == 8


def test_hang_sends_nothing_until_the_client_gives_up(server: KoladaServer, http: httpx.Client) -> None:
    server.inject(Fault.hang(5.0))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        http.get(server.url + "/kpi", timeout=0.3)
    assert time.monotonic() - started < 2.0
    assert http.get(server.url + "/kpi").status_code == 200


def test_on_waits_for_a_matching_path_and_always_never_runs_out(
    server: KoladaServer, http: httpx.Client
) -> None:
    server.inject(Fault.status(503).on("/data/").always())
    assert http.get(server.url + "/kpi").status_code == 200
    assert [http.get(server.url + DATA).status_code for _ in range(5)] == [503] * 5
    assert server.pending_faults == 1
    server.reset()
    assert http.get(server.url + DATA).status_code == 200


def test_quiet_faults_leave_error_answers_alone(server: KoladaServer, http: httpx.Client) -> None:
    server.inject(Fault.short())
    response = http.get(server.url + "/nothing")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_control_endpoint_queues_the_new_kinds(server: KoladaServer, http: httpx.Client) -> None:
    faults = [
        {"kind": "short", "on": "/data/"},
        {"kind": "cut"},
        {"kind": "shape", "drop": "value"},
        {"kind": "token", "token": "Infinity"},
        {"kind": "foreign_next", "url": "http://127.0.0.2:1/v3"},
        {"kind": "hang", "seconds": 1},
        {"kind": "loop", "repeat": True},
    ]
    response = http.post(f"http://127.0.0.1:{server.port}/_control/faults", json={"faults": faults})
    assert response.json()["queued"] == 7
    assert Fault.from_json(faults[0]) == Fault.short().on("/data/")
    assert Fault.from_json(faults[-1]) == Fault.loop().always()
    for bad in (
        {"kind": "shape", "drop": "kpi"},
        {"kind": "token", "token": "yes"},
        {"kind": "loop", "repeat": 1},
    ):
        assert (
            http.post(f"http://127.0.0.1:{server.port}/_control/faults", json={"faults": [bad]}).status_code
            == 400
        )
