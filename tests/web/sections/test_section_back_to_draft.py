"""Issue 13, item 7: a writer who changes a text that waits for review takes it back to Utkast, told before and
after; an unchanged save changes nothing."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse
from section_helpers import save, submit

from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import Section, SectionStatus

WARNING = "Om du ändrar texten och sparar går det tillbaka till Utkast"


def test_changing_a_submitted_text_takes_it_back_to_draft(cast, bou_section) -> None:
    writer = Client()
    writer.force_login(cast.siri)
    editor_url = reverse("editions:section_edit", args=[bou_section.pk])
    save(writer, bou_section, "Första utkastet.", 0)
    assert WARNING not in writer.get(editor_url).content.decode()  # a draft needs no warning
    submit(writer, bou_section, "Första utkastet, klart.", 1)
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.READY
    assert WARNING in writer.get(editor_url).content.decode()

    unchanged = save(writer, bou_section, "Första utkastet, klart.", 2)
    assert unchanged.status_code == 302
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.READY

    changed = save(writer, bou_section, "Första utkastet, klart och ändrat.", 2)
    assert changed.status_code == 302
    section = Section.objects.get(pk=bou_section.pk)
    assert (section.status, section.body, section.version) == (
        SectionStatus.DRAFT,
        "Första utkastet, klart och ändrat.",
        3,
    )
    page = writer.get(changed["location"]).content.decode()
    assert "avsnittet gick tillbaka till Utkast" in page and WARNING not in page
    assert section.versions.get(number=3).note == "Sparad, tillbaka till Utkast"
    assert AuditEvent.objects.filter(
        action=AuditAction.STATUS_CHANGED, description__endswith="Klar för granskning → Utkast"
    ).exists()


def test_a_save_against_an_older_version_of_a_submitted_text_is_a_conflict_not_a_status_change(
    cast, bou_section
) -> None:
    writer = Client()
    writer.force_login(cast.siri)
    save(writer, bou_section, "Text.", 0)
    submit(writer, bou_section, "Text, klar.", 1)
    stale = save(writer, bou_section, "Ändrad från version 1.", 1)
    assert stale.status_code == 409
    assert Section.objects.get(pk=bou_section.pk).status == SectionStatus.READY
