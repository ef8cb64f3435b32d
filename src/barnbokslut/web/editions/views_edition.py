"""The edition dashboard and "Ny årgång": thin views over ``services`` and the permission checks.

``edition_for(request, pk, action)`` is how every edition page of this app loads its edition: 404 for an
unknown edition, 403 unless the user's role in the edition's organisation allows ``action``.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from barnbokslut.web.accounts.models import Role
from barnbokslut.web.accounts.permissions import Action, can, memberships, require, require_open
from barnbokslut.web.editions.forms import NewEditionForm
from barnbokslut.web.editions.models import Edition, Section, SectionStatus
from barnbokslut.web.editions.services import (
    EditionExistsError,
    default_preset,
    ensure_sections,
    next_year,
    start_edition,
)
from barnbokslut.web.organisations.models import Organisation

__all__ = ["detail", "edition_for", "edition_links", "maybe_reverse", "new_edition"]


def edition_for(
    request: HttpRequest, pk: int, action: Action = Action.VIEW, *, write: bool = False
) -> Edition:
    """The edition ``pk`` if the user may do ``action`` in its organisation (404 unknown, 403 not allowed);
    ``write=True``: only while it is open (``require_open``, 403 once it is closed)."""
    edition = get_object_or_404(Edition.objects.select_related("organisation", "previous"), pk=pk)
    require(can(request.user, action, edition.organisation))
    if write:
        require_open(edition)
    return edition


def maybe_reverse(name: str, *args: object) -> str | None:
    """``reverse(name, args)``, or ``None`` while another engineer's URL does not exist yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def edition_links(edition: Edition) -> dict[str, str]:
    """The addresses of the edition's pages, for the dashboard and the navigation of every edition page."""
    pk = edition.pk
    return {
        "detail": reverse("editions:detail", args=[pk]),
        "board": maybe_reverse("editions:board", pk) or f"/arsgang/{pk}/tavla/",
        "follow_up": reverse("editions:follow_up", args=[pk]),
        "development": reverse("editions:development", args=[pk]),
        "indicators": reverse("editions:indicators", args=[pk]),
        "local_data": maybe_reverse("localdata:list", pk) or f"/arsgang/{pk}/lokala-data/",
        "preview": maybe_reverse("publishing:preview", pk) or f"/arsgang/{pk}/forhandsgranska/",
        "publish": maybe_reverse("publishing:publish", pk) or f"/arsgang/{pk}/publicera/",
    }


def _section_url(section: Section) -> str | None:
    for name in ("editions:section", "editions:section_edit"):
        if url := maybe_reverse(name, section.pk):
            return url
    return None


def _my_sections(request: HttpRequest, edition: Edition) -> list[Section] | None:
    """The user's sections (assigned to them, or of the units they write for); ``None`` if not a writer."""
    found = memberships(request.user, edition.organisation)
    if not found:
        return None
    writes = [m for m in found if m.role == Role.WRITER]
    units = [u.pk for m in writes for u in m.units.all()]
    sections = list(
        edition.sections.filter(Q(writer=request.user) | Q(unit__in=units)).select_related("unit", "writer")
    )
    if not sections and not writes:
        return None
    today = timezone.localdate()
    for section in sections:
        section.url = _section_url(section)  # type: ignore[attr-defined]
        section.is_late = _is_late(section, today)  # type: ignore[attr-defined]
    return sections


def _is_late(section: Section, today: date) -> bool:
    return (
        section.deadline is not None and section.deadline < today and section.status != SectionStatus.APPROVED
    )


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The dashboard of one edition: progress, the edition's pages, and the user's own sections."""
    edition = edition_for(request, pk)
    ensure_sections(edition)
    counts = {
        row["status"]: row["n"]
        for row in edition.sections.order_by().values("status").annotate(n=Count("id"))
    }
    total = sum(counts.values())
    today = timezone.localdate()
    late = edition.sections.filter(deadline__lt=today).exclude(status=SectionStatus.APPROVED).count()
    progress = [
        {"value": status.value, "label": status.label, "count": counts.get(status.value, 0)}
        for status in SectionStatus
    ]
    approved = counts.get(SectionStatus.APPROVED.value, 0)
    latest_refresh = edition.refreshes.first()
    context = {
        "edition": edition,
        "links": edition_links(edition),
        "progress": progress,
        "total": total,
        "approved": approved,
        "approved_percent": round(100 * approved / total) if total else 0,
        "late": late,
        "follow_up_count": edition.follow_ups.count(),
        "development_count": edition.development_areas.count(),
        "indicator_count": edition.indicators.count(),
        "latest_refresh": latest_refresh,
        "my_sections": _my_sections(request, edition),
        "can_manage": can(request.user, Action.MANAGE, edition.organisation),
    }
    return render(request, "editions/edition/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def new_edition(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Start a new edition from last year's (coordinator, administrator)."""
    organisation = get_object_or_404(Organisation, pk=org_pk)
    require(
        can(request.user, Action.MANAGE, organisation),
        "Bara samordnare och administratörer kan skapa en årgång.",
    )
    previous = organisation.editions.order_by("-year").first()
    form = NewEditionForm(
        request.POST if request.method == "POST" else None,
        initial={"year": next_year(organisation), "mall": default_preset(organisation)},
        first=previous is None,
    )
    if request.method == "POST" and form.is_valid():
        year = form.cleaned_data["year"]
        try:
            edition = start_edition(
                organisation, year, request.user, request=request, preset=form.cleaned_data.get("mall")
            )
        except EditionExistsError as exc:
            form.add_error("year", str(exc))
        else:
            source = f" från årgång {edition.previous.year}" if edition.previous else ""
            messages.success(request, f"Årgång {year} är skapad{source}.")
            return redirect("editions:detail", pk=edition.pk)
    status = 400 if request.method == "POST" else 200
    context = {"organisation": organisation, "form": form, "previous": previous}
    return render(request, "editions/edition/new.html", context, status=status)
