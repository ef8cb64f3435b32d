"""Tests of fault injection, latency, the request log and the /_control endpoints."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from barnbokslut.koladaserver import Fault, KoladaServer

Start = Callable[..., KoladaServer]


def test_status_faults_are_served_in_order_one_per_request_then_normal_answers(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.status(429, retry_after=2), Fault.status(500), Fault.status(503))
    limited = http.get(f"{server.url}/kpi")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "2"
    assert "detail" in limited.json()
    failed = http.get(f"{server.url}/kpi")
    assert failed.status_code == 500
    assert "retry-after" not in failed.headers
    assert http.get(f"{server.url}/kpi").status_code == 503
    ok = http.get(f"{server.url}/kpi")
    assert ok.status_code == 200
    assert ok.json()["count"] == 3


def test_a_status_fault_can_carry_its_own_body(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(
        Fault.status(503, body={"detail": "Underhåll"}), Fault.status(502, body="<html>bad gateway")
    )
    assert http.get(f"{server.url}/kpi").json() == {"detail": "Underhåll"}
    gateway = http.get(f"{server.url}/kpi")
    assert gateway.status_code == 502
    assert gateway.text == "<html>bad gateway"


def test_a_truncated_body_is_shorter_than_its_content_length_and_httpx_raises(
    snapshot_dir: Path, start_server: Start
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.truncate())
    with httpx.Client() as client, pytest.raises(httpx.RemoteProtocolError):
        client.get(f"{server.url}/municipality")
    # on a raw socket: the announced length is the full body, but only half arrives before the close
    server.inject(Fault.truncate())
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
        sock.sendall(b"GET /v3/municipality HTTP/1.1\r\nHost: x\r\n\r\n")
        received = b""
        while chunk := sock.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    length = int(
        next(line for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))[15:]
    )
    assert head.startswith(b"HTTP/1.1 200")
    assert length > 10_000
    assert len(body) == length // 2
    # the next request is answered completely again
    with httpx.Client() as client:
        assert client.get(f"{server.url}/municipality").json()["count"] == 312


def test_a_malformed_body_is_a_200_that_is_not_json(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.malformed())
    response = http.get(f"{server.url}/kpi")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    with pytest.raises(json.JSONDecodeError):
        json.loads(response.content)
    assert http.get(f"{server.url}/kpi").json()["count"] == 3


def test_a_dropped_connection_gets_no_response_and_httpx_raises(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.drop())
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.get(f"{server.url}/kpi")
    assert http.get(f"{server.url}/kpi").status_code == 200
    assert server.requests == ["/v3/kpi", "/v3/kpi"]


def test_a_delay_fault_makes_one_response_slow_enough_to_time_out(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.delay(1.0))
    started = time.monotonic()
    with pytest.raises(httpx.ReadTimeout):
        http.get(f"{server.url}/kpi", timeout=0.2)
    assert time.monotonic() - started < 0.9
    started = time.monotonic()
    assert http.get(f"{server.url}/kpi").status_code == 200
    assert time.monotonic() - started < 0.5


def test_a_delay_fault_still_answers_after_the_delay(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    server.inject(Fault.delay(0.3))
    started = time.monotonic()
    response = http.get(f"{server.url}/kpi")
    assert time.monotonic() - started >= 0.3
    assert response.json()["count"] == 3


def test_latency_is_added_to_every_request(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir, latency=0.4)
    started = time.monotonic()
    http.get(f"{server.url}/kpi")
    http.get(f"{server.url}/municipality/2182")
    assert time.monotonic() - started >= 0.8
    server.set_latency(0.0)
    started = time.monotonic()
    http.get(f"{server.url}/kpi")
    # Without the latency the answer comes well before one latency period, even on a busy machine.
    assert time.monotonic() - started < 0.4


def test_the_request_log_holds_path_and_query_in_order(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    http.get(f"{server.url}/kpi", params={"title": "skola"})
    http.get(f"{server.url}/data/", params=[("kpi_id", "N15428"), ("kpi_id", "U31803"), ("year", "2023")])
    http.get(f"{server.url}/missing")
    http.get(f"http://127.0.0.1:{server.port}/_control/requests")
    assert server.requests == [
        "/v3/kpi?title=skola",
        "/v3/data/?kpi_id=N15428&kpi_id=U31803&year=2023",
        "/v3/missing",
    ]


def test_control_endpoints_inject_faults_read_the_log_and_reset(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    control = f"http://127.0.0.1:{server.port}/_control"
    queued = http.post(
        f"{control}/faults",
        json={
            "latency_ms": 100,
            "faults": [
                {"kind": "status", "status": 429, "retry_after": 1},
                {"kind": "drop"},
                {"kind": "malformed"},
                {"kind": "delay", "seconds": 0.05},
                {"kind": "truncate"},
            ],
        },
    )
    assert queued.status_code == 200
    assert queued.json() == {"queued": 5, "latency_ms": 100.0}
    assert server.latency == pytest.approx(0.1)

    started = time.monotonic()
    limited = http.get(f"{server.url}/kpi")
    assert time.monotonic() - started >= 0.1
    assert (limited.status_code, limited.headers["retry-after"]) == (429, "1")
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        http.get(f"{server.url}/kpi?n=2")

    log = http.get(f"{control}/requests").json()
    assert log == {"count": 2, "requests": ["/v3/kpi", "/v3/kpi?n=2"]}

    assert http.post(f"{control}/reset").status_code == 200
    assert server.requests == []
    assert server.pending_faults == 0
    assert server.latency == 0.0
    assert http.get(f"{server.url}/kpi").status_code == 200
    assert http.get(f"{control}/requests").json() == {"count": 1, "requests": ["/v3/kpi"]}


@pytest.mark.parametrize(
    "payload",
    [
        b"not json",
        b"[1, 2]",
        json.dumps({"faults": [{"kind": "explode"}]}).encode(),
        json.dumps({"faults": [{"kind": "status"}]}).encode(),
        json.dumps({"latency_ms": -5}).encode(),
        json.dumps({"faults": [{"kind": "delay", "seconds": "long"}]}).encode(),
    ],
)
def test_a_bad_control_request_is_a_400_and_queues_nothing(
    snapshot_dir: Path, start_server: Start, http: httpx.Client, payload: bytes
) -> None:
    server = start_server(snapshot_dir)
    response = http.post(f"http://127.0.0.1:{server.port}/_control/faults", content=payload)
    assert response.status_code == 400
    assert response.json()["detail"]
    assert server.pending_faults == 0
    assert http.get(f"{server.url}/kpi").status_code == 200


def test_unknown_control_paths_are_404_and_not_logged(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    server = start_server(snapshot_dir)
    assert http.get(f"http://127.0.0.1:{server.port}/_control/nothing").status_code == 404
    assert http.get(f"http://127.0.0.1:{server.port}/_control/reset").status_code == 405
    assert server.requests == []


def test_fault_constructors_reject_nonsense() -> None:
    with pytest.raises(ValueError):
        Fault.status(42)
    with pytest.raises(ValueError):
        Fault.delay(-1)
    with pytest.raises(ValueError):
        Fault.from_json({"kind": "status", "status": "429"})
    assert Fault.from_json({"kind": "delay", "delay_ms": 250}) == Fault.delay(0.25)


def test_the_server_stops_and_frees_its_port_even_with_an_idle_keep_alive_connection(
    snapshot_dir: Path,
) -> None:
    server = KoladaServer(snapshot_dir)
    with httpx.Client() as client:
        with server:
            port = server.port
            assert client.get(f"{server.url}/kpi").status_code == 200
        with pytest.raises(httpx.TransportError):
            client.get(f"http://127.0.0.1:{port}/v3/kpi", timeout=1.0)
    with pytest.raises(RuntimeError):
        _ = server.url
    # it can be started again
    with server, httpx.Client() as client:
        assert client.get(f"{server.url}/kpi").json()["count"] == 3
