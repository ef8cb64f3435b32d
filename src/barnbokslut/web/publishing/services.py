"""Publishing: start a new version, build its files once in the background, serve only what is published.

``start_publication`` (called by the view) creates the next version in state BYGGER and enqueues the build in the
same transaction, so the job exists exactly when the publication does. ``build_publication_files`` (called by the
task) renders HTML, PDF and DOCX from one report model into a temporary folder, checksums them, makes them
read-only and only then moves the folder to ``MEDIA_ROOT/publicerat/<organisation>/<year>/v<version>/`` and marks
the publication PUBLISHED. A failure marks it FAILED with the error and leaves no half-written version behind.

``sha256`` of a publication is the SHA-256 of the three files' bytes in the order HTML, PDF, DOCX; the folder also
holds ``SHA256SUMS`` with each file's own checksum (``sha256sum -c SHA256SUMS`` checks them), and
``html_sha256``, ``pdf_sha256`` and ``docx_sha256`` store the same per file. The HTML of a new version gets a link
to its version's page (``publicerat/<uuid>/om/``) in its footer before anything is checksummed.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from barnbokslut.report.build import FORMATS
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.publishing import signals
from barnbokslut.web.publishing.models import CHILD_HTML, CHILD_PDF, Publication

if TYPE_CHECKING:
    from django.http import HttpRequest

__all__ = [
    "FORMATS",
    "PublishRefused",
    "build_publication_files",
    "checksum",
    "file_name",
    "published_file",
    "start_publication",
]

logger = logging.getLogger(__name__)

READ_ONLY = 0o444
#: A build still BYGGER after this long is taken to have died with its worker.
STALE_AFTER = timedelta(minutes=15)


class PublishRefused(Exception):
    """Publishing cannot start now; the message (Swedish) says why."""


def file_name(publication: Publication, fmt: str) -> str:
    """ "barnbokslut-soderhamn-2025-v2.pdf", and for the barnversion "barnbokslut-soderhamn-2025-v2-barnversion.pdf"."""
    edition = publication.edition
    stem = f"barnbokslut-{edition.organisation.slug}-{edition.year}-v{publication.version}"
    if fmt in (CHILD_HTML, CHILD_PDF):
        return f"{stem}-barnversion.{fmt.removeprefix('barnversion-')}"
    return f"{stem}.{fmt}"


def relative_folder(publication: Publication) -> Path:
    edition = publication.edition
    return Path("publicerat") / edition.organisation.slug / str(edition.year) / f"v{publication.version}"


def checksum(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        with path.open("rb") as handle:
            for chunk in iter(lambda h=handle: h.read(1 << 16), b""):
                digest.update(chunk)
    return digest.hexdigest()


def _sha256(path: Path) -> str:
    return checksum([path])


def start_publication(
    edition: Edition, *, request: HttpRequest, note: str = "", approved_only: bool = False
) -> Publication:
    """Create version last + 1 (state BYGGER) and enqueue its build; refuse while another build runs.
    ``approved_only``: the version leaves out every section that is not Godkänd."""
    from barnbokslut.web.publishing.tasks import build_publication

    for _attempt in range(3):
        try:
            with transaction.atomic():
                Edition.objects.select_for_update().filter(pk=edition.pk).first()
                _expire_stale(edition)
                if edition.publications.filter(state=Publication.State.BUILDING).exists():
                    raise PublishRefused(
                        "En publicering av årgången byggs redan. Vänta tills den är klar innan du publicerar igen."
                    )
                last = edition.publications.aggregate(last=Max("version"))["last"] or 0
                publication = Publication.objects.create(
                    edition=edition,
                    version=last + 1,
                    created_by=request.user,
                    note=note[:300],
                    approved_only=approved_only,
                )
                build_publication.enqueue(publication.pk)
                record(
                    AuditAction.PUBLISHED,
                    f"Startade publicering av {edition} version {publication.version}"
                    + (" (bara godkända avsnitt)." if approved_only else "."),
                    request=request,
                    organisation=edition.organisation,
                    obj=publication,
                )
            return publication
        except IntegrityError:  # two coordinators pressed at once; the other one got this version number
            continue
    raise PublishRefused("Publiceringen kunde inte startas just nu. Försök igen.")


def _expire_stale(edition: Edition) -> None:
    cutoff = timezone.now() - STALE_AFTER
    for stale in edition.publications.filter(state=Publication.State.BUILDING, created_at__lt=cutoff):
        stale.state = Publication.State.FAILED
        stale.error = "Bygget avbröts (ingen bakgrundsprocess blev klar inom 15 minuter)."
        stale.save(update_fields=["state", "error"])
        _audit_result(stale, AuditAction.PUBLICATION_FAILED, "avbröts: ingen bakgrundsprocess blev klar")


def build_publication_files(publication_id: int) -> Publication:
    """Build the three files of a BYGGER publication and publish it, or mark it FAILED with the error."""
    publication = Publication.objects.select_related("edition__organisation").get(pk=publication_id)
    if publication.state != Publication.State.BUILDING:
        return publication
    media = Path(settings.MEDIA_ROOT)
    final = media / relative_folder(publication)
    try:
        written = _write_files(publication, final)
    except Exception as exc:
        logger.exception("Publiceringen av %s misslyckades", publication)
        publication.state = Publication.State.FAILED
        publication.error = f"{type(exc).__name__}: {exc}"[:4000]
        publication.save(update_fields=["state", "error"])
        _audit_result(publication, AuditAction.PUBLICATION_FAILED, f"misslyckades: {type(exc).__name__}")
        return publication
    report_files, child_files = written[: len(FORMATS)], written[len(FORMATS) :]
    publication.html_path, publication.pdf_path, publication.docx_path = (
        str(path.relative_to(media)) for path in report_files
    )
    publication.sha256 = checksum(report_files)
    publication.html_sha256, publication.pdf_sha256, publication.docx_sha256 = (
        _sha256(p) for p in report_files
    )
    if child_files:
        publication.child_html_path, publication.child_pdf_path = (
            str(path.relative_to(media)) for path in child_files
        )
        publication.child_html_sha256, publication.child_pdf_sha256 = (_sha256(p) for p in child_files)
    publication.state = Publication.State.PUBLISHED
    publication.published_at = timezone.now()
    publication.error = ""
    publication.save()
    _audit_result(publication, AuditAction.PUBLICATION_FINISHED, "är publicerad")
    signals.publication_published.send_robust(sender=Publication, publication=publication)
    return publication


def _audit_result(publication: Publication, action: AuditAction, what: str) -> None:
    """The job's outcome, in the name of whoever pressed Publicera (the job has no request)."""
    record(
        action,
        f"Version {publication.version} av {publication.edition} {what}.",
        user=publication.created_by,
        organisation=publication.edition.organisation,
        obj=publication,
    )


