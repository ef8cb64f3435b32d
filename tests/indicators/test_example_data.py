"""The shipped example snapshot (data/example/kolada): real metadata, real Kolada values for 24 KPIs, and
generated "Exempeldata" values for the default pack's KPIs that have no real ones.

Checks the properties the rest of the project relies on: every catalogue KPI has at least ten periods for all
290 kommuner and Riket, K/M exactly where the catalogue says ``kön = true``, plausible values, every data
file flagged as example data, Söderhamn's deliberate edge cases, and that the generator reproduces the files
byte for byte.
"""

from __future__ import annotations

import gzip
import importlib.util
import itertools
import json
import math
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
SNAPSHOT = ROOT / "data" / "example" / "kolada"
SCRIPT = ROOT / "scripts" / "generate_example_data.py"
CATALOGUE = ROOT / "src" / "barnbokslut" / "indicators" / "default.toml"
COUNTRY = "0000"
SODERHAMN = "2182"
PERCENT_KPIS_ABOVE_100_OK: set[str] = set()  # none: every "%" KPI of the pack stays within 0-100
#: The real files brought in from /work/shared/kolada/real (its ORIGIN.md lists these 24 KPIs).
REAL_KPIS = {
    "N00943", "N00945", "N02904", "N07907", "N07914", "N09805", "N09811", "N09890", "N11050", "N11051",
    "N11052", "N11821", "N15030", "N15428", "N15813", "N15816", "N17461", "N17538", "N17625", "N17813",
    "U07417", "U07452", "U09800", "U09808",
}  # fmt: skip


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("generate_example_data", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _read(path: Path) -> Any:
    raw = path.read_bytes()
    if path.name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return json.loads(raw.decode("utf-8"))


@dataclass(frozen=True)
class Snapshot:
    catalogue: dict[str, bool]
    units: dict[str, str]
    kommuner: list[str]
    peers: dict[str, list[str]]
    files: dict[str, Any]
    rows: dict[tuple[str, str, int], dict[str, dict[str, Any]]]
    by_series: dict[tuple[str, str], list[int]]

    def periods(self, kpi: str, area: str) -> list[int]:
        return self.by_series.get((kpi, area), [])

    def value(self, kpi: str, area: str, period: int, gender: str = "T") -> float | None:
        entry = self.rows[(kpi, area, period)].get(gender)
        return None if entry is None else entry["value"]

    def entries(self) -> Iterator[tuple[tuple[str, str, int], dict[str, dict[str, Any]]]]:
        yield from self.rows.items()


@pytest.fixture(scope="module")
def snap() -> Snapshot:
    generator = _generator()
    catalogue = generator.read_catalogue(CATALOGUE)
    units = {kpi: "" for kpi in catalogue}
    for kpi, unit in re.findall(r'kpi = "(\w+)"(?:.|\n)*?enhet = "([^"]*)"', CATALOGUE.read_text("utf-8")):
        units[kpi] = unit
    municipalities = _read(SNAPSHOT / "municipality.json")["values"]
    kommuner = sorted(m["id"] for m in municipalities if m["type"] == "K")
    by_title = {m["title"]: m["id"] for m in municipalities if m["type"] == "K"}
    peers = {}
    for group in _read(SNAPSHOT / "municipality_groups.json.gz")["values"]:
        match = re.match(r"^Liknande kommuner socioekonomi, (.+), \d{4}$", group["title"])
        if match:
            peers[by_title[match[1]]] = [m["id"] for m in group["members"]]
    files = {path.name: _read(path) for path in sorted(SNAPSHOT.glob("data*.json*"))}
    # The properties below are the generator's; the real files are checked on their own.
    files = {name: doc for name, doc in files.items() if doc.get("exempeldata") is True}
    catalogue = {kpi: kon for kpi, kon in catalogue.items() if kpi not in REAL_KPIS}
    units = {kpi: unit for kpi, unit in units.items() if kpi in catalogue}
    rows: dict[tuple[str, str, int], dict[str, dict[str, Any]]] = {}
    for name, doc in files.items():
        for row in doc["values"]:
            key = (row["kpi"], row["municipality"], int(row["period"]))
            assert key not in rows, f"{name}: duplicate row {key}"
            rows[key] = {entry["gender"]: entry for entry in row["values"]}
    by_series: dict[tuple[str, str], list[int]] = {}
    for kpi, area, period in sorted(rows):
        by_series.setdefault((kpi, area), []).append(period)
    return Snapshot(catalogue, units, kommuner, peers, files, rows, by_series)


def test_real_metadata_is_complete(snap: Snapshot) -> None:
    kpis = _read(SNAPSHOT / "kpi.json.gz")
    assert kpis["count"] == len(kpis["values"]) == 6099
    ids = {k["id"] for k in kpis["values"]}
    assert set(snap.catalogue) | REAL_KPIS - {"N02904"} <= ids
    assert "N02904" not in ids  # retired (N66077 replaced it): no longer in Kolada's 2026 catalogue
    municipalities = _read(SNAPSHOT / "municipality.json")
    assert municipalities["count"] == len(municipalities["values"]) == 312
    assert len(snap.kommuner) == 290
    assert COUNTRY in {m["id"] for m in municipalities["values"]}
    groups = _read(SNAPSHOT / "municipality_groups.json.gz")
    assert groups["count"] == len(groups["values"]) == 3630
    assert set(snap.peers) == set(snap.kommuner)
    everyone = next(g for g in groups["values"] if g["id"] == "G2328")
    assert everyone["title"] == "Alla kommuner (ovägt medel)"
    assert {m["id"] for m in everyone["members"]} == set(snap.kommuner)


def test_catalogue_kon_agrees_with_kolada(snap: Snapshot) -> None:
    kpis = {k["id"]: k for k in _read(SNAPSHOT / "kpi.json.gz")["values"]}
    for kpi, by_gender in snap.catalogue.items():
        if by_gender:
            assert kpis[kpi]["is_divided_by_gender"], kpi


def test_every_generated_data_file_is_flagged_as_exempeldata(snap: Snapshot) -> None:
    assert len(snap.files) == 15  # the default pack's 19 KPIs less the 4 with real values
    for name, doc in snap.files.items():
        assert doc["exempeldata"] is True, name
        assert doc["updated"] == "2026-03-15", name
        assert "Exempeldata" in doc["source"], name
        assert doc["count"] == len(doc["values"]), name


def test_the_real_files_are_koladas_values_with_origin_and_attribution() -> None:
    real = {
        p.name: _read(p) for p in SNAPSHOT.glob("data_*.json.gz") if _read(p).get("exempeldata") is not True
    }
    assert {name.removeprefix("data_").removesuffix(".json.gz") for name in real} == REAL_KPIS
    for name, doc in real.items():
        assert doc["attribution"] == "Källa: Kolada (RKA)", name
        assert "CC BY 4.0" in doc["source"] and "DIDreport" in doc["source"], name
        assert doc["count"] == len(doc["values"]), name
        # No Riket and no group rows in the dump: the country comparison is the mean of all kommuner.
        assert not any(
            row["municipality"] == COUNTRY or row["municipality"].startswith("G") for row in doc["values"]
        )
    # The Söderhamn 2022 report in the seeds prints 76,7 for N15428 2022.
    soderhamn = next(
        row
        for row in real["data_N15428.json.gz"]["values"]
        if (row["municipality"], row["period"]) == (SODERHAMN, 2022)
    )
    assert next(e["value"] for e in soderhamn["values"] if e["gender"] == "T") == pytest.approx(
        76.67, abs=0.005
    )


def test_only_catalogue_kpis_kommuner_and_riket_no_groups(snap: Snapshot) -> None:
    kpis = {k for (k, _, _) in snap.rows}
    areas = {a for (_, a, _) in snap.rows}
    assert kpis == set(snap.catalogue)
    assert areas == {*snap.kommuner, COUNTRY}
    assert not any(a.startswith("G") for a in areas)


@pytest.mark.parametrize("kpi", sorted(set(_generator().read_catalogue(CATALOGUE)) - REAL_KPIS))
def test_at_least_ten_periods_for_every_kommun_and_riket(snap: Snapshot, kpi: str) -> None:
    country = snap.periods(kpi, COUNTRY)
    assert len(country) >= 10
    assert country == list(range(2014, country[-1] + 1))
    assert country[-1] >= 2023
    for gender in snap.rows[(kpi, COUNTRY, country[-1])]:
        assert all(snap.value(kpi, COUNTRY, p, gender) is not None for p in country), (kpi, gender)
    for area in snap.kommuner:
        periods = snap.periods(kpi, area)
        assert len(periods) >= 10, (kpi, area, periods)
        assert set(periods) <= set(country)


def test_genders_exactly_where_the_catalogue_says_kon(snap: Snapshot) -> None:
    for (kpi, area, period), entries in snap.entries():
        expected = {"T", "K", "M"} if snap.catalogue[kpi] else {"T"}
        assert set(entries) == expected, (kpi, area, period)


def test_values_are_plausible_and_rounded(snap: Snapshot) -> None:
    for (kpi, area, period), entries in snap.entries():
        for gender, entry in entries.items():
            where = (kpi, area, period, gender)
            value = entry["value"]
            if value is None:
                assert entry["status"] == "Missing", where
                assert area != COUNTRY, where
                continue
            assert entry["status"] == "" and entry["count"] == 1, where
            assert isinstance(value, float) and math.isfinite(value), where
            assert value >= 0, where
            assert round(value, 1) == value, where
            if snap.units[kpi] == "%":
                assert value <= 100, where
        t, k, m = (entries.get(g, {}).get("value") for g in ("T", "K", "M"))
        if t is not None and k is not None and m is not None:
            assert min(k, m) <= t <= max(k, m), (kpi, area, period)


def _mean(values: list[float]) -> float:
    return math.fsum(values) / len(values)


def test_national_levels_are_plausible(snap: Snapshot) -> None:
    expected = {"U31803": 6, "N15508": 73, "N17457": 78, "N11811": 12}
    for kpi, level in expected.items():
        last = snap.periods(kpi, COUNTRY)[-1]
        values = [snap.value(kpi, a, last) for a in snap.kommuner if (kpi, a, last) in snap.rows]
        mean = _mean([v for v in values if v is not None])
        assert abs(mean - level) / level < 0.1, (kpi, mean)
        riket = snap.value(kpi, COUNTRY, last)
        assert riket is not None and abs(riket - mean) / mean < 0.1, (kpi, riket, mean)


def test_girls_and_boys_differ_as_described(snap: Snapshot) -> None:
    def gap(kpi: str) -> float:
        last = snap.periods(kpi, COUNTRY)[-1]
        k, m = snap.value(kpi, COUNTRY, last, "K"), snap.value(kpi, COUNTRY, last, "M")
        assert k is not None and m is not None
        return k - m

    for kpi in ("N15508", "N17457"):
        assert gap(kpi) > 0, kpi
    for kpi in ("N15643",):
        assert gap(kpi) < 0, kpi


def test_missing_values_are_rare_and_never_for_riket(snap: Snapshot) -> None:
    with_missing = [
        key for key, entries in snap.entries() if any(e["value"] is None for e in entries.values())
    ]
    share = len(with_missing) / len(snap.rows)
    assert 0.001 < share < 0.02
    assert all(area != COUNTRY for (_, area, _) in with_missing)


def test_soderhamn_edge_cases(snap: Snapshot) -> None:
    for kpi in snap.catalogue:
        periods = snap.periods(kpi, SODERHAMN)
        last3 = periods[-3:]
        assert last3 == list(range(last3[0], last3[0] + 3)), kpi
        latest = [snap.value(kpi, SODERHAMN, p) for p in last3]
        if kpi == "N15901":
            assert latest[-1] is None
            assert snap.rows[(kpi, SODERHAMN, last3[-1])]["T"]["status"] == "Missing"
            assert None not in latest[:-1]
            continue
        assert None not in latest, kpi
        if kpi == "N11808":
            assert latest[-1] == latest[-2]
        else:
            assert latest[-1] != latest[-2], kpi
    last = snap.periods("U31803", SODERHAMN)[-1]
    peers = [snap.value("U31803", p, last) for p in snap.peers[SODERHAMN]]
    soderhamn = snap.value("U31803", SODERHAMN, last)
    assert soderhamn is not None and soderhamn > _mean([p for p in peers if p is not None])


@pytest.mark.parametrize("kpi", ["U31803", "N66077", "N02901", "N15508"])
def test_peer_groups_are_alike(snap: Snapshot, kpi: str) -> None:
    last = snap.periods(kpi, COUNTRY)[-1]
    values = {a: snap.value(kpi, a, last) for a in snap.kommuner if (kpi, a, last) in snap.rows}
    present = {a: v for a, v in values.items() if v is not None}
    within = _mean([abs(v - present[p]) for a, v in present.items() for p in snap.peers[a] if p in present])
    between = _mean([abs(x - y) for x, y in itertools.combinations(present.values(), 2)])
    assert within < 0.85 * between, (kpi, within, between)


def test_regenerating_reproduces_identical_bytes(tmp_path: Path) -> None:
    out = tmp_path / "kolada"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    shipped = sorted(p.name for p in SNAPSHOT.iterdir() if p.is_file())
    assert sorted(p.name for p in out.iterdir()) == shipped
    for name in shipped:
        assert (out / name).read_bytes() == (SNAPSHOT / name).read_bytes(), name
