"""Who sees which audit events of an organisation.

- Events of the organisation (role and unit changes, status changes, publications …): administratör and
  samordnare of that organisation.
- Events without an organisation (logins, logouts, failed logins, own password changes): administratörer only,
  and only those of users who are members of the organisation.
- A failed login for a username that does not exist belongs to nobody; only Django superusers see those.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from barnbokslut.web.accounts.models import AuditEvent, Membership
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.organisations.models import Organisation

PAGE_SIZE = 50


def can_read_log(user: Any, organisation: Organisation) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or can(user, Action.READ_AUDIT, organisation)))


def visible_events(user: Any, organisation: Organisation) -> QuerySet[AuditEvent]:
    """The audit events of ``organisation`` that ``user`` may read, newest first (none if they may read none)."""
    if not can_read_log(user, organisation):
        return AuditEvent.objects.none()
    query = Q(organisation=organisation)
    if user.is_superuser or can(user, Action.MANAGE_USERS, organisation):
        members = Membership.objects.filter(organisation=organisation).values("user_id")
        query |= Q(organisation__isnull=True, user_id__in=members)
    if user.is_superuser:
        query |= Q(organisation__isnull=True, user__isnull=True)
    return AuditEvent.objects.filter(query).select_related("user").order_by("-created_at", "-id")
