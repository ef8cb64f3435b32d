"""The edition pages in Debian Chromium: inline table editing with htmx, the Kolada progress bar, and axe-core.

The live server and the browser share the test database (``transaction=True``); the Kolada refresh is run by
the database worker in the test process while the page polls for progress.
"""

from __future__ import annotations

import os

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.editions.models import FollowUp, FollowUpStatus, KoladaRefresh
from barnbokslut.web.editions.services import start_edition

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "losenord-123"


def log_in(page: Page, live_server, username: str) -> None:  # type: ignore[no-untyped-def]
    page.context.clear_cookies()
    page.goto(f"{live_server.url}{reverse('login')}")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_load_state()


@pytest.fixture
def this_year(cast, last_year):  # type: ignore[no-untyped-def]
    return start_edition(cast.organisation, 2025, cast.sam)


def test_the_coordinator_edits_a_follow_up_row_inline(page: Page, live_server, cast, this_year) -> None:
    row = FollowUp.objects.get(edition=this_year, area="Trygghet i skolan")
    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}{reverse('editions:follow_up', args=[this_year.pk])}")
    assert not axe_check(page), axe_check(page)

    page.get_by_role("link", name="Redigera Trygghet i skolan").click()
    editing = page.locator(f"#rad-{row.pk}")
    editing.get_by_label("Kommentar för hela raden").fill("Klart i alla skolor")
    editing.get_by_role("button", name="Spara").click()

    saved = page.locator(f"#rad-{row.pk}")
    expect(saved).to_contain_text("Klart i alla skolor")
    expect(saved.locator("textarea")).to_have_count(0)
    row.refresh_from_db()
    assert row.comment == "Klart i alla skolor"


def test_the_coordinator_sets_each_actions_status_inline(page: Page, live_server, cast, this_year) -> None:
    row = FollowUp.objects.get(edition=this_year, area="Trygghet i skolan")
    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}{reverse('editions:follow_up', args=[this_year.pk])}")

    page.get_by_role("link", name="Åtgärder och status för Trygghet i skolan").click()
    editing = page.locator(f"#rad-{row.pk}")
    first = editing.get_by_role("group", name="Åtgärd 1")
    first.get_by_label("Status").select_option(label="Genomförd")
    first.get_by_label("Kommentar").fill("Klart i alla skolor")
    editing.get_by_role("button", name="Lägg till en åtgärd").click()
    second = page.locator(f"#rad-{row.pk}").get_by_role("group", name="Åtgärd 2")
    second.get_by_label("Text").fill("Trygghetsvandring")
    second.get_by_label("Status").select_option(label="Påbörjad")
    assert not axe_check(page), axe_check(page)
    page.locator(f"#rad-{row.pk}").get_by_role("button", name="Spara åtgärderna").click()

    saved = page.locator(f"#rad-{row.pk}")
    expect(saved).to_contain_text("härledd ur åtgärderna")
    expect(saved).to_contain_text("Klart i alla skolor")
    expect(saved.locator("textarea")).to_have_count(0)
    row.refresh_from_db()
    assert [(a["text"], a["status"]) for a in row.actions] == [
        ("Fler vuxna på rasterna", FollowUpStatus.DONE),
        ("Trygghetsvandring", FollowUpStatus.STARTED),
    ]
    assert row.status == ""
    assert not axe_check(page), axe_check(page)


def test_an_inline_error_is_shown_next_to_the_field(page: Page, live_server, cast, this_year) -> None:
    row = FollowUp.objects.get(edition=this_year, area="Barns delaktighet")
    log_in(page, live_server, "alva")
    page.goto(f"{live_server.url}{reverse('editions:follow_up', args=[this_year.pk])}")

    page.get_by_role("link", name="Redigera Barns delaktighet").click()
    editing = page.locator(f"#rad-{row.pk}")
    editing.get_by_label("Utvecklingsområde").fill("")
    editing.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("Skriv vilket utvecklingsområde raden gäller.")

    page.locator(f"#rad-{row.pk}").get_by_role("link", name="Avbryt").click()
    page.get_by_role("link", name="Åtgärder och status för Barns delaktighet").click()
    editing = page.locator(f"#rad-{row.pk}")
    editing.get_by_role("group", name="Åtgärd 1").get_by_label("Text").fill("")
    editing.get_by_role("button", name="Spara åtgärderna").click()

    expect(page.locator(f"#rad-{row.pk}")).to_contain_text("Åtgärd 1, text: Skriv vad åtgärden går ut på.")
    row.refresh_from_db()
    assert (row.area, row.action) == ("Barns delaktighet", "Elevråd i alla skolor")
    assert row.actions[0]["text"] == "Elevråd i alla skolor"


def test_the_dashboard_and_the_development_areas_pass_axe(page: Page, live_server, cast, this_year) -> None:
    log_in(page, live_server, "siri")
    page.goto(f"{live_server.url}{reverse('editions:detail', args=[this_year.pk])}")
    expect(page.get_by_role("heading", name="Mina avsnitt")).to_be_visible()
    assert not axe_check(page), axe_check(page)

    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}{reverse('editions:development', args=[this_year.pk])}")
    assert not axe_check(page), axe_check(page)
    page.goto(f"{live_server.url}{reverse('editions:new', args=[cast.organisation.pk])}")
    assert not axe_check(page), axe_check(page)


def test_the_progress_bar_polls_until_the_refresh_is_done(
    page: Page, live_server, cast, this_year, kolada, run_worker
) -> None:
    log_in(page, live_server, "sam")
    page.goto(f"{live_server.url}{reverse('editions:indicators', args=[this_year.pk])}")
    expect(page.get_by_text("Inga nyckeltal hämtade ännu")).to_be_visible()

    page.get_by_role("button", name="Uppdatera från Kolada").click()
    expect(page.locator("#kolada-uppdatering progress")).to_be_visible()
    assert KoladaRefresh.objects.get().state == KoladaRefresh.State.QUEUED

    run_worker()

    expect(page.get_by_role("link", name="Visa de uppdaterade nyckeltalen")).to_be_visible(timeout=5000)
    page.get_by_role("link", name="Visa de uppdaterade nyckeltalen").click()
    expect(page.get_by_role("heading", name="Sammanfattning")).to_be_visible()
    expect(page.get_by_role("img", name="Linjediagram: Ekonomiskt bistånd")).to_be_visible()
    assert not axe_check(page), axe_check(page)
