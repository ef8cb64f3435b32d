"""axe-core (WCAG 2.1 A and AA) finds no violation on the pages of children's voices (issue 15) — the list, the
forms (one with its error summary) and the delete page — nor on the report's preview with the part "Det här
säger barnen", at 1280 px and 390 px."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page

from axecheck import axe_check
from barnbokslut.web.editions import analysis
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.voices.models import ChildProposal, ChildQuote

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def voiced(this_year: Edition, kolada_cache: tuple[str, Path], settings: Any) -> Edition:
    settings.KOLADA_URL, settings.KOLADA_CACHE = (
        kolada_cache  # the preview's figures from the example snapshot
    )
    analysis.clear_memory()
    ChildQuote.objects.create(
        edition=this_year, text="Vi vill ha fler bänkar.", age="10–12 år", context="Barnrådet", consent=True
    )
    ChildQuote.objects.create(edition=this_year, text="Säg inte att jag sa det.", age="9 år", consent=False)
    ChildProposal.objects.create(
        edition=this_year, text="Gratis bussresor", origin="Ungdomsrådet", status="inte genomfört",
        feedback="Det finns inga pengar i år.",
    )  # fmt: skip
    return this_year


def _pages(e: Edition) -> dict[str, tuple[str, str]]:
    quote = ChildQuote.objects.filter(edition=e).first()
    assert quote is not None
    return {
        "list": (reverse("voices:page", args=[e.pk]), "Gratis bussresor"),
        "quote form": (reverse("voices:add", args=[e.pk, "citat"]), "Nytt citat"),
        "proposal form": (reverse("voices:add", args=[e.pk, "forslag"]), "Nytt förslag från barn"),
        "delete": (reverse("voices:delete", args=[e.pk, "citat", quote.pk]), "Ta bort citatet?"),
        "preview document": (reverse("publishing:preview_document", args=[e.pk]), "Det här säger barnen"),
    }


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize("name", ["list", "quote form", "proposal form", "delete", "preview document"])
def test_the_voices_pages_have_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], voiced: Edition, name: str, width: str
) -> None:
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "siri")
    url, shows = _pages(voiced)[name]
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None and response.status == 200, f"{name}: HTTP {response and response.status}"
    text = page.locator("body").inner_text()
    assert shows in text, f"{name}: the page does not show {shows!r}"
    if name == "preview document":
        assert "Vi vill ha fler bänkar." in text and "Säg inte att jag sa det." not in text
    violations = axe_check(page)
    assert not violations, f"{name}:\n" + "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_proposal_form_with_its_errors_has_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], voiced: Edition, width: str
) -> None:
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "siri")
    page.goto(f"{live_server.url}{reverse('voices:add', args=[voiced.pk, 'forslag'])}")
    page.get_by_label("Förslag", exact=True).fill("Längre öppettider")
    page.get_by_label("Vad som hände").select_option("inte genomfört")
    page.get_by_role("button", name="Spara").click()
    assert "Skriv varför förslaget inte genomförs" in page.locator(".error-summary").inner_text()
    violations = axe_check(page)
    assert not violations, "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_a_refused_survey_upload_and_an_uploaded_survey_have_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], voiced: Edition, width: str
) -> None:
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('voices:page', args=[voiced.pk])}")
    page.get_by_label("Enkätens namn").fill("LUPP")
    bad = "fråga;år;indelning;antal_svar;andel\nTrygg;2025;klass;40;75\n"
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        {"name": "lupp.csv", "mimeType": "text/csv", "buffer": bad.encode()}
    )
    page.get_by_role("button", name="Ladda upp enkäten").click()
    assert "lupp.csv, rad 2, kolumn ”indelning”" in page.locator(".error-summary").inner_text()
    violations = axe_check(page)
    assert not violations, "\n".join(str(v) for v in violations)
    page.get_by_label("Enkätens namn").fill("LUPP")
    good = "fråga;år;indelning;antal_svar;andel\nTrygg;2025;totalt;40;75\n"
    page.get_by_label("Fil (CSV eller XLSX)").set_input_files(
        {"name": "lupp.csv", "mimeType": "text/csv", "buffer": good.encode()}
    )
    page.get_by_role("button", name="Ladda upp enkäten").click()
    assert "Enkäten LUPP är sparad: 1 rad." in page.locator("body").inner_text()
    violations = axe_check(page)
    assert not violations, "\n".join(str(v) for v in violations)
