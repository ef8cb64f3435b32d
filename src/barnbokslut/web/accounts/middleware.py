"""Idle session timeout, and every refusal in the audit log.

``IdleTimeoutMiddleware``: a signed-in session unused for ``settings.SESSION_IDLE_TIMEOUT`` seconds ends.

The session remembers when it was last used (rounded to a minute, so a busy user's session is written at most
once a minute); the first request after a longer pause logs the user out and sends them to the login page with
a Swedish message. ``SESSION_COOKIE_AGE`` stays the absolute limit. 0 turns the idle timeout off.

``RefusalAuditMiddleware``: every answer 403 (a ``PermissionDenied`` from ``permissions.require``, including a
closed edition, or a failed CSRF check) is an audit event ``DENIED`` naming the method, the path and the reason.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from barnbokslut.numbers import format_count

LAST_SEEN = "barnbokslut_last_seen"
_RESOLUTION = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        timeout = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 0))
        if timeout > 0 and request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(LAST_SEEN)
            if isinstance(last_seen, int) and now - last_seen > timeout:
                logout(request)
                idle = format_count(max(1, timeout // 60), "minut", "minuter")
                messages.info(request, f"Du har loggats ut eftersom du inte har gjort något på {idle}.")
                response = redirect_to_login(request.get_full_path())
                if request.headers.get("HX-Request") == "true":  # htmx: load the login page, not swap it in
                    response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
                return response
            if not isinstance(last_seen, int) or now - last_seen >= _RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


class RefusalAuditMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 403:
            from barnbokslut.web.accounts.audit import record
            from barnbokslut.web.accounts.models import AuditAction

            reason = (
                getattr(request, "_barnbokslut_refusal", "") or "ingen behörighet eller ogiltig CSRF-token"
            )
            record(
                AuditAction.DENIED,
                f"Nekad: {request.method} {request.path[:200]} – {reason}",
                request=request,
                user=getattr(request, "user", None),
            )
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        if isinstance(exception, PermissionDenied):
            request._barnbokslut_refusal = (str(exception) or "ingen behörighet")[:300]  # type: ignore[attr-defined]
