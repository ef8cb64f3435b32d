"""Fixtures for the local-data tests: each test keeps its previewed uploads in its own data folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings


@pytest.fixture(autouse=True, scope="session")
def static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def uploads_dir(settings, tmp_path: Path) -> Path:
    """Keep previewed uploads of each test in its own folder."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR / "uppladdningar"
