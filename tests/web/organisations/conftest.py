"""Fixtures for the organisation-page tests: otto administers the other organisation, root is a Django superuser.

``db_state()`` takes a picture of everything an admin page can change (users, memberships, units, audit
events other than logins), so a refused request can be shown to have changed nothing.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser

from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Role
from barnbokslut.web.organisations.models import Organisation, Unit


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
    quiet = (AuditAction.LOGIN, AuditAction.LOGOUT)
    events = tuple(AuditEvent.objects.exclude(action__in=quiet).order_by("pk").values_list("pk", flat=True))
    return users, memberships, units, organisations, events


@pytest.fixture
def db_state() -> Any:
    return snapshot
