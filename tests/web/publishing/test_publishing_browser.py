"""Local data, preview and publishing in Debian Chromium: the coordinator uploads a CSV, previews and imports it,
sees the report in the preview, publishes and watches the progress turn into "Publicerad"; axe-core finds no
violations on these pages."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from publishing_helpers import INTRODUCTION, run_worker

import barnbokslut.web
from axecheck import axe_check
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.publishing.models import Publication

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.django_db(transaction=True)

WEB_STATIC = Path(barnbokslut.web.__file__).parent / "static"


@pytest.fixture(autouse=True)
def static_files(settings) -> None:
    if WEB_STATIC not in [Path(d) for d in settings.STATICFILES_DIRS]:
        settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, WEB_STATIC]


@pytest.fixture(autouse=True)
def uploads(settings, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path / "data"


def log_in(page: Page, live_server, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill("losenord-123")
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


def test_the_coordinator_imports_a_csv_and_publishes(
    page: Page, live_server, cast, written, tmp_path
) -> None:
    csv_file = tmp_path / "behorighet.csv"
    csv_file.write_bytes("\ufeffSkola;Andel (%)\nNorrskolan;87,5\nSöderskolan;..\n".encode())
    log_in(page, live_server, "sam")

    page.goto(f"{live_server.url}{reverse('localdata:list', args=[written.pk])}")
    assert not axe_check(page), axe_check(page)
    page.get_by_label("Fil (CSV eller Excel)").set_input_files(str(csv_file))
    page.get_by_label("Rubrik").fill("Behörighet per skola")
    page.get_by_role("button", name="Förhandsgranska").click()
    expect(page.get_by_role("heading", name="Förhandsgranskning av behorighet.csv")).to_be_visible()
    assert LocalTable.objects.count() == 0
    assert not axe_check(page), axe_check(page)
    page.get_by_role("button", name="Importera").click()
    expect(page.get_by_text("Importerade ”Behörighet per skola”: 2 rader.")).to_be_visible()
    assert LocalTable.objects.get().rows == [["Norrskolan", 87.5], ["Söderskolan", None]]

    page.goto(f"{live_server.url}{reverse('publishing:preview', args=[written.pk])}")
    frame = page.frame_locator("iframe.report-frame")
    expect(frame.get_by_text(INTRODUCTION)).to_be_visible()
    expect(frame.get_by_text("Behörighet per skola").first).to_be_attached()
    assert not axe_check(page), axe_check(page)

    page.goto(f"{live_server.url}{reverse('publishing:publish', args=[written.pk])}")
    assert not axe_check(page), axe_check(page)
    page.get_by_role("button", name="Publicera version 1").click()
    expect(page.get_by_text("Byggs …")).to_be_visible()
    run_worker()
    expect(page.locator("#publiceringar").get_by_text("Publicerad", exact=True)).to_be_visible(timeout=10_000)
    publication = Publication.objects.get()
    expect(page.get_by_text(publication.sha256)).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").click()
    assert download.value.suggested_filename == "barnbokslut-soderhamn-2025-v1.pdf"

    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('publishing:archive', args=['soderhamn'])}")
    expect(page.get_by_text(publication.sha256)).to_be_visible()
    assert not axe_check(page), axe_check(page)
