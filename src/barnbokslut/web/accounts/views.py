"""Users and roles of an organisation: list, create, set roles (several per person, with units), (de)activate,
reset password.

Only the organisation's administratör gets past ``_load`` (403 for everyone else, anonymous goes to login); the
services check again before every write. A new password is put in the session and shown once on the next page,
never in a cookie or the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from barnbokslut.web.accounts import services
from barnbokslut.web.accounts.forms import (
    ROLE_UNITS,
    MemberCreateForm,
    MemberDetailsForm,
    PasswordResetForm,
    RolesForm,
    UnitsForm,
)
from barnbokslut.web.accounts.models import Membership, Role, by_role_order, roles_label
from barnbokslut.web.accounts.permissions import Action, can
from barnbokslut.web.organisations.models import Organisation
from barnbokslut.web.organisations.services import flatten, unit_tree

SHOWN_PASSWORD = "barnbokslut_shown_password"


def _organisation(request: HttpRequest, pk: int) -> Organisation:
    organisation = get_object_or_404(Organisation, pk=pk)
    services.require_admin(request.user, organisation)
    return organisation


def _memberships(organisation: Organisation, user_pk: int) -> list[Membership]:
    """The member's memberships (one per role), most privileged first; 404 when not a member here."""
    found = by_role_order(
        Membership.objects.select_related("user", "organisation")
        .prefetch_related("units")
        .filter(organisation=organisation, user_id=user_pk)
    )
    if not found:
        raise Http404("Användaren är inte med i organisationen.")
    return found


def _member(organisation: Organisation, user_pk: int) -> Membership:
    """The member's most privileged membership: it stands for the person (user, organisation, admin or not)."""
    return _memberships(organisation, user_pk)[0]


@dataclass(frozen=True)
class RoleChoice:
    """One role's checkbox on the member page, with its units' checkboxes for skribent and granskare."""

    value: str
    label: str
    checked: bool
    units_name: str = ""
    legend: str = ""
    selected_units: frozenset[int] = frozenset()
    errors: list[str] | None = None


def _role_choices(memberships: list[Membership], form: RolesForm | None) -> list[RoleChoice]:
    held = {m.role: {unit.pk for unit in m.units.all()} for m in memberships}
    choices = []
    for role in Role:
        units_name, legend = ROLE_UNITS.get(role, ("", ""))
        if form is not None and form.is_bound:
            checked = role.value in form.data.getlist("roles")
            selected = _selected(form, units_name) if units_name else set()
        else:
            checked, selected = role.value in held, held.get(role.value, set())
        errors = list(form.errors.get(units_name, [])) if form is not None and units_name else None
        choices.append(
            RoleChoice(role.value, role.label, checked, units_name, legend, frozenset(selected), errors)
        )
    return choices


@dataclass(frozen=True)
class Person:
    """One row of the member list: the user and all their roles here ("Skribent (BOU), Granskare (SVF)")."""

    user: Any
    roles: str


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
        .order_by("-user__is_active", "user__username", "user_id")
    )
    people = [
        Person(group[0].user, roles_label(group))
        for _pk, grouped in groupby(memberships, key=lambda m: m.user_id)
        if (group := list(grouped))
    ]
    return render(request, "accounts/members.html", {"organisation": organisation, "people": people})


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
    roles_form: RolesForm | None = None,
    password_form: PasswordResetForm | None = None,
    details_form: MemberDetailsForm | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = membership.organisation
    memberships = _memberships(organisation, membership.user_id)
    shown_password = _pop_password(request, membership.user_id) if request.method == "GET" else None
    context = {
        "organisation": organisation,
        "membership": membership,
        "member": membership.user,
        "roles": roles_label(memberships),
        "roles_form": roles_form,
        "role_choices": _role_choices(memberships, roles_form),
        "password_form": password_form or PasswordResetForm(user=membership.user),
        "details_form": details_form or _details_form(membership),
        "unit_nodes": flatten(unit_tree(organisation)),
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
def member_roles(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Save all the member's roles at once: the ticked roles, and the units of skribent and granskare."""
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    form = RolesForm(request.POST, organisation=organisation)
    if not form.is_valid():
        return _detail_page(request, membership, roles_form=form, status=400)
    try:
        changed = services.set_roles(request, organisation, membership.user, form.chosen())
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    if changed:
        now = _memberships(organisation, user_pk)
        noun = "rollen" if len(now) == 1 else "rollerna"
        messages.success(request, f"{membership.user.get_username()} har nu {noun} {roles_label(now)}.")
    else:
        messages.success(request, "Rollerna är oförändrade.")
    # Giving up your own admin role ends your right to this page.
    if not can(request.user, Action.MANAGE_USERS, organisation):
        return redirect("core:home")
    return _detail_redirect(membership)


def _details_form(membership: Membership) -> MemberDetailsForm:
    user = membership.user
    initial = {"first_name": user.first_name, "last_name": user.last_name, "email": user.email}
    return MemberDetailsForm(initial=initial, user=user)


@login_required
@require_POST
def member_details(request: HttpRequest, pk: int, user_pk: int) -> HttpResponse:
    """Save the member's first name, last name and e-mail (a valid address no other account has)."""
    organisation = _organisation(request, pk)
    membership = _member(organisation, user_pk)
    form = MemberDetailsForm(request.POST, user=membership.user)
    if not form.is_valid():
        return _detail_page(request, membership, details_form=form, status=400)
    try:
        changed = services.set_details(request, membership, **form.cleaned_data)
    except services.MemberError as exc:
        messages.error(request, exc.message)
        return _detail_redirect(membership)
    done = "är sparade" if changed else "är oförändrade"
    messages.success(request, f"Uppgifterna för {membership.user.get_username()} {done}.")
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
