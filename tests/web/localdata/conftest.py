"""Fixtures for the local-data tests: each test keeps its previewed uploads in its own data folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path: Path) -> Path:
    """Keep previewed uploads of each test in its own folder."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR / "uppladdningar"
