"""Background jobs of the notifications (django-tasks, database backend; run by ``db_worker``).

``send_messages`` sends e-mails composed in a request, handed over after the request's transaction commits
(``deliver_later``), so the user never waits for the mail server. ``send_deadline_reminders`` sends the due
deadline reminders and schedules its own next run an hour later: django-tasks has no schedule of its own, so
the job keeps exactly one future run queued, and ``ensure_scheduled`` (called by ``barnbokslut serve`` at
start-up) queues the first one when none is waiting.
"""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from barnbokslut.web.notifications import reminders
from barnbokslut.web.notifications.mail import Message, deliver

__all__ = ["deliver_later", "ensure_scheduled", "send_deadline_reminders", "send_messages"]

logger = logging.getLogger(__name__)

REMINDER_INTERVAL = datetime.timedelta(hours=1)


@task()
def send_messages(messages: list[Message]) -> int:
    """Send e-mails composed elsewhere; return how many went out (errors are logged)."""
    return deliver(messages)


def deliver_later(messages: list[Message]) -> None:
    """Hand ``messages`` to the task worker once the current transaction commits (at once outside one)."""
    if not messages:
        return

    def enqueue() -> None:
        try:
            send_messages.enqueue(messages)
        except Exception:
            logger.exception("Kunde inte lägga %s e-postmeddelanden i kön", len(messages))

    transaction.on_commit(enqueue, robust=True)


@task()
def send_deadline_reminders() -> int:
    """Send every due deadline reminder not sent before, then queue the next run; return how many went out."""
    try:
        return deliver(reminders.collect())
    finally:
        schedule(timezone.now() + REMINDER_INTERVAL)


def _waiting() -> bool:
    return DBTaskResult.objects.filter(
        task_path=send_deadline_reminders.module_path, status=TaskResultStatus.READY
    ).exists()


def schedule(run_after: datetime.datetime | None = None) -> bool:
    """Queue a run of ``send_deadline_reminders`` (at ``run_after``, or now) unless one is waiting already."""
    if _waiting():
        return False
    job = send_deadline_reminders.using(run_after=run_after) if run_after else send_deadline_reminders
    job.enqueue()
    return True


def ensure_scheduled() -> bool:
    """Make sure the reminder job runs: queue a run now if none is waiting (``barnbokslut serve`` at start)."""
    return schedule()
