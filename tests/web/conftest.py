"""The web app's cast, chained the way the domain nests: organisation → units → members → edition → sections.

Users (password ``losenord-123`` for all): alva (administratör), sam (samordnare), siri (skribent for BOU),
sven (skribent for SVF), greta (granskare), lars (läsare), and olle, who belongs to another organisation; on
request otto (administratör of the other organisation) and root (a Django superuser).

``db_state()`` takes a picture of everything an admin page can change (users, memberships, units, audit
events other than logins and refusals), so a refused request can be shown to have changed nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role
from barnbokslut.web.editions.models import FREE_KINDS, UNIT_KINDS, Edition, Section
from barnbokslut.web.organisations.models import Organisation, Unit

PASSWORD = "losenord-123"


@dataclass
class Cast:
    organisation: Organisation
    other_organisation: Organisation
    bou: Unit
    svf: Unit
    alva: AbstractUser
    sam: AbstractUser
    siri: AbstractUser
    sven: AbstractUser
    greta: AbstractUser
    lars: AbstractUser
    olle: AbstractUser

    def by_role(self, role: Role) -> AbstractUser:
        return {
            Role.ADMIN: self.alva,
            Role.COORDINATOR: self.sam,
            Role.WRITER: self.siri,
            Role.REVIEWER: self.greta,
            Role.READER: self.lars,
        }[role]


def make_user(
    username: str, organisation: Organisation, role: Role, units: list[Unit] | None = None
) -> AbstractUser:
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    membership = Membership.objects.create(user=user, organisation=organisation, role=role)
    if units:
        membership.units.set(units)
    return user


@pytest.fixture
def cast(db: None) -> Cast:
    organisation = Organisation.objects.create(name="Söderhamns kommun", slug="soderhamn", kommun="2182")
    other = Organisation.objects.create(name="Bollnäs kommun", slug="bollnas", kommun="2183")
    bou = Unit.objects.create(organisation=organisation, name="Barn och unga", abbreviation="BOU", order=1)
    svf = Unit.objects.create(
        organisation=organisation, name="Stadsområde, välfärd och fritid", abbreviation="SVF", order=2
    )
    return Cast(
        organisation=organisation,
        other_organisation=other,
        bou=bou,
        svf=svf,
        alva=make_user("alva", organisation, Role.ADMIN),
        sam=make_user("sam", organisation, Role.COORDINATOR),
        siri=make_user("siri", organisation, Role.WRITER, [bou]),
        sven=make_user("sven", organisation, Role.WRITER, [svf]),
        greta=make_user("greta", organisation, Role.REVIEWER),
        lars=make_user("lars", organisation, Role.READER),
        olle=make_user("olle", other, Role.COORDINATOR),
    )


@pytest.fixture
def edition(cast: Cast) -> Edition:
    """This year's open edition with every free section and every unit section, all drafts."""
    edition = Edition.objects.create(organisation=cast.organisation, year=2025, title="Barnbokslut")
    for kind in FREE_KINDS:
        Section.objects.create(edition=edition, kind=kind)
    for unit in (cast.bou, cast.svf):
        for kind in UNIT_KINDS:
            Section.objects.create(edition=edition, unit=unit, kind=kind)
    return edition


def login(client: Client, user: AbstractUser) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def otto(cast: Any) -> AbstractUser:
    """Administratör of the other organisation (Bollnäs), and of nothing in Söderhamn."""
    user = get_user_model().objects.create_user(username="otto", password="losenord-123")
    Membership.objects.create(user=user, organisation=cast.other_organisation, role=Role.ADMIN)
    return user


@pytest.fixture
def root(db: None) -> AbstractUser:
    return get_user_model().objects.create_superuser(username="root", password="losenord-123")


def snapshot() -> tuple[Any, ...]:
    users = tuple(
        get_user_model()
        .objects.order_by("pk")
        .values_list("pk", "username", "is_active", "password", "email")
    )
    memberships = tuple(
        (m.pk, m.user_id, m.organisation_id, m.role, tuple(sorted(u.pk for u in m.units.all())))
        for m in Membership.objects.order_by("pk").prefetch_related("units")
    )
    units = tuple(
        Unit.objects.order_by("pk").values_list("pk", "organisation_id", "parent_id", "name", "abbreviation")
    )
    organisations = tuple(Organisation.objects.order_by("pk").values_list("pk", "name", "kommun", "logo"))
    quiet = (AuditAction.LOGIN, AuditAction.LOGOUT, AuditAction.DENIED)  # a refusal is logged (issue 12)
    events = tuple(AuditEvent.objects.exclude(action__in=quiet).order_by("pk").values_list("pk", flat=True))
    return users, memberships, units, organisations, events


@pytest.fixture
def db_state() -> Any:
    return snapshot
