"""Users and roles of an organisation: list, create, change role, set units, (de)activate, reset password.

Only the organisation's administratör gets past ``_load`` (403 for everyone else, anonymous goes to login); the
services check again before every write. A new password is put in the session and shown once on the next page,
never in a cookie or the audit log.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.web.accounts import services
from barnbokslut.web.accounts.forms import MemberCreateForm, PasswordResetForm, RoleForm, UnitsForm
from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.organisations.services import flatten, unit_tree

SHOWN_PASSWORD = "barnbokslut_shown_password"


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    services.require_admin(request.user, organisation)
    return organisation


def _member(organisation: Organisation, user_pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user", "organisation").prefetch_related("units"),
        organisation=organisation,
        user_id=user_pk,
    )


def _show_password_once(request: HttpRequest, membership: Membership, password: str) -> None:
    request.session[SHOWN_PASSWORD] = {"user": membership.user_id, "password": password}


def _pop_password(request: HttpRequest, user_pk: int) -> str | None:
    shown = request.session.pop(SHOWN_PASSWORD, None)
    if shown and shown.get("user") == user_pk:
        return str(shown["password"])
    return None


def _detail_redirect(membership: Membership) -> HttpResponse:
    return redirect("accounts:member_detail", membership.organisation_id, membership.user_id)


@login_required
@require_GET
def members(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    memberships = (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .prefetch_related("units")
        .order_by("-user__is_active", "user__username")
    )
    return render(
        request, "accounts/members.html", {"organisation": organisation, "memberships": memberships}
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    form = MemberCreateForm(request.POST or None)
    units_form = UnitsForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid() and units_form.is_valid():
        data = form.cleaned_data
        membership, password = services.create_member(
            request,
            organisation,
            username=data["username"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            role=Role(data["role"]),
            units=units_form.cleaned_data["units"],
            password=data["password"],
        )
        if not data["password"]:
            _show_password_once(request, membership, password)
        messages.success(request, f"Användaren {membership.user.get_username()} är skapad.")
        return _detail_redirect(membership)
    context = {
        "organisation": organisation,
        "form": form,
        "units_form": units_form,
        "unit_nodes": flatten(unit_tree(organisation)),
        "selected_units": _selected(units_form, "units"),
    }
    status = 400 if form.errors or units_form.errors else 200
    return render(request, "accounts/member_create.html", context, status=status)


def _selected(form: Any, name: str) -> set[int]:
    raw = form.data.getlist(name) if form.is_bound else []
    return {int(value) for value in raw if str(value).isdigit()}


def _detail_page(
    request: HttpRequest,
    membership: Membership,
    *,
    role_form: RoleForm | None = None,
    units_form: UnitsForm | None = None,
    password_form: PasswordResetForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = membership.organisation
    shown_password = _pop_password(request, membership.user_id) if request.method == "GET" else None
    context = {
        "organisation": organisation,
        "membership": membership,
        "member": membership.user,
        "role_form": role_form or RoleForm(initial={"role": membership.role}),
        "units_form": units_form,
        "password_form": password_form or PasswordResetForm(user=membership.user),
        "unit_nodes": flatten(unit_tree(organisation)),
        "selected_units": _selected(units_form, "units")
        if units_form is not None
        else {unit.pk for unit in membership.units.all()},
        "shown_password": shown_password,
        "takeover_refusal": services.takeover_refusal(request.user, membership),
        "is_self": membership.user_id == request.user.pk,
    }
    response = render(request, "accounts/member_detail.html", context, status=status)
    if shown_password:
        add_never_cache_headers(response)
    return response


@login_required
@require_GET
def member_detail(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    return _detail_page(request, _member(organisation, user_pk))


@login_required
@require_POST
def member_role(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, membership, role_form=form, status=400)
    try:
        changed = services.change_role(request, membership, Role(form.cleaned_data["role"]))
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    if changed:
        messages.success(
            request,
            f"{membership.user.get_username()} har nu rollen {Role(form.cleaned_data['role']).label}.",
        )
    # Demoting yourself ends your right to this page.
    if not can(request.user, Action.MANAGE_USERS, organisation):
        return redirect("core:home")
    return _detail_redirect(membership)


@login_required
@require_POST
def member_units(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    form = UnitsForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _detail_page(request, membership, units_form=form, status=400)
    try:
        changed = services.set_units(request, membership, form.cleaned_data["units"])
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    messages.success(request, "Enheterna är sparade." if changed else "Enheterna är oförändrade.")
    return _detail_redirect(membership)


@login_required
@require_POST
def member_password(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    form = PasswordResetForm(request.POST, user=membership.user)
    if not form.is_valid():
        return _detail_page(request, membership, password_form=form, status=400)
    try:
        password = services.reset_password(request, membership, form.cleaned_data["password"])
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    if not form.cleaned_data["password"]:
        _show_password_once(request, membership, password)
    messages.success(request, f"Lösenordet för {membership.user.get_username()} är bytt.")
    return _detail_redirect(membership)


def _set_active(request: HttpRequest, pk: int, user_pk: int, active: bool) -> HttpResponse:
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    try:
        changed = services.set_active(request, membership, active)
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    if changed:
        state = "återaktiverad" if active else "inaktiverad och kan inte logga in"
        messages.success(request, f"{membership.user.get_username()} är {state}.")
    return _detail_redirect(membership)


@login_required
@require_POST
def member_deactivate(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    return _set_active(request, pk, user_pk, active=False)


@login_required
@require_POST
def member_activate(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    return _set_active(request, pk, user_pk, active=True)
