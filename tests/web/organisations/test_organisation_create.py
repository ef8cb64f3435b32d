"""A new organisation through the pages: a superuser or an administratör creates it and becomes its administratör.

Name, type and (optionally) the Kolada kommun, given as an id or a name and checked against Kolada's list of
municipalities; the slug comes from the name. Then the creator adds its units on the organisation page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role
from barnbokslut.web.organisations.models import Organisation, Unit

CREATE = "organisations:create"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_an_admin_creates_a_kommun_and_becomes_its_administrator(cast):
    response = client_for(cast.alva).post(
        reverse(CREATE), {"name": "Ljusdals kommun", "kind": "kommun", "kommun": "2161"}
    )
    organisation = Organisation.objects.get(name="Ljusdals kommun")
    assert response.status_code == 302
    assert response["Location"] == reverse("organisations:detail", args=[organisation.pk])
    assert (organisation.slug, organisation.kind, organisation.kommun) == (
        "ljusdals-kommun",
        "kommun",
        "2161",
    )
    assert Membership.objects.get(organisation=organisation).user == cast.alva
    assert Membership.objects.get(organisation=organisation).role == Role.ADMIN
    event = AuditEvent.objects.get(action=AuditAction.ORGANISATION_CHANGED, organisation=organisation)
    assert event.user == cast.alva
    assert "Ny organisation: Ljusdals kommun" in event.description and "2161" in event.description


def test_a_kommun_may_be_given_by_its_name_and_is_stored_as_its_kolada_id(cast):
    client_for(cast.alva).post(
        reverse(CREATE), {"name": "Barn i Gävle", "kind": "forvaltning", "kommun": "gävle"}
    )
    organisation = Organisation.objects.get(name="Barn i Gävle")
    assert (organisation.kind, organisation.kommun) == ("forvaltning", "2180")


def test_a_superuser_creates_a_company_without_kommun(root):
    response = client_for(root).post(
        reverse(CREATE), {"name": "Söderhamn Nära AB", "kind": "bolag", "kommun": ""}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(name="Söderhamn Nära AB")
    assert (organisation.slug, organisation.kind, organisation.kommun) == ("soderhamn-nara-ab", "bolag", "")
    assert Membership.objects.get(organisation=organisation, role=Role.ADMIN).user == root
    page = client_for(root).get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Bolag" in page and "Ingen" in page


def test_the_slug_is_made_unique(cast):
    alva = client_for(cast.alva)
    for _ in range(2):
        alva.post(reverse(CREATE), {"name": "Söderhamns kommun", "kind": "namnd", "kommun": "2182"})
    slugs = sorted(Organisation.objects.filter(name="Söderhamns kommun").values_list("slug", flat=True))
    assert slugs == ["soderhamn", "soderhamns-kommun", "soderhamns-kommun-2"]


@pytest.mark.parametrize(
    ("kommun", "message"),
    [
        ("9999", "Kolada har ingen kommun med id 9999"),
        ("0001", "Kolada har ingen kommun med id 0001"),  # Region Stockholm is a region, not a kommun
        ("Söderhamm", "Hittar ingen kommun som heter ”Söderhamm” i Kolada. Menade du Söderhamn (2182), "),
        ("21x", "fyra siffror"),
    ],
)
def test_an_unknown_kommun_is_refused_in_swedish_and_nothing_is_created(cast, db_state, kommun, message):
    before = db_state()
    response = client_for(cast.alva).post(
        reverse(CREATE), {"name": "Ny kommun", "kind": "kommun", "kommun": kommun}
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert db_state() == before
    assert not Organisation.objects.filter(name="Ny kommun").exists()


def test_a_name_and_a_known_type_are_required(cast, db_state):
    before = db_state()
    response = client_for(cast.alva).post(reverse(CREATE), {"name": " ", "kind": "forening", "kommun": ""})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Detta fält måste fyllas i." in text
    assert "Välj ett giltigt alternativ." in text
    assert db_state() == before


@pytest.mark.parametrize("who", ["sam", "siri", "greta", "lars", "olle"])
def test_everyone_but_administrators_and_superusers_gets_403_and_nothing_is_created(cast, db_state, who):
    client = client_for(getattr(cast, who))
    before = db_state()
    assert client.get(reverse(CREATE)).status_code == 403
    response = client.post(reverse(CREATE), {"name": "Kapad kommun", "kind": "kommun", "kommun": "2182"})
    assert response.status_code == 403
    assert db_state() == before
    assert not Organisation.objects.filter(name="Kapad kommun").exists()


def test_anonymous_visitors_are_sent_to_login(cast, db_state):
    before = db_state()
    client = Client()
    for response in (
        client.get(reverse(CREATE)),
        client.post(reverse(CREATE), {"name": "X", "kind": "kommun"}),
    ):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert db_state() == before


def test_the_link_is_shown_to_administrators_and_superusers_only(cast, root):
    url = reverse(CREATE)
    assert url in client_for(cast.alva).get(reverse("core:home")).content.decode()
    assert (
        url
        in client_for(cast.alva)
        .get(reverse("organisations:detail", args=[cast.organisation.pk]))
        .content.decode()
    )
    assert url not in client_for(cast.sam).get(reverse("core:home")).content.decode()
    assert (
        url
        not in client_for(cast.sam)
        .get(reverse("organisations:detail", args=[cast.organisation.pk]))
        .content.decode()
    )
    form = client_for(root).get(url)
    assert form.status_code == 200
    text = form.content.decode()
    assert "Ny organisation" in text and "Kommun i Kolada" in text and "Förvaltning" in text


def test_the_creator_adds_units_to_the_new_organisation(otto):
    client = client_for(otto)
    client.post(reverse(CREATE), {"name": "Hudiksvalls kommun", "kind": "kommun", "kommun": "Hudiksvall"})
    organisation = Organisation.objects.get(name="Hudiksvalls kommun")
    assert organisation.kommun == "2184"
    add = reverse("organisations:unit_create", args=[organisation.pk])
    response = client.post(
        add, {"name": "Barn och utbildning", "abbreviation": "BOU", "parent": "", "order": "1"}
    )
    assert response.status_code == 302
    bou = Unit.objects.get(organisation=organisation, abbreviation="BOU")
    response = client.post(
        add, {"name": "Förskola", "abbreviation": "FSK", "parent": str(bou.pk), "order": "1"}
    )
    assert response.status_code == 302
    assert Unit.objects.get(organisation=organisation, abbreviation="FSK").parent == bou
    page = client.get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Barn och utbildning" in page and "Förskola" in page


def test_editing_the_organisation_keeps_its_type_when_the_form_has_none_and_allows_no_kommun(cast):
    cast.organisation.kind = "namnd"
    cast.organisation.save()
    response = client_for(cast.alva).post(
        reverse("organisations:update", args=[cast.organisation.pk]), {"name": "Söderhamn", "kommun": ""}
    )
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert (organisation.name, organisation.kind, organisation.kommun) == ("Söderhamn", "namnd", "")
    client_for(cast.alva).post(
        reverse("organisations:update", args=[cast.organisation.pk]),
        {"name": "Söderhamn", "kind": "bolag", "kommun": "Söderhamns kommun"},
    )
    organisation.refresh_from_db()
    assert (organisation.kind, organisation.kommun) == ("bolag", "2182")


def test_own_comparison_kommuner_are_stored_as_ids_and_shown_by_name(cast):
    url = reverse("organisations:update", args=[cast.organisation.pk])
    form = {"name": "Söderhamns kommun", "kind": "kommun", "kommun": "2182"}
    response = client_for(cast.alva).post(url, {**form, "comparison": "Bollnäs, 2184, bollnäs"})
    assert response.status_code == 302
    organisation = Organisation.objects.get(pk=cast.organisation.pk)
    assert organisation.comparison_kommuner == ["2183", "2184"]  # in the order given, once each
    page = client_for(cast.alva).get(reverse("organisations:detail", args=[organisation.pk])).content.decode()
    assert "Bollnäs, Hudiksvall" in page
    edit = client_for(cast.alva).get(url).content.decode()
    assert 'value="Bollnäs, Hudiksvall"' in edit


def test_an_unknown_or_own_comparison_kommun_is_refused_in_swedish_and_nothing_changes(cast):
    url = reverse("organisations:update", args=[cast.organisation.pk])
    form = {"name": "Söderhamns kommun", "kind": "kommun", "kommun": "2182"}
    response = client_for(cast.alva).post(url, {**form, "comparison": "Bolnäs, Söderhamn"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "Bolnäs:" in text and "Bollnäs (2183)" in text
    assert "Söderhamn: det är organisationens egen kommun." in text
    assert Organisation.objects.get(pk=cast.organisation.pk).comparison_kommuner == []
