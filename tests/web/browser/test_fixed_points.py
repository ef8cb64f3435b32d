"""Issue 13's fixed points in Chromium, as the people who hit them would: points 1, 2, 4, 7 and 10.

alva (administratör) opens "Ny användare" and finds Läsare chosen; siri (skribent) and greta (granskare) see no
"Publicera" on the edition and siri gets the Swedish 403 page, with the menu and the reason, at the publish URL;
siri's empty Styrkor text offers questions and a skeleton for articles 2, 3, 6 and 12; a text siri submits is
under greta's "Att granska", goes back to Utkast when siri changes it, and a late text is under sam's
"Försenat"; the login page is titled "Logga in – Barnbokslut", the board says "1 försenat avsnitt" and shows
names, not usernames. axe-core checks the reviewer's filled home page at 1280 and 390 px.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from axecheck import axe_check
from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.editions.models import Edition, Section, SectionKind, SectionStatus

pytestmark = pytest.mark.django_db(transaction=True)

LogIn = Callable[[Page, str], None]
VIEWPORTS = ({"width": 1280, "height": 900}, {"width": 390, "height": 844})
ARTICLE_HEADINGS = [
    "Artikel 2 – Icke-diskriminering",
    "Artikel 3 – Barnets bästa",
    "Artikel 6 – Rätt till liv och utveckling",
    "Artikel 12 – Rätt att uttrycka sin mening och bli hörd",
]


def no_axe_violations(page: Page, name: str) -> None:
    """axe-core on the page as it is now, at both widths; back at 1280 px afterwards."""
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)  # type: ignore[arg-type]
        violations = axe_check(page)
        assert not violations, f"{name} at {viewport['width']} px:\n" + "\n".join(str(v) for v in violations)
    page.set_viewport_size(VIEWPORTS[0])  # type: ignore[arg-type]


def section(edition: Edition, unit: str, kind: str) -> Section:
    return Section.objects.get(edition=edition, unit__abbreviation=unit, kind=kind)


def editor_url(live_server: Any, section: Section) -> str:
    return f"{live_server.url}{reverse('editions:section_edit', args=[section.pk])}"


def test_a_new_user_is_a_reader_unless_the_administrator_chooses_otherwise(
    page: Page, live_server: Any, log_in: LogIn, cast: Any
) -> None:
    """Point 1: the role preselected is Läsare; a username alone makes a reader, not an administratör."""
    log_in(page, "alva")
    page.goto(f"{live_server.url}{reverse('accounts:member_create', args=[cast.organisation.pk])}")
    role = page.get_by_label("Roll")
    expect(role.locator("option:checked")).to_have_text("Läsare")
    page.get_by_label("Användarnamn").fill("nils")
    page.get_by_role("button", name="Skapa användaren").click()

    expect(page.get_by_text("Användaren nils är skapad.")).to_be_visible()
    expect(page.locator("dt", has_text="Roller").locator("+ dd")).to_have_text("Läsare")
    nils = get_user_model().objects.get(username="nils")
    assert [m.role for m in Membership.objects.filter(user=nils)] == [Role.READER]


def test_writers_and_reviewers_see_no_publish_and_the_publish_url_says_why_in_swedish(
    page: Page, live_server: Any, log_in: LogIn, this_year: Edition
) -> None:
    """Point 2: no "Publicera" card or menu item for a skribent or granskare; the URL gives the Swedish 403."""
    detail = f"{live_server.url}{reverse('editions:detail', args=[this_year.pk])}"
    log_in(page, "sam")  # the one who may publish sees both, so the checks below look in the right place
    page.goto(detail)
    expect(page.get_by_role("link", name="Publicera", exact=True)).to_have_count(2)  # card and menu

    for user in ("siri", "greta"):
        log_in(page, user)
        page.goto(detail)
        expect(page.get_by_role("heading", name="Årgångens delar")).to_be_visible()
        expect(page.get_by_role("link", name="Publicera", exact=True)).to_have_count(0)
        expect(page.get_by_role("heading", name="Publicera")).to_have_count(0)

    log_in(page, "siri")
    response = page.goto(f"{live_server.url}{reverse('publishing:publish', args=[this_year.pk])}")
    assert response is not None and response.status == 403
    assert page.title() == "Ingen behörighet – Barnbokslut"
    expect(page.get_by_role("heading", level=1)).to_have_text("Ingen behörighet")
    expect(page.get_by_role("main")).to_contain_text("Du har inte behörighet till detta.")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Start")).to_be_visible()
    expect(menu.get_by_role("link", name="Mitt konto")).to_be_visible()
    expect(page.locator("body")).not_to_contain_text("Forbidden")


def test_the_writer_gets_questions_and_a_skeleton_for_articles_2_3_6_and_12(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    """Point 4: an empty Styrkor text shows one question per basic principle and offers one heading each."""
    strengths = section(this_year, "BOU", SectionKind.STYRKOR)
    log_in(page, "siri")
    page.goto(editor_url(live_server, strengths))

    prompts = page.locator("#stodfragor")
    expect(prompts.locator("summary")).to_have_text("Stödfrågor för texten")
    expect(prompts.locator("dt")).to_have_text(ARTICLE_HEADINGS)
    expect(prompts.locator("dd").nth(3)).to_contain_text("hur får de veta vad deras åsikter ledde till?")
    page.get_by_role("link", name="Lägg in en rubrik per artikel i textrutan").click()

    body = page.get_by_label("Text (Markdown)")
    headings = [line for line in body.input_value().splitlines() if line.startswith("## ")]
    assert headings == [f"## {heading}" for heading in ARTICLE_HEADINGS]
    body.fill(
        body.input_value().replace(
            "## Artikel 3 – Barnets bästa\n",
            "## Artikel 3 – Barnets bästa\n\nVi gör barnkonsekvensanalyser.\n",
        )
    )
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("Texten är sparad")).to_be_visible()
    expect(page.get_by_role("link", name="Lägg in en rubrik per artikel i textrutan")).to_have_count(0)
    saved = Section.objects.get(pk=strengths.pk).body
    assert "## Artikel 3 – Barnets bästa\n\nVi gör barnkonsekvensanalyser." in saved

    # Förutsättningar is one text: the questions, but no skeleton.
    page.goto(editor_url(live_server, section(this_year, "BOU", SectionKind.FORUTSATTNINGAR)))
    expect(page.locator("#stodfragor")).to_contain_text("uppdrag, resurser, styrdokument")
    expect(page.get_by_role("link", name="Lägg in en rubrik per artikel i textrutan")).to_have_count(0)


def test_the_work_lists_follow_a_text_from_writer_to_reviewer_and_back_to_draft(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    """Point 7: the submitted text is under the reviewer's "Att granska" (axe-core on that page too), a late
    one under the coordinator's "Försenat", and the writer changing a submitted text takes it back to Utkast."""
    cast.siri.first_name, cast.siri.last_name = "Siri", "Sjöberg"
    cast.siri.save()
    conditions = section(this_year, "BOU", SectionKind.FORUTSATTNINGAR)
    Section.objects.filter(pk=conditions.pk).update(writer=cast.siri)  # assigned on the board
    log_in(page, "siri")
    page.goto(editor_url(live_server, conditions))
    page.get_by_label("Text (Markdown)").fill("Barn och unga har sex fritidsledare.")
    page.get_by_role("button", name="Skicka till granskning").click()
    expect(page.get_by_text("skickat till granskning")).to_be_visible()

    log_in(page, "greta")
    to_review = page.get_by_role("region", name="Att granska")
    expect(to_review.get_by_role("heading")).to_have_text("Att granska (1)")
    expect(to_review.get_by_role("listitem")).to_contain_text("Siri Sjöberg")
    no_axe_violations(page, "the reviewer's home page with Att granska")
    to_review.get_by_role("link", name=str(conditions)).click()
    expect(page.get_by_role("button", name="Godkänn")).to_be_visible()
    expect(page.locator(".preview")).to_contain_text("Barn och unga har sex fritidsledare.")

    # The writer changes the text while it waits: told before, and it goes back to Utkast.
    log_in(page, "siri")
    page.goto(editor_url(live_server, conditions))
    expect(page.locator("#tillbaka-till-utkast")).to_contain_text("går det tillbaka till Utkast")
    page.get_by_label("Text (Markdown)").fill("Barn och unga har sju fritidsledare.")
    page.get_by_role("button", name="Spara", exact=True).click()
    expect(page.get_by_text("avsnittet gick tillbaka till Utkast")).to_be_visible()
    assert Section.objects.get(pk=conditions.pk).status == SectionStatus.DRAFT

    log_in(page, "greta")
    expect(page.get_by_role("region", name="Att granska")).to_contain_text("Inget väntar på granskning.")

    # A text past its deadline and not submitted is under the coordinator's "Försenat".
    late = section(this_year, "SVF", SectionKind.UTMANINGAR)
    Section.objects.filter(pk=late.pk).update(
        writer=cast.sven, deadline=timezone.localdate() - datetime.timedelta(days=3)
    )
    log_in(page, "sam")
    overdue = page.get_by_role("region", name="Försenat")
    expect(overdue.get_by_role("heading")).to_have_text("Försenat (1)")
    expect(overdue.get_by_role("listitem")).to_contain_text(str(late))
    expect(overdue.get_by_role("listitem")).to_contain_text("Försenad")


