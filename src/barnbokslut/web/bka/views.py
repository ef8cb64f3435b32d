"""The register's pages: the list with filters by unit and year, one decision, adding, editing and deleting one
(a skribent for their own units, samordnare and administratör for all), and the import of a diarium export in
two steps (preview, nothing saved; then the import, all or nothing). Every view checks on the server first."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.numbers import format_count
from barnbokslut.report.bka import BkaError, Register
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import (
    Action,
    can,
    can_write_unit,
    require,
    writable_unit_ids,
)
from barnbokslut.web.bka import services
from barnbokslut.web.bka.forms import ConfirmForm, DecisionForm, ExportForm, FilterForm
from barnbokslut.web.bka.models import Decision
from barnbokslut.web.localdata import services as previews
from barnbokslut.web.localdata.limits import upload_limit
from barnbokslut.web.localdata.views import _too_large_message
from barnbokslut.web.organisations.models import Organisation

#: Decisions shown in the import's preview (the count of all is shown too).
PREVIEW_ROWS = 20


def _organisation(request: HttpRequest, pk: int, action: Action = Action.VIEW) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    require(can(request.user, action, organisation))
    return organisation


def _may_add(request: HttpRequest, organisation: Organisation) -> bool:
    units = writable_unit_ids(request.user, organisation)
    return units is None or bool(units)


def _require_posted_unit(request: HttpRequest, organisation: Organisation) -> None:
    """A crafted POST naming a unit the user does not write for is refused (403), not just an invalid form."""
    posted = request.POST.get("unit", "")
    if request.method == "POST" and posted.isdigit() and organisation.units.filter(pk=int(posted)).exists():
        require(
            can_write_unit(request.user, organisation, int(posted)),
            "Du kan bara skriva beslut för dina egna enheter.",
        )


def _decisions(organisation: Organisation) -> QuerySet[Decision]:
    return Decision.objects.filter(organisation=organisation).select_related("unit")


@login_required
@require_GET
def decision_list(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    everything = _decisions(organisation)
    years = sorted(
        set(everything.annotate(y=ExtractYear("decided_on")).values_list("y", flat=True)), reverse=True
    )
    filters = FilterForm(request.GET or None, organisation=organisation, years=years)
    shown = everything
    if filters.is_valid():
        if unit := filters.cleaned_data.get("enhet"):
            shown = shown.filter(unit=unit)
        if year := filters.cleaned_data.get("ar"):
            shown = shown.filter(decided_on__year=year)
    decisions = list(shown.order_by("-decided_on", "diarienummer"))
    writable = writable_unit_ids(request.user, organisation)
    context = {
        "organisation": organisation,
        "filters": filters,
        "decisions": [(d, writable is None or d.unit_id in writable) for d in decisions],
        "count": len(decisions),
        "total": everything.count(),
        "can_add": _may_add(request, organisation),
        "can_import": can(request.user, Action.MANAGE, organisation),
    }
    return render(request, "bka/list.html", context)


@login_required
@require_GET
def decision_detail(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    decision = get_object_or_404(_decisions(organisation), pk=decision_pk)
    context = {
        "organisation": organisation,
        "decision": decision,
        "can_write": can_write_unit(request.user, organisation, decision.unit_id),
    }
    return render(request, "bka/detail.html", context)


def _save(request: HttpRequest, organisation: Organisation, form: DecisionForm, *, new: bool) -> HttpResponse:
    decision = form.save(commit=False)
    decision.organisation = organisation
    decision.updated_by = request.user
    decision.save()
    verb = "Lade till" if new else "Ändrade"
    record(
        AuditAction.TABLE_CHANGED,
        f"{verb} beslutet {decision.diarienummer} ({decision.unit.abbreviation}) i registret över "
        "barnkonsekvensanalyser.",
        request=request,
        organisation=organisation,
        obj=decision,
    )
    messages.success(request, f"Beslutet {decision.diarienummer} är sparat.")
    for notice in form.notices:
        messages.warning(request, notice)
    return redirect("bka:detail", organisation.pk, decision.pk)


@login_required
@require_http_methods(["GET", "POST"])
def decision_add(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    require(
        _may_add(request, organisation), "Du kan bara skriva beslut för dina egna enheter, och du har inga."
    )
    _require_posted_unit(request, organisation)
    units = writable_unit_ids(request.user, organisation)
    form = DecisionForm(request.POST or None, organisation=organisation, unit_ids=units)
    if request.method == "POST" and form.is_valid():
        return _save(request, organisation, form, new=True)
    status = 400 if request.method == "POST" else 200
    context = {"organisation": organisation, "form": form, "decision": None}
    return render(request, "bka/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    decision = get_object_or_404(_decisions(organisation), pk=decision_pk)
    require(
        can_write_unit(request.user, organisation, decision.unit_id),
        "Du kan bara ändra beslut för dina egna enheter.",
    )
    _require_posted_unit(request, organisation)
    units = writable_unit_ids(request.user, organisation)
    form = DecisionForm(request.POST or None, instance=decision, organisation=organisation, unit_ids=units)
    if request.method == "POST" and form.is_valid():
        return _save(request, organisation, form, new=False)
    status = 400 if request.method == "POST" else 200
    context = {"organisation": organisation, "form": form, "decision": decision}
    return render(request, "bka/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision_delete(request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    decision = get_object_or_404(_decisions(organisation), pk=decision_pk)
    require(
        can_write_unit(request.user, organisation, decision.unit_id),
        "Du kan bara ta bort beslut för dina egna enheter.",
    )
    if request.method == "POST":
        record(
            AuditAction.DATA_DELETED,
            f"Tog bort beslutet {decision.diarienummer} ({decision.unit.abbreviation}) ur registret över "
            "barnkonsekvensanalyser.",
            request=request,
            organisation=organisation,
            obj=decision,
        )
        decision.delete()
        messages.success(request, f"Beslutet {decision.diarienummer} är borttaget.")
        return redirect("bka:list", organisation.pk)
    return render(request, "bka/delete.html", {"organisation": organisation, "decision": decision})


def _import_page(
    request: HttpRequest,
    organisation: Organisation,
    *,
    form: ExportForm | None = None,
    filename: str = "",
    problems: list[str] | None = None,
    plan: services.ImportPlan | None = None,
    digest: str = "",
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    register: Register | None = plan.register if plan else None
    context = {
        "organisation": organisation,
        "form": form or ExportForm(),
        "filename": filename,
        "problems": problems or [],
        "plan": plan,
        "preview_rows": register.decisions[:PREVIEW_ROWS] if register else (),
        "confirm_form": ConfirmForm(initial={"sha256": digest}) if plan else None,
        "refusal": refusal,
        "list_url": reverse("bka:list", args=[organisation.pk]),
    }
    return render(request, "bka/import.html", context, status=status)


def _too_large(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, Action.MANAGE)
    return _import_page(request, organisation, refusal=_too_large_message(), status=413)


@login_required
@require_http_methods(["GET", "POST"])
@upload_limit(_too_large)
def import_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 1: read and check the export, show what the import would replace and every error; save nothing."""
    organisation = _organisation(request, pk, Action.MANAGE)
    if request.method == "GET":
        return _import_page(request, organisation)
    request.FILES  # noqa: B018 (reading FILES runs the upload handlers)
    if getattr(request, "upload_too_large", False):
        return _import_page(request, organisation, refusal=_too_large_message(), status=413)
    form = ExportForm(request.POST, request.FILES)
    if not form.is_valid():
        return _import_page(request, organisation, form=form, status=400)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        plan = services.plan_import(organisation, services.parse_export(organisation, upload.name, data))
    except BkaError as exc:
        return _import_page(
            request, organisation, form=form, filename=upload.name, problems=exc.problems, status=400
        )
    digest = previews.remember_preview(
        request.session, services.preview_scope(organisation), upload.name, data
    )
    return _import_page(request, organisation, form=form, filename=upload.name, plan=plan, digest=digest)


@login_required
@require_POST
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Step 2: import the previewed export, all or nothing, read again from the server's copy of the file."""
    organisation = _organisation(request, pk, Action.MANAGE)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        refusal = "Importen saknar sin förhandsgranskning. Inget har importerats."
        return _import_page(request, organisation, refusal=refusal, status=400)
    digest = form.cleaned_data["sha256"]
    scope = services.preview_scope(organisation)
    try:
        filename, data = previews.recall_preview(request.session, scope, digest)
    except previews.ImportRefused as refused:
        return _import_page(request, organisation, refusal=str(refused), status=409)
    try:
        plan = services.plan_import(organisation, services.parse_export(organisation, filename, data))
    except BkaError as exc:  # the register changed since the preview (a decision of another year added)
        return _import_page(request, organisation, filename=filename, problems=exc.problems, status=409)
    imported = services.import_register(organisation, plan, request=request)
    previews.forget_preview(request.session, scope, digest)
    messages.success(
        request,
        f"Importerade {format_count(imported, 'beslut', 'beslut')} från {filename}; "
        f"{format_count(plan.replaced, 'tidigare beslut', 'tidigare beslut')} från samma år ersattes.",
    )
    return redirect("bka:list", organisation.pk)
