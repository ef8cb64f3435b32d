"""The whole review path: utkast → klar → återremitterad (with a comment) → klar → godkänd, all on record."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from section_helpers import approve, save, send_back, submit

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import Section, SectionStatus, SectionVersion


def _status(section: Section) -> str:
    return Section.objects.get(pk=section.pk).status


def test_a_section_goes_from_draft_through_return_to_approval(cast, bou_section):
    writer, reviewer = Client(), Client()
    writer.force_login(cast.siri)
    reviewer.force_login(cast.greta)
    editor_url = reverse("editions:section_edit", args=[bou_section.pk])

    assert save(writer, bou_section, "Första utkastet.", 0).status_code == 302
    assert submit(writer, bou_section, "Första utkastet, klart.", 1).status_code == 302
    assert _status(bou_section) == SectionStatus.READY

    page = reviewer.get(editor_url).content.decode()
    assert ">Godkänn<" in page and ">Återremittera<" in page
    assert 'name="body"' not in page  # reviewers do not edit text

    refused = send_back(reviewer, bou_section, 2, "   ")
    assert refused.status_code == 400
    assert "Skriv en kommentar till skribenten" in refused.content.decode()
    assert _status(bou_section) == SectionStatus.READY

    assert send_back(reviewer, bou_section, 2, "Lägg till siffror för 2024.").status_code == 302
    assert _status(bou_section) == SectionStatus.RETURNED
    writer_page = writer.get(editor_url).content.decode()
    assert "Granskarens kommentar" in writer_page
    assert "Lägg till siffror för 2024." in writer_page
    assert ">Skicka till granskning<" in writer_page

    assert submit(writer, bou_section, "Första utkastet, med siffror för 2024.", 3).status_code == 302
    assert _status(bou_section) == SectionStatus.READY
    assert approve(reviewer, bou_section, 4).status_code == 302

    section = Section.objects.get(pk=bou_section.pk)
    assert section.status == SectionStatus.APPROVED
    assert section.version == 5
    assert section.reviewer_comment == ""
    assert list(SectionVersion.objects.filter(section=section).order_by("number").values_list(
        "number", "status", "author__username", "note"
    )) == [
        (1, "utkast", "siri", "Sparad"),
        (2, "klar", "siri", "Skickad till granskning"),
        (3, "aterremitterad", "greta", "Återremitterad: Lägg till siffror för 2024."),
        (4, "klar", "siri", "Skickad till granskning"),
        (5, "godkand", "greta", "Godkänd"),
    ]  # fmt: skip
    events = AuditEvent.objects.filter(action=AuditAction.STATUS_CHANGED, object_id=str(section.pk)).order_by(
        "id"
    )
    assert [(e.username, e.description) for e in events] == [
        ("siri", "Förutsättningar – Barn och unga (BOU): Utkast → Klar för granskning"),
        ("greta", "Förutsättningar – Barn och unga (BOU): Klar för granskning → Återremitterad"),
        ("siri", "Förutsättningar – Barn och unga (BOU): Återremitterad → Klar för granskning"),
        ("greta", "Förutsättningar – Barn och unga (BOU): Klar för granskning → Godkänd"),
    ]
    assert all(e.organisation == cast.organisation for e in events)


def test_plain_saves_are_not_audited_as_status_changes(cast, bou_section):
    writer = Client()
    writer.force_login(cast.siri)
    save(writer, bou_section, "Text.", 0)
    assert not AuditEvent.objects.filter(action=AuditAction.STATUS_CHANGED).exists()


def test_an_approved_section_is_locked_for_its_writer(cast, bou_section):
    writer, reviewer = Client(), Client()
    writer.force_login(cast.siri)
    reviewer.force_login(cast.greta)
    submit(writer, bou_section, "Godkänd text.", 0)
    approve(reviewer, bou_section, 1)

    page = writer.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert 'name="body"' not in page
    assert "Avsnittet är godkänt och låst." in page
    assert save(writer, bou_section, "Ändrad i smyg.", 2).status_code == 403
    assert submit(writer, bou_section, "Ändrad i smyg.", 2).status_code == 403
    assert Section.objects.get(pk=bou_section.pk).body == "Godkänd text."


def test_a_reviewer_can_reopen_an_approved_section_by_sending_it_back(cast, bou_section):
    writer, reviewer = Client(), Client()
    writer.force_login(cast.siri)
    reviewer.force_login(cast.greta)
    submit(writer, bou_section, "Godkänd text.", 0)
    approve(reviewer, bou_section, 1)

    assert send_back(reviewer, bou_section, 2, "Ett fel har upptäckts.").status_code == 302

    assert _status(bou_section) == SectionStatus.RETURNED
    assert save(writer, bou_section, "Rättad text.", 3).status_code == 302


def test_a_draft_cannot_be_approved(cast, bou_section):
    reviewer = Client()
    reviewer.force_login(cast.greta)
    response = approve(reviewer, bou_section, 0)
    assert response.status_code == 400
    assert _status(bou_section) == SectionStatus.DRAFT


def test_a_section_waiting_for_review_cannot_be_submitted_again(cast, bou_section):
    writer = Client()
    writer.force_login(cast.siri)
    submit(writer, bou_section, "Text.", 0)
    assert submit(writer, bou_section, "Text.", 1).status_code == 400
    assert Section.objects.get(pk=bou_section.pk).version == 1
