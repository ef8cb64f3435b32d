"""The administrator's year in Chromium (issue 13, items 3 and 5): units change while an edition runs, and the
next year starts from this one.

alva (administratör) adds a unit while 2025 runs and finds its three sections on the board; makes SVF inactive
and its untouched sections go (the one with text stays); starts 2026 from 2025 and finds Inledning offered as a
draft "från förra året", the deadlines a year later and the local table copied. axe-core finds no violation on
any page she passes, at 1280 and at 390 px.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.editions.models import Edition, SectionKind, SectionStatus
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.organisations.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
INTRODUCTION = "Barnrättsarbetet i Söderhamn bygger på barnkonventionen."


def no_axe_violations(page: Page, name: str) -> None:
    """axe-core on the page as it is now, at both widths; back at 1280 px afterwards."""
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        violations = axe_check(page)
        assert not violations, f"{name} at {viewport['width']} px:\n" + "\n".join(str(v) for v in violations)
    page.set_viewport_size(VIEWPORTS[0])  # type: ignore[arg-type]


def unit_cells(page: Page, abbreviation: str) -> Any:
    """The board's "Enhet" cells naming the unit ``abbreviation``."""
    return page.locator("td[data-label='Enhet'] abbr", has_text=abbreviation)


@pytest.fixture
def running(this_year: Edition, cast: Any) -> Edition:
    """2025 under way: an introduction written, deadlines set, one SVF text written, a local table."""
    this_year.sections.filter(unit=None, kind=SectionKind.INLEDNING).update(
        body=INTRODUCTION, version=1, deadline=datetime.date(2025, 3, 14)
    )
    this_year.sections.filter(unit=cast.bou, kind=SectionKind.STYRKOR).update(
        deadline=datetime.date(2025, 4, 30)
    )
    this_year.sections.filter(unit=cast.svf, kind=SectionKind.STYRKOR).update(
        body="Fritidsgårdarna har öppet fler kvällar.", version=1
    )
    LocalTable.objects.create(
        edition=this_year, title="Behörighet per skola", unit="%", source_filename="skolor.csv",
        sha256="0" * 64, columns=["Skola", "2024", "2025"],
        rows=[["Bergvik", 81.2, 83.5], ["Centralskolan", 76.4, 74.9]], uploaded_by=cast.sam,
    )  # fmt: skip
    return this_year


def test_units_change_during_the_year_and_the_next_year_starts_from_this_one(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, running: Edition
) -> None:
    board_2025 = f"{live_server.url}{reverse('editions:board', args=[running.pk])}"
    log_in(page, "alva")

    # A unit added while 2025 runs gets its three sections on the board.
    page.goto(f"{live_server.url}{reverse('organisations:detail', args=[cast.organisation.pk])}")
    no_axe_violations(page, "organisation")
    page.get_by_role("link", name="Ny enhet", exact=True).click()
    no_axe_violations(page, "new unit")
    page.get_by_label("Namn").fill("Kultur och fritid")
    page.get_by_label("Förkortning").fill("KOF")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Kultur och fritid")).to_be_visible()
    page.goto(board_2025)
    expect(unit_cells(page, "KOF")).to_have_count(3)
    no_axe_violations(page, "board with the new unit")
    kof = Unit.objects.get(organisation=cast.organisation, abbreviation="KOF")
    assert set(running.sections.filter(unit=kof).values_list("kind", flat=True)) == {
        SectionKind.FORUTSATTNINGAR,
        SectionKind.STYRKOR,
        SectionKind.UTMANINGAR,
    }

    # SVF made inactive: its two untouched sections go, the one with text stays.
    expect(unit_cells(page, "SVF")).to_have_count(3)
    page.goto(f"{live_server.url}{reverse('organisations:detail', args=[cast.organisation.pk])}")
    page.get_by_role("link", name=f"Ändra eller flytta {cast.svf.name}").click()
    no_axe_violations(page, "edit unit")
    page.get_by_label("Aktiv").uncheck()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("avvecklad")).to_be_visible()
    page.goto(board_2025)
    expect(unit_cells(page, "SVF")).to_have_count(1)
    assert list(running.sections.filter(unit=cast.svf).values_list("kind", flat=True)) == [
        SectionKind.STYRKOR
    ]

    # Next year's edition starts from this one.
    page.goto(f"{live_server.url}{reverse('editions:detail', args=[running.pk])}")
    page.get_by_role("link", name="Starta en ny årgång från den här").click()
    expect(page.get_by_label("År")).to_have_value("2026")
    no_axe_violations(page, "new edition")
    page.get_by_role("button", name="Skapa årgången").click()
    expect(page.get_by_text("Årgång 2026 är skapad från årgång 2025.")).to_be_visible()
    next_year = Edition.objects.get(organisation=cast.organisation, year=2026)
    assert page.url == f"{live_server.url}{reverse('editions:detail', args=[next_year.pk])}"
    no_axe_violations(page, "the new edition's dashboard")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Tavla").click()
    introduction = next_year.sections.get(unit=None, kind=SectionKind.INLEDNING)
    row = page.locator(f"#avsnitt-{introduction.pk}")
    expect(row).to_contain_text("från förra året")
    expect(row.get_by_text("Utkast")).to_be_visible()
    expect(page.locator(f"#deadline-{introduction.pk}")).to_have_value("2026-03-14")
    styrkor = next_year.sections.get(unit=cast.bou, kind=SectionKind.STYRKOR)
    expect(page.locator(f"#deadline-{styrkor.pk}")).to_have_value("2026-04-30")
    expect(unit_cells(page, "KOF")).to_have_count(3)  # the unit added during 2025
    expect(unit_cells(page, "SVF")).to_have_count(0)  # the inactive unit gets none
    no_axe_violations(page, "the new edition's board")
    assert (introduction.status, introduction.carried_over, introduction.body) == (
        SectionStatus.DRAFT,
        True,
        INTRODUCTION,
    )

    row.get_by_role("link", name="Inledning").click()
    expect(page.get_by_text("Från förra året.")).to_be_visible()
    expect(page.get_by_role("textbox").first).to_have_value(INTRODUCTION)
    no_axe_violations(page, "the carried-over introduction")

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Lokala uppgifter").click()
    table = page.get_by_role("row", name="Behörighet per skola")
    expect(table).to_contain_text("från förra året")
    no_axe_violations(page, "the new edition's local data")
    copy = LocalTable.objects.get(edition=next_year)
    assert (copy.carried_over, copy.rows) == (True, [["Bergvik", 81.2, 83.5], ["Centralskolan", 76.4, 74.9]])
