"""Fixtures for the publishing tests: published files in a folder of their own, an edition with a few texts,
and no indicator analysis unless a test asks for it (the report stays small and fast)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from publishing_helpers import BOU_TEXT, INTRODUCTION, SVF_STRENGTH

from barnbokslut.web.editions.models import Edition, FollowUp, Section, SectionKind, SectionStatus
from barnbokslut.web.publishing import report_from_db


@pytest.fixture(autouse=True, scope="session")
def static_root_exists() -> None:
    """WhiteNoise warns (an error here) when STATIC_ROOT is missing."""
    Path(django_settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def no_analysis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one seam patched: the edition's indicator analysis (tests of the indicators pass their own)."""
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)


@pytest.fixture
def written(edition: Edition) -> Edition:
    """The cast's edition with an approved Inledning, BOU's story and one of SVF's strengths (not approved)."""
    Section.objects.filter(edition=edition, unit=None, kind=SectionKind.INLEDNING).update(
        body=INTRODUCTION, status=SectionStatus.APPROVED
    )
    Section.objects.filter(
        edition=edition, unit__abbreviation="BOU", kind=SectionKind.FORUTSATTNINGAR
    ).update(body=BOU_TEXT, status=SectionStatus.APPROVED)
    Section.objects.filter(edition=edition, unit__abbreviation="SVF", kind=SectionKind.STYRKOR).update(
        body=SVF_STRENGTH, status=SectionStatus.READY
    )
    FollowUp.objects.create(edition=edition, area="Delaktighet", action="Fler elevråd", status="genomford")
    FollowUp.objects.create(edition=edition, area="Fritid", action="Öppna fritidsgårdar")  # no status yet
    return edition
