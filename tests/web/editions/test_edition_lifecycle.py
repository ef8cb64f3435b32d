"""A new edition starts from last year's; the dashboard shows the edition to its organisation only."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.indicators.catalogue import load_catalogue
from barnbokslut.web.accounts.models import AuditAction, AuditEvent
from barnbokslut.web.editions.models import (
    FREE_KINDS,
    UNIT_KINDS,
    Edition,
    EditionIndicator,
    FollowUp,
    Section,
    SectionKind,
    SectionStatus,
)
from barnbokslut.web.editions.services import EditionExistsError, next_year, start_edition
from barnbokslut.web.organisations.models import Unit


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


def test_start_edition_carries_over_last_years_edition(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)

    assert edition.previous == last_year
    assert edition.title == "Barnbokslut för Söderhamn"
    assert edition.state == Edition.State.OPEN
    assert edition.standard_texts == last_year.standard_texts
    chosen = list(edition.indicators.values_list("kpi", "comment"))
    assert chosen == [("U31803", ""), ("N15613", ""), ("N02903", "")]


def test_start_edition_creates_every_section_as_a_draft_with_last_years_writer(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)

    sections = edition.sections.all()
    # the free sections, the organisation's own Förutsättningar/Styrkor/Utmaningar, and those of each unit
    assert sections.count() == len(FREE_KINDS) + len(UNIT_KINDS) + 2 * len(UNIT_KINDS)
    assert set(sections.values_list("status", flat=True)) == {SectionStatus.DRAFT}
    # last year's texts come as drafts marked "från förra året"; sections that had none start empty
    assert {(s.body, s.carried_over) for s in sections.filter(unit=None, kind__in=FREE_KINDS)} == {
        ("Förra året", True)
    }
    assert {(s.body, s.carried_over) for s in sections.exclude(unit=None)} == {("", False)}
    assert sections.get(unit=cast.bou, kind=SectionKind.STYRKOR).writer == cast.siri
    assert sections.get(unit=cast.svf, kind=SectionKind.UTMANINGAR).writer == cast.sven
    assert sections.get(unit=None, kind=SectionKind.INLEDNING).writer == cast.sam
    assert sections.get(unit=None, kind=SectionKind.SLUTSATSER).writer is None


def test_start_edition_gives_a_new_unit_its_sections_without_a_writer(cast, last_year) -> None:
    fritid = Unit.objects.create(organisation=cast.organisation, name="Fritid", abbreviation="FRI", order=3)

    edition = start_edition(cast.organisation, 2025, cast.sam)

    new = edition.sections.filter(unit=fritid)
    assert sorted(new.values_list("kind", flat=True)) == sorted(UNIT_KINDS)
    assert all(s.writer is None for s in new)


def test_start_edition_turns_development_areas_into_follow_up_rows_with_empty_status(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)

    rows = list(edition.follow_ups.all())
    assert [(r.area, r.action, r.status) for r in rows] == [
        ("Trygghet i skolan", "Fler vuxna på rasterna", ""),
        ("Barns delaktighet", "Elevråd i alla skolor", ""),
    ]
    safe = rows[0]
    assert set(safe.units.values_list("abbreviation", flat=True)) == {"BOU", "SVF"}
    assert (safe.articles, safe.indicators) == ([3, 12], ["N15613"])
    assert safe.origin == last_year.development_areas.get(area="Trygghet i skolan")
    assert edition.development_areas.count() == 0


def test_start_edition_records_an_audit_event(cast, last_year) -> None:
    edition = start_edition(cast.organisation, 2025, cast.sam)

    event = AuditEvent.objects.get(action=AuditAction.EDITION_CREATED)
    assert (event.user, event.organisation, event.object_id) == (cast.sam, cast.organisation, str(edition.pk))
    assert "2025" in event.description and "2024" in event.description


def test_start_edition_refuses_a_year_that_exists(cast, last_year) -> None:
    with pytest.raises(EditionExistsError, match="har redan en årgång för 2024"):
        start_edition(cast.organisation, 2024, cast.sam)
    assert Edition.objects.filter(organisation=cast.organisation).count() == 1


def test_a_first_edition_gets_the_default_catalogue_and_the_shipped_standard_texts(cast) -> None:
    edition = start_edition(cast.organisation, 2025, cast.alva)

    assert edition.previous is None
    assert list(edition.indicators.values_list("kpi", flat=True)) == load_catalogue().kpi_ids
    assert {"syfte", "begrepp", "grundprinciper"} <= set(edition.standard_texts)
    assert "Barnkonventionen" in edition.standard_texts["syfte"]
    assert edition.follow_ups.count() == 0
    assert edition.sections.count() == len(FREE_KINDS) + len(UNIT_KINDS) + 2 * len(UNIT_KINDS)


def test_the_next_year_defaults_to_the_newest_edition_plus_one(cast, last_year) -> None:
    assert next_year(cast.organisation) == 2025
    assert next_year(cast.other_organisation) >= 2024


def test_the_coordinator_opens_a_new_edition_from_last_years(client: Client, cast, last_year) -> None:
    url = reverse("editions:new", args=[cast.organisation.pk])
    page = login(client, cast.sam).get(url)
    assert page.status_code == 200
    assert 'value="2025"' in page.content.decode()

    response = client.post(url, {"year": "2025"})

    edition = Edition.objects.get(organisation=cast.organisation, year=2025)
    assert response.status_code == 302
    assert response["Location"] == reverse("editions:detail", args=[edition.pk])
    assert FollowUp.objects.filter(edition=edition).count() == 2


def test_opening_an_existing_year_is_refused_with_a_swedish_message(client: Client, cast, last_year) -> None:
    response = login(client, cast.alva).post(
        reverse("editions:new", args=[cast.organisation.pk]), {"year": "2024"}
    )

    assert response.status_code == 400
    assert "har redan en årgång för 2024" in response.content.decode()
    assert Edition.objects.filter(organisation=cast.organisation).count() == 1


def test_a_year_that_is_not_a_number_is_refused(client: Client, cast) -> None:
    response = login(client, cast.sam).post(
        reverse("editions:new", args=[cast.organisation.pk]), {"year": "tjugo"}
    )

    assert response.status_code == 400
    assert "Ange året med fyra siffror" in response.content.decode()
    assert not Edition.objects.exists()


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle"])
def test_only_coordinators_and_administrators_may_open_an_edition(
    client: Client, cast, last_year, who
) -> None:
    url = reverse("editions:new", args=[cast.organisation.pk])
    login(client, getattr(cast, who))

    assert client.get(url).status_code == 403
    assert client.post(url, {"year": "2025"}).status_code == 403
    assert not Edition.objects.filter(year=2025).exists()


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client: Client, edition) -> None:
    response = client.get(reverse("editions:detail", args=[edition.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["alva", "sam", "siri", "greta", "lars"])
def test_every_role_of_the_organisation_sees_the_dashboard(client: Client, cast, edition, who) -> None:
    response = login(client, getattr(cast, who)).get(reverse("editions:detail", args=[edition.pk]))

    assert response.status_code == 200
    text = response.content.decode()
    assert "Barnbokslut 2025" in text
    # 11 sections, and the organisation's own three for the Nulägesanalys made when the page is first opened
    assert "0 av 14 avsnitt är godkända" in text
    assert f"/arsgang/{edition.pk}/lokala-data/" in text
    assert reverse("editions:follow_up", args=[edition.pk]) in text


@pytest.mark.parametrize(
    ("who", "shown"), [("alva", True), ("sam", True), ("siri", False), ("greta", False), ("lars", False)]
)
def test_only_those_who_may_publish_see_the_publish_card(client: Client, cast, edition, who, shown) -> None:
    user = login(client, getattr(cast, who))
    publish = reverse("publishing:publish", args=[edition.pk])
    text = user.get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert (f'<a href="{publish}">Publicera</a>' in text) is shown
    assert user.get(publish).status_code == (200 if shown else 403)  # the card shows exactly where it leads


def test_another_organisation_cannot_see_the_dashboard(client: Client, cast, edition) -> None:
    assert login(client, cast.olle).get(reverse("editions:detail", args=[edition.pk])).status_code == 403


def test_an_unknown_edition_is_not_found(client: Client, cast, edition) -> None:
    assert login(client, cast.sam).get(reverse("editions:detail", args=[edition.pk + 99])).status_code == 404


def test_the_dashboard_counts_sections_by_status_and_late_ones(client: Client, cast, edition) -> None:
    Section.objects.filter(edition=edition, unit=cast.bou).update(status=SectionStatus.APPROVED)
    Section.objects.filter(edition=edition, unit=cast.svf, kind=SectionKind.STYRKOR).update(
        status=SectionStatus.READY, deadline="2020-01-01"
    )

    text = login(client, cast.sam).get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert "3 av 14 avsnitt är godkända (21 %)" in text  # with the organisation's own three
    assert "1 avsnitt är försenat:" in text


def test_the_dashboard_says_one_in_the_singular_and_the_rest_in_the_plural(
    client: Client, cast, edition
) -> None:
    EditionIndicator.objects.create(edition=edition, kpi="N15428")
    FollowUp.objects.create(edition=edition, area="Delaktighet", action="Fler elevråd")

    text = login(client, cast.sam).get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert "1 valt nyckeltal." in text and "valda nyckeltal" not in text
    assert "<p>1 rad.</p>" in text  # the follow-up
    assert "<p>0 rader.</p>" in text  # no development areas yet


def test_the_dashboard_names_local_data_as_the_report_and_its_pages_do(client: Client, cast, edition) -> None:
    text = login(client, cast.sam).get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert f'<a href="/arsgang/{edition.pk}/lokala-data/">Lokala uppgifter</a>' in text
    assert "Lokala data" not in text


def test_a_writer_sees_their_own_sections_on_the_dashboard(client: Client, cast, edition) -> None:
    Section.objects.filter(edition=edition, unit=cast.bou, kind=SectionKind.UTMANINGAR).update(
        deadline="2020-03-01"
    )

    text = login(client, cast.siri).get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert "Mina avsnitt" in text
    assert "Förutsättningar – Barn och unga (BOU)" in text
    assert "Stadsområde, välfärd och fritid" not in text.split("Mina avsnitt")[1].split("</table>")[0]
    assert "(försenat)" in text


def test_the_reader_has_no_own_sections_block(client: Client, cast, edition) -> None:
    text = login(client, cast.lars).get(reverse("editions:detail", args=[edition.pk])).content.decode()

    assert "Mina avsnitt" not in text
