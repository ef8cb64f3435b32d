"""The journeys of issue 5 in Debian Chromium, end to end through the live server.

The cast: sam (samordnare) opens the year and publishes, siri (skribent for BOU) writes, greta (granskare)
reviews, stina is a second skribent for BOU who edits the same text as siri at the same time.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Browser, Page, expect

from barnbokslut.web.editions.models import Edition, FollowUp, Section, SectionKind, SectionStatus
from barnbokslut.web.publishing import report_from_db
from barnbokslut.web.publishing.models import Publication
from pdfcheck import pdf_check

pytestmark = pytest.mark.django_db(transaction=True)

LogIn = Callable[[Page, str], None]


def bou_section(edition: Edition) -> Section:
    return Section.objects.get(edition=edition, unit__abbreviation="BOU", kind=SectionKind.FORUTSATTNINGAR)


def editor_url(live_server: Any, section: Section) -> str:
    return f"{live_server.url}{reverse('editions:section_edit', args=[section.pk])}"


def test_the_coordinator_opens_this_year_from_last_years_and_finds_the_follow_up_rows(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, last_year: Edition
) -> None:
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('editions:detail', args=[last_year.pk])}")
    page.get_by_role("link", name="Starta en ny årgång från den här").click()
    expect(page.get_by_text("bygger på årgång 2024")).to_be_visible()
    page.get_by_label("År").fill("2025")
    page.get_by_role("button", name="Skapa årgången").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Barnbokslut 2025")
    this_year = Edition.objects.get(organisation=cast.organisation, year=2025)
    assert this_year.previous_id == last_year.pk
    page.get_by_role("link", name="Uppföljning av förra årets utvecklingsområden").click()
    table = page.get_by_role("table")
    expect(table).to_contain_text("Trygghet i skolan")
    expect(table).to_contain_text("Fler vuxna på rasterna")
    expect(table).to_contain_text("Barns delaktighet")
    rows = FollowUp.objects.filter(edition=this_year).order_by("order")
    assert [(r.area, r.status) for r in rows] == [("Trygghet i skolan", ""), ("Barns delaktighet", "")]


def test_a_text_goes_from_writer_to_reviewer_and_back_until_it_is_approved(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    section = bou_section(this_year)
    log_in(page, "siri")
    page.goto(editor_url(live_server, section))
    page.get_by_label("Text (Markdown)").fill("Barn och unga har **fler fritidsledare** i år.")
    page.get_by_label("Text (Markdown)").press("End")  # the live preview listens for keyup
    expect(page.locator("#forhandsvisning strong")).to_have_text("fler fritidsledare")  # live preview
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("skickat till granskning")).to_be_visible()

    log_in(page, "greta")
    page.goto(editor_url(live_server, section))
    page.get_by_label("Kommentar till skribenten (krävs)").fill("Skriv hur många fritidsledarna är.")
    page.get_by_role("button", name="Återremittera").click()
    expect(page.get_by_text("återremitterat till skribenten")).to_be_visible()

    log_in(page, "siri")
    page.goto(editor_url(live_server, section))
    expect(page.get_by_role("region", name="Granskarens kommentar")).to_contain_text("Skriv hur många")
    page.get_by_label("Text (Markdown)").fill("Barn och unga har **sex nya fritidsledare** i år.")
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("skickat till granskning")).to_be_visible()

    log_in(page, "greta")
    page.goto(editor_url(live_server, section))
    expect(page.locator(".preview")).to_contain_text("sex nya fritidsledare")
    page.get_by_role("button", name="Godkänn").click()
    expect(page.get_by_text("Avsnittet är godkänt.")).to_be_visible()

    section.refresh_from_db()
    assert section.status == SectionStatus.APPROVED
    assert section.body == "Barn och unga har **sex nya fritidsledare** i år."
    assert [v.status for v in section.versions.order_by("number")] == [
        SectionStatus.READY, SectionStatus.RETURNED, SectionStatus.READY, SectionStatus.APPROVED,
    ]  # fmt: skip


def test_the_coordinator_publishes_and_the_pdf_holds_the_writers_text(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition,
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
) -> None:  # fmt: skip
    # The one seam patched: no indicator analysis, so the report stays a few pages and builds in seconds.
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)
    Section.objects.filter(pk=bou_section(this_year).pk).update(
        body="Fritidsgården i Bergvik har öppet varje kväll.", status=SectionStatus.APPROVED
    )
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('publishing:publish', args=[this_year.pk])}")
    page.get_by_role("button", name="Publicera version 1").click()
    expect(page.get_by_text("Version 1 byggs nu")).to_be_visible()

    # The job worker, for one batch, in this process: what `barnbokslut serve` runs beside gunicorn.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    publication = Publication.objects.get(edition=this_year, version=1)
    assert publication.state == Publication.State.PUBLISHED, publication.error

    page.reload()
    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    pdf = tmp_path / "barnbokslut.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Fritidsgården i Bergvik har öppet varje kväll." in " ".join(text.split())
    assert pdf_check(pdf) == []


def test_two_writers_save_the_same_text_and_the_second_gets_both_versions_and_loses_nothing(
    browser: Browser, live_server: Any, log_in: LogIn, cast: Any, stina: Any, this_year: Edition
) -> None:
    section = bou_section(this_year)
    siri, stina_page = browser.new_page(), browser.new_page()  # two contexts: two people
    try:
        for page, user in ((siri, "siri"), (stina_page, "stina")):
            log_in(page, user)
            page.goto(editor_url(live_server, section))
        siri.get_by_label("Text (Markdown)").fill("Siris text om fritiden.")
        stina_page.get_by_label("Text (Markdown)").fill("Stinas text om skolan.")
        siri.get_by_role("button", name="Spara", exact=True).click()
        expect(siri.get_by_text("Texten är sparad")).to_be_visible()
        stina_page.get_by_role("button", name="Spara", exact=True).click()

        conflict = stina_page.locator("#konflikt")
        expect(conflict).to_contain_text("Någon annan har sparat avsnittet medan du skrev")
        expect(stina_page.get_by_label("Deras text (sparad, version 1)")).to_have_value(
            "Siris text om fritiden."
        )
        expect(stina_page.get_by_label("Text (Markdown)")).to_have_value("Stinas text om skolan.")
        section.refresh_from_db()
        assert (section.body, section.version) == ("Siris text om fritiden.", 1)

        # Stina keeps both texts and saves again: now against version 1, so it goes through.
        stina_page.get_by_label("Text (Markdown)").fill("Siris text om fritiden.\n\nStinas text om skolan.")
        stina_page.get_by_role("button", name="Spara", exact=True).click()
        expect(stina_page.get_by_text("Texten är sparad")).to_be_visible()
        section.refresh_from_db()
        assert (section.body, section.version) == ("Siris text om fritiden.\n\nStinas text om skolan.", 2)
    finally:
        siri.context.close()
        stina_page.context.close()
