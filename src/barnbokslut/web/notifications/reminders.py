"""The deadline reminders: which sections are due one, to whom, and the record that it was sent.

A section of an open edition that is still Utkast or Återremitterad gets two reminders per deadline:
``BEFORE`` when the deadline is ``REMINDER_DAYS_BEFORE`` days away or nearer (the last day included), and
``PASSED`` once the deadline has passed (the first run after the last day, when the board calls it Försenat).
A ``PASSED`` reminder is only sent within ``PASSED_WINDOW_DAYS`` of the deadline, so a new installation (or a
worker that was down) does not flood people about deadlines long gone. ``SentReminder`` makes each reminder
go out once per section, kind and deadline, however often the job runs and on however many workers.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from barnbokslut.numbers import format_date_sv
from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.editions.models import Edition, Section
from barnbokslut.web.editions.workflow import LATE_STATUSES
from barnbokslut.web.notifications.mail import Message, compose, section_link
from barnbokslut.web.notifications.models import ReminderKind, SentReminder

PASSED_WINDOW_DAYS = 7


def writers_of(section: Section) -> list[Any]:
    """The section's writer; a unit section with no writer set goes to the unit's skribenter."""
    if section.writer is not None:
        return [section.writer]
    if section.unit_id is None:
        return []
    members = Membership.objects.filter(
        organisation_id=section.edition.organisation_id, role=Role.WRITER, units=section.unit_id
    )
    return list(get_user_model().objects.filter(pk__in=members.values("user_id")).order_by("username"))


def due(today: datetime.date) -> list[tuple[Section, str]]:
    """Every (section, kind) whose reminder is due on ``today``, sent or not."""
    before = datetime.timedelta(days=settings.REMINDER_DAYS_BEFORE)
    sections = Section.objects.filter(
        edition__state=Edition.State.OPEN,
        status__in=LATE_STATUSES,
        deadline__gte=today - datetime.timedelta(days=PASSED_WINDOW_DAYS),
        deadline__lte=today + before,
    ).select_related("edition__organisation", "unit", "writer")
    found: list[tuple[Section, str]] = []
    for section in sections.order_by("deadline", "pk"):
        assert section.deadline is not None
        found.append((section, ReminderKind.PASSED if section.deadline < today else ReminderKind.BEFORE))
    return found


def message_for(section: Section, kind: str, today: datetime.date) -> list[Message]:
    assert section.deadline is not None
    deadline = format_date_sv(section.deadline)
    if kind == ReminderKind.PASSED:
        subject = f"Sista dag har passerat för {section}"
        body = (
            f"Sista dag för avsnittet {section} i {section.edition} var {deadline}, och avsnittet är inte "
            f"skickat till granskning ännu (status: {section.get_status_display()}).\n\n"
            f"Skriv klart och skicka det till granskning här:\n{section_link(section)}"
        )
    else:
        days = (section.deadline - today).days
        when = "i dag" if days == 0 else "i morgon" if days == 1 else f"om {days} dagar"
        subject = f"Påminnelse: {section} ska vara klart {deadline}"
        body = (
            f"Avsnittet {section} i {section.edition} ska vara klart {deadline} ({when}). "
            f"Det har status {section.get_status_display()}.\n\n"
            f"Skriv klart och skicka det till granskning här:\n{section_link(section)}"
        )
    return compose(writers_of(section), subject, body)


def claim(section: Section, kind: str) -> bool:
    """Record the reminder as sent; False when it already was (by an earlier run or another worker)."""
    assert section.deadline is not None
    try:
        with transaction.atomic():
            _found, created = SentReminder.objects.get_or_create(
                section=section, kind=kind, deadline=section.deadline
            )
    except IntegrityError:  # another worker claimed it between the get and the create
        return False
    return created


def collect(today: datetime.date | None = None) -> list[Message]:
    """Claim every due reminder not sent yet and return their messages (to be sent by the caller)."""
    today = today or timezone.localdate()
    messages: list[Message] = []
    for section, kind in due(today):
        if claim(section, kind):
            messages.extend(message_for(section, kind, today))
    return messages
