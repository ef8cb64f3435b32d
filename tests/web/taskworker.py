"""Run the background jobs in a test as the worker does (``db_worker --batch``), inside the test's transaction."""

from __future__ import annotations

from unittest.mock import patch

from django.core.management import call_command


def run_worker() -> None:
    """Run every queued django-tasks task once and stop.

    The worker calls ``close_old_connections`` between tasks; inside a test transaction (autocommit off) Django
    takes that connection for a broken one and closes it, which PostgreSQL tests notice. The worker must keep
    using the test's connection, so that one call is a no-op here.
    """
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
