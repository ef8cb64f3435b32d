"""Fixtures for the register tests: previewed exports and published files in each test's own folders, and no
indicator analysis in the report (it stays small and fast)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings

from barnbokslut.web.publishing import report_from_db


@pytest.fixture(autouse=True, scope="session")
def static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def folders(settings, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)
