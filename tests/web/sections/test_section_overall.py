"""The organisation's own Nulägesanalys: Förutsättningar, Styrkor and Utmaningar without a unit. An edition made
before they existed gets them when its page is opened; only coordinators and administrators write them, unless a
writer is assigned; the editor and the board say they are for the whole organisation."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from section_helpers import save

from barnbokslut.web.editions.models import UNIT_KINDS, Edition, Section, SectionKind
from barnbokslut.web.editions.services import ensure_sections


@pytest.fixture
def overall(edition: Edition) -> Section:
    ensure_sections(edition)
    return Section.objects.get(edition=edition, unit=None, kind=SectionKind.STYRKOR)


def test_an_older_edition_gets_the_organisations_own_sections_once(client: Client, cast, edition) -> None:
    assert not edition.sections.filter(unit=None, kind__in=UNIT_KINDS).exists()
    client.force_login(cast.lars)

    client.get(reverse("editions:detail", args=[edition.pk]))
    client.get(reverse("editions:detail", args=[edition.pk]))

    assert sorted(
        edition.sections.filter(unit=None, kind__in=UNIT_KINDS).values_list("kind", flat=True)
    ) == sorted(UNIT_KINDS)
    assert ensure_sections(edition) == 0


def test_a_closed_edition_is_left_as_it_was(edition) -> None:
    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    edition.refresh_from_db()

    assert ensure_sections(edition) == 0
    assert not edition.sections.filter(unit=None, kind__in=UNIT_KINDS).exists()


@pytest.mark.parametrize("who", ["alva", "sam"])
def test_coordinators_and_administrators_write_them(client: Client, cast, overall, who) -> None:
    client.force_login(getattr(cast, who))

    response = save(client, overall, "## Artikel 3\n\nVi utreder alltid barnets bästa.", overall.version)

    assert response.status_code == 302
    overall.refresh_from_db()
    assert "barnets bästa" in overall.body


def test_a_unit_writer_does_not_unless_assigned(client: Client, cast, overall) -> None:
    client.force_login(cast.siri)

    assert save(client, overall, "Kapat", overall.version).status_code == 403

    Section.objects.filter(pk=overall.pk).update(writer=cast.siri)
    assert save(client, overall, "Tilldelad text", overall.version).status_code == 302
    overall.refresh_from_db()
    assert overall.body.startswith("Tilldelad text")


def test_the_editor_and_the_board_say_they_are_for_the_whole_organisation(
    client: Client, cast, overall
) -> None:
    client.force_login(cast.sam)

    editor = client.get(reverse("editions:section_edit", args=[overall.pk])).content.decode()
    board = client.get(reverse("editions:board", args=[overall.edition_id])).content.decode()

    assert "<h1>Styrkor – hela organisationen</h1>" in editor
    assert "## Artikel 2" in editor
    assert board.count("Hela organisationen</td>") == 3
