"""The audit log of an organisation (read-only, paginated, filterable, exportable as CSV by administrators)
and the user's own account page: roles, password, and whether to get notifications by e-mail
(``accounts.Preferences``, read by ``barnbokslut.web.notifications``).

The log has no edit or delete views: ``AuditEvent`` refuses updates and deletes in the model itself.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from barnbokslut.web.accounts import auditlog, services
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.forms import AuditFilterForm
from barnbokslut.web.accounts.models import AuditAction, AuditEvent, Membership, Preferences, by_role_order
from barnbokslut.web.accounts.permissions import Action, can, require
from barnbokslut.web.organisations.models import Organisation


def _filtered_events(
    request: HttpRequest, organisation: Organisation
) -> tuple[QuerySet[AuditEvent], AuditFilterForm]:
    events = auditlog.visible_events(request.user, organisation)
    # A person with several roles has several memberships: one entry each in the filter.
    members = list(
        {
            m.user_id: m.user
            for m in Membership.objects.filter(organisation=organisation)
            .select_related("user")
            .order_by("user__username")
        }.values()
    )
    form = AuditFilterForm(request.GET or None, users=members, actions=list(AuditAction.choices))
    if form.is_bound and form.is_valid():
        if action := form.cleaned_data.get("action"):
            events = events.filter(action=action)
        if (user_pk := form.cleaned_data.get("user")) is not None:
            events = events.filter(user_id=user_pk)
    return events, form


@login_required
@require_GET
def audit_log(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation, pk=pk)
    require(
        auditlog.can_read_log(request.user, organisation),
        "Bara administratörer och samordnare kan läsa granskningsloggen.",
    )
    events, form = _filtered_events(request, organisation)
    page = Paginator(events, auditlog.PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "accounts/audit_log.html",
        {
            "organisation": organisation,
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "can_export": _can_export(request, organisation),
        },
    )


CSV_COLUMNS = ("Tid", "Användare", "Händelse", "Beskrivning", "Objekttyp", "Objekt-id", "IP-adress")
#: A cell starting with one of these is a formula to Excel: a description holds user text (a row's name).
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _can_export(request: HttpRequest, organisation: Organisation) -> bool:
    user = request.user
    return bool(user.is_authenticated and (user.is_superuser or can(user, Action.MANAGE_USERS, organisation)))


def _csv_cell(value: object) -> str:
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA):
        text = "'" + text
    if any(c in text for c in ';"\n\r'):
        text = '"' + text.replace('"', '""') + '"'
    return text


def _csv_line(values: tuple[object, ...]) -> str:
    return ";".join(_csv_cell(value) for value in values) + "\r\n"


@login_required
@require_GET
def audit_log_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    """The log as CSV (UTF-8 with BOM, semicolons, for Excel), with the page's filters; administrators only.
    Streamed in chunks of the query, so a long log costs no more memory than a short one."""
    organisation = get_object_or_404(Organisation, pk=pk)
    require(_can_export(request, organisation), "Bara administratörer kan exportera granskningsloggen.")
    events, _form = _filtered_events(request, organisation)
    record(
        AuditAction.AUDIT_EXPORTED,
        f"Exporterade granskningsloggen för {organisation.name} som CSV ({events.count()} händelser)",
        request=request,
        organisation=organisation,
    )
    labels = dict(AuditAction.choices)

    def lines():  # type: ignore[no-untyped-def]
        yield "\ufeff" + _csv_line(CSV_COLUMNS)
        for event in events.iterator(chunk_size=500):
            yield _csv_line(
                (
                    timezone.localtime(event.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                    event.username,
                    labels.get(event.action, event.action),
                    event.description,
                    event.object_type,
                    event.object_id,
                    event.ip,
                )
            )

    stamp = timezone.localdate().isoformat()
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="granskningslogg-{organisation.slug}-{stamp}.csv"'
    )
    return response


def _account_page(request: HttpRequest, form: PasswordChangeForm, status: int = 200) -> HttpResponse:
    # One row per role, grouped by organisation, the most privileged role first.
    memberships = sorted(
        by_role_order(
            Membership.objects.filter(user=request.user)
            .select_related("organisation")
            .prefetch_related("units")
        ),
        key=lambda m: (m.organisation.name, m.organisation_id),
    )
    preferences = Preferences.objects.filter(user=request.user).first() or Preferences(user=request.user)
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "form": form, "preferences": preferences},
        status=status,
    )


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


@login_required
@require_POST
def notifications_change(request: HttpRequest) -> HttpResponse:
    """Turn the user's own e-mail notifications on (the box ticked) or off (not ticked)."""
    wanted = request.POST.get("email_notifications") == "on"
    Preferences.objects.update_or_create(user=request.user, defaults={"email_notifications": wanted})
    if wanted:
        messages.success(request, "Du får aviseringar per e-post.")
    else:
        messages.success(request, "Du får inga aviseringar per e-post.")
    return redirect("accounts:account")
