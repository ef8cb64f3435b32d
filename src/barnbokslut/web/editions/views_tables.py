"""The follow-up table and next year's development areas: view, add, edit inline, delete, reorder.

Both tables work the same way, so one set of views serves both, told apart by ``table`` ("follow_up" or
"development", given by the URL patterns). Everyone in the organisation may look; coordinators and
administrators may change. Inline editing is htmx: "Redigera" swaps the row for a form row, "Spara" swaps the
saved row back (or the form with its errors). Without JavaScript the same links and forms work as pages.

A follow-up row's numbered actions have their own editor (``follow_up_actions``): each action's text, status
and comment, add and remove actions, and the row's own status or "Härled från åtgärderna". For a row without
actions the editor starts from its ``action`` split into actions ("Dela upp i åtgärder"); saving converts it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.editions.analysis import full_catalogue
from barnbokslut.web.editions.followup import action_items, actions_markdown, row_status
from barnbokslut.web.editions.forms import DevelopmentAreaForm, FollowUpActionsEditor, FollowUpForm
from barnbokslut.web.editions.models import DevelopmentArea, Edition, FollowUp, FollowUpStatus
from barnbokslut.web.editions.services import move_row, next_order
from barnbokslut.web.editions.views_edition import edition_for, edition_links

__all__ = [
    "TABLES",
    "follow_up_actions",
    "row_add",
    "row_delete",
    "row_edit",
    "row_move",
    "row_show",
    "table_page",
]


@dataclass(frozen=True)
class TableSpec:
    slug: str
    model: type[FollowUp] | type[DevelopmentArea]
    form: type[FollowUpForm] | type[DevelopmentAreaForm]
    title: str
    intro: str
    row_template: str
    columns: tuple[str, ...]

    def names(self) -> dict[str, str]:
        return {
            action: f"editions:{self.slug}" + ("" if action == "page" else f"_{action}")
            for action in ("page", "add", "row", "edit", "delete", "move")
        }


TABLES = {
    "follow_up": TableSpec(
        slug="follow_up",
        model=FollowUp,
        form=FollowUpForm,
        title="Uppföljning av förra årets utvecklingsområden",
        intro=(
            "Förra årets utvecklingsområden och åtgärder, med vad de förväntades leda till. Ange status och "
            "kommentera hur arbetet har gått."
        ),
        row_template="editions/tables/follow_up_row.html",
        columns=(
            "Utvecklingsområde",
            "Åtgärd",
            "Förväntade resultat förra året",
            "Status",
            "Kommentar",
            "Artiklar och nyckeltal",
        ),
    ),
    "development": TableSpec(
        slug="development",
        model=DevelopmentArea,
        form=DevelopmentAreaForm,
        title="Utvecklingsområden för nästa år",
        intro="Det som ska utvecklas under nästa år. Raderna följs upp i nästa årgång.",
        row_template="editions/tables/development_row.html",
        columns=("Utvecklingsområde", "Åtgärder", "Förväntade resultat", "Artiklar och nyckeltal"),
    ),
}


def _spec(table: str) -> TableSpec:
    try:
        return TABLES[table]
    except KeyError:
        raise Http404("Okänd tabell") from None


def _decorate(rows: list[Any]) -> list[Any]:
    """Attach what the row templates show: unit abbreviations and indicator short titles."""
    titles = {indicator.kpi: indicator.short_title for indicator in full_catalogue()}
    for row in rows:
        row.unit_labels = [unit.abbreviation for unit in row.units.all()]
        row.indicator_labels = [f"{titles.get(kpi, kpi)} ({kpi})" for kpi in row.indicators]
        if isinstance(row, FollowUp):
            row.action_items = [
                {**item, "status_label": FollowUpStatus(item["status"]).label if item["status"] else ""}
                for item in action_items(row)
            ]
            row.row_status = row_status(row)
    return rows


def _rows(spec: TableSpec, edition: Edition) -> list[Any]:
    return _decorate(list(spec.model.objects.filter(edition=edition).prefetch_related("units")))


def _row(spec: TableSpec, edition: Edition, row_pk: int) -> Any:
    return get_object_or_404(spec.model, pk=row_pk, edition=edition)


def _form(spec: TableSpec, edition: Edition, row: Model | None = None, data: Any = None) -> forms.ModelForm:
    prefix = f"rad-{row.pk}" if row is not None else "ny"
    return spec.form(data, instance=row, prefix=prefix, edition=edition, catalogue=full_catalogue())


def _context(request: HttpRequest, spec: TableSpec, edition: Edition, **extra: Any) -> dict[str, Any]:
    return {
        "edition": edition,
        "spec": spec,
        "names": spec.names(),
        "links": edition_links(edition),
        "can_manage": can(request.user, Action.MANAGE, edition.organisation)
        and edition.state == Edition.State.OPEN,
        "colspan": len(spec.columns) + 1,
        **extra,
    }


def _render_row(request: HttpRequest, spec: TableSpec, edition: Edition, row: Any) -> HttpResponse:
    row = _decorate([spec.model.objects.prefetch_related("units").get(pk=row.pk)])[0]
    context = _context(request, spec, edition, row=row, first=False, last=False)
    return render(request, spec.row_template, context)


def _page(
    request: HttpRequest, spec: TableSpec, edition: Edition, add_form: Any, status: int = 200
) -> HttpResponse:
    context = _context(request, spec, edition, rows=_rows(spec, edition), add_form=add_form)
    return render(request, "editions/tables/page.html", context, status=status)


def _editable(request: HttpRequest, pk: int) -> Edition:
    """The edition, if the user may manage it and it is still open: a closed year is history."""
    edition = edition_for(request, pk, Action.MANAGE, write=True)
    return edition


@login_required
@require_GET
def table_page(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    spec = _spec(table)
    edition = edition_for(request, pk)
    can_manage = (
        can(request.user, Action.MANAGE, edition.organisation) and edition.state == Edition.State.OPEN
    )
    return _page(request, spec, edition, _form(spec, edition) if can_manage else None)


def _audit(request: HttpRequest, spec: TableSpec, edition: Edition, what: str) -> None:
    record(
        AuditAction.TABLE_CHANGED,
        f"{spec.title} i {edition.title} {edition.year}: {what}",
        request=request,
        organisation=edition.organisation,
        obj=edition,
    )


@login_required
@require_POST
def row_add(request: HttpRequest, pk: int, table: str) -> HttpResponse:
    spec = _spec(table)
    edition = _editable(request, pk)
    form = _form(spec, edition, data=request.POST)
    if not form.is_valid():
        return _page(request, spec, edition, form, status=400)
    row = form.save(commit=False)
    row.edition = edition
    row.order = next_order(spec.model, edition)
    row.save()
    form.save_m2m()
    _audit(request, spec, edition, f"lade till raden ”{row.area}”")
    messages.success(request, f"Raden ”{row.area}” är tillagd.")
    return redirect(f"{reverse(spec.names()['page'], args=[edition.pk])}#rad-{row.pk}")


@login_required
@require_GET
def row_show(request: HttpRequest, pk: int, table: str, row_pk: int) -> HttpResponse:
    """One row as a table row (htmx "Avbryt"); without htmx, the table page."""
    spec = _spec(table)
    edition = edition_for(request, pk)
    row = _row(spec, edition, row_pk)
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect(f"{reverse(spec.names()['page'], args=[edition.pk])}#rad-{row.pk}")
    return _render_row(request, spec, edition, row)


@login_required
@require_http_methods(["GET", "POST"])
def row_edit(request: HttpRequest, pk: int, table: str, row_pk: int) -> HttpResponse:
    spec = _spec(table)
    edition = _editable(request, pk)
    row = _row(spec, edition, row_pk)
    form = _form(spec, edition, row, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        form.save()
        _audit(request, spec, edition, f"ändrade raden ”{row.area}”")
        if request.htmx:  # type: ignore[attr-defined]
            return _render_row(request, spec, edition, row)
        messages.success(request, f"Raden ”{row.area}” är sparad.")
        return redirect(f"{reverse(spec.names()['page'], args=[edition.pk])}#rad-{row.pk}")
    context = _context(request, spec, edition, row=row, form=form)
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers, so a form with errors is a 200 here.
        return render(request, "editions/tables/form_row.html", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "editions/tables/edit_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def row_delete(request: HttpRequest, pk: int, table: str, row_pk: int) -> HttpResponse:
    """GET asks for confirmation (a row or a page); POST deletes."""
    spec = _spec(table)
    edition = _editable(request, pk)
    row = _row(spec, edition, row_pk)
    if request.method == "POST":
        area = row.area
        row.delete()
        _audit(request, spec, edition, f"tog bort raden ”{area}”")
        if request.htmx:  # type: ignore[attr-defined]
            return HttpResponse("")
        messages.success(request, f"Raden ”{area}” är borttagen.")
        return redirect(spec.names()["page"], pk=edition.pk)
    context = _context(request, spec, edition, row=row)
    template = "confirm_row.html" if request.htmx else "confirm_page.html"  # type: ignore[attr-defined]
    return render(request, f"editions/tables/{template}", context)


@login_required
@require_POST
def row_move(request: HttpRequest, pk: int, table: str, row_pk: int) -> HttpResponse:
    spec = _spec(table)
    edition = _editable(request, pk)
    row = _row(spec, edition, row_pk)
    direction = request.POST.get("riktning", "")
    if direction not in ("up", "down"):
        return HttpResponse("Ange riktning upp eller ned.", status=400)
    if move_row(row, direction):
        _audit(request, spec, edition, f"flyttade raden ”{row.area}” {'upp' if direction == 'up' else 'ned'}")
    if request.htmx:  # type: ignore[attr-defined]
        context = _context(request, spec, edition, rows=_rows(spec, edition))
        return render(request, "editions/tables/table.html", context)
    return redirect(f"{reverse(spec.names()['page'], args=[edition.pk])}#rad-{row.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def follow_up_actions(request: HttpRequest, pk: int, row_pk: int) -> HttpResponse:
    """Edit a follow-up row's actions one by one and its own status; nothing is saved while any is wrong."""
    spec = TABLES["follow_up"]
    edition = _editable(request, pk)
    row = _row(spec, edition, row_pk)
    if request.method == "POST":
        editor, save = FollowUpActionsEditor.from_post(row, request.POST)
        if save and editor.is_valid():
            actions = editor.actions
            row.actions = actions
            row.status = editor.row_status
            row.action = actions_markdown([action["text"] for action in actions])
            row.save(update_fields=["actions", "status", "action"])
            _audit(request, spec, edition, f"ändrade åtgärderna för raden ”{row.area}” ({len(actions)} st.)")
            if request.htmx:  # type: ignore[attr-defined]
                return _render_row(request, spec, edition, row)
            messages.success(request, f"Åtgärderna för ”{row.area}” är sparade.")
            return redirect(f"{reverse(spec.names()['page'], args=[edition.pk])}#rad-{row.pk}")
        status = 400 if save else 200
    else:
        editor, status = FollowUpActionsEditor.for_row(row), 200
    context = _context(
        request,
        spec,
        edition,
        row=row,
        editor=editor,
        converting=not action_items(row),
        errors=editor.error_list(),
    )
    if request.htmx:  # type: ignore[attr-defined]
        # htmx swaps only 2xx answers, so a form with errors is a 200 here.
        return render(request, "editions/tables/follow_up_actions_row.html", context)
    return render(request, "editions/tables/follow_up_actions_page.html", context, status=status)
