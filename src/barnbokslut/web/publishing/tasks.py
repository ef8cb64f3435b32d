"""Background jobs of publishing (django-tasks, database backend; run by ``manage.py db_worker``): building a
publication's files, and reading an uploaded PDF of last year's barnbokslut for review."""

from __future__ import annotations

from django_tasks import task

from barnbokslut.web.publishing.services import build_publication_files


@task()
def build_publication(publication_id: int) -> str:
    """Build and publish the files of one publication; return its final state."""
    return build_publication_files(publication_id).state


@task()
def read_import(review_id: int) -> str:
    """Read the stored upload of the QUEUED ``ImportReview`` ``review_id`` (``import_reading.read_upload``)."""
    from barnbokslut.web.publishing.import_reading import read_upload

    return read_upload(review_id)
