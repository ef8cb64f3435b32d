"""Sign-in protection: django-axes counts failed logins and locks out per account and per address.

``LockoutBackend`` is axes' standalone backend (first in ``AUTHENTICATION_BACKENDS``; Django's ModelBackend
checks the password after it). Axes needs the request to know the address; an ``authenticate()`` without one
(a management command, a test) comes from no address and is not counted, so it is let through to the next
backend instead of raising.

``locked_out`` is the answer to a locked-out attempt (``AXES_LOCKOUT_CALLABLE``): the login page again, status
429, with a Swedish message saying for how long; ``on_locked_out`` writes the audit event.
"""

from __future__ import annotations

from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from barnbokslut.numbers import format_count


class LockoutBackend(AxesStandaloneBackend):
    def authenticate(self, request: HttpRequest | None, *args: Any, **kwargs: Any) -> None:
        if request is None:
            return None
        return super().authenticate(request, *args, **kwargs)  # type: ignore[no-any-return]


def lockout_message(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str:
    limit = get_failure_limit(request, credentials)
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else 0
    wait = (
        f"Försök igen om {format_count(minutes, 'minut', 'minuter')}"
        if minutes
        else "Be en administratör att häva spärren"
    )
    return (
        f"För många misslyckade inloggningar ({limit} i rad) för kontot eller från den här adressen, så "
        f"inloggningen är spärrad. {wait}, eller be en administratör om hjälp."
    )


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    # Unbound: a bound form would authenticate again while the page renders.
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")[:150]})
    context = {
        "form": form,
        "locked_out": lockout_message(request, credentials),
        "next": request.POST.get("next", ""),
        "oidc_enabled": bool(getattr(settings, "OIDC_ENABLED", False)),
    }
    return render(request, "accounts/login.html", context, status=429)
