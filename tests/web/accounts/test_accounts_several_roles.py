"""An administratör gives a person several roles (issue 13), each skribent or granskare role with its units.

Through the real member page (POST to the view), shown on the member list, the member page and the home page,
audited with the roles before and after; the migration keeps the one membership each person had.
"""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role


@pytest.fixture
def alva(cast) -> Client:
    client = Client()
    client.force_login(cast.alva)
    return client


def roles_url(cast, user) -> str:
    return reverse("accounts:member_roles", args=[cast.organisation.pk, user.pk])


def _roles(cast, user) -> dict[str, list[str]]:
    return {
        m.role: sorted(u.abbreviation for u in m.units.all())
        for m in Membership.objects.filter(user=user, organisation=cast.organisation)
    }


def test_an_admin_gives_a_writer_a_second_role_as_reviewer_for_another_unit(cast, alva):
    response = alva.post(
        roles_url(cast, cast.siri),
        {
            "roles": [Role.WRITER, Role.REVIEWER],
            "writer_units": [cast.bou.pk],
            "reviewer_units": [cast.svf.pk],
        },
        follow=True,
    )
    assert response.status_code == 200
    assert _roles(cast, cast.siri) == {Role.WRITER: ["BOU"], Role.REVIEWER: ["SVF"]}
    page = response.content.decode()
    assert "siri har nu rollerna Skribent (BOU), Granskare (SVF)." in page
    assert 'value="granskare" id="roll-granskare" checked' in page
    assert f'value="{cast.svf.pk}" id="reviewer_units-{cast.svf.pk}" checked' in page
    event = AuditEvent.objects.get(action=AuditAction.ROLE_CHANGED)
    assert event.description == (
        "alva ändrade rollerna för siri från Skribent (BOU) till Skribent (BOU), Granskare (SVF)"
    )
    assert event.object_id == str(cast.siri.pk) and event.organisation == cast.organisation

    siri = Client()
    siri.force_login(cast.siri)
    home = siri.get(reverse("core:home")).content.decode()
    assert "Dina roller: <strong>Skribent (BOU), Granskare (SVF)</strong>" in home
    members = alva.get(reverse("accounts:members", args=[cast.organisation.pk])).content.decode()
    assert "<td>Skribent (BOU), Granskare (SVF)</td>" in members
    assert members.count(">siri</a>") == 1


def test_the_home_page_of_a_person_with_one_role_says_din_roll(cast):
    client = Client()
    client.force_login(cast.greta)
    assert "Din roll: <strong>Granskare</strong>" in client.get(reverse("core:home")).content.decode()


def test_units_of_a_role_that_has_none_are_ignored_and_a_role_can_be_removed(cast, alva):
    alva.post(
        roles_url(cast, cast.siri),
        {"roles": [Role.REVIEWER, Role.READER], "writer_units": [cast.bou.pk], "reviewer_units": []},
    )
    assert _roles(cast, cast.siri) == {Role.REVIEWER: [], Role.READER: []}


def test_no_role_at_all_is_refused_with_a_message(cast, alva):
    response = alva.post(roles_url(cast, cast.siri), {"writer_units": [cast.bou.pk]})
    assert response.status_code == 400
    assert "Välj minst en roll." in response.content.decode()
    assert _roles(cast, cast.siri) == {Role.WRITER: ["BOU"]}
    assert not AuditEvent.objects.filter(action__in=[AuditAction.ROLE_CHANGED, AuditAction.UNITS_CHANGED])


def test_the_last_admin_may_add_a_role_but_not_give_up_the_admin_role(cast, alva):
    alva.post(roles_url(cast, cast.alva), {"roles": [Role.ADMIN, Role.WRITER], "writer_units": [cast.bou.pk]})
    assert _roles(cast, cast.alva) == {Role.ADMIN: [], Role.WRITER: ["BOU"]}
    response = alva.post(roles_url(cast, cast.alva), {"roles": [Role.WRITER]}, follow=True)
    assert "den enda aktiva administratören" in response.content.decode()
    assert _roles(cast, cast.alva) == {Role.ADMIN: [], Role.WRITER: ["BOU"]}


def test_one_role_twice_in_an_organisation_is_refused_by_the_database(cast):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.siri, organisation=cast.organisation, role=Role.WRITER)
    Membership.objects.create(user=cast.siri, organisation=cast.organisation, role=Role.REVIEWER)
    assert Membership.objects.filter(user=cast.siri, organisation=cast.organisation).count() == 2


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_each_persons_one_membership_and_then_allows_a_second_role():
    executor = MigrationExecutor(connection)
    # Found by name, not number: migrations of other branches may be numbered before it on merge.
    graph = executor.loader.graph
    after = next(n for n in graph.nodes if n[0] == "accounts" and n[1].endswith("_several_roles_per_person"))
    (before,) = [parent.key for parent in graph.node_map[after].parents if parent.key[0] == "accounts"]
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "accounts"]
    executor.migrate([before, *others])
    old = executor.loader.project_state([before, *others]).apps
    organisation = old.get_model("organisations", "Organisation").objects.create(
        name="Söderhamns kommun", slug="soderhamn", kommun="2182"
    )
    unit = old.get_model("organisations", "Unit").objects.create(
        organisation=organisation, name="Barn och unga", abbreviation="BOU"
    )
    user = old.get_model("auth", "User").objects.create(username="siri")
    membership = old.get_model("accounts", "Membership").objects.create(
        user=user, organisation=organisation, role="skribent"
    )
    membership.units.set([unit])

    executor = MigrationExecutor(connection)
    executor.migrate([after, *others])
    new = executor.loader.project_state([after, *others]).apps
    memberships = new.get_model("accounts", "Membership").objects
    kept = memberships.get(user_id=user.pk, organisation_id=organisation.pk)
    assert kept.pk == membership.pk and kept.role == "skribent"
    assert [u.abbreviation for u in kept.units.all()] == ["BOU"]
    memberships.create(user_id=user.pk, organisation_id=organisation.pk, role="granskare")
    assert memberships.filter(user_id=user.pk).count() == 2
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_a_new_reviewer_may_be_limited_to_units_on_the_new_user_page(cast, alva):
    response = alva.post(
        reverse("accounts:member_create", args=[cast.organisation.pk]),
        {"username": "vera", "role": Role.REVIEWER, "units": [cast.svf.pk]},
    )
    assert response.status_code == 302
    vera = Membership.objects.get(user__username="vera")
    assert vera.role == Role.REVIEWER and [u.abbreviation for u in vera.units.all()] == ["SVF"]
    assert AuditEvent.objects.get(action=AuditAction.USER_CREATED).description.endswith(
        "med rollen Granskare för SVF"
    )


def test_the_roles_tag_shows_all_of_a_persons_roles(cast):
    from django.template import Context, Template

    Membership.objects.create(user=cast.siri, organisation=cast.organisation, role=Role.REVIEWER).units.set(
        [cast.svf]
    )
    template = Template("{% load roles %}{% roles_in organisation as roles %}[{{ roles }}]")
    rendered = template.render(Context({"user": cast.siri, "organisation": cast.organisation}))
    assert rendered == "[Skribent (BOU), Granskare (SVF)]"
