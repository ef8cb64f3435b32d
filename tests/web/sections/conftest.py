"""Sections of the shared cast's edition, named for whose they are."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from barnbokslut.web.editions.models import Edition, Section, SectionKind


@pytest.fixture(autouse=True, scope="session")
def static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing; test_settings should create it."""
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture
def bou_section(edition: Edition) -> Section:
    """BOU's Förutsättningar: siri writes it (BOU is her unit)."""
    return Section.objects.get(edition=edition, unit__abbreviation="BOU", kind=SectionKind.FORUTSATTNINGAR)


@pytest.fixture
def svf_section(edition: Edition) -> Section:
    """SVF's Styrkor: sven writes it; siri must not."""
    return Section.objects.get(edition=edition, unit__abbreviation="SVF", kind=SectionKind.STYRKOR)


@pytest.fixture
def free_section(edition: Edition) -> Section:
    """The edition's Inledning, a free section with no unit."""
    return Section.objects.get(edition=edition, unit=None, kind=SectionKind.INLEDNING)
