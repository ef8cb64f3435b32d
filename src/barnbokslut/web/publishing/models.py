"""A published version of an edition: built once in the background, then never changed.

A correction is a new ``Publication`` with the next version number. The files live under
``MEDIA_ROOT/publicerat/<organisation>/<year>/v<version>/`` and ``sha256`` covers all three;
``html_sha256``, ``pdf_sha256`` and ``docx_sha256`` are each file's own checksum.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from barnbokslut.web.editions.models import Edition


class PublicationError(Exception):
    """A published version may not be changed."""


#: The barnversion's two files, named like formats: its web page and its A4 poster.
CHILD_HTML, CHILD_PDF = "barnversion-html", "barnversion-pdf"


class Publication(models.Model):
    class State(models.TextChoices):
        BUILDING = "bygger", "Byggs"
        PUBLISHED = "publicerad", "Publicerad"
        FAILED = "misslyckad", "Misslyckades"

    edition = models.ForeignKey(Edition, on_delete=models.PROTECT, related_name="publications")
    version = models.PositiveIntegerField("version")
    state = models.CharField(max_length=12, choices=State.choices, default=State.BUILDING)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    note = models.CharField("kommentar", max_length=300, blank=True)
    approved_only = models.BooleanField("bara godkända avsnitt", default=False)
    html_path = models.CharField(max_length=300, blank=True)
    pdf_path = models.CharField(max_length=300, blank=True)
    docx_path = models.CharField(max_length=300, blank=True)
    sha256 = models.CharField("kontrollsumma", max_length=64, blank=True)
    html_sha256 = models.CharField("kontrollsumma för webbsidan", max_length=64, blank=True)
    pdf_sha256 = models.CharField("kontrollsumma för PDF", max_length=64, blank=True)
    docx_sha256 = models.CharField("kontrollsumma för Word", max_length=64, blank=True)
    #: The barnversion's page and poster, when the edition has one (not part of ``sha256``, which stays the
    #: checksum of the report's three files).
    child_html_path = models.CharField(max_length=300, blank=True)
    child_pdf_path = models.CharField(max_length=300, blank=True)
    child_html_sha256 = models.CharField("kontrollsumma för barnversionen", max_length=64, blank=True)
    child_pdf_sha256 = models.CharField("kontrollsumma för barnversionens affisch", max_length=64, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "publicering"
        verbose_name_plural = "publiceringar"
        ordering = ["edition", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "version"], name="unique_publication_version")
        ]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None:
            stored = Publication.objects.filter(pk=self.pk).values_list("state", flat=True).first()
            if stored == Publication.State.PUBLISHED:
                raise PublicationError("En publicerad version ändras aldrig; publicera en ny version.")
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        if self.state == Publication.State.PUBLISHED:
            raise PublicationError("En publicerad version kan inte tas bort.")
        return super().delete(*args, **kwargs)  # type: ignore[arg-type]

    def file_sha256(self, fmt: str) -> str:
        """The SHA-256 of one file ("" for a version published before per-file checksums were stored)."""
        return {
            "html": self.html_sha256,
            "pdf": self.pdf_sha256,
            "docx": self.docx_sha256,
            CHILD_HTML: self.child_html_sha256,
            CHILD_PDF: self.child_pdf_sha256,
        }[fmt]

    @property
    def has_child_version(self) -> bool:
        return bool(self.child_html_path)

    def __str__(self) -> str:
        return f"{self.edition} version {self.version}"


class ImportReview(models.Model):
    """Last year's barnbokslut read from an upload and waiting for review (``import_review``): nothing of it is
    in an edition until the coordinator confirms, and then all of it is, in one transaction.

    Kept as a row rather than in the session: the state of a real report is tens to hundreds of kilobytes (every
    text, row and OCR repair), which a session would carry on every request of the user; a row is read only by
    the import pages, survives a reload or a new sign-in, and is bounded: one per user and organisation (a new
    upload replaces it), gone after ``expires_at`` (``REVIEW_HOURS``), and gone once imported or cancelled.

    A PDF is read by the task worker (``tasks.read_import``): the row is made QUEUED with the stored upload's
    path in ``upload``, the worker makes it READING, then READY (``state`` filled, the upload removed) or FAILED
    (``error`` in Swedish, the upload removed). A DOCX or text file is read in the request: its row is READY at
    once.
    """

    class Status(models.TextChoices):
        QUEUED = "i-ko", "Väntar på bakgrundsprocessen"
        READING = "laser", "Läser filen"
        READY = "klar", "Klar att granska"
        FAILED = "misslyckad", "Kunde inte läsas"

    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.CASCADE, related_name="import_reviews"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    filename = models.CharField("fil", max_length=255)
    kind = models.CharField("typ", max_length=10)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    #: A plain-text source before OCR repair (the repairs' offsets point into it); empty for DOCX and PDF.
    original_text = models.TextField(blank=True)
    #: {"current": the review as edited, "base": as read} (see ``import_review``).
    state = models.JSONField(default=dict)
    status = models.CharField("läge", max_length=12, choices=Status.choices, default=Status.READY)
    #: The stored upload while the worker has not read it: a path relative to ``DATA_DIR``; "" once read.
    upload = models.CharField("uppladdad fil", max_length=500, blank=True)
    #: Why the worker could not read the file (Swedish, for the page), when FAILED.
    error = models.TextField("fel", blank=True)
    started_at = models.DateTimeField("läsningen började", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "created_by"], name="one_import_review_per_user")
        ]
