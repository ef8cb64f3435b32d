"""alva, the administratör, manages Söderhamn's users: every change is audited, nothing is ever deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role


@pytest.fixture
def alva(cast) -> Client:
    client = Client()
    client.force_login(cast.alva)
    return client


def url(name: str, cast, user=None) -> str:
    args = [cast.organisation.pk] if user is None else [cast.organisation.pk, user.pk]
    return reverse(f"accounts:{name}", args=args)


def test_the_member_list_shows_each_role_and_a_writers_units(cast, alva):
    response = alva.get(url("members", cast))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Användare och roller" in text
    for username in ("alva", "sam", "siri", "sven", "greta", "lars"):
        assert f">{username}</a>" in text
    assert ">olle<" not in text  # he belongs to Bollnäs
    assert "Skribent" in text and "BOU" in text and "SVF" in text


def test_an_admin_creates_a_writer_with_a_generated_password_shown_once(cast, alva):
    response = alva.post(
        url("member_create", cast),
        {
            "username": "kim",
            "first_name": "Kim",
            "last_name": "Karlsson",
            "email": "kim@example.se",
            "role": Role.WRITER,
            "units": [cast.bou.pk],
        },
    )
    kim = get_user_model().objects.get(username="kim")
    assert response.status_code == 302
    assert response["Location"] == url("member_detail", cast, kim)
    membership = Membership.objects.get(user=kim, organisation=cast.organisation)
    assert membership.role == Role.WRITER
    assert [u.abbreviation for u in membership.units.all()] == ["BOU"]
    event = AuditEvent.objects.get(action=AuditAction.USER_CREATED)
    assert event.organisation == cast.organisation and event.user == cast.alva
    assert "kim (Kim Karlsson)" in event.description and "Skribent" in event.description

    first = alva.get(response["Location"])
    password = first.context["shown_password"]
    assert password and "no-store" in first["Cache-Control"]
    assert password in first.content.decode()
    assert kim.check_password(password)
    assert password not in event.description
    second = alva.get(response["Location"])
    assert second.context["shown_password"] is None
    assert password not in second.content.decode()

    client = Client()
    assert client.post(reverse("login"), {"username": "kim", "password": password}).status_code == 302


def test_an_admin_may_set_the_initial_password_herself(cast, alva):
    alva.post(
        url("member_create", cast), {"username": "lo", "role": Role.READER, "password": "ett-langt-losenord"}
    )
    lo = get_user_model().objects.get(username="lo")
    assert lo.check_password("ett-langt-losenord")
    assert Membership.objects.get(user=lo).role == Role.READER


def test_the_new_user_form_preselects_the_reader_role_so_a_username_alone_makes_a_reader(cast, alva):
    page = alva.get(url("member_create", cast)).content.decode()
    assert f'<option value="{Role.READER}" selected>Läsare</option>' in page
    assert f'<option value="{Role.ADMIN}" selected>' not in page

    # The form as the browser posts it when only the username is filled in.
    response = alva.post(url("member_create", cast), {"username": "nea", "role": Role.READER})
    assert response.status_code == 302
    nea = get_user_model().objects.get(username="nea")
    assert Membership.objects.get(user=nea, organisation=cast.organisation).role == Role.READER


def test_a_taken_username_and_a_weak_password_are_refused_with_messages(cast, alva):
    response = alva.post(
        url("member_create", cast), {"username": "SIRI", "role": Role.READER, "password": "kort"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Användarnamnet SIRI är upptaget" in text
    assert "för kort" in text
    assert get_user_model().objects.filter(username__iexact="siri").count() == 1


def test_a_role_change_is_audited_with_before_and_after(cast, alva):
    response = alva.post(url("member_roles", cast, cast.lars), {"roles": [Role.REVIEWER]})
    assert response.status_code == 302
    assert Membership.objects.get(user=cast.lars, organisation=cast.organisation).role == Role.REVIEWER
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.user == cast.alva
    assert event.organisation == cast.organisation
    assert event.object_id == str(cast.lars.pk)
    assert event.description == "alva ändrade rollen för lars från Läsare till Granskare"


def test_setting_the_same_roles_again_writes_no_event(cast, alva):
    alva.post(url("member_roles", cast, cast.lars), {"roles": [Role.READER]})
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_a_writers_units_are_set_and_the_change_is_audited(cast, alva):
    writer = {"roles": [Role.WRITER]}
    response = alva.post(
        url("member_roles", cast, cast.siri), {**writer, "writer_units": [cast.bou.pk, cast.svf.pk]}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user=cast.siri, organisation=cast.organisation)
    assert sorted(u.abbreviation for u in membership.units.all()) == ["BOU", "SVF"]
    event = AuditEvent.objects.get(action=AuditAction.UNITS_CHANGED)
    assert event.description == "alva ändrade enheterna för siri från Skribent (BOU) till Skribent (BOU, SVF)"

    alva.post(url("member_roles", cast, cast.siri), writer)
    assert not membership.units.exists()
    assert AuditEvent.objects.filter(
        description__endswith="från Skribent (BOU, SVF) till Skribent (inga enheter)"
    ).exists()


def test_the_unit_checkboxes_follow_the_tree_and_show_the_current_units(cast, alva):
    text = alva.get(url("member_detail", cast, cast.siri)).content.decode()
    assert 'name="roles" value="skribent" id="roll-skribent" checked' in text
    assert 'name="roles" value="granskare" id="roll-granskare">' in text
    assert f'value="{cast.bou.pk}" id="writer_units-{cast.bou.pk}" checked' in text
    assert f'value="{cast.svf.pk}" id="writer_units-{cast.svf.pk}">' in text
    assert f'value="{cast.bou.pk}" id="reviewer_units-{cast.bou.pk}">' in text


def test_a_unit_of_another_organisation_cannot_be_given_to_a_writer(cast, alva):
    from barnbokslut.web.organisations.models import Unit

    foreign = Unit.objects.create(organisation=cast.other_organisation, name="Skola", abbreviation="SK")
    response = alva.post(
        url("member_roles", cast, cast.siri), {"roles": [Role.WRITER], "writer_units": [foreign.pk]}
    )
    assert response.status_code == 400
    assert [u.abbreviation for u in Membership.objects.get(user=cast.siri).units.all()] == ["BOU"]
    assert not AuditEvent.objects.filter(action=AuditAction.UNITS_CHANGED).exists()


def test_the_last_admin_cannot_be_demoted(cast, alva):
    response = alva.post(url("member_roles", cast, cast.alva), {"roles": [Role.READER]}, follow=True)
    assert Membership.objects.get(user=cast.alva, organisation=cast.organisation).role == Role.ADMIN
    assert "den enda aktiva administratören" in response.content.decode()
    assert not AuditEvent.objects.filter(action=AuditAction.ROLE_CHANGED).exists()


def test_an_admin_may_step_down_when_another_admin_remains(cast, alva):
    alva.post(url("member_roles", cast, cast.sam), {"roles": [Role.ADMIN]})
    response = alva.post(url("member_roles", cast, cast.alva), {"roles": [Role.COORDINATOR]})
    assert response.status_code == 302 and response["Location"] == reverse("core:home")
    assert Membership.objects.get(user=cast.alva, organisation=cast.organisation).role == Role.COORDINATOR
    assert alva.get(url("members", cast)).status_code == 403


def test_a_deactivated_admin_does_not_count_as_the_remaining_admin(cast, alva):
    Membership.objects.filter(user=cast.sam).update(role=Role.ADMIN)
    cast.sam.is_active = False
    cast.sam.save()
    alva.post(url("member_roles", cast, cast.alva), {"roles": [Role.READER]})
    assert Membership.objects.get(user=cast.alva).role == Role.ADMIN


def test_deactivating_keeps_the_user_and_their_name_in_history(cast, alva):
    response = alva.post(url("member_deactivate", cast, cast.sven))
    assert response.status_code == 302
    sven = get_user_model().objects.get(pk=cast.sven.pk)
    assert sven.is_active is False
    assert Membership.objects.filter(user=sven, organisation=cast.organisation).exists()
    event = AuditEvent.objects.get(action=AuditAction.USER_DEACTIVATED)
    assert event.description == "alva inaktiverade sven"
    assert "Inaktiverat" in alva.get(url("members", cast)).content.decode()

    alva.post(url("member_activate", cast, cast.sven))
    assert get_user_model().objects.get(pk=cast.sven.pk).is_active is True
    assert AuditEvent.objects.filter(action=AuditAction.USER_ACTIVATED).count() == 1


def test_a_deactivated_user_is_logged_out_of_an_open_session(cast, alva):
    sven = Client()
    sven.force_login(cast.sven)
    alva.post(url("member_deactivate", cast, cast.sven))
    assert sven.get(reverse("accounts:account")).status_code == 302


def test_an_admin_cannot_deactivate_herself(cast, alva):
    response = alva.post(url("member_deactivate", cast, cast.alva), follow=True)
    assert get_user_model().objects.get(pk=cast.alva.pk).is_active
    assert "Du kan inte inaktivera ditt eget konto" in response.content.decode()


def test_the_last_active_admin_cannot_be_deactivated_by_a_second_admin_who_is_leaving(cast, alva):
    # sam becomes admin, alva is deactivated by sam, then sam cannot deactivate... himself; and nobody the last one.
    Membership.objects.filter(user=cast.sam).update(role=Role.ADMIN)
    sam = Client()
    sam.force_login(cast.sam)
    assert sam.post(url("member_deactivate", cast, cast.alva)).status_code == 302
    assert not get_user_model().objects.get(pk=cast.alva.pk).is_active
    sam.post(url("member_roles", cast, cast.sam), {"roles": [Role.READER]})
    assert Membership.objects.get(user=cast.sam).role == Role.ADMIN


def test_a_password_reset_gives_a_new_password_shown_once_and_audited(cast, alva):
    old_hash = cast.greta.password
    response = alva.post(url("member_password", cast, cast.greta))
    page = alva.get(response["Location"])
    password = page.context["shown_password"]
    greta = get_user_model().objects.get(pk=cast.greta.pk)
    assert greta.password != old_hash and greta.check_password(password)
    event = AuditEvent.objects.get(action=AuditAction.PASSWORD_RESET)
    assert event.description == "alva återställde lösenordet för greta"
    assert password not in event.description


def test_an_admin_cannot_take_over_an_account_that_also_belongs_to_another_organisation(cast, alva):
    Membership.objects.create(user=cast.greta, organisation=cast.other_organisation, role=Role.ADMIN)
    old_hash = cast.greta.password
    response = alva.post(url("member_password", cast, cast.greta), follow=True)
    assert "också med i Bollnäs kommun" in response.content.decode()
    assert get_user_model().objects.get(pk=cast.greta.pk).password == old_hash
    alva.post(url("member_deactivate", cast, cast.greta))
    assert get_user_model().objects.get(pk=cast.greta.pk).is_active
    # A role in her own organisation is still hers to change.
    alva.post(url("member_roles", cast, cast.greta), {"roles": [Role.READER]})
    assert Membership.objects.get(user=cast.greta, organisation=cast.organisation).role == Role.READER


def test_a_member_of_another_organisation_is_not_found_here(cast, alva):
    assert alva.get(url("member_detail", cast, cast.olle)).status_code == 404
    assert alva.post(url("member_roles", cast, cast.olle), {"roles": [Role.READER]}).status_code == 404
    assert Membership.objects.get(user=cast.olle).role == Role.COORDINATOR


def test_an_admin_changes_a_members_name_and_email_and_the_change_is_audited(cast, alva):
    page = alva.get(url("member_detail", cast, cast.greta)).content.decode()
    assert "Namn och e-post" in page
    assert f'action="{url("member_details", cast, cast.greta)}"' in page

    response = alva.post(
        url("member_details", cast, cast.greta),
        {"first_name": "Greta", "last_name": "Granskare", "email": "greta.granskare@soderhamn.example"},
    )

    assert response.status_code == 302
    greta = get_user_model().objects.get(pk=cast.greta.pk)
    assert (greta.first_name, greta.last_name, greta.email) == (
        "Greta",
        "Granskare",
        "greta.granskare@soderhamn.example",
    )
    event = AuditEvent.objects.get(action=AuditAction.USER_CHANGED)
    assert event.description == (
        "alva ändrade uppgifterna för greta: förnamn från (tomt) till Greta, efternamn från (tomt) till "
        "Granskare, e-post från (tomt) till greta.granskare@soderhamn.example"
    )
    assert event.organisation == cast.organisation
    page = alva.get(response["Location"]).content.decode()
    assert "<h1>Greta Granskare</h1>" in page
    assert "Uppgifterna för greta är sparade." in page

    # The same values again: nothing changes, no second event.
    alva.post(
        url("member_details", cast, cast.greta),
        {"first_name": "Greta", "last_name": "Granskare", "email": "greta.granskare@soderhamn.example"},
    )
    assert AuditEvent.objects.filter(action=AuditAction.USER_CHANGED).count() == 1


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("greta-at-soderhamn", "Skriv en giltig e-postadress, till exempel namn@kommun.se."),
        ("SIRI@Soderhamn.example", "En annan användare har redan e-postadressen SIRI@Soderhamn.example."),
    ],
)
def test_an_invalid_or_taken_email_is_refused_with_a_message_and_nothing_changes(cast, alva, email, message):
    cast.siri.email = "siri@soderhamn.example"
    cast.siri.save(update_fields=["email"])

    response = alva.post(
        url("member_details", cast, cast.greta), {"first_name": "Greta", "last_name": "", "email": email}
    )

    assert response.status_code == 400
    assert f"E-post: {message}" in response.content.decode()  # in the error summary, naming the field
    greta = get_user_model().objects.get(pk=cast.greta.pk)
    assert (greta.first_name, greta.email) == ("", "")
    assert not AuditEvent.objects.filter(action=AuditAction.USER_CHANGED).exists()


def test_a_members_own_unchanged_address_is_not_taken(cast, alva):
    cast.greta.email = "greta@soderhamn.example"
    cast.greta.save(update_fields=["email"])

    response = alva.post(
        url("member_details", cast, cast.greta),
        {"first_name": "Greta", "last_name": "", "email": "greta@soderhamn.example"},
    )

    assert response.status_code == 302
    assert get_user_model().objects.get(pk=cast.greta.pk).first_name == "Greta"


def test_a_non_admin_cannot_change_a_members_email(cast):
    client = Client()
    client.force_login(cast.sam)
    response = client.post(
        url("member_details", cast, cast.greta),
        {"first_name": "X", "last_name": "", "email": "x@example.org"},
    )
    assert response.status_code == 403
    assert get_user_model().objects.get(pk=cast.greta.pk).email == ""


def test_an_admin_cannot_change_the_address_of_an_account_that_also_belongs_to_another_organisation(
    cast, alva
):
    Membership.objects.create(user=cast.greta, organisation=cast.other_organisation, role=Role.ADMIN)
    response = alva.post(
        url("member_details", cast, cast.greta),
        {"first_name": "", "last_name": "", "email": "min@adress.example"},
        follow=True,
    )
    assert "också med i Bollnäs kommun" in response.content.decode()
    assert get_user_model().objects.get(pk=cast.greta.pk).email == ""
