"""axe-core (WCAG 2.1 A and AA) finds no violation on the main pages and the error pages, each seen by the role
that uses it, on a desktop (1280 px) and on a phone (390 px)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.core import views as core_views
from barnbokslut.web.editions import analysis
from barnbokslut.web.editions.models import Edition, EditionIndicator, Section, SectionKind
from barnbokslut.web.localdata.models import LocalTable

pytestmark = pytest.mark.django_db(transaction=True)

#: (page, who looks at it, URL builder from the edition, a text the page must show so axe checks real content)
PAGES: list[tuple[str, str | None, Callable[[Edition], str], str]] = [
    ("login", None, lambda e: reverse("login"), "Logga in"),
    ("home", "sam", lambda e: reverse("core:home"), "Barnbokslut 2025"),
    ("edition", "sam", lambda e: reverse("editions:detail", args=[e.pk]), "Årgångens delar"),
    ("board", "sam", lambda e: reverse("editions:board", args=[e.pk]), "Barn och unga"),
    (
        "section editor",
        "siri",
        lambda e: reverse(
            "editions:section_edit",
            args=[
                Section.objects.get(edition=e, unit__abbreviation="BOU", kind=SectionKind.FORUTSATTNINGAR).pk
            ],
        ),
        "fler fritidsledare",
    ),
    ("report structure", "sam", lambda e: reverse("editions:structure", args=[e.pk]), "Lägg till en del"),
    (
        "follow-up table",
        "sam",
        lambda e: reverse("editions:follow_up", args=[e.pk]),
        "Fler elever känner sig trygga",
    ),
    ("standard texts", "sam", lambda e: reverse("editions:standard_texts", args=[e.pk]), "Från förra året."),
    (
        "development areas table",
        "sam",
        lambda e: reverse("editions:development", args=[e.pk]),
        "Lägg till en rad",
    ),
    ("indicators", "sam", lambda e: reverse("editions:indicators", args=[e.pk]), "Ekonomiskt bistånd"),
    ("local data", "sam", lambda e: reverse("localdata:list", args=[e.pk]), "Behörighet per skola"),
    (
        "local table",
        "sam",
        lambda e: reverse("localdata:detail", args=[e.pk, e.local_tables.get().pk]),
        "Bergvik",
    ),
    ("preview", "sam", lambda e: reverse("publishing:preview", args=[e.pk]), "Förhandsgranskning"),
    (
        "preview document",
        "sam",
        lambda e: reverse("publishing:preview_document", args=[e.pk]),
        "fler fritidsledare",
    ),
    ("barnversion", "sam", lambda e: reverse("editions:child_version", args=[e.pk]), "Så kan du säga"),
    (
        "barnversion preview",
        "sam",
        lambda e: reverse("editions:child_version_preview", args=[e.pk]),
        "Så kan du säga",
    ),
    ("publish", "sam", lambda e: reverse("publishing:publish", args=[e.pk]), "Publicera version 1"),
    ("bka register", "siri", lambda e: reverse("bka:list", args=[e.organisation.pk]), "BOU 2025/17"),
    (
        "bka decision",
        "siri",
        lambda e: reverse("bka:detail", args=[e.organisation.pk, Decision.objects.get().pk]),
        "Ny skolskjutsorganisation",
    ),
    (
        "bka new decision",
        "siri",
        lambda e: reverse("bka:add", args=[e.organisation.pk]),
        "Har barnets bästa prövats?",
    ),
    (
        "bka edit decision",
        "siri",
        lambda e: reverse("bka:edit", args=[e.organisation.pk, Decision.objects.get().pk]),
        "Kompenserande åtgärder",
    ),
    (
        "bka delete decision",
        "siri",
        lambda e: reverse("bka:delete", args=[e.organisation.pk, Decision.objects.get().pk]),
        "Ja, ta bort beslutet",
    ),
    ("bka import", "sam", lambda e: reverse("bka:import", args=[e.organisation.pk]), "Förhandsgranska"),
    ("users", "alva", lambda e: reverse("accounts:members", args=[e.organisation.pk]), "greta"),
    ("account", "siri", lambda e: reverse("accounts:account"), "Skicka aviseringar till mig per e-post"),
]

#: (page, who looks at it, URL builder, the HTTP status, a text the page must show)
ERROR_PAGES: list[tuple[str, str | None, Callable[[Edition], str], int, str]] = [
    ("403", "greta", lambda e: reverse("editions:structure", args=[e.pk]), 403, "Ingen behörighet"),
    ("404", "sam", lambda e: "/finns-inte/", 404, "finns inte"),
]
VIEWPORTS = {"1280": {"width": 1280, "height": 900}, "390": {"width": 390, "height": 844}}


@pytest.fixture
def filled(this_year: Edition, kolada_cache: tuple[str, Path], settings: Any, cast: Any) -> Edition:
    """This year's edition with texts, an indicator comment, a local table and Kolada data to show."""
    settings.KOLADA_URL, settings.KOLADA_CACHE = kolada_cache
    analysis.clear_memory()
    this_year.sections.filter(unit=cast.bou).update(body="Barn och unga har **fler fritidsledare** i år.")
    # Last year's expected results beside a follow-up row, and a standard text marked "från förra året".
    this_year.follow_ups.filter(area="Trygghet i skolan").update(
        expected_results="Fler elever känner sig trygga"
    )
    Edition.objects.filter(pk=this_year.pk).update(standard_texts_carried_over=["begrepp"])
    this_year.refresh_from_db()
    EditionIndicator.objects.filter(edition=this_year, kpi="U31803").update(
        comment="Samma nivå som förra året."
    )
    LocalTable.objects.create(
        edition=this_year, title="Behörighet per skola", unit="%", source_filename="skolor.csv", sha256="0" * 64,
        columns=["Skola", "2024", "2025"], rows=[["Bergvik", 81.2, 83.5], ["Centralskolan", 76.4, 74.9]],
        uploaded_by=cast.sam,
    )  # fmt: skip
    Decision.objects.create(
        organisation=cast.organisation, unit=cast.bou, diarienummer="BOU 2025/17", decided_on=date(2025, 3, 4),
        decision="Ny skolskjutsorganisation", analysis="fullständig", children_heard=True, outcome="mot",
        compensating="Extra tur på morgonen", articles="3, 28", heard_count=24,
    )  # fmt: skip
    return this_year


