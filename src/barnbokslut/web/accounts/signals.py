"""Log logins, failed logins, lockouts and logouts in the audit log (a login with the municipality's account,
accounts/oidc.py, says so).

These events belong to no organisation. A failed login names the account when the username exists, so the
audit log can show it to the administrators of that user's organisations; a failed login for an unknown
username stays anonymous (only Django superusers see those).
"""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.oidc_config import BACKEND as OIDC_BACKEND


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    how = " med kommunens konto" if getattr(user, "backend", "") == OIDC_BACKEND else ""
    record(AuditAction.LOGIN, f"{user.get_username()} loggade in{how}", request=request, user=user)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        record(AuditAction.LOGOUT, f"{user.get_username()} loggade ut", request=request, user=user)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    if "username" not in credentials:  # the OpenID Connect backend's callback: no username was typed
        record(AuditAction.LOGIN_FAILED, "Misslyckad inloggning med kommunens konto", request=request)
        return
    name = str(credentials.get("username", ""))[:150]
    model = get_user_model()
    known = model._default_manager.filter(**{model.USERNAME_FIELD: name}).first() if name else None
    record(
        AuditAction.LOGIN_FAILED,
        f"Misslyckad inloggning som {name!r}",
        request=request,
        user=known,
        username=name,
    )


@receiver(user_locked_out)
def on_locked_out(
    sender: Any, request: Any = None, username: Any = None, ip_address: Any = None, **kwargs: Any
) -> None:
    """django-axes refused a login (the limit was reached, or the account or address is locked out)."""
    name = str(username or "")[:150]
    model = get_user_model()
    known = model._default_manager.filter(**{model.USERNAME_FIELD: name}).first() if name else None
    record(
        AuditAction.LOGIN_LOCKED,
        f"Inloggningen som {name!r} spärrades efter för många misslyckade försök (adress {ip_address or 'okänd'})",
        request=request,
        user=known,
        username=name,
    )
