"""Fixtures for the koladaserver tests: a small snapshot folder, a running server and an httpx client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from .snapshots import GROUPS, KPIS, SAMPLES, listing, write_json


@pytest.fixture
def snapshot_dir(tmp_path: Path) -> Path:
    """A snapshot folder with the real municipality list, three KPIs and three groups, no data yet."""
    folder = tmp_path / "snapshot"
    folder.mkdir()
    shutil.copy(SAMPLES / "municipality.json", folder / "municipality.json")
    write_json(folder / "kpi.json", listing(KPIS, source="test"))
    write_json(folder / "municipality_groups.json", listing(GROUPS))
    return folder


@pytest.fixture
def http() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=10.0) as client:
        yield client
