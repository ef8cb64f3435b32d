"""The texts of the test edition, and running the background jobs as the worker does (``db_worker --batch``)."""

from __future__ import annotations

from unittest.mock import patch

from django.core.management import call_command

INTRODUCTION = "Söderhamn vill att alla barn ska få komma till tals i frågor som rör dem."
BOU_TEXT = (
    "Barn och unga ansvarar för förskola och skola.\n\n## Artikel 12\n\nElevråden träffar rektor varje månad."
)
SVF_STRENGTH = "## Artikel 3\n\nBarnets bästa dokumenteras i alla utredningar."


def run_worker() -> None:
    """Run ``db_worker --batch`` in the test's own transaction.

    The worker calls ``close_old_connections`` between tasks; inside a test transaction (autocommit off) Django
    takes that connection for a broken one and closes it, which PostgreSQL tests notice. The worker must keep
    using the test's connection, so that one call is a no-op here.
    """
    with patch("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
