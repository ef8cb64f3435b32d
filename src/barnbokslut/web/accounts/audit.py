"""Write to the audit log: one call per event, from views, services and signals.

The client's address is ``REMOTE_ADDR``, or, behind the reverse proxy of docs/deployment.md, the address the
proxy puts in the header ``settings.CLIENT_IP_HEADER`` (``BARNBOKSLUT_CLIENT_IP_HEADER``, e.g.
``X-Forwarded-For``). In a list ("client, proxy1, proxy2") each trusted proxy appends the address it saw, so the
client's is the ``settings.TRUSTED_PROXY_COUNT``-th from the right; anything left of it was sent by the client
and is never trusted. django-axes counts failed logins per address with the same function.
"""

from __future__ import annotations

import ipaddress
from typing import TYPE_CHECKING, Any

from django.conf import settings

from barnbokslut.web.accounts.models import AuditAction, AuditEvent

if TYPE_CHECKING:
    from django.http import HttpRequest

    from barnbokslut.web.organisations.models import Organisation


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's IP address: from the trusted proxy header when one is configured, else ``REMOTE_ADDR``."""
    if request is None:
        return None
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        key = "HTTP_" + header.upper().replace("-", "_")
        addresses = [a.strip() for a in str(request.META.get(key, "")).split(",") if a.strip()]
        count = max(1, int(getattr(settings, "TRUSTED_PROXY_COUNT", 1)))
        if len(addresses) >= count and (address := _address(addresses[-count])):
            return address
    return _address(request.META.get("REMOTE_ADDR") or "")


def _address(text: str) -> str | None:
    """``text`` as an IP address (an IPv6 address may come in brackets, an IPv4 one with a port), or None."""
    text = text.strip()
    if text.startswith("[") and "]" in text:
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:
        text = text.split(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return None


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
