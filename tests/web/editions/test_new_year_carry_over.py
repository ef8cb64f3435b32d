"""A new year starts from last year's (issue 13, item 5): texts as drafts marked "från förra året" until
someone changes them, deadlines a year later, local tables copied with their file's name and checksum; the
follow-up rows keep last year's förväntade resultat (editable, not in the report's table), and the organisation's
own standard texts are marked "från förra året" too (issue 14)."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.test import Client
from django.urls import reverse

from barnbokslut.report.html import render_html
from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import FREE_KINDS, Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.editions.services import a_year_later, start_edition
from barnbokslut.web.localdata.models import LocalTable
from barnbokslut.web.publishing.import_folder import import_folder
from barnbokslut.web.publishing.report_from_db import edition_report


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


def _new_year(cast) -> Edition:  # type: ignore[no-untyped-def]
    """2025 opened from 2024 on the new-edition page, as the coordinator does."""
    client = Client()
    client.force_login(cast.sam)
    response = client.post(reverse("editions:new", args=[cast.organisation.pk]), {"year": "2025"})
    assert response.status_code == 302
    return Edition.objects.get(organisation=cast.organisation, year=2025)


def test_last_years_expected_results_come_with_the_follow_up_rows_and_can_be_edited(cast, last_year) -> None:
    edition = _new_year(cast)
    rows = list(edition.follow_ups.order_by("order"))
    # The fixture's 2024 areas: "Trygghet i skolan" expected "Fler elever känner sig trygga", the other nothing.
    assert [(r.area, r.expected_results) for r in rows] == [
        ("Trygghet i skolan", "Fler elever känner sig trygga"),
        ("Barns delaktighet", ""),
    ]
    client = Client()
    client.force_login(cast.sam)
    page = client.get(reverse("editions:follow_up", args=[edition.pk])).content.decode()
    assert '<th scope="col">Förväntade resultat förra året</th>' in page
    assert "Fler elever känner sig trygga" in page and "Inga angivna" in page

    safe = rows[0]
    url = reverse("editions:follow_up_edit", args=[edition.pk, safe.pk])
    form = client.get(url).content.decode()
    assert f'name="rad-{safe.pk}-expected_results"' in form and "Fler elever känner sig trygga" in form
    # The row has actions (carried over one by one): its form has område, enheter, the expected results, the
    # row's comment, articles and indicators; actions and status have their own editor.
    data = {
        "area": "Trygghet i skolan",
        "units": [str(cast.bou.pk)],
        "expected_results": "Fler elever och vuxna känner sig trygga",
        "comment": "Rastvärdarna finns på plats.",
        "articles": ["3"],
    }
    response = client.post(url, {f"rad-{safe.pk}-{key}": value for key, value in data.items()})
    assert response.status_code == 302
    safe.refresh_from_db()
    assert (safe.expected_results, safe.comment) == (
        "Fler elever och vuxna känner sig trygga",
        "Rastvärdarna finns på plats.",
    )
    assert [a["text"] for a in safe.actions] == ["Fler vuxna på rasterna"]
    # The actions editor shows them beside the actions, to follow up against.
    actions = client.get(reverse("editions:follow_up_actions", args=[edition.pk, safe.pk])).content.decode()
    assert (
        "Förväntade resultat förra året:" in actions and "Fler elever och vuxna känner sig trygga" in actions
    )
    # Too long: refused in Swedish, nothing saved.
    response = client.post(
        url,
        {f"rad-{safe.pk}-{key}": value for key, value in {**data, "expected_results": "x" * 10_001}.items()},
    )
    assert response.status_code == 400
    assert "Högst 10000 tecken (nu 10001)." in response.content.decode()
    safe.refresh_from_db()
    assert safe.expected_results == "Fler elever och vuxna känner sig trygga"


def test_the_report_leaves_the_expected_results_out_of_the_follow_up_table(cast, last_year) -> None:
    edition = _new_year(cast)
    edition.follow_ups.update(status="paborjad")
    report = edition_report(edition, analysis=None).report
    assert [r.expected_results.plain if r.expected_results else "" for r in report.follow_up] == [
        "Fler elever känner sig trygga",
        "",
    ]
    page = render_html(report)
    table = page.split("<caption>Förra årets utvecklingsområden, åtgärder och status</caption>", 1)[1]
    table = table.split("</table>", 1)[0]
    assert "Trygghet i skolan" in table and "Fler vuxna på rasterna" in table
    assert "Fler elever känner sig trygga" not in page
    assert table.count('<th scope="col">') == 4


def test_last_years_own_standard_texts_are_marked_until_changed(cast, last_year) -> None:
    # 2024 has its own Syfte and Begrepp; no Grundprinciper of its own (the shipped one is used).
    edition = _new_year(cast)
    assert edition.standard_texts_carried_over == ["syfte", "begrepp"]
    client = Client()
    client.force_login(cast.sam)
    url = reverse("editions:standard_texts", args=[edition.pk])
    page = client.get(url).content.decode()
    assert 'id="fran-forra-aret"' in page
    assert "”Syfte och bakgrund” och ”Viktiga begrepp” är förra årets texter och har inte ändrats än." in page
    detail = client.get(reverse("editions:detail", args=[edition.pk])).content.decode()
    assert "2 texter är förra årets och oändrade" in detail
    publish = client.get(reverse("publishing:publish", args=[edition.pk])).content.decode()
    assert (
        "Standardtexterna ”Syfte och bakgrund” och ”Viktiga begrepp” är förra årets och oändrade:" in publish
    )


def test_shipped_standard_texts_are_not_last_years(cast) -> None:
    first = start_edition(cast.organisation, 2024, cast.sam)  # the shipped texts, copied into the edition
    assert first.standard_texts_carried_over == []
    following = start_edition(cast.organisation, 2025, cast.sam)
    assert following.standard_texts == first.standard_texts
    assert following.standard_texts_carried_over == []
    client = Client()
    client.force_login(cast.sam)
    page = client.get(reverse("editions:standard_texts", args=[following.pk])).content.decode()
    assert 'id="fran-forra-aret"' not in page
    publish = client.get(reverse("publishing:publish", args=[following.pk])).content.decode()
    assert "standardtexter-fran-forra-aret" not in publish


def test_a_folder_read_in_replaces_a_standard_text_and_its_mark(cast, last_year) -> None:
    # The committee example has its own texter/begrepp.md and no purpose text: 2024's Syfte stays last year's.
    folder = Path(__file__).resolve().parents[3] / "examples" / "barnbokslut-namnd"
    edition = import_folder(folder, cast.organisation, 2025, user=cast.sam)
    assert edition.standard_texts["syfte"] == "Vårt eget syfte."
    assert edition.standard_texts["begrepp"].startswith("Tre närliggande begrepp används ofta")
    assert Edition.objects.get(pk=edition.pk).standard_texts_carried_over == ["syfte"]
