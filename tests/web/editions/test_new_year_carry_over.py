"""A new year starts from last year's (issue 13, item 5): texts as drafts marked "från förra året" until
someone changes them, deadlines a year later, local tables copied with their file's name and checksum."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import FREE_KINDS, Section, SectionKind, SectionStatus
from barnbokslut.web.editions.services import a_year_later, start_edition
from barnbokslut.web.localdata.models import LocalTable


def test_a_year_later_keeps_the_date_and_moves_29_february_to_the_28th() -> None:
    assert a_year_later(datetime.date(2024, 3, 15)) == datetime.date(2025, 3, 15)
    assert a_year_later(datetime.date(2024, 2, 29)) == datetime.date(2025, 2, 28)
    assert a_year_later(None) is None


def test_deadlines_come_a_year_later_and_texts_as_marked_drafts(cast, last_year) -> None:
    last_year.sections.filter(kind=SectionKind.INLEDNING).update(deadline=datetime.date(2024, 2, 29))
    last_year.sections.filter(unit=cast.bou, kind=SectionKind.STYRKOR).update(
        deadline=datetime.date(2024, 4, 30), body="BOU:s styrkor 2024."
    )

    edition = start_edition(cast.organisation, 2025, cast.sam)

    inledning = edition.sections.get(unit=None, kind=SectionKind.INLEDNING)
    assert (inledning.deadline, inledning.body, inledning.carried_over, inledning.status) == (
        datetime.date(2025, 2, 28),
        "Förra året",
        True,
        SectionStatus.DRAFT,
    )
    styrkor = edition.sections.get(unit=cast.bou, kind=SectionKind.STYRKOR)
    assert (styrkor.deadline, styrkor.body, styrkor.writer) == (
        datetime.date(2025, 4, 30),
        "BOU:s styrkor 2024.",
        cast.siri,
    )
    assert edition.sections.get(unit=cast.svf, kind=SectionKind.STYRKOR).deadline is None
    assert last_year.sections.get(unit=None, kind=SectionKind.INLEDNING).carried_over is False


def test_the_mark_shows_until_the_text_is_changed(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)
    section = edition.sections.get(unit=None, kind=SectionKind.INLEDNING)
    client = Client()
    client.force_login(cast.sam)
    editor = client.get(reverse("editions:section_edit", args=[section.pk])).content.decode()
    assert "Från förra året." in editor and "Förra året" in editor
    board = client.get(reverse("editions:board", args=[edition.pk])).content.decode()
    assert "från förra året" in board

    unchanged = workflow.save(section, cast.sam, body="Förra året", base_version=0)
    assert not unchanged.changed and Section.objects.get(pk=section.pk).carried_over
    workflow.save(section, cast.sam, body="Vår inledning 2025.", base_version=0)
    assert Section.objects.get(pk=section.pk).carried_over is False
    editor = client.get(reverse("editions:section_edit", args=[section.pk])).content.decode()
    assert "Från förra året." not in editor
    # the first diff starts from last year's text, kept as version 0
    assert list(section.versions.order_by("number").values_list("body", flat=True)) == [
        "Förra året",
        "Vår inledning 2025.",
    ]


def test_local_tables_are_copied_with_their_file_and_marked(cast, last_year) -> None:
    old = LocalTable.objects.create(
        edition=last_year,
        title="Behörighet per skola",
        unit="%",
        source_filename="behorighet-2024.csv",
        sha256="ab" * 32,
        columns=["Skola", "2024"],
        rows=[["Norrtull", 81.5], ["Vågbro", 77.0]],
        uploaded_by=cast.sam,
        order=4,
    )
    LocalTable.objects.filter(pk=old.pk).update(
        uploaded_at=datetime.datetime(2024, 5, 2, 9, 0, tzinfo=datetime.UTC)
    )

    edition = start_edition(cast.organisation, 2025, cast.sam)

    copy = edition.local_tables.get()
    assert copy.pk != old.pk and copy.carried_over and not LocalTable.objects.get(pk=old.pk).carried_over
    assert (
        copy.title,
        copy.unit,
        copy.source_filename,
        copy.sha256,
        copy.columns,
        copy.rows,
        copy.order,
    ) == (
        "Behörighet per skola",
        "%",
        "behorighet-2024.csv",
        "ab" * 32,
        ["Skola", "2024"],
        [["Norrtull", 81.5], ["Vågbro", 77.0]],
        4,
    )
    assert copy.uploaded_at == datetime.datetime(2024, 5, 2, 9, 0, tzinfo=datetime.UTC)
    client = Client()
    client.force_login(cast.sam)
    page = client.get(reverse("localdata:detail", args=[edition.pk, copy.pk])).content.decode()
    assert "Tabellen kopierades från förra årets årgång." in page


def test_the_publish_page_says_how_many_texts_are_last_years_unchanged(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)
    carried = edition.sections.filter(carried_over=True)
    client = Client()
    client.force_login(cast.sam)
    url = reverse("publishing:publish", args=[edition.pk])
    page = client.get(url).content.decode()
    # Every free section of 2024 had "Förra året" and was approved; in 2025 they are drafts, unchanged.
    assert carried.count() == len(FREE_KINDS) >= 2
    assert f"{len(FREE_KINDS)} av dem är förra årets texter och oändrade" in page
    assert page.count("från förra året, oändrat") == len(FREE_KINDS)

    for section in carried[1:]:
        workflow.save(section, cast.sam, body=f"Årets text, {section.kind}.", base_version=0)
    page = client.get(url).content.decode()
    assert "1 av dem är förra årets text och oändrad" in page
    assert page.count("från förra året, oändrat") == 1
