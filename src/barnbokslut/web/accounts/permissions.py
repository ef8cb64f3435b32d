"""Who may do what: every view and every write asks here, on the server, before it acts.

Roles are per organisation (``accounts.Membership``):

| action                         | administratör | samordnare | skribent            | granskare | läsare |
|--------------------------------|:-------------:|:----------:|:-------------------:|:---------:|:------:|
| view an edition, preview       | ✓             | ✓          | ✓                   | ✓         | ✓      |
| write a section                | ✓             | ✓          | own units / assigned| –         | –      |
| submit a section for review    | ✓             | ✓          | own units / assigned| –         | –      |
| approve or return a section    | ✓             | ✓          | –                   | ✓         | –      |
| manage the edition (tables,    | ✓             | ✓          | –                   | –         | –      |
|  writers, deadlines, indicators,|              |            |                     |           |        |
|  uploads, Kolada, publish)     |               |            |                     |           |        |
| manage users and roles         | ✓             | –          | –                   | –         | –      |
| read the audit log             | ✓             | ✓          | –                   | –         | –      |
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied

from barnbokslut.web.accounts.models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from barnbokslut.web.editions.models import Edition, Section
    from barnbokslut.web.organisations.models import Organisation

    AnyUser = AbstractBaseUser | AnonymousUser


class Action(StrEnum):
    VIEW = "view"
    WRITE = "write"
    REVIEW = "review"
    MANAGE = "manage"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"


_ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: frozenset(Action),
    Role.COORDINATOR: frozenset({Action.VIEW, Action.WRITE, Action.REVIEW, Action.MANAGE, Action.READ_AUDIT}),
    Role.WRITER: frozenset({Action.VIEW, Action.WRITE}),
    Role.REVIEWER: frozenset({Action.VIEW, Action.REVIEW}),
    Role.READER: frozenset({Action.VIEW}),
}


def membership(user: AnyUser, organisation: Organisation) -> Membership | None:
    """The user's membership in ``organisation`` (cached on the user object for the request)."""
    if not user.is_authenticated:
        return None
    cache: dict[int, Membership | None] = user.__dict__.setdefault("_barnbokslut_memberships", {})
    if organisation.pk not in cache:
        cache[organisation.pk] = (
            Membership.objects.filter(user=user, organisation=organisation).prefetch_related("units").first()
        )
    return cache[organisation.pk]


def role(user: AnyUser, organisation: Organisation) -> Role | None:
    found = membership(user, organisation)
    return Role(found.role) if found else None


def can(user: AnyUser, action: Action, organisation: Organisation) -> bool:
    """May ``user`` do ``action`` in ``organisation`` at all (before looking at a particular section)?"""
    found = role(user, organisation)
    return found is not None and action in _ROLE_ACTIONS[found]


def can_write_section(user: AnyUser, section: Section) -> bool:
    """Writers write only for their own units, or a free section they are assigned to."""
    organisation = section.edition.organisation
    found = membership(user, organisation)
    if found is None or not can(user, Action.WRITE, organisation):
        return False
    if found.role in (Role.ADMIN, Role.COORDINATOR):
        return True
    if section.writer_id is not None and section.writer_id == getattr(user, "pk", None):
        return True
    return section.unit_id is not None and any(u.pk == section.unit_id for u in found.units.all())


def require(allowed: bool, message: str = "Du har inte behörighet till detta.") -> None:
    """Raise PermissionDenied (HTTP 403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


CLOSED_EDITION = "Årgången är avslutad och kan inte ändras."


def require_open(edition: Edition) -> None:
    """The one check of every write to an edition (texts, tables, indicators, local data, Kolada data, the
    structure, the standard texts, assignments, reviews): a closed edition is read-only, 403 for everyone."""
    require(edition.state == type(edition).State.OPEN, CLOSED_EDITION)
