"""Headers every answer gets that Django's SecurityMiddleware does not set (issue 12, row 8).

- ``Permissions-Policy``: the app uses no camera, microphone, location, payment, USB or sensors, so no page
  (nor anything injected into one) may ask for them.
- ``Cache-Control: private, no-store`` on every answer to a signed-in user that has not set its own caching:
  a shared computer's back button or a proxy must not show an edition, the audit log or a password page after
  logout. (The Content-Security-Policy comes from django-csp, ``CONTENT_SECURITY_POLICY`` in settings.)
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer", "autoplay", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer",
        "microphone", "midi", "payment", "usb", "xr-spatial-tracking",
    )
)  # fmt: skip


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            response["Cache-Control"] = "private, no-store"
        return response
