"""The board in Chromium: on a 390 px phone nothing scrolls sideways and every control is on screen; the
coordinator ticks a whole unit with "Välj alla" and assigns it in one save; a row's save comes back to that row;
the home page's work lists lead the writer to her text."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from barnbokslut.web.editions.models import Edition, Section, SectionKind

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 390, "height": 844}


def _board(live_server: Any, edition: Edition) -> str:
    return f"{live_server.url}{reverse('editions:board', args=[edition.pk])}"


def test_the_board_fits_a_phone_and_its_controls_are_on_screen(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], this_year: Edition
) -> None:
    page.set_viewport_size(PHONE)
    log_in(page, "sam")
    page.goto(_board(live_server, this_year))
    widths = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]} px content in {widths[1]} px"
    section = Section.objects.get(edition=this_year, unit__abbreviation="BOU", kind=SectionKind.STYRKOR)
    row = page.locator(f"#avsnitt-{section.pk}")
    for control in (
        row.get_by_label(f"Skribent för {section.title}"),
        row.get_by_label(f"Senast klar för {section.title}"),
        row.get_by_role("button", name=f"Spara skribent och datum för {section.title}"),
        row.get_by_label(f"Välj {section.title}"),
    ):
        control.scroll_into_view_if_needed()
        box = control.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box


def test_the_coordinator_ticks_a_unit_and_assigns_it_in_one_save_then_saves_one_row(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, this_year: Edition
) -> None:
    cast.siri.first_name = "Siri"
    cast.siri.save()
    log_in(page, "sam")
    page.goto(_board(live_server, this_year))
    page.get_by_label("Välj alla avsnitt i Barn och unga").check()
    page.get_by_label("Skribent", exact=True).select_option(label="Siri")
    page.get_by_label("Senast klar", exact=True).fill("2026-04-30")
    page.get_by_role("button", name="Spara för valda avsnitt").click()
    expect(page.get_by_text("3 avsnitt fick skribent Siri och senast klar 30 april 2026.")).to_be_visible()
    bou = Section.objects.filter(edition=this_year, unit=cast.bou)
    assert {(s.writer_id, s.deadline) for s in bou} == {(cast.siri.pk, datetime.date(2026, 4, 30))}
    assert not Section.objects.filter(edition=this_year, unit=cast.svf, writer__isnull=False).exists()

    # One row further down: the page comes back to that row, which says it was saved.
    section = Section.objects.get(edition=this_year, unit=cast.svf, kind=SectionKind.UTMANINGAR)
    row = page.locator(f"#avsnitt-{section.pk}")
    row.get_by_label(f"Senast klar för {section.title}").fill("2026-05-10")
    row.get_by_role("button", name=f"Spara skribent och datum för {section.title}").click()
    page.wait_for_url(f"**#avsnitt-{section.pk}")
    expect(page.locator(f"#avsnitt-{section.pk}").get_by_text("Sparat")).to_be_in_viewport()
    assert Section.objects.get(pk=section.pk).deadline == datetime.date(2026, 5, 10)


def test_the_writer_finds_her_text_in_att_skriva_on_the_home_page(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, this_year: Edition
) -> None:
    section = Section.objects.get(edition=this_year, unit=cast.bou, kind=SectionKind.UTMANINGAR)
    Section.objects.filter(pk=section.pk).update(writer=cast.siri)
    log_in(page, "siri")
    page.goto(f"{live_server.url}{reverse('core:home')}")
    work = page.get_by_role("region", name="Att skriva")
    work.get_by_role("link", name=str(section)).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Utmaningar")
