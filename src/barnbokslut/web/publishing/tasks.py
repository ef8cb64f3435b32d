"""Background jobs of publishing (django-tasks, database backend; run by ``manage.py db_worker``)."""

from __future__ import annotations

from django_tasks import task

from barnbokslut.web.publishing.services import build_publication_files


@task()
def build_publication(publication_id: int) -> str:
    """Build and publish the files of one publication; return its final state."""
    return build_publication_files(publication_id).state
