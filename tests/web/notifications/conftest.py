"""A real SMTP server on loopback (aiosmtpd) for the notification tests, and e-mail addresses for the cast.

``smtp`` starts aiosmtpd's ``Controller`` on 127.0.0.1 at a free port and points Django's SMTP backend at it (no
TLS, no login), with ``BASE_URL`` set so the links can be checked. ``smtp.messages`` are the parsed messages it
received, each with ``X-Envelope-To`` (the envelope's recipients).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from smtp_helpers import BASE_URL, Inbox, free_port


@pytest.fixture
def smtp(settings: Any) -> Iterator[Inbox]:
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "Barnbokslut <barnbokslut@soderhamn.example>"
    settings.BASE_URL = BASE_URL
    settings.REMINDER_DAYS_BEFORE = 3
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def addresses(cast: Any) -> Any:
    """Every member of the cast gets an address: ``<username>@soderhamn.example``."""
    for user in (cast.alva, cast.sam, cast.siri, cast.sven, cast.greta, cast.lars, cast.olle):
        user.email = f"{user.username}@soderhamn.example"
        user.save(update_fields=["email"])
    return cast
