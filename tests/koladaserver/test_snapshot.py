"""Tests of snapshot loading (formats, errors, speed) and of `run`, the foreground entry point."""

from __future__ import annotations

import gzip
import json
import os
import random
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import barnbokslut.koladaserver as koladaserver
from barnbokslut.koladaserver import KoladaServer, Snapshot, SnapshotError

from .snapshots import KPIS, SAMPLES, listing, row, write_data

Start = Callable[..., KoladaServer]


def test_the_package_exports_its_public_names() -> None:
    assert {"KoladaServer", "Fault", "Snapshot"} <= set(koladaserver.__all__)


def test_gzipped_metadata_and_data_files_are_read(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    kpi_json = snapshot_dir / "kpi.json"
    (snapshot_dir / "kpi.json.gz").write_bytes(gzip.compress(kpi_json.read_bytes()))
    kpi_json.unlink()
    doc = listing([row("U31803", "2182", 2023, T=8.4)], updated="2024-01-01")
    (snapshot_dir / "data_x.json.gz").write_bytes(gzip.compress(json.dumps(doc).encode()))
    server = start_server(snapshot_dir)
    assert http.get(f"{server.url}/kpi").json()["count"] == len(KPIS)
    body = http.get(f"{server.url}/data/kpi/U31803/municipality/2182").json()
    assert body["values"][0]["values"][0]["value"] == 8.4


def test_the_snapshot_indexes_rows_by_kpi_area_and_period(snapshot_dir: Path) -> None:
    write_data(
        snapshot_dir, "data.json", [row("U31803", "2182", 2023, T=8.4), row("U31803", "2182", "2022", T=8.0)]
    )
    snapshot = Snapshot.load(snapshot_dir)
    assert snapshot.data.size == 2
    stored = snapshot.data.get("U31803", "2182", 2022)
    assert stored is not None
    assert stored.row["period"] == 2022
    assert snapshot.group_members["G1"] == ("0428", "0763", "1461")
    assert snapshot.files == ["kpi.json", "municipality.json", "municipality_groups.json", "data.json"]


_BAD_PERIOD = b'{"values": [{"kpi": "N1", "municipality": "0180", "period": "x", "values": []}]}'


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("data_bad.json", b'{"count": 1, "values": ['),
        ("data_shape.json", b"[1, 2, 3]"),
        ("data_row.json", b'{"count": 1, "values": [{"kpi": "N1", "period": 2020}]}'),
        ("data_period.json", _BAD_PERIOD),
        ("data_date.json", b'{"updated": "yesterday", "values": []}'),
        ("data_gz.json.gz", b"not gzip at all"),
        (
            "oudata_bad.json",
            b'{"values": [{"kpi": "N1", "municipality": "0180", "period": 2020, "values": []}]}',
        ),
        ("kpi.json", b'{"count": 1, "values": ["N15428"]}'),
    ],
)
def test_a_malformed_snapshot_file_gives_an_error_naming_it(
    snapshot_dir: Path, name: str, content: bytes
) -> None:
    (snapshot_dir / name).write_bytes(content)
    with pytest.raises(SnapshotError, match=name.replace(".", r"\.")):
        KoladaServer(snapshot_dir)


def test_a_missing_required_file_or_folder_is_named(snapshot_dir: Path, tmp_path: Path) -> None:
    (snapshot_dir / "municipality_groups.json").unlink()
    with pytest.raises(SnapshotError, match="municipality_groups"):
        Snapshot.load(snapshot_dir)
    with pytest.raises(SnapshotError, match="nowhere"):
        Snapshot.load(tmp_path / "nowhere")


def test_a_big_snapshot_answers_every_municipality_by_20_kpis_by_10_years_across_pages(
    snapshot_dir: Path, start_server: Start, http: httpx.Client
) -> None:
    areas = [m["id"] for m in json.loads((SAMPLES / "municipality.json").read_text("utf-8"))["values"]]
    kpis = [f"N{n:05d}" for n in range(20)]
    generator = random.Random(7)
    rows = [
        row(kpi, area, year, T=round(generator.uniform(0, 100), 1), K=round(generator.uniform(0, 100), 1))
        for kpi in kpis
        for area in areas
        for year in range(2012, 2024)
    ]
    assert len(rows) > 70_000
    write_data(snapshot_dir, "data_big.json", rows, updated="2024-01-01")

    # How fast it loads and answers is measured in bench/kolada_fetch.py, not asserted here.
    server = start_server(snapshot_dir)

    url: str | None = f"{server.url}/data/kpi/{','.join(kpis)}/year/{','.join(map(str, range(2014, 2024)))}"
    total = 0
    pages = 0
    while url:
        body = http.get(url).json()
        total += len(body["values"])
        pages += 1
        url = body["next_url"]
    assert total == body["count"] == 20 * len(areas) * 10
    assert pages == -(-total // 5000)


def test_run_prints_the_url_and_serves_until_interrupted(snapshot_dir: Path) -> None:
    src = Path(koladaserver.__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")])}
    code = f"from barnbokslut.koladaserver import run; run({str(snapshot_dir)!r}, '127.0.0.1', 0, 0.0)"
    with subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env
    ) as process:
        try:
            assert process.stdout is not None
            line = process.stdout.readline()
            url = next(word for word in line.split() if word.startswith("http://127.0.0.1:"))
            assert url.endswith("/v3")
            with httpx.Client() as client:
                assert client.get(f"{url}/kpi").json()["count"] == len(KPIS)
            process.send_signal(signal.SIGINT)
            assert process.wait(timeout=10) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
