"""The unit tree: add, edit, move without cycles, and delete only units that hold no texts."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.organisations.models import Unit


@pytest.fixture
def alva(cast) -> Client:
    client = Client()
    client.force_login(cast.alva)
    return client


@pytest.fixture
def forskola(cast) -> Unit:
    return Unit.objects.create(
        organisation=cast.organisation, parent=cast.bou, name="Förskola", abbreviation="FSK"
    )


def edit_url(cast, unit: Unit) -> str:
    return reverse("organisations:unit_edit", args=[cast.organisation.pk, unit.pk])


def edit(alva: Client, cast, unit: Unit, **changes):
    data = {
        "name": unit.name,
        "abbreviation": unit.abbreviation,
        "parent": unit.parent_id or "",
        "order": unit.order,
        "active": "on",
    }
    data.update(changes)
    return alva.post(edit_url(cast, unit), data)


def test_the_admin_adds_a_unit_under_another(cast, alva):
    response = alva.post(
        reverse("organisations:unit_create", args=[cast.organisation.pk]),
        {"name": "Grundskola", "abbreviation": "GRU", "parent": cast.bou.pk, "order": 3},
    )
    assert response.status_code == 302
    unit = Unit.objects.get(abbreviation="GRU")
    assert unit.organisation == cast.organisation and unit.parent == cast.bou
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.description == "Ny enhet: Grundskola (GRU) under Barn och unga"


def test_the_new_unit_form_preselects_the_parent_from_the_tree_link(cast, alva):
    response = alva.get(
        reverse("organisations:unit_create", args=[cast.organisation.pk]), {"under": cast.svf.pk}
    )
    assert f'<option value="{cast.svf.pk}" selected>' in response.content.decode()


def test_an_abbreviation_already_in_use_is_refused(cast, alva):
    response = alva.post(
        reverse("organisations:unit_create", args=[cast.organisation.pk]),
        {"name": "Bildning", "abbreviation": "bou", "order": 0},
    )
    assert response.status_code == 400
    assert "Förkortningen bou används redan" in response.content.decode()
    assert Unit.objects.filter(organisation=cast.organisation).count() == 2


def test_the_admin_renames_and_moves_a_unit(cast, alva, forskola):
    response = edit(alva, cast, forskola, name="Förskolor", parent=cast.svf.pk)
    assert response.status_code == 302
    forskola.refresh_from_db()
    assert (forskola.name, forskola.parent) == ("Förskolor", cast.svf)
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.description == (
        "Ändrad enhet: Förskola (FSK) under Barn och unga → Förskolor (FSK) under Stadsområde, välfärd och fritid"
    )


def test_a_unit_moved_to_the_top_has_no_parent(cast, alva, forskola):
    edit(alva, cast, forskola, parent="")
    forskola.refresh_from_db()
    assert forskola.parent is None


def test_a_unit_cannot_be_moved_under_itself(cast, alva):
    response = edit(alva, cast, cast.bou, parent=cast.bou.pk)
    assert response.status_code == 400
    assert "Barn och unga kan inte ligga under sig själv" in response.content.decode()
    cast.bou.refresh_from_db()
    assert cast.bou.parent is None


def test_a_unit_cannot_be_moved_under_its_own_grandchild(cast, alva, forskola):
    norr = Unit.objects.create(
        organisation=cast.organisation, parent=forskola, name="Förskola Norr", abbreviation="FN"
    )
    response = edit(alva, cast, cast.bou, parent=norr.pk)
    assert response.status_code == 400
    text = response.content.decode()
    assert "kan inte flyttas under Förskola Norr" in text and "cirkel" in text
    cast.bou.refresh_from_db()
    assert cast.bou.parent is None
    assert not AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_a_unit_of_another_organisation_cannot_be_chosen_as_parent(cast, alva):
    foreign = Unit.objects.create(organisation=cast.other_organisation, name="Skola", abbreviation="SK")
    response = edit(alva, cast, cast.bou, parent=foreign.pk)
    assert response.status_code == 400
    cast.bou.refresh_from_db()
    assert cast.bou.parent is None


def test_a_unit_of_another_organisation_is_not_found_here(cast, alva):
    foreign = Unit.objects.create(organisation=cast.other_organisation, name="Skola", abbreviation="SK")
    assert alva.get(edit_url(cast, foreign)).status_code == 404
    assert (
        alva.post(reverse("organisations:unit_delete", args=[cast.organisation.pk, foreign.pk])).status_code
        == 404
    )
    assert Unit.objects.filter(pk=foreign.pk).exists()


def test_an_empty_unit_is_deleted_and_it_is_audited(cast, alva, forskola):
    url = reverse("organisations:unit_delete", args=[cast.organisation.pk, forskola.pk])
    assert "Vill du ta bort den?" in alva.get(url).content.decode()
    response = alva.post(url)
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=forskola.pk).exists()
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED)
    assert event.description == "Borttagen enhet: Förskola (FSK) under Barn och unga"


def test_a_unit_with_sections_cannot_be_deleted_and_the_message_says_how_many(cast, alva, edition):
    first, second, _third = edition.sections.filter(unit=cast.bou)
    first.body = "Skrivet."
    first.save()
    second.writer = cast.siri
    second.save()
    count = 2  # the written one and the assigned one; an untouched one would go with the unit
    everything = edition.sections.filter(unit=cast.bou).count()
    url = reverse("organisations:unit_delete", args=[cast.organisation.pk, cast.bou.pk])
    assert f"har fortfarande {count} avsnitt" in alva.get(url).content.decode()
    response = alva.post(url, follow=True)
    assert f"Barn och unga har fortfarande {count} avsnitt i årgångarna och kan inte tas bort" in (
        response.content.decode()
    )
    assert Unit.objects.filter(pk=cast.bou.pk).exists()
    assert edition.sections.filter(unit=cast.bou).count() == everything
    assert not AuditEvent.objects.filter(action=AuditAction.ORGANISATION_CHANGED).exists()


def test_a_unit_with_sub_units_cannot_be_deleted(cast, alva, forskola):
    response = alva.post(
        reverse("organisations:unit_delete", args=[cast.organisation.pk, cast.bou.pk]), follow=True
    )
    assert "Barn och unga har 1 underenhet. Flytta eller ta bort den först." in response.content.decode()
    assert Unit.objects.filter(pk__in=[cast.bou.pk, forskola.pk]).count() == 2


def test_a_unit_added_by_mistake_during_an_edition_can_be_deleted_with_its_empty_sections(
    cast, alva, edition
):
    mistake = Unit.objects.create(organisation=cast.organisation, name="Fel", abbreviation="FEL")
    assert edition.sections.filter(unit=mistake).count() == 3  # given by the open edition
    response = alva.post(reverse("organisations:unit_delete", args=[cast.organisation.pk, mistake.pk]))
    assert response.status_code == 302
    assert not Unit.objects.filter(pk=mistake.pk).exists()
    assert not edition.sections.filter(unit_id=mistake.pk).exists()
