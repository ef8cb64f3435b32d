"""Preview, publish and the public archive.

Signed-in pages (per edition): the preview of the whole report (every role of the organisation), the report as
its own document, and the publish page with its progress fragment (samordnare and administratör). Public pages (no
login): a published version's page, its HTML, PDF and DOCX, and the organisation's archive. Only PUBLISHED versions are
ever served; anything else is 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_http_methods

from barnbokslut.indicators.sentences import join_words
from barnbokslut.numbers import format_date_sv
from barnbokslut.report.html import CONTENT_SECURITY_POLICY, render_html
from barnbokslut.web.accounts.permissions import Action, can, require
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.services import carried_over_standard_texts
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.publishing import services
from barnbokslut.web.publishing.models import CHILD_HTML, CHILD_PDF, Publication
from barnbokslut.web.publishing.report_from_db import edition_report

#: The report is self-contained: no script, styles inline, images as data: URIs.
REPORT_CSP = CONTENT_SECURITY_POLICY
_CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    CHILD_HTML: "text/html; charset=utf-8",
    CHILD_PDF: "application/pdf",
}


def _edition(request: HttpRequest, edition_pk: int, action: Action) -> Edition:
    edition = get_object_or_404(Edition.objects.select_related("organisation"), pk=edition_pk)
    require(can(request.user, action, edition.organisation))
    return edition


@login_required
@require_GET
def preview(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """The whole report as it would be published now, with each section's status beside it."""
    edition = _edition(request, edition_pk, Action.VIEW)
    built = edition_report(edition)
    context = {
        "edition": edition,
        "built": built,
        "can_manage": can(request.user, Action.MANAGE, edition.organisation),
    }
    return render(request, "publishing/preview.html", context)


@login_required
@require_GET
@xframe_options_sameorigin
def preview_document(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """The report alone, as one self-contained HTML document."""
    edition = _edition(request, edition_pk, Action.VIEW)
    response = HttpResponse(render_html(edition_report(edition).report), content_type=_CONTENT_TYPES["html"])
    response["Content-Security-Policy"] = REPORT_CSP
    return response


def _publications(edition: Edition) -> list[Publication]:
    return list(edition.publications.select_related("created_by").order_by("-version"))


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """GET: what will be published and the versions so far; POST: start building the next version."""
    edition = _edition(request, edition_pk, Action.MANAGE)
    if request.method == "POST":
        try:
            publication = services.start_publication(
                edition,
                request=request,
                note=request.POST.get("note", "").strip(),
                approved_only=request.POST.get("innehall") == "godkanda",
            )
        except services.PublishRefused as refused:
            messages.error(request, str(refused))
        else:
            messages.success(
                request, f"Version {publication.version} byggs nu. Sidan visar när den är publicerad."
            )
        return redirect("publishing:publish", edition_pk=edition.pk)
    built = edition_report(edition)
    publications = _publications(edition)
    carried = carried_over_standard_texts(edition)
    context = {
        "edition": edition,
        "built": built,
        "carried_standard_texts": carried,
        "carried_standard_names": join_words([f"”{name}”" for name in carried]) if carried else "",
        "publications": publications,
        "building": any(p.state == Publication.State.BUILDING for p in publications),
        "next_version": max((p.version for p in publications), default=0) + 1,
    }
    return render(request, "publishing/publish.html", context)


@login_required
@require_GET
def publish_status(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """The list of versions with their state; polled every second by htmx while a build runs."""
    edition = _edition(request, edition_pk, Action.MANAGE)
    publications = _publications(edition)
    context = {
        "edition": edition,
        "publications": publications,
        "building": any(p.state == Publication.State.BUILDING for p in publications),
    }
    response = render(request, "publishing/_publications.html", context)
    if getattr(request, "htmx", False) and not context["building"]:
        # The build is over: reload the page so the publish button and the notes are current again.
        response["HX-Refresh"] = "true"
    return response


def _published(public_id: str) -> Publication:
    return get_object_or_404(
        Publication.objects.select_related("edition__organisation"),
        public_id=public_id,
        state=Publication.State.PUBLISHED,
    )


def _serve(publication: Publication, fmt: str) -> FileResponse:
    if fmt in (CHILD_HTML, CHILD_PDF) and not publication.has_child_version:
        raise Http404("Den här versionen har ingen barnversion.")
    path = services.published_file(publication, fmt)
    if not path.is_file():
        raise Http404("Filen finns inte.")
    response = FileResponse(
        path.open("rb"),
        as_attachment=fmt not in ("html", CHILD_HTML),
        filename=services.file_name(publication, fmt),
        content_type=_CONTENT_TYPES[fmt],
    )
    response["X-Barnbokslut-SHA256"] = publication.sha256
    response["Cache-Control"] = "public, max-age=86400, immutable"
    if fmt in ("html", CHILD_HTML):
        response["Content-Security-Policy"] = REPORT_CSP
    return response


@require_GET
def public_html(request: HttpRequest, public_id: str) -> FileResponse:
    return _serve(_published(public_id), "html")


@require_GET
def public_pdf(request: HttpRequest, public_id: str) -> FileResponse:
    return _serve(_published(public_id), "pdf")


@require_GET
def public_docx(request: HttpRequest, public_id: str) -> FileResponse:
    return _serve(_published(public_id), "docx")


@require_GET
def public_child_html(request: HttpRequest, public_id: str) -> FileResponse:
    return _serve(_published(public_id), CHILD_HTML)


@require_GET
def public_child_pdf(request: HttpRequest, public_id: str) -> FileResponse:
    return _serve(_published(public_id), CHILD_PDF)


@require_GET
def public_about(request: HttpRequest, public_id: str) -> HttpResponse:
    """A published version's page: its files with size and checksum, who published it and when, the archive."""
    publication = _published(public_id)
    files = []
    for fmt, label, url_name in (
        ("html", "Webbsida", "publishing:public_html"),
        ("pdf", "PDF", "publishing:public_pdf"),
        ("docx", "Word", "publishing:public_docx"),
        *(
            [
                (CHILD_HTML, "Barnversion (webbsida)", "publishing:public_child_html"),
                (CHILD_PDF, "Barnversion (affisch, PDF)", "publishing:public_child_pdf"),
            ]
            if publication.has_child_version
            else []
        ),
    ):
        path = services.published_file(publication, fmt)
        files.append(
            {
                "label": label,
                "name": services.file_name(publication, fmt),
                "url_name": url_name,
                "size": path.stat().st_size if path.is_file() else None,
                "sha256": publication.file_sha256(fmt),
            }
        )
    publisher = publication.created_by
    context = {
        "p": publication,
        "files": files,
        "published_on": format_date_sv(timezone.localtime(publication.published_at)),
        "publisher": (publisher.get_full_name() or publisher.get_username()) if publisher else "",
        "per_file": all(f["sha256"] for f in files[:3]),
    }
    return render(request, "publishing/about.html", context)


@require_GET
def archive(request: HttpRequest, org_slug: str) -> HttpResponse:
    """Every published version of every edition of the organisation, newest first (public)."""
    organisation = get_object_or_404(Organisation, slug=org_slug)
    publications = (
        Publication.objects.filter(edition__organisation=organisation, state=Publication.State.PUBLISHED)
        .select_related("edition")
        .order_by("-edition__year", "-version")
    )
    return render(
        request, "publishing/archive.html", {"organisation": organisation, "publications": publications}
    )