@pytest.mark.parametrize("width", VIEWPORTS)
@pytest.mark.parametrize(
    ("name", "user", "url", "status", "shows"),
    [(name, user, url, 200, shows) for name, user, url, shows in PAGES] + ERROR_PAGES,
    ids=[page[0] for page in PAGES + ERROR_PAGES],  # type: ignore[operator]
)
def test_the_main_pages_have_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], filled: Edition,
    name: str, user: str | None, url: Callable[[Edition], str], status: int, shows: str, width: str,
) -> None:  # fmt: skip
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    if user is not None:
        log_in(page, user)
    response = page.goto(f"{live_server.url}{url(filled)}")
    assert response is not None and response.status == status, f"{name}: HTTP {response and response.status}"
    assert shows in page.locator("body").inner_text(), f"{name}: the page does not show {shows!r}"
    violations = axe_check(page)
    assert not violations, f"{name}:\n" + "\n".join(str(v) for v in violations)


BAD_EXPORT = "diarienummer;enhet;datum;beslut;analys;barn_hörda;utfall\nBOU 2025/3;XYZ;2025-03-01;Skjuts;snabb;ja;för\n"


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_bka_form_and_import_with_errors_have_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], filled: Edition, width: str,
    tmp_path: Path,
) -> None:  # fmt: skip
    """The register's form sent empty and an export with a bad row: the error summaries are accessible too."""
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('bka:add', args=[filled.organisation.pk])}")
    page.get_by_role("button", name="Spara").click()
    assert "Formuläret innehåller fel" in page.locator("body").inner_text()
    violations = axe_check(page)
    assert not violations, "bka form with errors:\n" + "\n".join(str(v) for v in violations)

    export = tmp_path / "diariet.csv"
    export.write_text(BAD_EXPORT, encoding="utf-8")
    page.goto(f"{live_server.url}{reverse('bka:import', args=[filled.organisation.pk])}")
    page.get_by_label("Export från diariet (CSV eller Excel)").set_input_files(str(export))
    page.get_by_role("button", name="Förhandsgranska").click()
    assert "rad 2, kolumn ”enhet”" in page.locator("body").inner_text()
    violations = axe_check(page)
    assert not violations, "bka import with errors:\n" + "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_server_error_page_has_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, width: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The 500 page, as the live server answers when the home page's view raises (as test_error_pages.py)."""

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the home page broke")

    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "sam")
    monkeypatch.setattr(core_views, "render", broken)
    response = page.goto(f"{live_server.url}{reverse('core:home')}")
    assert response is not None and response.status == 500
    expect(page.get_by_role("heading", level=1)).to_have_text("Något gick fel")
    expect(page.get_by_role("main")).not_to_contain_text("the home page broke")
    violations = axe_check(page)
    assert not violations, "500:\n" + "\n".join(str(v) for v in violations)


@pytest.mark.parametrize("width", VIEWPORTS)
def test_the_csrf_refusal_page_has_no_axe_violations(
    page: Page, live_server: Any, log_in: Callable[[Page, str], None], cast: Any, width: str
) -> None:
    """A form sent with a token that is not the session's (an old tab): the Swedish CSRF 403 page."""
    page.set_viewport_size(VIEWPORTS[width])  # type: ignore[arg-type]
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('accounts:account')}")
    page.eval_on_selector_all(
        "form[data-logout] input[name=csrfmiddlewaretoken]",
        "inputs => inputs.forEach(i => i.value = 'x'.repeat(64))",
    )
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Logga ut sam").click()
    response = navigation.value
    assert response is not None and response.status == 403
    assert page.title() == "Formuläret kunde inte skickas – Barnbokslut"
    expect(page.get_by_role("main")).to_contain_text("ladda om sidan och skicka formuläret igen")
    violations = axe_check(page)
    assert not violations, "CSRF 403:\n" + "\n".join(str(v) for v in violations)
