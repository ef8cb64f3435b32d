"""Issue 13's points 6 and 8 in Chromium: sam publishes "only approved texts" and the draft stays out of the
published page; the published page links to its version's page (publicerat/<id>/om/), which links each file with
its own checksum, names the version, the date and who published, and leads to the archive, which leads back.
axe-core finds no violation on the version page and the archive at 1280 and 390 px.

One publication for the whole module's journey: building it is the slow part (a few seconds without the indicator
analysis, the one seam patched, as in test_journeys.py).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.editions.models import Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.publishing import report_from_db
from barnbokslut.web.publishing.models import Publication

pytestmark = pytest.mark.django_db(transaction=True)

VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
APPROVED = "Fritidsgården i Bergvik har öppet varje kväll."
DRAFT = "Utkast som inte ska publiceras om simhallen."
MONTHS = (
    "januari", "februari", "mars", "april", "maj", "juni",
    "juli", "augusti", "september", "oktober", "november", "december",
)  # fmt: skip


def no_axe_violations(page: Page, name: str) -> None:
    """axe-core on the page as it is now, at both widths; back at 1280 px afterwards."""
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        violations = axe_check(page)
        assert not violations, f"{name} at {viewport['width']} px:\n" + "\n".join(str(v) for v in violations)
    page.set_viewport_size(VIEWPORTS[0])  # type: ignore[arg-type]


def test_only_approved_texts_are_published_and_the_version_page_has_files_checksums_and_archive(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, this_year: Edition,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setattr(report_from_db, "load_analysis", lambda edition, notes: None)
    cast.sam.first_name, cast.sam.last_name = "Sam", "Samordnare"
    cast.sam.save()
    Section.objects.filter(edition=this_year, unit=cast.bou, kind=SectionKind.FORUTSATTNINGAR).update(
        body=APPROVED, status=SectionStatus.APPROVED, version=1
    )
    Section.objects.filter(edition=this_year, unit=cast.svf, kind=SectionKind.STYRKOR).update(
        body=f"## Artikel 3\n\n{DRAFT}", status=SectionStatus.DRAFT, version=1
    )

    # Point 6: the publish page offers "only approved texts"; the draft is left out of what is published.
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('publishing:publish', args=[this_year.pk])}")
    expect(page.get_by_role("alert")).to_contain_text("inte godkända")
    page.get_by_label("Bara godkända avsnitt (de andra lämnas ute)").check()
    page.get_by_role("button", name="Publicera version 1").click()
    expect(page.get_by_text("Version 1 byggs nu")).to_be_visible()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    publication = Publication.objects.get(edition=this_year, version=1)
    assert publication.state == Publication.State.PUBLISHED, publication.error

    page.goto(f"{live_server.url}{reverse('publishing:public_html', args=[publication.public_id])}")
    published = page.locator("body")
    expect(published).to_contain_text(APPROVED)
    expect(published).not_to_contain_text(DRAFT)

    # Point 8: the published page links to its version's page.
    page.get_by_role("link", name="Om den här versionen").click()
    about = f"{live_server.url}{reverse('publishing:public_about', args=[publication.public_id])}"
    assert page.url == about
    main = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Söderhamns kommun")
    facts = {
        term: main.locator("dt").filter(has_text=re.compile(f"^{term}$")).locator("+ dd")
        for term in ("Version", "Publicerad", "Publicerad av", "Innehåll")
    }
    expect(facts["Version"]).to_have_text("Version 1")
    today = timezone.localdate()
    expect(facts["Publicerad"]).to_contain_text(f"{today.day} {MONTHS[today.month - 1]} {today.year}")
    expect(facts["Publicerad av"]).to_have_text("Sam Samordnare")
    expect(facts["Innehåll"]).to_contain_text("Bara avsnitt som var godkända")

    files = main.get_by_role("table", name="Filerna i version 1")
    rows = files.locator("tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.get_by_role("link")).to_have_text(["Webbsida", "PDF", "Word"])
    first_bytes = {"Webbsida": b"<!doctype html", "PDF": b"%PDF-", "Word": b"PK"}
    for index, label in enumerate(("Webbsida", "PDF", "Word")):
        row = rows.nth(index)
        href = row.get_by_role("link", name=label).get_attribute("href")
        response = page.request.get(f"{live_server.url}{href}")
        assert response.status == 200, label
        body = response.body()
        assert body.lstrip().lower().startswith(first_bytes[label].lower()), label
        # The checksum shown for this file is that of this file's bytes, not of the three together.
        expect(row.locator("code")).to_have_text(hashlib.sha256(body).hexdigest())
    no_axe_violations(page, "the version page")

    # The archive, and back from it to the version's page.
    page.get_by_role("link", name="Alla publicerade versioner från Söderhamns kommun").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Publicerade barnbokslut")
    no_axe_violations(page, "the archive")
    page.get_by_role("link", name="Version 1", exact=True).click()
    assert page.url == about
