"""Composing and sending the messages: plain Swedish text, one message per recipient, errors logged."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any, TypedDict

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.urls import reverse

from barnbokslut.web.accounts.models import wants_email

logger = logging.getLogger(__name__)

SITE = "Barnbokslut"


class Message(TypedDict):
    """One e-mail, as plain data: it travels to the task worker as JSON."""

    to: str
    subject: str
    body: str


def link(path: str) -> str:
    """The full address of ``path`` on this site (``BASE_URL``), for a link in an e-mail."""
    return settings.BASE_URL.rstrip("/") + path


def section_link(section: Any) -> str:
    return link(reverse("editions:section_edit", kwargs={"pk": section.pk}))


def name(user: Any) -> str:
    if user is None:
        return "Någon"
    return str(user.get_full_name() or user.get_username())


def _footer() -> str:
    account = link(reverse("accounts:account"))
    return (
        f"\n\n-- \nDet här meddelandet kommer från {SITE}. Du kan stänga av aviseringarna under Mitt konto: "
        f"{account}\n"
    )


def compose(recipients: Iterable[Any], subject: str, body: str, *, by: Any = None) -> list[Message]:
    """One message per recipient who wants e-mail, leaving out ``by`` (nobody is told what they did)."""
    seen: set[int] = set()
    found: list[Message] = []
    for user in recipients:
        if user is None or user.pk in seen or (by is not None and user.pk == getattr(by, "pk", None)):
            continue
        seen.add(user.pk)
        if wants_email(user):
            found.append({"to": user.email, "subject": f"{SITE}: {subject}", "body": body + _footer()})
    return found


def deliver(messages: list[Message]) -> int:
    """Send ``messages`` over one connection; return how many went out. Never raises: errors are logged."""
    if not messages:
        return 0
    sent = 0
    try:
        with get_connection(fail_silently=False) as connection:
            for message in messages:
                try:
                    sent += EmailMessage(
                        subject=message["subject"],
                        body=message["body"],
                        from_email=settings.DEFAULT_FROM_EMAIL,
                        to=[message["to"]],
                        connection=connection,
                    ).send()
                except Exception:
                    logger.exception(
                        "Kunde inte skicka e-post till %s: %s", message["to"], message["subject"]
                    )
    except Exception:  # the connection itself: no server, refused login
        logger.exception(
            "Kunde inte ansluta till e-postservern; %s meddelanden skickades inte", len(messages)
        )
    return sent
