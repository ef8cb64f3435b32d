"""Who may do what: every view and every write asks here, on the server, before it acts.

Roles are per organisation, and a person may hold several (``accounts.Membership``, one row per role): e.g.
skribent for BOU and granskare for SVF. ``can`` allows an action when any of the person's roles allows it; the
section checks look at the units of the role that gives the right.

| action                         | administratör | samordnare | skribent            | granskare           | läsare |
|--------------------------------|:-------------:|:----------:|:-------------------:|:-------------------:|:------:|
| view an edition, preview       | ✓             | ✓          | ✓                   | ✓                   | ✓      |
| write a section                | ✓             | ✓          | own units / assigned| –                   | –      |
| submit a section for review    | ✓             | ✓          | own units / assigned| –                   | –      |
| write children's quotes and   | ✓             | ✓          | ✓                   | –                   | –      |
|  proposals (Barnens röster)    |               |            |                     |                     |        |
| approve or return a section    | ✓             | ✓          | –                   | own units, or all   | –      |
|                                |               |            |                     |  when none listed   |        |
| manage the edition (tables,    | ✓             | ✓          | –                   | –                   | –      |
|  writers, deadlines, indicators,|              |            |                     |                     |        |
|  uploads, Kolada, publish)     |               |            |                     |                     |        |
| manage users and roles         | ✓             | –          | –                   | –                   | –      |
| read the audit log             | ✓             | ✓          | –                   | –                   | –      |
| write the BKA register         | ✓             | ✓          | own units           | –                   | –      |
| import the BKA register        | ✓             | ✓          | –                   | –                   | –      |

A granskare with units does not review the free sections (those without a unit); one without units reviews every
section, as before units could be given to a granskare. ``reviewers_for(section)`` lists who may review a section.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from barnbokslut.web.accounts.models import Membership, Role, by_role_order

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


#: Roles that write and review every section of the organisation, whatever units their membership lists.
_WHOLE_ORGANISATION = frozenset({Role.ADMIN, Role.COORDINATOR})


def memberships(user: AnyUser, organisation: Organisation) -> list[Membership]:
    """The user's memberships (one per role) in ``organisation``, most privileged first; cached on the user."""
    if not user.is_authenticated:
        return []
    cache: dict[int, list[Membership]] = user.__dict__.setdefault("_barnbokslut_memberships", {})
    if organisation.pk not in cache:
        found = Membership.objects.filter(user=user, organisation=organisation).prefetch_related("units")
        cache[organisation.pk] = by_role_order(found)
    return cache[organisation.pk]


def membership(user: AnyUser, organisation: Organisation) -> Membership | None:
    """The user's most privileged membership in ``organisation``. Prefer ``memberships``/``can``: a person may
    hold several roles, and this one alone does not say all they may do."""
    found = memberships(user, organisation)
    return found[0] if found else None


def roles(user: AnyUser, organisation: Organisation) -> frozenset[Role]:
    """All of the user's roles in ``organisation`` (empty when not a member)."""
    return frozenset(Role(m.role) for m in memberships(user, organisation))


def role(user: AnyUser, organisation: Organisation) -> Role | None:
    """The user's most privileged role in ``organisation``; see ``roles`` for all of them."""
    found = membership(user, organisation)
    return Role(found.role) if found else None


def can(user: AnyUser, action: Action, organisation: Organisation) -> bool:
    """May ``user`` do ``action`` in ``organisation`` at all (any of their roles), before looking at a section?"""
    return any(action in _ROLE_ACTIONS[found] for found in roles(user, organisation))


def _unit_ids(user: AnyUser, organisation: Organisation, role: Role) -> set[int] | None:
    """The units of the user's ``role`` membership, or None when they do not hold that role."""
    for found in memberships(user, organisation):
        if found.role == role:
            return {unit.pk for unit in found.units.all()}
    return None


def can_write_section(user: AnyUser, section: Section) -> bool:
    """Writers write only for their own units, or a free section they are assigned to."""
    organisation = section.edition.organisation
    held = roles(user, organisation)
    if held & _WHOLE_ORGANISATION:
        return True
    if not can(user, Action.WRITE, organisation):
        return False
    if section.writer_id is not None and section.writer_id == getattr(user, "pk", None):
        return True
    units = _unit_ids(user, organisation, Role.WRITER) or set()
    return section.unit_id is not None and section.unit_id in units


def writable_unit_ids(user: AnyUser, organisation: Organisation) -> set[int] | None:
    """The units whose records (the register of barnkonsekvensanalyser) ``user`` may write: None for every unit
    (administratör, samordnare), a skribent's own units, or an empty set (everyone else)."""
    if roles(user, organisation) & _WHOLE_ORGANISATION:
        return None
    if not can(user, Action.WRITE, organisation):
        return set()
    return _unit_ids(user, organisation, Role.WRITER) or set()


def can_write_unit(user: AnyUser, organisation: Organisation, unit_id: int | None) -> bool:
    """May ``user`` write a record of the unit ``unit_id`` (as ``can_write_section`` for a unit's section)?"""
    units = writable_unit_ids(user, organisation)
    return units is None or (unit_id is not None and unit_id in units)


def can_review_section(user: AnyUser, section: Section) -> bool:
    """May ``user`` approve or send back ``section``: administratör, samordnare, or a granskare whose membership
    lists the section's unit or no units at all (then every section)."""
    organisation = section.edition.organisation
    if roles(user, organisation) & _WHOLE_ORGANISATION:
        return True
    units = _unit_ids(user, organisation, Role.REVIEWER)
    if units is None:
        return False
    return not units or (section.unit_id is not None and section.unit_id in units)


def reviewers_for(section: Section) -> QuerySet[Any]:
    """The active users who may review ``section`` (the same rule as ``can_review_section``), by username."""
    reviewing = Q(role__in=_WHOLE_ORGANISATION) | Q(role=Role.REVIEWER, units__isnull=True)
    if section.unit_id is not None:
        reviewing |= Q(role=Role.REVIEWER, units=section.unit_id)
    members = Membership.objects.filter(reviewing, organisation_id=section.edition.organisation_id)
    return (
        get_user_model().objects.filter(is_active=True, pk__in=members.values("user_id")).order_by("username")
    )


def require(allowed: bool, message: str = "Du har inte behörighet till detta.") -> None:
    """Raise PermissionDenied (HTTP 403) unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


CLOSED_EDITION = "Årgången är avslutad och kan inte ändras."


def require_open(edition: Edition) -> None:
    """The one check of every write to an edition (texts, tables, indicators, local data, Kolada data, the
    structure, the standard texts, assignments, reviews): a closed edition is read-only, 403 for everyone."""
    require(edition.state == type(edition).State.OPEN, CLOSED_EDITION)
