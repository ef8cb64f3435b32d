"""The follow-up table and next year's development areas: everyone looks, the coordinator changes."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.models import DevelopmentArea, FollowUp, FollowUpStatus
from barnbokslut.web.organisations.models import Unit


def login(client: Client, user) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(user)
    return client


@pytest.fixture
def follow_up(cast, edition) -> FollowUp:  # type: ignore[no-untyped-def]
    row = FollowUp.objects.create(
        edition=edition, area="Trygghet i skolan", action="Fler vuxna på rasterna", order=0
    )
    row.units.set([cast.bou])
    return row


@pytest.fixture
def areas(cast, edition) -> list[DevelopmentArea]:  # type: ignore[no-untyped-def]
    return [
        DevelopmentArea.objects.create(edition=edition, area=name, measures="Åtgärd", order=n)
        for n, name in enumerate(["Första", "Andra", "Tredje"])
    ]


def follow_up_data(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "area": "Trygghet i skolan",
        "action": "Fler vuxna på rasterna",
        "status": FollowUpStatus.STARTED,
        "comment": "Halvvägs",
        "articles": ["3", "12"],
        "indicators": ["N15613"],
    }
    data.update(changes)
    return data


def prefixed(prefix: str, data: dict[str, object]) -> dict[str, object]:
    return {f"{prefix}-{key}": value for key, value in data.items()}


@pytest.mark.parametrize("who", ["alva", "sam", "siri", "greta", "lars"])
def test_everyone_in_the_organisation_sees_both_tables(client: Client, cast, edition, follow_up, who) -> None:
    login(client, getattr(cast, who))
    page = client.get(reverse("editions:follow_up", args=[edition.pk]))
    areas = client.get(reverse("editions:development", args=[edition.pk]))

    assert (page.status_code, areas.status_code) == (200, 200)
    assert "Trygghet i skolan" in page.content.decode()
    assert "BOU" in page.content.decode()
    can_edit = who in ("alva", "sam")
    assert ("Redigera" in page.content.decode()) is can_edit
    assert ("Lägg till en rad" in areas.content.decode()) is can_edit


def test_another_organisation_cannot_see_the_tables(client: Client, cast, edition, follow_up) -> None:
    login(client, cast.olle)

    assert client.get(reverse("editions:follow_up", args=[edition.pk])).status_code == 403
    assert client.get(reverse("editions:development", args=[edition.pk])).status_code == 403


def test_the_coordinator_sets_a_follow_up_status_inline(client: Client, cast, edition, follow_up) -> None:
    url = reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])
    login(client, cast.sam)
    form = client.get(url, headers={"HX-Request": "true"})
    assert form.status_code == 200
    assert form.content.decode().lstrip().startswith(f'<tr id="rad-{follow_up.pk}">')
    assert "<form" in form.content.decode()

    saved = client.post(
        url, prefixed(f"rad-{follow_up.pk}", follow_up_data()), headers={"HX-Request": "true"}
    )

    assert saved.status_code == 200
    assert "<form" not in saved.content.decode().split("Redigera")[0]
    assert "Påbörjad" in saved.content.decode()
    follow_up.refresh_from_db()
    assert (follow_up.status, follow_up.comment) == (FollowUpStatus.STARTED, "Halvvägs")
    assert (follow_up.articles, follow_up.indicators) == ([3, 12], ["N15613"])
    assert list(follow_up.units.all()) == []


def test_an_empty_action_is_refused_in_swedish_next_to_the_field(
    client: Client, cast, edition, follow_up
) -> None:
    url = reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])
    data = prefixed(f"rad-{follow_up.pk}", follow_up_data(action="", status="kanske"))

    response = login(client, cast.sam).post(url, data, headers={"HX-Request": "true"})

    text = response.content.decode()
    assert response.status_code == 200  # htmx swaps the form with its errors back in
    assert "Beskriv åtgärden." in text
    assert "Välj Påbörjad, Genomförd, Ej påbörjad eller ingen status." in text
    follow_up.refresh_from_db()
    assert follow_up.action == "Fler vuxna på rasterna"


def test_without_htmx_the_edit_page_shows_the_errors_with_status_400(
    client: Client, cast, edition, follow_up
) -> None:
    url = reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])
    data = prefixed(f"rad-{follow_up.pk}", follow_up_data(area=" ", articles=["7"]))

    response = login(client, cast.alva).post(url, data)

    assert response.status_code == 400
    text = response.content.decode()
    assert "Skriv vilket utvecklingsområde raden gäller." in text
    assert "Välj bland artiklarna 2, 3, 6 och 12." in text


def test_a_unit_of_another_organisation_cannot_be_linked(client: Client, cast, edition, follow_up) -> None:
    foreign = Unit.objects.create(organisation=cast.other_organisation, name="Skola", abbreviation="SK")
    url = reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])
    data = prefixed(f"rad-{follow_up.pk}", follow_up_data(units=[str(foreign.pk)]))

    response = login(client, cast.sam).post(url, data)

    assert response.status_code == 400
    assert "Välj bland organisationens enheter." in response.content.decode()
    assert list(follow_up.units.all()) == [cast.bou]


def test_the_coordinator_adds_a_development_area(client: Client, cast, edition) -> None:
    data = prefixed(
        "ny",
        {
            "area": "Psykisk hälsa",
            "units": [str(cast.bou.pk), str(cast.svf.pk)],
            "measures": "Elevhälsan på plats",
            "expected_results": "Färre elever med psykisk ohälsa",
            "articles": ["6"],
            "indicators": ["N15613", "U31803"],
        },
    )

    response = login(client, cast.sam).post(reverse("editions:development_add", args=[edition.pk]), data)

    assert response.status_code == 302
    row = DevelopmentArea.objects.get(edition=edition)
    assert (row.area, row.articles, row.indicators) == ("Psykisk hälsa", [6], ["N15613", "U31803"])
    assert set(row.units.values_list("abbreviation", flat=True)) == {"BOU", "SVF"}
    page = client.get(reverse("editions:development", args=[edition.pk])).content.decode()
    assert "BOU, SVF" in page
    assert "Artikel 6" in page


def test_adding_a_development_area_without_measures_is_refused(client: Client, cast, edition) -> None:
    data = prefixed("ny", {"area": "Psykisk hälsa", "measures": ""})

    response = login(client, cast.sam).post(reverse("editions:development_add", args=[edition.pk]), data)

    assert response.status_code == 400
    assert "Beskriv minst en åtgärd." in response.content.decode()
    assert not DevelopmentArea.objects.exists()


def test_deleting_asks_first_and_then_removes_the_row(client: Client, cast, edition, follow_up) -> None:
    url = reverse("editions:follow_up_delete", args=[edition.pk, follow_up.pk])
    login(client, cast.sam)

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert "Ta bort ”Trygghet i skolan”?" in confirm.content.decode()
    assert FollowUp.objects.filter(pk=follow_up.pk).exists()

    removed = client.post(url, headers={"HX-Request": "true"})
    assert (removed.status_code, removed.content) == (200, b"")
    assert not FollowUp.objects.filter(pk=follow_up.pk).exists()


def test_rows_move_up_and_down(client: Client, cast, edition, areas) -> None:
    first, _, third = areas
    login(client, cast.alva)

    client.post(reverse("editions:development_move", args=[edition.pk, third.pk]), {"riktning": "up"})
    response = client.post(
        reverse("editions:development_move", args=[edition.pk, first.pk]),
        {"riktning": "down"},
        headers={"HX-Request": "true"},
    )

    order = list(DevelopmentArea.objects.filter(edition=edition).values_list("area", flat=True))
    assert order == ["Tredje", "Första", "Andra"]
    text = response.content.decode()
    assert text.index("Tredje") < text.index("Första") < text.index("Andra")


def test_moving_the_first_row_up_changes_nothing(client: Client, cast, edition, areas) -> None:
    login(client, cast.sam).post(
        reverse("editions:development_move", args=[edition.pk, areas[0].pk]), {"riktning": "up"}
    )

    assert list(DevelopmentArea.objects.values_list("area", flat=True)) == ["Första", "Andra", "Tredje"]


@pytest.mark.parametrize("who", ["siri", "greta", "lars", "olle"])
def test_only_coordinators_and_administrators_change_the_tables(
    client: Client, cast, edition, follow_up, areas, who
) -> None:
    login(client, getattr(cast, who))
    row = prefixed(f"rad-{follow_up.pk}", follow_up_data(action="Ändrad"))
    attempts = [
        client.get(reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])),
        client.post(reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk]), row),
        client.post(reverse("editions:follow_up_add", args=[edition.pk]), prefixed("ny", follow_up_data())),
        client.post(reverse("editions:follow_up_delete", args=[edition.pk, follow_up.pk])),
        client.post(reverse("editions:development_move", args=[edition.pk, areas[1].pk]), {"riktning": "up"}),
        client.post(reverse("editions:development_delete", args=[edition.pk, areas[0].pk])),
    ]

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    follow_up.refresh_from_db()
    assert follow_up.action == "Fler vuxna på rasterna"
    assert FollowUp.objects.count() == 1
    assert list(DevelopmentArea.objects.values_list("area", flat=True)) == ["Första", "Andra", "Tredje"]


def test_a_row_of_another_edition_is_not_found_through_this_one(
    client: Client, cast, edition, last_year
) -> None:
    other_row = last_year.development_areas.first()

    response = login(client, cast.sam).post(
        reverse("editions:development_delete", args=[edition.pk, other_row.pk])
    )

    assert response.status_code == 404
    assert DevelopmentArea.objects.filter(pk=other_row.pk).exists()


def test_writes_are_post_only(client: Client, cast, edition, areas) -> None:
    login(client, cast.sam)

    assert client.get(reverse("editions:development_move", args=[edition.pk, areas[1].pk])).status_code == 405
    assert client.get(reverse("editions:development_add", args=[edition.pk])).status_code == 405


def test_a_closed_edition_keeps_its_tables_as_they_were(
    client: Client, cast, edition, follow_up, areas
) -> None:
    edition.state = edition.State.CLOSED
    edition.save()
    login(client, cast.sam)

    page = client.get(reverse("editions:follow_up", args=[edition.pk]))
    assert page.status_code == 200
    assert "Trygghet i skolan" in page.content.decode()
    assert reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk]) not in page.content.decode()

    edit = reverse("editions:follow_up_edit", args=[edition.pk, follow_up.pk])
    refused = [
        client.post(edit, prefixed(f"rad-{follow_up.pk}", follow_up_data(comment="Ändrat i efterhand"))),
        client.post(reverse("editions:follow_up_delete", args=[edition.pk, follow_up.pk])),
        client.post(reverse("editions:development_add", args=[edition.pk]), prefixed("ny", {"area": "Ny"})),
        client.post(reverse("editions:development_move", args=[edition.pk, areas[1].pk]), {"riktning": "up"}),
    ]
    assert [r.status_code for r in refused] == [403, 403, 403, 403]
    follow_up.refresh_from_db()
    assert follow_up.comment == ""
    assert DevelopmentArea.objects.filter(edition=edition).count() == 3
    assert [a.area for a in DevelopmentArea.objects.filter(edition=edition).order_by("order")] == [
        "Första",
        "Andra",
        "Tredje",
    ]
