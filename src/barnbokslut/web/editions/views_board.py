"""The coordinator's board: every section of an edition with status, writer, deadline and who is late.

Who sees it: administrators and coordinators (and may set writer and deadline per section), reviewers (read
only) and writers; everyone but a manager sees only the sections they may write or review (a granskare without
units reviews them all; a writer's list is their own to-do list). Readers get 403.
Filters are GET parameters: ``status`` (a SectionStatus value), ``enhet`` (a unit id, or ``fria`` for the free
sections) and ``forsenade=1``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from barnbokslut.numbers import format_date_sv
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction
from barnbokslut.web.accounts.permissions import Action, can, can_review_section, can_write_section, require
from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import UNIT_KINDS, Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.editions.services import ensure_sections

FREE = "fria"
_KIND_ORDER = {kind: i for i, kind in enumerate(SectionKind.values)}


@dataclass
class Row:
    section: Section
    late: bool


@dataclass
class Group:
    label: str
    key: str
    rows: list[Row] = field(default_factory=list)


def _sort_key(section: Section) -> tuple[bool, int, str, int]:
    unit = section.unit
    return (
        unit is not None,
        unit.order if unit else 0,
        unit.name if unit else "",
        _KIND_ORDER.get(section.kind, 99),
    )


def _filters(params: QueryDict) -> dict[str, str]:
    """The board's filters from query parameters; anything unknown is dropped."""
    status = params.get("status", "")
    unit = params.get("enhet", "")
    return {
        "status": status if status in SectionStatus.values else "",
        "enhet": unit if unit == FREE or unit.isdigit() else "",
        "forsenade": "1" if params.get("forsenade") == "1" else "",
    }


def _matches(row: Row, filters: dict[str, str]) -> bool:
    section = row.section
    if filters["status"] and section.status != filters["status"]:
        return False
    if filters["enhet"] == FREE and section.unit_id is not None:
        return False
    if filters["enhet"].isdigit() and str(section.unit_id) != filters["enhet"]:
        return False
    return not (filters["forsenade"] and not row.late)


@login_required
@require_GET
def board(request: HttpRequest, edition_pk: int) -> HttpResponse:
    edition = get_object_or_404(Edition.objects.select_related("organisation"), pk=edition_pk)
    user, organisation = request.user, edition.organisation
    require(can(user, Action.VIEW, organisation))
    manages = can(user, Action.MANAGE, organisation)
    reviews = can(user, Action.REVIEW, organisation)
    require(manages or reviews or can(user, Action.WRITE, organisation), "Du har inte tillgång till tavlan.")
    writer_only = not (manages or reviews)
    # A granskare limited to some units, or a person who writes for one unit and reviews another, sees the
    # sections they may write or review; a granskare without units reviews (and sees) every section.
    ensure_sections(edition)

    today = timezone.localdate()
    sections = list(edition.sections.select_related("unit", "writer", "updated_by"))
    for section in sections:
        section.edition = edition  # permission checks read the organisation through it; saves a query per row
    if not manages:
        sections = [s for s in sections if can_write_section(user, s) or can_review_section(user, s)]
    sections.sort(key=_sort_key)
    rows = [Row(s, workflow.is_late(s, today)) for s in sections]
    filters = _filters(request.GET)

    groups: list[Group] = []
    for unit, members in groupby((r for r in rows if _matches(r, filters)), key=lambda r: r.section.unit):
        label = str(unit) if unit is not None else "Fria avsnitt och nulägesanalys för hela organisationen"
        groups.append(Group(label=label, key=str(unit.pk) if unit else FREE, rows=list(members)))

    units = sorted({s.unit for s in sections if s.unit is not None}, key=lambda u: (u.order, u.name))
    status_counts = [(status, sum(1 for s in sections if s.status == status)) for status in SectionStatus]
    context = {
        "edition": edition,
        "groups": groups,
        "late_count": sum(1 for r in rows if r.late),
        "total": len(rows),
        "shown": sum(len(g.rows) for g in groups),
        "status_counts": status_counts,
        "statuses": SectionStatus.choices,
        "units": units,
        "filters": filters,
        "filter_query": urlencode({k: v for k, v in filters.items() if v}),
        "can_assign": manages and workflow.edition_is_open(edition),
        "writer_only": writer_only,
        "writers": workflow.writer_choices(edition) if manages else [],
        "today": today,
        "unit_kinds": [str(kind) for kind in UNIT_KINDS],
    }
    return render(request, "editions/board/board.html", context)


def _back_to_board(request: HttpRequest, edition: Edition) -> HttpResponse:
    url = reverse("editions:board", args=[edition.pk])
    # Only our own filter keys travel back, so the redirect cannot be pointed anywhere else.
    kept = {k: v for k, v in _filters(QueryDict(request.POST.get("tillbaka", ""))).items() if v}
    return redirect(f"{url}?{urlencode(kept)}" if kept else url)


@login_required
@require_POST
def section_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """Set a section's writer and deadline from the board (coordinators and administrators)."""
    section = get_object_or_404(Section.objects.select_related("edition__organisation", "unit"), pk=pk)
    require(can(request.user, Action.VIEW, section.edition.organisation))
    writer_id = request.POST.get("writer", "")
    writer = None
    if writer_id:
        writer = get_user_model().objects.filter(pk=writer_id).first() if writer_id.isdigit() else None
        if writer is None:
            messages.error(request, "Den valda skribenten finns inte.")
            return _back_to_board(request, section.edition)
    raw_deadline = request.POST.get("deadline", "").strip()
    try:
        deadline = datetime.date.fromisoformat(raw_deadline) if raw_deadline else None
    except ValueError:
        messages.error(request, f"Datumet {raw_deadline!r} går inte att läsa. Skriv det som ÅÅÅÅ-MM-DD.")
        return _back_to_board(request, section.edition)
    try:
        section = workflow.assign(section, request.user, writer=writer, deadline=deadline)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        return _back_to_board(request, section.edition)
    who = (
        (section.writer.get_full_name() or section.writer.get_username())
        if section.writer
        else "ingen skribent"
    )
    record(
        AuditAction.ASSIGNED,
        f"{section}: skribent {who}, senast klar {section.deadline or 'inget datum'}",
        request=request,
        organisation=section.edition.organisation,
        obj=section,
    )
    deadline = format_date_sv(section.deadline) if section.deadline else "inget datum"
    messages.success(request, f"{section}: {who}, senast klar {deadline}.")
    return _back_to_board(request, section.edition)
