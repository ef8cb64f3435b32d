"""Sections of the shared cast's edition, named for whose they are."""

from __future__ import annotations

import pytest

from barnbokslut.web.editions.models import Edition, Section, SectionKind


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
