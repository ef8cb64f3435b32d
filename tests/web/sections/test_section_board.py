"""The coordinator's board: every section with status, writer and deadline, who is late, filters, assignment."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from barnbokslut.web.editions.models import Section, SectionKind, SectionStatus


@pytest.fixture
def board_url(edition) -> str:
    return reverse("editions:board", args=[edition.pk])


@pytest.fixture
def sam(cast) -> Client:
    client = Client()
    client.force_login(cast.sam)
    return client


def _rows(page: str) -> int:
    return page.count('<th scope="row">')


def test_the_board_lists_every_section_grouped_free_sections_first(sam, board_url):
    page = sam.get(board_url).content.decode()
    # 5 free sections, the organisation's own Förutsättningar/Styrkor/Utmaningar (made when the board is first
    # opened for an edition that lacks them), and 3 per unit
    assert _rows(page) == 5 + 3 + 2 * 3
    assert page.count("Hela organisationen</td>") == 3
    free, bou, svf = (
        page.index("<caption>Fria avsnitt"),
        page.index("<caption>Barn och unga"),
        page.index("<caption>Stadsområde"),
    )
    assert free < bou < svf
    assert "Inga försenade avsnitt" in page


def test_the_board_marks_late_sections_and_counts_them(sam, board_url, cast, edition):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    bou = Section.objects.filter(edition=edition, unit=cast.bou)
    late = bou.get(kind=SectionKind.STYRKOR)
    Section.objects.filter(pk=late.pk).update(deadline=yesterday, writer=cast.siri)
    # Past deadline but handed in (Klar) or approved: not late. Future deadline: not late.
    bou.filter(kind=SectionKind.UTMANINGAR).update(deadline=yesterday, status=SectionStatus.READY)
    bou.filter(kind=SectionKind.FORUTSATTNINGAR).update(deadline=yesterday, status=SectionStatus.APPROVED)
    Section.objects.filter(edition=edition, unit=cast.svf).update(
        deadline=yesterday + datetime.timedelta(days=30)
    )

    page = sam.get(board_url).content.decode()

    assert "1 försenat avsnitt" in page and "försenade avsnitt" not in page
    assert page.count('<span class="late">Försenad</span>') == 1
    row = page[page.index(f'href="/avsnitt/{late.pk}/"') :].split("</tr>")[0]
    assert "Försenad" in row

    only_late = sam.get(board_url, {"forsenade": "1"}).content.decode()
    assert _rows(only_late) == 1


def test_the_board_filters_by_status_and_unit(sam, board_url, cast, edition):
    Section.objects.filter(edition=edition, unit=cast.svf, kind=SectionKind.STYRKOR).update(
        status=SectionStatus.READY
    )
    assert _rows(sam.get(board_url, {"status": "klar"}).content.decode()) == 1
    assert _rows(sam.get(board_url, {"enhet": str(cast.bou.pk)}).content.decode()) == 3
    # 5, and 3 of the organisation's own.
    assert _rows(sam.get(board_url, {"enhet": "fria"}).content.decode()) == 5 + 3
    assert _rows(sam.get(board_url, {"status": "klar", "enhet": str(cast.bou.pk)}).content.decode()) == 0
    # Unknown filters are ignored.
    assert _rows(sam.get(board_url, {"status": "påhittad"}).content.decode()) == 14


def test_a_coordinator_sets_writer_and_deadline_from_the_board(sam, board_url, cast, edition):
    section = Section.objects.get(edition=edition, unit=None, kind=SectionKind.INLEDNING)
    response = sam.post(
        reverse("editions:section_assign", args=[section.pk]),
        {
            "writer": cast.sven.pk,
            "deadline": "2025-04-30",
            "tillbaka": "enhet=fria&next=https://evil.example",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url}?enhet=fria&sparat={section.pk}#avsnitt-{section.pk}"
    section.refresh_from_db()
    assert section.writer == cast.sven
    assert section.deadline == datetime.date(2025, 4, 30)
    page = sam.get(response["Location"]).content.decode()
    assert "senast klar 30 april 2025." in page and "senast klar 2025-04-30" not in page


def test_an_assignment_to_someone_outside_the_organisation_is_refused(sam, cast, edition):
    section = Section.objects.get(edition=edition, unit=None, kind=SectionKind.INLEDNING)
    for writer in (cast.olle, cast.lars):
        sam.post(reverse("editions:section_assign", args=[section.pk]), {"writer": writer.pk, "deadline": ""})
    section.refresh_from_db()
    assert section.writer is None


def test_a_bad_date_is_explained_and_changes_nothing(sam, cast, edition):
    section = Section.objects.get(edition=edition, unit=None, kind=SectionKind.INLEDNING)
    response = sam.post(
        reverse("editions:section_assign", args=[section.pk]), {"writer": "", "deadline": "31/4"}, follow=True
    )
    assert "går inte att läsa" in response.content.decode()
    section.refresh_from_db()
    assert section.deadline is None


def test_a_reviewer_sees_the_board_read_only(cast, board_url, edition):
    greta = Client()
    greta.force_login(cast.greta)
    page = greta.get(board_url).content.decode()
    assert _rows(page) == 14
    assert 'name="writer"' not in page
    section = Section.objects.get(edition=edition, unit=None, kind=SectionKind.INLEDNING)
    response = greta.post(reverse("editions:section_assign", args=[section.pk]), {"writer": cast.siri.pk})
    assert response.status_code == 403
    assert Section.objects.get(pk=section.pk).writer is None


def test_a_writer_sees_only_the_sections_she_writes(cast, board_url, edition):
    Section.objects.filter(edition=edition, unit=None, kind=SectionKind.SLUTSATSER).update(writer=cast.siri)
    siri = Client()
    siri.force_login(cast.siri)
    page = siri.get(board_url).content.decode()
    assert _rows(page) == 3 + 1
    assert "Stadsområde" not in page
    assert "Slutsatser" in page


def test_a_reader_is_refused_the_board(cast, board_url):
    lars = Client()
    lars.force_login(cast.lars)
    assert lars.get(board_url).status_code == 403


def _bulk(client: Client, edition, sections, **fields):
    data = {"avsnitt": [str(s.pk) for s in sections], **fields}
    return client.post(reverse("editions:board_assign", args=[edition.pk]), data, follow=True)


def test_a_coordinator_assigns_writer_and_deadline_to_several_sections_at_once(sam, cast, edition):
    bou = list(Section.objects.filter(edition=edition, unit=cast.bou))
    svf_strengths = Section.objects.get(edition=edition, unit=cast.svf, kind=SectionKind.STYRKOR)
    Section.objects.filter(pk=svf_strengths.pk).update(writer=cast.sven)
    response = _bulk(sam, edition, bou, skribent=str(cast.siri.pk), senast_klar="2025-04-30")
    assert response.redirect_chain[-1][0].endswith("#fordela-valda")
    assert (
        f"{len(bou)} avsnitt fick skribent siri och senast klar 30 april 2025." in response.content.decode()
    )
    for section in bou:
        section.refresh_from_db()
        assert (section.writer, section.deadline) == (cast.siri, datetime.date(2025, 4, 30))
    assert Section.objects.get(pk=svf_strengths.pk).writer == cast.sven  # not ticked, not changed

    # Only a date: every ticked section keeps its own writer.
    mixed = [bou[0], svf_strengths]
    _bulk(sam, edition, mixed, skribent="", senast_klar="2025-05-15")
    assert [Section.objects.get(pk=s.pk).writer for s in mixed] == [cast.siri, cast.sven]
    assert {Section.objects.get(pk=s.pk).deadline for s in mixed} == {datetime.date(2025, 5, 15)}

    # "Ingen skribent" takes the writer away and keeps the dates.
    _bulk(sam, edition, mixed, skribent="ingen")
    assert [Section.objects.get(pk=s.pk).writer for s in mixed] == [None, None]
    assert Section.objects.get(pk=bou[0].pk).deadline == datetime.date(2025, 5, 15)


def test_a_bulk_assignment_that_cannot_be_done_whole_changes_nothing(sam, cast, edition, otto):
    from barnbokslut.web.editions.models import Edition

    bou = list(Section.objects.filter(edition=edition, unit=cast.bou))
    other = Edition.objects.create(organisation=cast.other_organisation, year=2025, title="Barnbokslut")
    foreign = Section.objects.create(edition=other, kind=SectionKind.INLEDNING)
    cases = [
        ({"skribent": str(cast.siri.pk)}, [], "Kryssa i minst ett avsnitt"),
        ({"skribent": str(cast.siri.pk)}, [*bou, foreign], "hör inte till den här årgången"),
        ({"skribent": str(cast.lars.pk)}, bou, "Inget avsnitt ändrades: Den valda skribenten är inte med"),
        ({"skribent": "", "senast_klar": "31/4"}, bou, "går inte att läsa"),
        ({"skribent": ""}, bou, "Välj en skribent, ett datum eller båda"),
    ]
    for fields, sections, message in cases:
        page = _bulk(sam, edition, sections, **fields).content.decode()
        assert message in page, message
    assert all(s.writer_id is None and s.deadline is None for s in Section.objects.filter(edition=edition))
    assert Section.objects.get(pk=foreign.pk).writer is None


def test_a_saved_row_brings_the_coordinator_back_to_that_row_with_its_filters(sam, board_url, cast, edition):
    section = Section.objects.get(edition=edition, unit=cast.svf, kind=SectionKind.UTMANINGAR)
    response = sam.post(
        reverse("editions:section_assign", args=[section.pk]),
        {"writer": cast.sven.pk, "deadline": "2025-04-30", "tillbaka": "status=utkast"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"{board_url}?status=utkast&sparat={section.pk}#avsnitt-{section.pk}"
    page = sam.get(response["Location"]).content.decode()
    row = page[page.index(f'<tr id="avsnitt-{section.pk}"') :]
    row = row[: row.index("</tr>")]
    assert 'role="status">Sparat</span>' in row
    assert page.count(">Sparat</span>") == 1
