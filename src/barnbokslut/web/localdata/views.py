"""The local-data pages of an edition: the list, step 1 (upload and preview, nothing saved), step 2 (import all
or nothing), one table, and deleting a table. Every view checks the permission on the server first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from barnbokslut.numbers import format_count
from barnbokslut.report.localdata import hidden_in_report
from barnbokslut.web.accounts.permissions import Action, can, require, require_open
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.structure_settings import edition_settings
from barnbokslut.web.localdata import services
from barnbokslut.web.localdata.forms import ImportForm, UploadForm
from barnbokslut.web.localdata.importer import ParsedTable, parse_upload
from barnbokslut.web.localdata.limits import upload_limit
from barnbokslut.web.localdata.models import LocalTable


@dataclass(frozen=True)
class Marked:
    """One cell of a table as shown on its pages: the value and whether the report hides it."""

    value: Any
    hidden: bool


#: Rows shown in the preview (the count of all rows is shown too).
PREVIEW_ROWS = 20


def _edition(request: HttpRequest, edition_pk: int, action: Action) -> Edition:
    """The edition, if the user may do ``action``; managing (upload, import, delete) only while it is open."""
    edition = get_object_or_404(Edition.objects.select_related("organisation"), pk=edition_pk)
    require(can(request.user, action, edition.organisation))
    if action == Action.MANAGE:
        require_open(edition)
    return edition


def _marked(edition: Edition, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[list[Marked]]:
    """The rows with each value cell marked when the report shows it as "–" (small counts, the edition's
    threshold): the uploader sees the real values and what readers will not."""
    threshold = edition_settings(edition, []).small_counts
    hidden = hidden_in_report(columns, rows, threshold)
    return [[Marked(value, (r, c) in hidden) for c, value in enumerate(row)] for r, row in enumerate(rows)]


def _page(
    request: HttpRequest,
    edition: Edition,
    *,
    form: UploadForm | None = None,
    parsed: ParsedTable | None = None,
    import_form: ImportForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    context = {
        "edition": edition,
        "tables": edition.local_tables.select_related("uploaded_by"),
        "can_manage": can(request.user, Action.MANAGE, edition.organisation)
        and edition.state == Edition.State.OPEN,
        "form": form or UploadForm(),
        "parsed": parsed,
        "preview_rows": _marked(edition, parsed.columns, parsed.rows)[:PREVIEW_ROWS] if parsed else (),
        "threshold": edition_settings(edition, []).small_counts,
        "import_form": import_form,
        "refusal": refusal,
        "max_upload_mb": f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):g}".replace(".", ","),
    }
    return render(request, "localdata/list.html", context, status=status)


def _too_large_message() -> str:
    limit = settings.MAX_UPLOAD_BYTES
    shown = f"{limit / (1024 * 1024):.1f} MB".replace(".", ",") if limit >= 1024 * 1024 else f"{limit} byte"
    return (
        f"Filen är för stor: största tillåtna storlek är {shown}. Inget har importerats. "
        "Dela upp tabellen eller ta bort kolumner som inte ska med."
    )


def _too_large(request: HttpRequest, edition_pk: int) -> HttpResponse:
    edition = _edition(request, edition_pk, Action.MANAGE)
    return _page(request, edition, refusal=_too_large_message(), status=413)


def _upload_too_large(request: HttpRequest) -> bool:
    """Parse the body (through the size-limiting handler) and tell whether a file went over the limit."""
    request.FILES  # noqa: B018 (reading FILES runs the upload handlers)
    return bool(getattr(request, "upload_too_large", False))


@login_required
@require_GET
def table_list(request: HttpRequest, edition_pk: int) -> HttpResponse:
    return _page(request, _edition(request, edition_pk, Action.VIEW))


@login_required
@require_POST
@upload_limit(_too_large)
def preview(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """Step 1: parse and check the upload, show what would be imported and every error; save nothing."""
    edition = _edition(request, edition_pk, Action.MANAGE)
    if _upload_too_large(request):
        return _page(request, edition, refusal=_too_large_message(), status=413)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, edition, form=form, status=400)
    upload = form.cleaned_data["file"]
    parsed = parse_upload(upload.name, upload.read(), max_bytes=settings.MAX_UPLOAD_BYTES)
    import_form = None
    if parsed.ok:
        upload.seek(0)
        digest = services.remember_preview(request.session, edition, upload.name, upload.read())
        details = {k: form.cleaned_data[k] for k in ("title", "unit", "chart", "description")}
        import_form = ImportForm(initial={**details, "sha256": digest})
    return _page(
        request, edition, form=form, parsed=parsed, import_form=import_form, status=200 if parsed.ok else 400
    )


@login_required
@require_POST
@upload_limit(_too_large)
def import_table(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """Step 2: import the previewed file, all or nothing; refuse if it changed since the preview."""
    edition = _edition(request, edition_pk, Action.MANAGE)
    if _upload_too_large(request):
        return _page(request, edition, refusal=_too_large_message(), status=413)
    form = ImportForm(request.POST)
    if not form.is_valid():
        refusal = "Importen saknar uppgifter (rubrik eller förhandsgranskning). Inget har importerats."
        return _page(request, edition, refusal=refusal, status=400)
    resent = request.FILES.get("file")
    digest = form.cleaned_data["sha256"]
    try:
        parsed = services.parse_for_import(
            request.session, edition, digest, resent.read() if resent is not None else None
        )
    except services.ImportRefused as refused:
        return _page(request, edition, refusal=str(refused), status=409)
    table = services.import_table(
        edition,
        parsed,
        title=form.cleaned_data["title"],
        unit=form.cleaned_data["unit"],
        chart=form.cleaned_data["chart"],
        description=form.cleaned_data["description"],
        request=request,
    )
    services.forget_preview(request.session, edition, digest)
    rows = format_count(len(table.rows), "rad", "rader")
    messages.success(request, f"Importerade ”{table.title}”: {rows}.")
    return redirect("localdata:list", edition_pk=edition.pk)


@login_required
@require_GET
def table_detail(request: HttpRequest, edition_pk: int, table_pk: int) -> HttpResponse:
    edition = _edition(request, edition_pk, Action.VIEW)
    table = get_object_or_404(LocalTable, pk=table_pk, edition=edition)
    can_manage = (
        can(request.user, Action.MANAGE, edition.organisation) and edition.state == Edition.State.OPEN
    )
    context = {
        "edition": edition,
        "table": table,
        "can_manage": can_manage,
        "rows": _marked(edition, table.columns, table.rows),
        "threshold": edition_settings(edition, []).small_counts,
    }
    return render(request, "localdata/detail.html", context)


@login_required
@require_POST
def delete_table(request: HttpRequest, edition_pk: int, table_pk: int) -> HttpResponse:
    edition = _edition(request, edition_pk, Action.MANAGE)
    table = get_object_or_404(LocalTable, pk=table_pk, edition=edition)
    title = table.title
    services.delete_table(table, request=request)
    messages.success(request, f"Tabellen ”{title}” är borttagen.")
    return redirect("localdata:list", edition_pk=edition.pk)
