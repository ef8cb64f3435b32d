"""Autosave on the server: what is typed is kept as a draft, shown on reopening, and cleared by saving."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from section_helpers import save

from barnbokslut.web.editions.models import Section, SectionDraft


@pytest.fixture
def siri(cast) -> Client:
    client = Client()
    client.force_login(cast.siri)
    return client


def _autosave(client: Client, section: Section, body: str, version: int):
    return client.post(
        reverse("editions:section_draft", args=[section.pk]),
        {"body": body, "version": version},
        headers={"HX-Request": "true"},
    )


def test_a_draft_is_saved_while_typing_and_shown_on_reopening(cast, siri, bou_section):
    response = _autosave(siri, bou_section, "Halvskriven mening om", 0)

    assert response.status_code == 200
    assert "Utkastet sparades på servern kl." in response.content.decode()
    draft = SectionDraft.objects.get(section=bou_section, user=cast.siri)
    assert (draft.body, draft.base_version) == ("Halvskriven mening om", 0)
    assert Section.objects.get(pk=bou_section.pk).body == ""  # not saved as the section's text

    page = siri.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert "Du har ett osparat utkast" in page
    assert ">Halvskriven mening om</textarea>" in page
    assert "Kasta utkastet" in page


def test_autosave_keeps_one_draft_per_user_and_section(cast, siri, bou_section):
    _autosave(siri, bou_section, "Ett", 0)
    _autosave(siri, bou_section, "Ett två", 0)
    assert list(SectionDraft.objects.filter(section=bou_section).values_list("body", flat=True)) == [
        "Ett två"
    ]


def test_another_users_draft_is_not_shown(cast, siri, bou_section):
    _autosave(siri, bou_section, "Siris utkast", 0)
    sam = Client()
    sam.force_login(cast.sam)
    page = sam.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert "Siris utkast" not in page


def test_saving_clears_the_draft(cast, siri, bou_section):
    _autosave(siri, bou_section, "Utkast", 0)
    save(siri, bou_section, "Utkast, nu sparat.", 0)
    assert not SectionDraft.objects.filter(section=bou_section).exists()
    page = siri.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert "osparat utkast" not in page.replace("Ett osparat utkast har återställts", "")


def test_a_draft_can_be_discarded(cast, siri, bou_section):
    _autosave(siri, bou_section, "Skräp", 0)
    response = siri.post(reverse("editions:section_draft_discard", args=[bou_section.pk]))
    assert response.status_code == 302
    assert not SectionDraft.objects.filter(section=bou_section).exists()


def test_a_draft_typed_against_an_old_version_is_saved_as_a_conflict_not_an_overwrite(
    cast, siri, bou_section
):
    _autosave(siri, bou_section, "Siris utkast", 0)
    sam = Client()
    sam.force_login(cast.sam)
    save(sam, bou_section, "Samordnaren sparade under tiden.", 0)

    page = siri.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert "Utkastet skrevs mot version 0" in page
    assert 'name="version" id="id_version" value="0"' in page

    response = save(siri, bou_section, "Siris utkast", 0)
    assert response.status_code == 409
    assert Section.objects.get(pk=bou_section.pk).body == "Samordnaren sparade under tiden."


def test_the_editor_carries_what_the_browser_autosave_needs(siri, bou_section):
    page = siri.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert f'data-section="{bou_section.pk}"' in page
    assert 'data-version="0"' in page
    assert "Ett osparat utkast har återställts" in page
    assert 'hx-trigger="keyup changed delay:5s from:#id_body"' in page
    assert 'hx-trigger="keyup changed delay:500ms"' in page


def test_a_reader_cannot_autosave(cast, bou_section):
    lars = Client()
    lars.force_login(cast.lars)
    assert _autosave(lars, bou_section, "x", 0).status_code == 403
    assert not SectionDraft.objects.exists()
