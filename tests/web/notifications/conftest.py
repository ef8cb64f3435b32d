"""A real SMTP server on loopback (aiosmtpd) for the notification tests, and e-mail addresses for the cast.

``smtp`` starts aiosmtpd's ``Controller`` on 127.0.0.1 at a free port and points Django's SMTP backend at it (no
TLS, no login), with ``BASE_URL`` set so the links can be checked. ``smtp.messages`` are the parsed messages it
received, each with ``rcpt`` (the envelope's recipients).
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import pytest

BASE_URL = "https://barnbokslut.soderhamn.example"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Inbox:
    """aiosmtpd's handler: keeps every message it is sent."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        # Django folds a long encoded subject onto a continuation line; the parser keeps the fold's blank.
        subject = str(message["Subject"]).strip()
        del message["Subject"]
        message["Subject"] = subject
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if m["X-Envelope-To"] == address]

    def recipients(self) -> list[str]:
        return sorted(m["X-Envelope-To"] for m in self.messages)


def text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


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