def _write_files(publication: Publication, final: Path) -> list[Path]:
    """The report's HTML, PDF and DOCX, then (when the edition has one) the barnversion's page and poster."""
    from barnbokslut.report.build import write_report
    from barnbokslut.report.child_version import render_child_html, write_child_pdf
    from barnbokslut.web.publishing.report_from_db import edition_report

    if final.exists():
        raise FileExistsError(f"Mappen {final} finns redan; en publicerad version skrivs aldrig över.")
    built = edition_report(publication.edition, approved_only=publication.approved_only)
    report = built.report
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".v{publication.version}-", dir=final.parent))
    try:
        paths = [work / file_name(publication, fmt) for fmt in FORMATS]
        for fmt, path in zip(FORMATS, paths, strict=True):
            write_report(report, fmt, path)  # the one format dispatch, as `barnbokslut bygg`
        _link_to_about_page(paths[FORMATS.index("html")])
        if report.child_version is not None:
            page, poster = work / file_name(publication, CHILD_HTML), work / file_name(publication, CHILD_PDF)
            # Served at publicerat/<uuid>/barnversion/, so the report is one level up.
            page.write_text(render_child_html(report.child_version, report_url="../"), encoding="utf-8")
            write_child_pdf(report.child_version, poster)
            paths += [page, poster]
        sums = work / "SHA256SUMS"
        sums.write_text("".join(f"{_sha256(p)}  {p.name}\n" for p in paths), encoding="utf-8")
        for path in [*paths, sums]:
            os.chmod(path, READ_ONLY)
        os.chmod(work, 0o755)
        work.rename(final)  # atomic: the version folder appears complete or not at all
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return [final / p.name for p in paths]


#: The published HTML's way back to its version's page ("om/" beside it: publicerat/<uuid>/om/).
ABOUT_LINK = (
    '<p class="om-versionen"><a href="om/">'
    "Om den här versionen: filer, kontrollsummor och tidigare versioner</a></p>\n"
)


def _link_to_about_page(path: Path) -> None:
    """Put the link to the version's page in the footer of a new publication's HTML (before it is checksummed;
    versions published earlier keep their bytes)."""
    text = path.read_text(encoding="utf-8")
    if "</footer>" in text:
        path.write_text(text.replace("</footer>", ABOUT_LINK + "</footer>", 1), encoding="utf-8")


def published_file(publication: Publication, fmt: str) -> Path:
    """The path of a PUBLISHED publication's ``fmt`` file (the caller 404s on anything else)."""
    relative = {
        "html": publication.html_path,
        "pdf": publication.pdf_path,
        "docx": publication.docx_path,
        CHILD_HTML: publication.child_html_path,
        CHILD_PDF: publication.child_pdf_path,
    }[fmt]
    return Path(settings.MEDIA_ROOT) / relative
