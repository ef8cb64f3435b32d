"""A new organisation, and the organisation page: details, logo and the unit tree.

A Django superuser or the administratör of any organisation creates a new one and becomes its administratör.
The administratör edits; the samordnare may look; every other role gets 403. Anonymous visitors are sent to the
login page. Every write is POST-only and checks the permission again on the server.
"""

from __future__ import annotations

import mimetypes
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.accounts.permissions import Action, can, require
from barnbokslut.web.organisations import services
from barnbokslut.web.organisations.forms import NewOrganisationForm, OrganisationForm, UnitForm
from barnbokslut.web.organisations.models import Organisation, Unit
from barnbokslut.web.organisations.municipalities import kommun_names

NOT_ADMIN = "Bara en administratör kan ändra organisationen och dess enheter."
NOT_CREATOR = "Bara en administratör kan skapa en ny organisation."


def can_create_organisation(user: Any) -> bool:
    """A Django superuser, or the administratör of at least one organisation, may create a new organisation."""
    if not user.is_authenticated:
        return False
    return bool(user.is_superuser) or Membership.objects.filter(user=user, role=Role.ADMIN).exists()


def can_view_organisation(user: Any, organisation: Organisation) -> bool:
    """Administratör and samordnare see the organisation page (same roles as the MANAGE action)."""
    return can(user, Action.MANAGE, organisation)


def can_edit_organisation(user: Any, organisation: Organisation) -> bool:
    """Only the administratör changes the organisation (the MANAGE_USERS action)."""
    return can(user, Action.MANAGE_USERS, organisation)


def _organisation(request: HttpRequest, pk: int, *, edit: bool) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    if edit:
        require(can_edit_organisation(request.user, organisation), NOT_ADMIN)
    else:
        require(can_view_organisation(request.user, organisation))
    return organisation


def _unit(organisation: Organisation, unit_pk: int) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), pk=unit_pk, organisation=organisation)


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    """A new organisation; its creator becomes its administratör and goes on to add its units."""
    require(can_create_organisation(request.user), NOT_CREATOR)
    form = NewOrganisationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organisation = services.create_organisation(request, form.save(commit=False))
        messages.success(
            request,
            f"Organisationen {organisation.name} är skapad och du är dess administratör. Lägg till enheterna.",
        )
        return redirect("organisations:detail", organisation.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "organisations/organisation_new.html", {"form": form}, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, edit=False)
    tree = services.unit_tree(organisation)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": organisation,
            "tree": tree,
            "unit_count": len(services.flatten(tree)),
            "can_edit": can_edit_organisation(request.user, organisation),
            "comparison": kommun_names(organisation.comparison_kommuner),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def update(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, edit=True)
    form = OrganisationForm(request.POST or None, request.FILES or None, instance=organisation)
    if request.method == "POST":
        if form.is_valid():
            changed = [str(form.fields[name].label).lower() for name in form.changed_data]
            services.save_organisation(request, form.save(commit=False), changed)
            messages.success(request, "Uppgifterna är sparade.")
            return redirect("organisations:detail", organisation.pk)
        status = 400
    else:
        status = 200
    return render(
        request,
        "organisations/organisation_form.html",
        {"organisation": organisation, "form": form},
        status=status,
    )


@login_required
@require_GET
def logo(request: HttpRequest, pk: int) -> FileResponse:
    """Serve the logo to members (every role may see it: it appears in the report)."""
    organisation = get_object_or_404(Organisation, pk=pk)
    require(can(request.user, Action.VIEW, organisation))
    if not organisation.logo:
        raise Http404("Organisationen har ingen logotyp.")
    content_type = mimetypes.guess_type(organisation.logo.name)[0] or "application/octet-stream"
    return FileResponse(organisation.logo.open("rb"), content_type=content_type)


def _unit_form(
    request: HttpRequest, organisation: Organisation, form: UnitForm, unit: Unit | None, status: int
) -> HttpResponse:
    # The heading uses the stored name: an invalid form has already written the typed values onto the instance.
    heading = f"Ändra {Unit.objects.get(pk=unit.pk).name}" if unit is not None else "Ny enhet"
    return render(
        request,
        "organisations/unit_form.html",
        {"organisation": organisation, "form": form, "unit": unit, "heading": heading},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def unit_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, edit=True)
    initial = {}
    if (parent := request.GET.get("under", "")) and parent.isdigit():
        initial["parent"] = int(parent)
    form = UnitForm(request.POST or None, organisation=organisation, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            unit = services.save_unit(request, form.save(commit=False), created=True)
        except services.UnitError as exc:
            form.add_error("parent", exc.message)
        else:
            messages.success(request, f"Enheten {unit.name} är tillagd.")
            return redirect("organisations:detail", organisation.pk)
    return _unit_form(request, organisation, form, None, 400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def unit_edit(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, edit=True)
    unit = _unit(organisation, unit_pk)
    before = services.describe(unit)
    form = UnitForm(request.POST or None, organisation=organisation, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_unit(request, form.save(commit=False), created=False, before=before)
        except services.UnitError as exc:
            form.add_error("parent", exc.message)
        else:
            messages.success(request, f"Enheten {unit.name} är sparad.")
            return redirect("organisations:detail", organisation.pk)
    return _unit_form(request, organisation, form, unit, 400 if request.method == "POST" else 200)


@login_required
@require_http_methods(["GET", "POST"])
def unit_delete(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk, edit=True)
    unit = _unit(organisation, unit_pk)
    if request.method == "POST":
        try:
            services.delete_unit(request, unit)
        except services.UnitError as exc:
            messages.error(request, exc.message)
            return redirect("organisations:detail", organisation.pk)
        messages.success(request, f"Enheten {unit.name} är borttagen.")
        return redirect("organisations:detail", organisation.pk)
    return render(
        request,
        "organisations/unit_delete.html",
        {"organisation": organisation, "unit": unit, "refusal": services.delete_refusal(unit)},
    )
