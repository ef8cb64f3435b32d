"""A writer opens her section, saves text, and the version goes up with a SectionVersion for each save."""

from __future__ import annotations

import datetime

from django.urls import reverse
from section_helpers import save

from barnbokslut.web.editions.models import Section, SectionStatus, SectionVersion


def test_the_editor_shows_status_writer_and_deadline(client, cast, bou_section):
    Section.objects.filter(pk=bou_section.pk).update(writer=cast.siri, deadline=datetime.date(2025, 3, 31))
    client.force_login(cast.siri)
    response = client.get(reverse("editions:section_edit", args=[bou_section.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Förutsättningar – Barn och unga (BOU)" in page
    assert 'class="status status-utkast">Utkast<' in page
    assert "siri" in page and "31 mars 2025" in page
    assert 'name="version" id="id_version" value="0"' in page
    assert ">Spara<" in page and ">Skicka till granskning<" in page
    assert "barnbokslut/editor.js" in page


def test_a_writer_saves_text_and_the_version_goes_up(client, cast, bou_section):
    client.force_login(cast.siri)
    response = save(client, bou_section, "Barnen i BOU har **goda** förutsättningar.", 0)
    assert response.status_code == 302
    assert response["Location"] == reverse("editions:section_edit", args=[bou_section.pk]) + "?sparad=1"
    bou_section.refresh_from_db()
    assert bou_section.body == "Barnen i BOU har **goda** förutsättningar."
    assert bou_section.version == 1
    assert bou_section.updated_by == cast.siri
    assert bou_section.status == SectionStatus.DRAFT

    save(client, bou_section, "Andra versionen.", 1)
    bou_section.refresh_from_db()
    assert bou_section.version == 2
    versions = list(SectionVersion.objects.filter(section=bou_section).order_by("number"))
    assert [(v.number, v.body, v.author, v.note) for v in versions] == [
        (1, "Barnen i BOU har **goda** förutsättningar.", cast.siri, "Sparad"),
        (2, "Andra versionen.", cast.siri, "Sparad"),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "Texten är sparad (version 2)." in page
    assert "<strong>goda</strong>" not in page  # the page now holds version 2


def test_saving_unchanged_text_adds_no_version(client, cast, bou_section):
    client.force_login(cast.siri)
    save(client, bou_section, "Samma text.", 0)
    response = save(client, bou_section, "Samma text.", 1)
    assert response.status_code == 302
    assert Section.objects.get(pk=bou_section.pk).version == 1
    assert SectionVersion.objects.filter(section=bou_section).count() == 1


def test_windows_line_endings_are_stored_as_newlines(client, cast, bou_section):
    client.force_login(cast.siri)
    save(client, bou_section, "Ett stycke.\r\n\r\nEtt till.", 0)
    assert Section.objects.get(pk=bou_section.pk).body == "Ett stycke.\n\nEtt till."


def test_text_carried_over_before_the_first_save_is_kept_as_version_zero(client, cast, bou_section):
    Section.objects.filter(pk=bou_section.pk).update(body="Förra årets text.")
    client.force_login(cast.siri)
    save(client, bou_section, "Årets text.", 0)
    assert list(SectionVersion.objects.filter(section=bou_section).values_list("number", "body")) == [
        (1, "Årets text."),
        (0, "Förra årets text."),
    ]


def test_an_assigned_writer_may_write_a_free_section(client, cast, free_section):
    Section.objects.filter(pk=free_section.pk).update(writer=cast.sven)
    client.force_login(cast.sven)
    assert save(client, free_section, "Inledningen.", 0).status_code == 302
    assert Section.objects.get(pk=free_section.pk).body == "Inledningen."


def test_a_coordinator_may_write_any_section(client, cast, svf_section):
    client.force_login(cast.sam)
    assert save(client, svf_section, "Samordnarens text.", 0).status_code == 302
    assert Section.objects.get(pk=svf_section.pk).body == "Samordnarens text."


def test_a_missing_version_is_a_bad_request(client, cast, bou_section):
    client.force_login(cast.siri)
    response = client.post(reverse("editions:section_save", args=[bou_section.pk]), {"body": "x"})
    assert response.status_code == 400
    assert Section.objects.get(pk=bou_section.pk).body == ""


def test_a_reader_sees_the_text_without_a_form(client, cast, bou_section):
    client.force_login(cast.siri)
    save(client, bou_section, "Läsbar *text*.", 0)
    client.force_login(cast.lars)
    page = client.get(reverse("editions:section_edit", args=[bou_section.pk])).content.decode()
    assert "Läsbar <em>text</em>." in page
    assert 'name="body"' not in page
    assert "Godkänn" not in page
