"""The editions tests' fixtures: last year's finished edition of the shared cast, and our Kolada server.

``last_year`` is Söderhamn's 2024 edition: siri wrote BOU's texts and sam the Inledning, two development
areas (one for BOU and SVF, one for BOU only), three chosen indicators with comments and edited standard texts.
``kolada`` serves the example snapshot on loopback and points ``settings.KOLADA_URL``/``KOLADA_CACHE`` at it
and at an empty cache in ``tmp_path``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import taskworker

from barnbokslut.koladaserver import KoladaServer
from barnbokslut.web.editions import analysis
from barnbokslut.web.editions.models import (
    FREE_KINDS,
    UNIT_KINDS,
    DevelopmentArea,
    Edition,
    EditionIndicator,
    Section,
    SectionKind,
    SectionStatus,
)
from example_kolada import example_server


@pytest.fixture(autouse=True)
def fresh_analysis_memory() -> Iterator[None]:
    analysis.clear_memory()
    yield
    analysis.clear_memory()


@pytest.fixture
def last_year(cast) -> Edition:  # type: ignore[no-untyped-def]
    edition = Edition.objects.create(
        organisation=cast.organisation,
        year=2024,
        title="Barnbokslut för Söderhamn",
        state=Edition.State.CLOSED,
        standard_texts={"syfte": "Vårt eget syfte.", "begrepp": "## Barnperspektiv\n\nEgen text."},
    )
    for kind in FREE_KINDS:
        Section.objects.create(
            edition=edition,
            kind=kind,
            status=SectionStatus.APPROVED,
            body="Förra året",
            writer=cast.sam if kind == SectionKind.INLEDNING else None,
        )
    for unit, writer in ((cast.bou, cast.siri), (cast.svf, cast.sven)):
        for kind in UNIT_KINDS:
            Section.objects.create(
                edition=edition, unit=unit, kind=kind, status=SectionStatus.APPROVED, writer=writer
            )
    safe = DevelopmentArea.objects.create(
        edition=edition,
        area="Trygghet i skolan",
        measures="Fler vuxna på rasterna",
        expected_results="Fler elever känner sig trygga",
        articles=[3, 12],
        indicators=["N15613"],
        order=0,
    )
    safe.units.set([cast.bou, cast.svf])
    voice = DevelopmentArea.objects.create(
        edition=edition, area="Barns delaktighet", measures="Elevråd i alla skolor", articles=[12], order=1
    )
    voice.units.set([cast.bou])
    for order, kpi in enumerate(["U31803", "N15613", "N02903"]):
        EditionIndicator.objects.create(edition=edition, kpi=kpi, order=order, comment=f"Kommentar om {kpi}")
    return edition


@pytest.fixture
def kolada(settings, tmp_path: Path) -> Iterator[KoladaServer]:  # type: ignore[no-untyped-def]
    """Our Kolada server with the example snapshot (Söderhamn is 2182), and a fresh shared cache."""
    with example_server(port=0) as server:
        settings.KOLADA_URL = server.url
        settings.KOLADA_CACHE = tmp_path / "kolada-cache.sqlite3"
        settings.KOLADA_MAX_RETRIES = 0
        yield server


@pytest.fixture
def run_worker():  # type: ignore[no-untyped-def]
    """Run the django-tasks database worker over every queued task and stop (``db_worker --batch``)."""

    return taskworker.run_worker
