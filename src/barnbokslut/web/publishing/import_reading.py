"""Where an upload of last year's barnbokslut is read: a PDF in the task worker, a DOCX or text in the request.

- ``start_review(organisation, user, upload)`` replaces this user's earlier review of the organisation. A PDF is
  stored under ``DATA_DIR/uppladdningar/import/<random>/<filename>`` (its size bounded by the upload limit, as
  every upload) and an ``ImportReview`` made QUEUED, in one transaction with enqueuing ``tasks.read_import``
  (the django-tasks database worker that builds publications): the request returns at once, whatever the PDF's
  length, so the web takes what the command line takes (``pdf_reader.MAX_PAGES``, 300 pages). A DOCX or text
  file is read at once in the request (``import_review.read_file``: a DOCX or an OCR text is read in well
  under a second or two), and its review is READY; an ``ImportFault`` is raised with nothing saved.
- ``upload_name(raw)``: the name an upload is stored and shown under: its last path part, without control
  characters, and at most ``MAX_NAME_BYTES`` bytes of UTF-8 (a longer name is shortened before its suffix), so a
  name of 200 "å" is no ``File name too long`` (255 bytes is the file systems' limit).
- ``read_upload(review_id)`` is the worker's job: it takes a QUEUED review (READING), reads the stored file and
  leaves the review READY, or FAILED with the reader's Swedish message (an unexpected error: a Swedish message
  too, and the error raised for the worker's log); the stored file is removed either way. A review deleted or
  timed out meanwhile is left alone.
- ``timed_out(review)``: a review not read within ``READ_MINUTES`` of its upload (no worker running, a worker
  killed mid-read, a queue full of long builds) is given up: the page says so in Swedish and ``discard``
  removes it and its stored file, so nobody waits forever.
- ``purge_expired`` deletes the reviews whose time is up (``expires_at``), with their stored files.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import unicodedata
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from barnbokslut.importing import ImportFault
from barnbokslut.numbers import format_count
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.publishing.import_review import REVIEW_HOURS, read_file, ready_fields
from barnbokslut.web.publishing.models import ImportReview

__all__ = [
    "READ_MINUTES",
    "discard",
    "progress",
    "purge_expired",
    "read_upload",
    "start_review",
    "timed_out",
    "timeout_message",
    "upload_name",
]

#: A file not read this long after its upload is given up. A PDF of 300 pages takes about 25 s of CPU (34 pages
#: took 2.8 s), 300 dense pages (4 000 characters each) 70-80 s and 0.3 GB (``bench/import_hostile.py``), a few
#: minutes on a busy machine; more than this means the worker is not working on it.
READ_MINUTES = 10
#: What the page says when the worker failed in a way the reader did not foresee.
UNEXPECTED = (
    "Kan inte importera {name}: ett oväntat fel inträffade när filen lästes. Försök igen eller kontakta "
    "administratören."
)
Status = ImportReview.Status
#: The longest stored file name, in bytes of UTF-8: under the file systems' 255, and the model's 255 characters.
MAX_NAME_BYTES = 200
WAITING = (Status.QUEUED, Status.READING)


def _root() -> Path:
    return Path(settings.DATA_DIR) / "uppladdningar" / "import"


def upload_name(raw: str | None) -> str:
    """The upload's name as stored and shown: its last part, no control characters, at most ``MAX_NAME_BYTES``."""
    name = Path((raw or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cf")).strip()
    if name in ("", ".", ".."):
        return "fil"
    if len(name.encode()) <= MAX_NAME_BYTES:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix.encode()) <= 16 else ""
    room = MAX_NAME_BYTES - len(suffix.encode()) - len("…".encode())
    stem = name[: len(name) - len(suffix)].encode()[:room].decode(errors="ignore")
    return f"{stem}…{suffix}"


def _store(upload: UploadedFile, name: str) -> str:
    """Write the upload to a folder of its own (removed again if writing fails); the path relative to
    ``DATA_DIR``."""
    folder = _root() / secrets.token_hex(16)
    folder.mkdir(parents=True)
    try:
        with (folder / name).open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return str((folder / name).relative_to(Path(settings.DATA_DIR)))


def _remove(relative: str) -> None:
    """Remove a stored upload and its folder (nothing when ``relative`` is empty or not one of ours)."""
    if not relative:
        return
    folder = (Path(settings.DATA_DIR) / relative).parent
    if folder.parent == _root():
        shutil.rmtree(folder, ignore_errors=True)


def discard(review: ImportReview) -> None:
    """Delete the review and its stored upload, if it still has one."""
    _remove(review.upload)
    review.delete()


def purge_expired() -> int:
    """Delete the reviews whose time is up, with their stored uploads; returns how many."""
    expired = list(ImportReview.objects.filter(expires_at__lt=timezone.now()).only("pk", "upload"))
    for review in expired:
        discard(review)
    return len(expired)


def start_review(organisation: Organisation, user: Any, upload: UploadedFile) -> ImportReview:
    """A new review of ``upload`` for ``user`` (replacing their earlier review of the organisation): QUEUED for
    the worker when a PDF, else read now and READY; an ``ImportFault`` from reading now saves nothing."""
    from barnbokslut.web.publishing.tasks import read_import

    purge_expired()
    name = upload_name(upload.name)
    expires_at = timezone.now() + timedelta(hours=REVIEW_HOURS)
    if Path(name).suffix.lower() == ".pdf":
        relative = _store(upload, name)
        try:
            with transaction.atomic():
                _replace(organisation, user)
                review = ImportReview.objects.create(
                    organisation=organisation,
                    created_by=user,
                    filename=name,
                    kind="pdf",
                    status=Status.QUEUED,
                    upload=relative,
                    expires_at=expires_at,
                )
                read_import.enqueue(review.pk)
        except BaseException:
            _remove(relative)
            raise
        return review
    with tempfile.TemporaryDirectory(prefix="barnbokslut-import-") as folder:
        path = Path(folder) / name
        with path.open("wb") as out:
            for chunk in upload.chunks():
                out.write(chunk)
        document, found = read_file(path)
    with transaction.atomic():
        _replace(organisation, user)
        return ImportReview.objects.create(
            organisation=organisation, created_by=user, filename=name, **ready_fields(document, found)
        )


def _replace(organisation: Organisation, user: Any) -> None:
    for earlier in ImportReview.objects.filter(organisation=organisation, created_by=user):
        discard(earlier)


def _finish(review_id: int, **fields: Any) -> bool:
    """Store the worker's result, unless the review was deleted or given up meanwhile."""
    return bool(ImportReview.objects.filter(pk=review_id, status=Status.READING).update(upload="", **fields))


def read_upload(review_id: int) -> str:
    """Read the stored upload of a QUEUED review (the task worker's job); returns the review's new status."""
    claimed = ImportReview.objects.filter(pk=review_id, status=Status.QUEUED).update(
        status=Status.READING, started_at=timezone.now()
    )
    review = ImportReview.objects.filter(pk=review_id).first()
    if not claimed or review is None:
        return "borta"  # deleted, replaced or already taken
    try:
        document, found = read_file(Path(settings.DATA_DIR) / review.upload)
    except ImportFault as fault:
        _finish(review_id, status=Status.FAILED, error=str(fault))
        return str(Status.FAILED)
    except Exception:
        _finish(review_id, status=Status.FAILED, error=UNEXPECTED.format(name=review.filename))
        raise
    finally:
        _remove(review.upload)
    _finish(review_id, error="", **ready_fields(document, found))
    return str(Status.READY)


def timed_out(review: ImportReview) -> bool:
    """Still waiting for the worker ``READ_MINUTES`` after the upload."""
    return review.status in WAITING and review.created_at < timezone.now() - timedelta(minutes=READ_MINUTES)


def timeout_message(review: ImportReview) -> str:
    return (
        f"Kan inte importera {review.filename}: filen har inte blivit läst på {READ_MINUTES} minuter. "
        "Bakgrundsprocessen som läser filer arbetar inte just nu (den kan ha stannat eller ha för mycket att "
        "göra). Försök igen om en stund, eller be administratören se efter att bakgrundsprocessen är igång."
    )


def progress(review: ImportReview) -> str:
    """Where the reading is, in Swedish, for the page that waits."""
    now = timezone.now()
    if review.status == Status.READING and review.started_at is not None:
        seconds = max(0, int((now - review.started_at).total_seconds()))
        return (
            f"Bakgrundsprocessen har läst filen i {format_count(seconds, 'sekund', 'sekunder')}. En lång PDF "
            "kan ta ett par minuter."
        )
    seconds = max(0, int((now - review.created_at).total_seconds()))
    return (
        f"Filen är uppladdad och har väntat i {format_count(seconds, 'sekund', 'sekunder')} på "
        "bakgrundsprocessen som läser den."
    )
