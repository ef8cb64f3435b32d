"""The pages of "Importera förra årets barnbokslut" (samordnare and administratör of the organisation):

- ``import_start``: GET the upload form (and a link to a review waiting); POST hands the file to
  ``import_reading.start_review`` and goes to the review's page: a PDF is read by the task worker, a DOCX or
  text in the request (its ``ImportFault`` shown at once, nothing saved).
- ``import_review_page``: while the worker reads (QUEUED, READING), GET shows "Läser filen …" with where it is,
  reloading itself every few seconds (``<meta http-equiv="refresh">``, no JavaScript needed); a file the worker
  could not read (FAILED), or not read within ``import_reading.READ_MINUTES``, goes back to the upload form with
  the Swedish message and "Inget har sparats." (the review and the stored file removed). Once READY: GET the
  review (every part, row, unit and OCR repair, each editable or left out); POST ``gor=spara`` keeps the edits
  (and reads a text again when the choice of repairs changed), ``gor=importera`` keeps them and imports all or
  nothing into a new edition.
- ``import_cancel``: POST throws the review away (and a stored file not read yet).

A review that is no longer there (imported or discarded in another tab, replaced by a newer upload, expired) is
no bare 404: the upload form says so in Swedish, with status 410 and nothing saved. The review form carries the
review's ``version`` (``import_review.version``, one up at every save): a form posted from a tab opened before
another tab saved the review is refused (409) with the current review shown, so its part and row numbers are
never applied to content they were not meant for.

Every view asks ``permissions.can(..., MANAGE, organisation)`` first; a review belongs to its organisation and
to the user who uploaded it: only they may open, change, confirm or discard it (anyone else gets 403).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from barnbokslut.importing import FolderError, ImportFault
from barnbokslut.importing.understand import FOLLOWUP_NOTE
from barnbokslut.numbers import format_count, format_number
from barnbokslut.report.source import ReportSourceError
from barnbokslut.web.accounts.permissions import Action, can, require
from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.services import EditionExistsError
from barnbokslut.web.localdata.limits import upload_limit
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.publishing import import_reading, import_review
from barnbokslut.web.publishing.import_repairs import repair_groups
from barnbokslut.web.publishing.models import ImportReview

__all__ = ["import_cancel", "import_review_page", "import_start"]


#: The 403 of a review opened by anyone but the user who uploaded the file.
OTHERS_REVIEW = (
    "Granskningen tillhör den som laddade upp filen, och bara den personen kan öppna, ändra, importera eller "
    "ta bort den. Ladda upp filen själv om du vill importera den."
)


#: The page of a review that is gone (410).
GONE = (
    "Granskningen finns inte längre: den är redan importerad eller borttagen (kanske i en annan flik), ersatt "
    "av en nyare uppladdning eller äldre än {hours} timmar. Inget har sparats nu. Ladda upp filen igen om du "
    "vill importera den."
)
#: A review form posted after the review was saved from another tab (409).
STALE = (
    "Granskningen har ändrats i en annan flik eller ett annat fönster sedan du öppnade den här sidan. Sidan "
    "visar nu granskningen som den är sparad; gör om dina ändringar här. Inget har sparats eller importerats."
)


class _Gone(Exception):
    """The review asked for is not (or no longer) there."""

    def __init__(self, organisation: Organisation) -> None:
        self.organisation = organisation


def _organisation(request: HttpRequest, org_pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=org_pk)
    require(
        can(request.user, Action.MANAGE, organisation),
        "Bara samordnare och administratörer kan importera förra årets barnbokslut.",
    )
    return organisation


def _review(request: HttpRequest, org_pk: int, pk: int) -> ImportReview:
    organisation = _organisation(request, org_pk)
    review = (
        ImportReview.objects.select_related("organisation")
        .filter(pk=pk, organisation=organisation, expires_at__gte=timezone.now())
        .first()
    )
    if review is None:
        raise _Gone(organisation)
    require(
        review.created_by_id == request.user.pk,
        OTHERS_REVIEW,
    )
    return review


def _max_mb() -> str:
    return f"{settings.MAX_UPLOAD_BYTES / (1024 * 1024):.1f}".replace(".", ",").removesuffix(",0")


def _start_page(
    request: HttpRequest, organisation: Organisation, refusal: str = "", status: int = 200
) -> HttpResponse:
    waiting = ImportReview.objects.filter(
        organisation=organisation, created_by=request.user, expires_at__gte=timezone.now()
    ).first()
    context = {
        "organisation": organisation,
        "refusal": refusal,
        "waiting": waiting,
        "max_upload_mb": _max_mb(),
    }
    return render(request, "publishing/import_start.html", context, status=status)


def _gone(request: HttpRequest, gone: _Gone) -> HttpResponse:
    message = GONE.format(hours=import_review.REVIEW_HOURS)
    return _start_page(request, gone.organisation, message, status=410)


def _too_large(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _organisation(request, org_pk)
    message = f"Filen är för stor: högst {_max_mb()} MB. Inget har sparats."
    return _start_page(request, organisation, message, status=413)


@login_required
@require_http_methods(["GET", "POST"])
@upload_limit(_too_large)
def import_start(request: HttpRequest, org_pk: int) -> HttpResponse:
    organisation = _organisation(request, org_pk)
    if request.method == "GET":
        return _start_page(request, organisation)
    request.FILES  # noqa: B018 (reading FILES runs the size-limiting upload handler)
    if getattr(request, "upload_too_large", False):
        return _too_large(request, org_pk)
    upload = request.FILES.get("fil")
    if upload is None:
        return _start_page(request, organisation, "Välj en fil att importera (DOCX, PDF eller text).", 400)
    try:
        review = import_reading.start_review(organisation, request.user, upload)
    except ImportFault as fault:
        return _start_page(request, organisation, f"{fault} Inget har sparats.", status=400)
    return redirect("publishing:import_review", org_pk=organisation.pk, pk=review.pk)


_OTHER_PARTS = {
    "uppfoljning": "Uppföljning",
    "utvecklingsomraden": "Utvecklingsområden",
    "forkortningar": "Förkortningar",
}


def _label(key: str) -> str:
    return import_review.PART_LABELS.get(key, (_OTHER_PARTS.get(key, key), ""))[0]


def _counted(count: int, singular: str, plural: str) -> str:
    """ "1 075 rättelser": the count grouped the Swedish way, with the word that agrees with it."""
    return format_count(count, singular, plural).replace(str(count), format_number(count, decimals=0), 1)


def _review_page(
    request: HttpRequest, review: ImportReview, problems: list[str] | None = None, status: int = 200
) -> HttpResponse:
    state = review.state
    current = state["current"]
    matches = import_review.unit_matches(review)
    parts = [
        {**part, "label": import_review.PART_LABELS.get(part["key"], (part["key"], ""))[0],
         "target": import_review.PART_LABELS.get(part["key"], ("", ""))[1]}
        for part in current["parts"]
    ]  # fmt: skip
    units = [{**unit, "match": matches.get(i, "")} for i, unit in enumerate(current["units"])]
    repairs = state["repairs"]
    applied = sum(1 for r in repairs if r.get("tillämpad"))
    groups = repair_groups(repairs)
    context = {
        "organisation": review.organisation,
        "review": review,
        "current": current,
        "meta": state["meta"],
        "parts": parts,
        "units": units,
        "rows": current["rows"],
        "repairs": repairs,
        "repair_counts": _counted(applied, "rättelse", "rättelser")
        + " och "
        + _counted(len(repairs) - applied, "förslag", "förslag"),
        "doubtful_groups": [g for g in groups if g.doubtful],
        "sure_groups": [g for g in groups if not g.doubtful],
        "group_count": _counted(len(groups), "ord", "ord"),
        "problems": problems or [],
        # The notes on last year's follow-up table go with it (it is not imported: "rad 7" there is not the
        # review's row 7); the others stay at the top.
        "notes": [n for n in state["meta"]["notes"] if not n.startswith(FOLLOWUP_NOTE)],
        "followup_notes": [n for n in state["meta"]["notes"] if n.startswith(FOLLOWUP_NOTE)],
        "year_taken": Edition.objects.filter(organisation=review.organisation, year=current["year"]).exists(),
        "structure": import_review.structure(review),
        "missing": [_label(key) for key in state["meta"]["missing"]],
        "version": import_review.version(review),
    }
    return render(request, "publishing/import_review.html", context, status=status)


#: How often the page that waits for the worker reloads itself, in seconds.
REFRESH_SECONDS = 2


def _reading_page(request: HttpRequest, review: ImportReview) -> HttpResponse:
    """ "Läser filen …" while the worker reads; back to the upload form when it failed or gave no answer."""
    if review.status == ImportReview.Status.FAILED or import_reading.timed_out(review):
        why = (
            review.error
            if review.status == ImportReview.Status.FAILED
            else import_reading.timeout_message(review)
        )
        import_reading.discard(review)
        messages.error(request, f"{why} Inget har sparats.")
        return redirect("publishing:import_start", org_pk=review.organisation_id)
    context = {
        "organisation": review.organisation,
        "review": review,
        "progress": import_reading.progress(review),
        "refresh_seconds": REFRESH_SECONDS,
        "read_minutes": import_reading.READ_MINUTES,
    }
    response = render(request, "publishing/import_reading.html", context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_review_page(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    try:
        review = _review(request, org_pk, pk)
    except _Gone as gone:
        return _gone(request, gone)
    if review.status != ImportReview.Status.READY:
        return _reading_page(request, review)
    if request.method == "GET":
        return _review_page(request, review)
    posted = request.POST.get("version")
    if posted is not None and posted != str(import_review.version(review)):
        return _review_page(request, review, [STALE], status=409)
    try:
        import_review.apply_form(review, request.POST)
    except import_review.ReviewFormError as error:
        return _review_page(request, review, error.problems, status=400)
    reread = import_review.rederive(review)
    import_review.bump_version(review)
    if not ImportReview.objects.filter(pk=review.pk).update(state=review.state):
        return _gone(request, _Gone(review.organisation))  # imported or discarded by another tab meanwhile
    if request.POST.get("gor") != "importera":
        note = " Texten är läst igen med de rättelser du valt." if reread else ""
        messages.success(request, f"Granskningen är sparad.{note} Inget är importerat ännu.")
        return redirect("publishing:import_review", org_pk=org_pk, pk=review.pk)
    try:
        edition = import_review.confirm(review, request.user)
    except (FolderError, ReportSourceError, EditionExistsError, ImportFault) as error:
        # Imported by a second click or tab meanwhile (its edition is the one this one collided with).
        if not ImportReview.objects.filter(pk=review.pk).exists():
            return _gone(request, _Gone(review.organisation))
        return _review_page(request, review, [f"{error} Inget har importerats."], status=400)
    messages.success(
        request,
        f"Förra årets barnbokslut är importerat som årgång {edition.year}. Texterna är utkast från förra året.",
    )
    return redirect("editions:detail", pk=edition.pk)


@login_required
@require_POST
def import_cancel(request: HttpRequest, org_pk: int, pk: int) -> HttpResponse:
    try:
        review = _review(request, org_pk, pk)
    except _Gone as gone:
        return _gone(request, gone)
    import_reading.discard(review)
    messages.success(request, "Importen är avbruten. Inget har sparats.")
    return redirect("publishing:import_start", org_pk=org_pk)