def test_the_glitches_are_gone_title_singular_and_names(
    page: Page, live_server: Any, log_in: LogIn, cast: Any, this_year: Edition
) -> None:
    """Point 10: the login page's title is ours, not the host; one late text is "1 försenat avsnitt"; the board
    shows people by name, not by username."""
    page.goto(f"{live_server.url}{reverse('login')}")
    assert page.title() == "Logga in – Barnbokslut"
    assert not re.search(r"127\.0\.0\.1|localhost", page.title())

    cast.sven.first_name, cast.sven.last_name = "Sven", "Berg"
    cast.sven.save()
    late = section(this_year, "SVF", SectionKind.STYRKOR)
    Section.objects.filter(pk=late.pk).update(
        writer=cast.sven, updated_by=cast.sven, version=1, body="Fritidsgårdarna har öppet.",
        deadline=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    log_in(page, "sam")
    page.goto(f"{live_server.url}{reverse('editions:board', args=[this_year.pk])}")
    expect(page.locator(".late-count")).to_contain_text("1 försenat avsnitt av")
    row = page.locator(f"#avsnitt-{late.pk}")
    expect(row.get_by_label(f"Skribent för {late.title}").locator("option:checked")).to_have_text("Sven Berg")
    changed = row.locator("td[data-label='Senast ändrad']")
    expect(changed).to_contain_text("Sven Berg")
    expect(changed).not_to_contain_text("sven")
