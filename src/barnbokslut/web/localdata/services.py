"""Local data between preview and import: the previewed upload kept on the server, and the all-or-nothing import.

The preview step stores the uploaded bytes in a file named by their sha256 under ``DATA_DIR/uppladdningar/`` and
remembers the hash in the user's session (per edition). The import step names that hash; the rows are parsed again
from the stored bytes on the server, never taken from the form. If the import request carries the file again, its
hash must be the previewed one, so a file changed after the preview is refused.
"""

from __future__ import annotations

import hashlib
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.localdata.importer import ParsedTable, parse_upload
from barnbokslut.web.localdata.models import LocalTable

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase
    from django.http import HttpRequest

    from barnbokslut.web.editions.models import Edition

SESSION_KEY = "localdata_previews"
#: Previewed uploads not imported within this many seconds are removed.
KEEP_SECONDS = 24 * 3600
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


class ImportRefused(Exception):
    """The import cannot go ahead; the message (Swedish) says why and what to do."""


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "uppladdningar"


def _clean_old(folder: Path) -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except OSError:
            pass


def _scope(edition: Edition | str) -> str:
    """Whose previews: an edition's (its pk), or another importer's own key (the BKA register: "bka-<org pk>")."""
    return edition if isinstance(edition, str) else str(edition.pk)


def remember_preview(session: SessionBase, edition: Edition | str, filename: str, data: bytes) -> str:
    """Keep ``data`` until the import; return its sha256 (the token the import form names)."""
    digest = hashlib.sha256(data).hexdigest()
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    _clean_old(folder)
    target = folder / f"{digest}.upload"
    if not target.exists():
        partial = folder / f"{digest}.{time.monotonic_ns()}.part"
        partial.write_bytes(data)
        partial.replace(target)
    previews: dict[str, dict[str, str]] = session.get(SESSION_KEY, {})
    previews.setdefault(_scope(edition), {})[digest] = filename
    session[SESSION_KEY] = previews
    return digest


def recall_preview(session: SessionBase, edition: Edition | str, digest: str) -> tuple[str, bytes]:
    """The file name and bytes previewed under ``digest`` by this session, or ``ImportRefused``."""
    filename = (
        session.get(SESSION_KEY, {}).get(_scope(edition), {}).get(digest) if _HEX64.match(digest) else None
    )
    path = upload_dir() / f"{digest}.upload"
    if filename is None or not path.is_file():
        raise ImportRefused(
            "Förhandsgranskningen hittades inte (den kan ha gått ut). Ladda upp filen och förhandsgranska igen."
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != digest:
        raise ImportRefused("Den sparade filen stämmer inte med förhandsgranskningen. Ladda upp filen igen.")
    return filename, data


def forget_preview(session: SessionBase, edition: Edition | str, digest: str) -> None:
    previews: dict[str, dict[str, str]] = session.get(SESSION_KEY, {})
    previews.get(_scope(edition), {}).pop(digest, None)
    session[SESSION_KEY] = previews
    if not any(digest in per_edition for per_edition in previews.values()):
        (upload_dir() / f"{digest}.upload").unlink(missing_ok=True)


def parse_for_import(
    session: SessionBase, edition: Edition, digest: str, resent: bytes | None = None
) -> ParsedTable:
    """Parse the previewed upload again; refuse if it changed since the preview or has any error."""
    if resent is not None and hashlib.sha256(resent).hexdigest() != digest:
        raise ImportRefused(
            "Filen har ändrats sedan förhandsgranskningen. Inget har importerats. "
            "Förhandsgranska den nya filen innan du importerar."
        )
    filename, data = recall_preview(session, edition, digest)
    parsed = parse_upload(filename, data, max_bytes=settings.MAX_UPLOAD_BYTES)
    if not parsed.ok:
        raise ImportRefused(
            f"Filen har {parsed.error_count} fel och kan inte importeras. Inget har importerats. "
            "Rätta felen och förhandsgranska igen."
        )
    return parsed


def import_table(
    edition: Edition,
    parsed: ParsedTable,
    *,
    title: str,
    unit: str,
    chart: str,
    description: str,
    request: HttpRequest,
) -> LocalTable:
    """Save the whole table and its audit event in one transaction (all or nothing)."""
    if not parsed.ok:
        raise ImportRefused("Filen har fel och kan inte importeras.")
    rows: list[list[Any]] = [list(row) for row in parsed.rows]
    with transaction.atomic():
        last = LocalTable.objects.filter(edition=edition).aggregate(last=Max("order"))["last"]
        table = LocalTable.objects.create(
            edition=edition,
            title=title,
            description=description,
            unit=unit,
            chart=chart,
            source_filename=parsed.filename,
            sha256=parsed.sha256,
            columns=list(parsed.columns),
            rows=rows,
            uploaded_by=request.user,
            order=(last or 0) + 1,
        )
        record(
            AuditAction.IMPORTED,
            f"Importerade ”{title}” ({len(rows)} rader, {len(parsed.columns)} kolumner) från "
            f"{parsed.filename} till {edition}.",
            request=request,
            organisation=edition.organisation,
            obj=table,
        )
    return table


def delete_table(table: LocalTable, *, request: HttpRequest) -> None:
    edition = table.edition
    with transaction.atomic():
        record(
            AuditAction.DATA_DELETED,
            f"Tog bort den lokala tabellen ”{table.title}” (fil {table.source_filename}) från {edition}.",
            request=request,
            organisation=edition.organisation,
            obj=table,
        )
        table.delete()
