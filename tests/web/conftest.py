"""The web app's cast, chained the way the domain nests: organisation → units → members → edition → sections.

Users (password ``losenord-123`` for all): alva (administratör), sam (samordnare), siri (skribent for BOU),
sven (skribent for SVF), greta (granskare), lars (läsare), and olle, who belongs to another organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.test import Client

from barnbokslut.web.accounts.models import Membership, Role
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


def make_user(username: str, organisation: Organisation, role: Role, units: list[Unit] | None = None) -> AbstractUser:
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
