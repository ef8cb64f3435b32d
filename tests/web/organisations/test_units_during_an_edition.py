"""Units change while an edition runs (issue 13, item 3): a new unit gets its sections in the open edition, a
unit made inactive (avvecklad) loses the sections nobody touched, keeps the written ones, and gets none in
the next year."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.models import UNIT_KINDS, Edition, Section, SectionKind
from barnbokslut.web.editions.services import start_edition
from barnbokslut.web.organisations.models import Unit


def _admin(cast) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(cast.alva)
    return client


def _unit_form(unit: Unit, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": unit.name,
        "abbreviation": unit.abbreviation,
        "parent": unit.parent_id or "",
        "order": unit.order,
        "active": "on",
    }
    data.update(changes)
    return data


def test_a_unit_added_while_an_edition_runs_gets_its_sections(cast) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)
    closed = Edition.objects.create(organisation=cast.organisation, year=2023, state=Edition.State.CLOSED)
    response = _admin(cast).post(
        reverse("organisations:unit_create", args=[cast.organisation.pk]),
        {"name": "Fritid", "abbreviation": "FRI", "parent": "", "order": 5, "active": "on"},
    )
    assert response.status_code == 302
    fritid = Unit.objects.get(abbreviation="FRI")
    assert sorted(edition.sections.filter(unit=fritid).values_list("kind", flat=True)) == sorted(UNIT_KINDS)
    assert not closed.sections.exists()
    board = _admin(cast)
    board.force_login(cast.sam)
    assert "Fritid" in board.get(reverse("editions:board", args=[edition.pk])).content.decode()


def test_an_inactive_unit_keeps_written_sections_and_gets_none_next_year(cast) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)
    svf = cast.svf
    written = edition.sections.get(unit=svf, kind=SectionKind.STYRKOR)
    written.body, written.version = "SVF:s styrkor.", 1
    written.save()
    assigned = edition.sections.get(unit=svf, kind=SectionKind.UTMANINGAR)
    assigned.writer = cast.sven
    assigned.save()

    client = _admin(cast)
    response = client.post(
        reverse("organisations:unit_edit", args=[cast.organisation.pk, svf.pk]), _unit_form(svf, active="")
    )
    assert response.status_code == 302
    assert Unit.objects.get(pk=svf.pk).active is False
    # the untouched Förutsättningar is gone; the written and the assigned ones stay
    assert sorted(edition.sections.filter(unit=svf).values_list("kind", flat=True)) == sorted(
        [SectionKind.STYRKOR, SectionKind.UTMANINGAR]
    )
    tree = client.get(reverse("organisations:detail", args=[cast.organisation.pk])).content.decode()
    assert "(SVF), avvecklad" in tree
    refusal = client.get(reverse("organisations:unit_delete", args=[cast.organisation.pk, svf.pk])).content
    assert "Avveckla enheten i stället" in refusal.decode()

    Edition.objects.filter(pk=edition.pk).update(state=Edition.State.CLOSED)
    next_year = start_edition(cast.organisation, 2026, cast.sam)
    assert not next_year.sections.filter(unit=svf).exists()
    assert next_year.sections.filter(unit=cast.bou).count() == len(UNIT_KINDS)

    # made active again, it gets its sections back in the open edition
    client.post(reverse("organisations:unit_edit", args=[cast.organisation.pk, svf.pk]), _unit_form(svf))
    assert Section.objects.filter(edition=next_year, unit=svf).count() == len(UNIT_KINDS)
