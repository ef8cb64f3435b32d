"""A follow-up row's numbered actions: each with its own status and comment, the row's status derived or set."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.editions.followup import effective_status, row_status
from barnbokslut.web.editions.models import FollowUp, FollowUpStatus
from barnbokslut.web.editions.services import start_edition

HTMX = {"HX-Request": "true"}


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def row(cast, edition) -> FollowUp:  # type: ignore[no-untyped-def]
    follow_up = FollowUp.objects.create(
        edition=edition,
        area="Trygghet i skolan",
        action="1. Fler vuxna på rasterna\n2. Trygghetsvandring\n3. Enkät",
        actions=[
            {"text": "Fler vuxna på rasterna", "status": "", "comment": ""},
            {"text": "Trygghetsvandring", "status": "", "comment": ""},
            {"text": "Enkät", "status": "", "comment": ""},
        ],
        comment="Hela raden",
        order=0,
    )
    follow_up.units.set([cast.bou])
    return follow_up


@pytest.fixture
def plain(cast, edition) -> FollowUp:  # type: ignore[no-untyped-def]
    return FollowUp.objects.create(
        edition=edition,
        area="Barns delaktighet",
        action="1. Elevråd i alla skolor\n2. Barnkonsekvensanalyser",
        status=FollowUpStatus.STARTED,
        comment="Pågår",
        order=1,
    )


def url(row: FollowUp) -> str:
    return reverse("editions:follow_up_actions", args=[row.edition_id, row.pk])


def posted(
    row: FollowUp, actions: list[tuple[str, str, str]], status: str = "", **extra: str
) -> dict[str, str]:
    prefix = f"atgarder-{row.pk}"
    data = {f"{prefix}-antal": str(len(actions)), f"{prefix}-status": status, **extra}
    for number, (text, action_status, comment) in enumerate(actions, start=1):
        data |= {
            f"{prefix}-{number}-text": text,
            f"{prefix}-{number}-status": action_status,
            f"{prefix}-{number}-comment": comment,
        }
    return data


def as_stored(row: FollowUp) -> tuple[Any, ...]:
    row.refresh_from_db()
    return row.action, row.actions, row.status, row.comment


def test_the_coordinator_sets_a_status_per_action_and_the_row_status_is_derived(
    client: Client, cast, edition, row
) -> None:
    login(client, cast.sam)
    form = client.get(url(row), headers=HTMX)
    assert form.status_code == 200
    text = form.content.decode()
    assert text.lstrip().startswith(f'<tr id="rad-{row.pk}">')
    assert "Åtgärd 3" in text and "Härled från åtgärderna" in text

    saved = client.post(
        url(row),
        posted(
            row,
            [
                ("Fler vuxna på rasterna", "genomford", "Klart i höstas"),
                ("Trygghetsvandring", "paborjad", ""),
                ("Enkät", "ej_paborjad", ""),
            ],
        ),
        headers=HTMX,
    )

    assert saved.status_code == 200
    html = saved.content.decode()
    assert "<form" not in html.split("Redigera")[0]
    assert "Påbörjad" in html and "härledd ur åtgärderna" in html
    assert "Klart i höstas" in html
    row.refresh_from_db()
    assert row.actions == [
        {"text": "Fler vuxna på rasterna", "status": "genomford", "comment": "Klart i höstas"},
        {"text": "Trygghetsvandring", "status": "paborjad", "comment": ""},
        {"text": "Enkät", "status": "ej_paborjad", "comment": ""},
    ]
    assert row.status == ""
    assert effective_status(row) == FollowUpStatus.STARTED
    assert row.action == "1. Fler vuxna på rasterna\n2. Trygghetsvandring\n3. Enkät"
    assert row.comment == "Hela raden"


@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("genomford", "genomford", "genomford"), FollowUpStatus.DONE),
        (("ej_paborjad", "ej_paborjad", "ej_paborjad"), FollowUpStatus.NOT_STARTED),
        (("genomford", "ej_paborjad", "ej_paborjad"), FollowUpStatus.STARTED),
        (("genomford", "", "genomford"), None),
    ],
)
def test_the_derived_status_follows_the_actions(client: Client, cast, row, statuses, expected) -> None:
    actions = [(f"Åtgärd {n}", status, "") for n, status in enumerate(statuses, start=1)]

    response = login(client, cast.sam).post(url(row), posted(row, actions))

    assert response.status_code == 302
    row.refresh_from_db()
    assert effective_status(row) == expected
    page = client.get(reverse("editions:follow_up", args=[row.edition_id])).content.decode()
    if expected is None:
        assert "åtgärd 2 saknar status" in page
    else:
        assert f">{expected.label}</span>" in page


def test_the_row_status_can_be_set_over_the_actions(client: Client, cast, row) -> None:
    actions = [("a", "genomford", ""), ("b", "paborjad", ""), ("c", "", "")]

    login(client, cast.sam).post(url(row), posted(row, actions, status=FollowUpStatus.DONE))

    row.refresh_from_db()
    assert row.status == FollowUpStatus.DONE
    assert effective_status(row) == FollowUpStatus.DONE
    assert not row_status(row).derived
    page = client.get(reverse("editions:follow_up", args=[row.edition_id])).content.decode()
    assert "satt för raden" in page


def test_errors_name_the_action_and_the_field_and_nothing_is_saved(client: Client, cast, row) -> None:
    before = as_stored(row)
    actions = [("a", "genomford", ""), ("  ", "paborjad", ""), ("x" * 2001, "kanske", "")]

    response = login(client, cast.sam).post(url(row), posted(row, actions, status="alltid"))

    assert response.status_code == 400
    text = response.content.decode()
    assert "Åtgärd 2, text: Skriv vad åtgärden går ut på." in text
    assert "Åtgärd 3, text: Högst 2000 tecken (nu 2001)." in text
    assert "Åtgärd 3, status: Välj Påbörjad, Genomförd, Ej påbörjad eller ingen status." in text
    assert "Radens status: Välj Härled från åtgärderna" in text
    assert as_stored(row) == before


def test_with_htmx_the_errors_come_back_in_the_row(client: Client, cast, row) -> None:
    before = as_stored(row)

    response = login(client, cast.sam).post(url(row), posted(row, [("", "", "")]), headers=HTMX)

    assert response.status_code == 200
    assert response.content.decode().lstrip().startswith(f'<tr id="rad-{row.pk}">')
    assert "Åtgärd 1, text: Skriv vad åtgärden går ut på." in response.content.decode()
    assert as_stored(row) == before


def test_a_row_has_between_one_and_twenty_actions(client: Client, cast, row) -> None:
    before = as_stored(row)
    login(client, cast.sam)

    too_many = client.post(url(row), posted(row, [(f"Åtgärd {n}", "", "") for n in range(21)]))
    none = client.post(url(row), posted(row, []))
    full = client.post(
        url(row), posted(row, [(f"Åtgärd {n}", "", "") for n in range(20)], **{"lagg-till": "1"})
    )

    assert too_many.status_code == 400
    assert "En rad kan ha högst 20 åtgärder." in too_many.content.decode()
    assert none.status_code == 400
    assert "Raden behöver minst en åtgärd." in none.content.decode()
    assert "En rad kan ha högst 20 åtgärder." in full.content.decode()
    assert "Åtgärd 21" not in full.content.decode()
    assert as_stored(row) == before


def test_adding_and_removing_an_action_only_changes_the_form_until_it_is_saved(
    client: Client, cast, row
) -> None:
    before = as_stored(row)
    login(client, cast.sam)
    actions = [("a", "genomford", ""), ("b", "paborjad", "om b"), ("c", "", "")]

    added = client.post(url(row), posted(row, actions, **{"lagg-till": "1"}), headers=HTMX)
    removed = client.post(url(row), posted(row, actions, **{"ta-bort": "2"}), headers=HTMX)

    assert added.status_code == removed.status_code == 200
    assert f'name="atgarder-{row.pk}-4-text"' in added.content.decode()
    assert 'value="4"' in added.content.decode()
    form = removed.content.decode()
    assert f'name="atgarder-{row.pk}-3-text"' not in form
    assert "om b" not in form and ">\nc</textarea>" in form
    assert "kunde inte sparas" not in added.content.decode() + form
    assert as_stored(row) == before

    client.post(url(row), posted(row, [("a", "genomford", ""), ("c", "genomford", "")]))
    row.refresh_from_db()
    assert [a["text"] for a in row.actions] == ["a", "c"]
    assert effective_status(row) == FollowUpStatus.DONE


def test_a_row_without_actions_is_divided_by_its_numbered_list(client: Client, cast, edition, plain) -> None:
    login(client, cast.sam)
    page = client.get(reverse("editions:follow_up", args=[edition.pk])).content.decode()
    assert "Dela upp i åtgärder" in page

    proposal = client.get(url(plain))
    assert proposal.status_code == 200
    text = proposal.content.decode()
    assert ">\nElevråd i alla skolor</textarea>" in text and ">\nBarnkonsekvensanalyser</textarea>" in text
    plain.refresh_from_db()
    assert plain.actions == []  # only a proposal until it is saved

    client.post(
        url(plain),
        posted(
            plain,
            [("Elevråd i alla skolor", "", ""), ("Barnkonsekvensanalyser", "", "")],
            status=plain.status,
        ),
    )

    plain.refresh_from_db()
    assert [a["text"] for a in plain.actions] == ["Elevråd i alla skolor", "Barnkonsekvensanalyser"]
    assert (plain.status, plain.comment) == (
        FollowUpStatus.STARTED,
        "Pågår",
    )  # the row's status stays its own
    page = client.get(reverse("editions:follow_up", args=[edition.pk])).content.decode()
    assert "Åtgärder och status" in page


def test_a_row_without_actions_keeps_working_as_one_action(client: Client, cast, edition, plain) -> None:
    assert effective_status(plain) == FollowUpStatus.STARTED
    edit = reverse("editions:follow_up_edit", args=[edition.pk, plain.pk])
    form = login(client, cast.sam).get(edit).content.decode()
    assert f'name="rad-{plain.pk}-action"' in form and f'name="rad-{plain.pk}-status"' in form


def test_the_row_form_of_a_row_with_actions_leaves_them_to_the_actions_editor(
    client: Client, cast, edition, row
) -> None:
    edit = reverse("editions:follow_up_edit", args=[edition.pk, row.pk])
    login(client, cast.sam)
    form = client.get(edit).content.decode()
    assert f'name="rad-{row.pk}-action"' not in form and f'name="rad-{row.pk}-status"' not in form
    actions = list(row.actions)

    response = client.post(edit, {f"rad-{row.pk}-area": "Trygghet", f"rad-{row.pk}-comment": "Ny"})

    assert response.status_code == 302
    row.refresh_from_db()
    assert (row.area, row.comment, row.actions) == ("Trygghet", "Ny", actions)


def test_a_closed_edition_refuses_every_change_to_the_actions(client: Client, cast, edition, row) -> None:
    edition.state = edition.State.CLOSED
    edition.save()
    before = as_stored(row)
    login(client, cast.sam)

    page = client.get(reverse("editions:follow_up", args=[edition.pk])).content.decode()
    assert url(row) not in page
    attempts = [
        client.get(url(row)),
        client.post(url(row), posted(row, [("a", "genomford", "")])),
        client.post(url(row), posted(row, [("a", "", "")], **{"lagg-till": "1"})),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403]
    assert as_stored(row) == before


@pytest.mark.parametrize("who", ["siri", "sven", "greta", "lars", "olle"])
def test_only_coordinators_and_administrators_change_the_actions(
    client: Client, cast, edition, row, who
) -> None:
    before = as_stored(row)
    login(client, getattr(cast, who))

    attempts = [client.get(url(row)), client.post(url(row), posted(row, [("a", "genomford", "")]))]

    assert [r.status_code for r in attempts] == [403, 403]
    assert as_stored(row) == before
    if who != "olle":
        page = client.get(reverse("editions:follow_up", args=[edition.pk])).content.decode()
        assert url(row) not in page
        assert "Ej angiven" in page and "Trygghetsvandring" in page  # everyone sees the actions


def test_the_administrator_may_change_the_actions(client: Client, cast, row) -> None:
    response = login(client, cast.alva).post(url(row), posted(row, [("a", "genomford", "")]))

    assert response.status_code == 302
    row.refresh_from_db()
    assert row.actions == [{"text": "a", "status": "genomford", "comment": ""}]


def test_a_new_edition_splits_last_years_measures_into_actions(cast, last_year) -> None:
    last_year.development_areas.filter(area="Trygghet i skolan").update(measures="1. a\n2. b\n3. c")

    edition = start_edition(cast.organisation, 2025, cast.sam)

    safe, voice = edition.follow_ups.order_by("order")
    assert safe.actions == [
        {"text": "a", "status": "", "comment": ""},
        {"text": "b", "status": "", "comment": ""},
        {"text": "c", "status": "", "comment": ""},
    ]
    assert (safe.action, safe.status) == ("1. a\n2. b\n3. c", "")
    assert effective_status(safe) is None  # nobody has looked at the actions yet
    assert voice.actions == [{"text": "Elevråd i alla skolor", "status": "", "comment": ""}]
