"""The audit log of an organisation (read-only, paginated, filterable) and the user's own account page.

The log has no edit or delete views: ``AuditEvent`` refuses updates and deletes in the model itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from barnbokslut.web.accounts import auditlog, services
from barnbokslut.web.accounts.forms import AuditFilterForm
from barnbokslut.web.accounts.models import AuditAction, Membership
from barnbokslut.web.accounts.permissions import require
from barnbokslut.web.organisations.models import Organisation


@login_required
@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    require(
        auditlog.can_read_log(request.user, organisation),
        "Bara administratörer och samordnare kan läsa granskningsloggen.",
    )
    events = auditlog.visible_events(request.user, organisation)
    members = [
        m.user
        for m in Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("user__username")
    ]
    form = AuditFilterForm(request.GET or None, users=members, actions=list(AuditAction.choices))
    if form.is_bound and form.is_valid():
        if action := form.cleaned_data.get("action"):
            events = events.filter(action=action)
        if (user_pk := form.cleaned_data.get("user")) is not None:
            events = events.filter(user_id=user_pk)
    page = Paginator(events, auditlog.PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "accounts/audit_log.html",
        {"organisation": organisation, "form": form, "page": page, "query": query.urlencode()},
    )


def _account_page(request: HttpRequest, form: PasswordChangeForm, status: int = 200) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("organisation")
        .prefetch_related("units")
        .order_by("organisation__name")
    )
    return render(request, "accounts/account.html", {"memberships": memberships, "form": form}, status=status)


@login_required
@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request, PasswordChangeForm(request.user))


@login_required
@require_POST
def password_change(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST)
    if not form.is_valid():
        return _account_page(request, form, status=400)
    services.change_own_password(request, form)
    messages.success(request, "Ditt lösenord är bytt.")
    return redirect("accounts:account")
