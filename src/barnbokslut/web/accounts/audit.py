"""Write to the audit log: one call per event, from views, services and signals."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from barnbokslut.web.accounts.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from barnbokslut.web.organisations.models import Organisation


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    action: AuditAction,
    description: str,
    *,
    request: HttpRequest | None = None,
    user: Any = None,
    organisation: Organisation | None = None,
    obj: Any = None,
    username: str = "",
) -> AuditEvent:
    """Add one event; ``user`` defaults to the request's user, ``obj`` names the object acted on."""
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    return AuditEvent.objects.create(
        user=user if user is not None and getattr(user, "is_authenticated", False) else None,
        username=username or (user.get_username() if user is not None else ""),
        organisation=organisation,
        action=action,
        object_type=type(obj).__name__ if obj is not None else "",
        object_id=str(getattr(obj, "pk", "") or "") if obj is not None else "",
        description=description,
        ip=client_ip(request),
    )
