"""The coordinator's board: every section of an edition with status, writer, deadline and who is late.

Who sees it: administrators and coordinators (and may set writer and deadline per section), reviewers (read
only) and writers; everyone but a manager sees only the sections they may write or review (a granskare without
units reviews them all; a writer's list is their own to-do list). Readers get 403.
Filters are GET parameters: ``status`` (a SectionStatus value), ``enhet`` (a unit id, or ``fria`` for the free
sections) and ``forsenade=1``. A manager sets writer and deadline one row at a time (``section_assign``, back to
that row) or for every ticked row at once (``board_assign``, all or nothing).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any
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
from barnbokslut.web.accounts.permissions import (
    Action,
    can,
    can_review_section,
    can_write_section,
    require,
    require_open,
)
from barnbokslut.web.editions import workflow
from barnbokslut.web.editions.models import UNIT_KINDS, Edition, Section, SectionKind, SectionStatus
from barnbokslut.web.editions.services import ensure_sections

FREE = "fria"
#: The query parameter naming the row just saved (shown as "Sparat" in that row).
SAVED = "sparat"
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
        "saved": int(saved) if (saved := request.GET.get(SAVED, "")).isdigit() else None,
    }
    return render(request, "editions/board/board.html", context)


def _back_to_board(
    request: HttpRequest, edition: Edition, anchor: str = "", saved: int | None = None
) -> HttpResponse:
    """Back to the board with its filters, at ``anchor`` (the row just saved, or the bulk form); ``saved`` is the
    section whose row says "Sparat" (the messages at the top of the page are out of sight there)."""
    url = reverse("editions:board", args=[edition.pk])
    # Only our own filter keys travel back, so the redirect cannot be pointed anywhere else.
    kept = {k: v for k, v in _filters(QueryDict(request.POST.get("tillbaka", ""))).items() if v}
    if saved is not None:
        kept[SAVED] = str(saved)
    query = f"?{urlencode(kept)}" if kept else ""
    return redirect(f"{url}{query}{'#' + anchor if anchor else ''}")


def _name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user else "ingen skribent"


def _audit_assignment(request: HttpRequest, section: Section) -> None:
    deadline = format_date_sv(section.deadline) if section.deadline else "inget datum"
    record(
        AuditAction.ASSIGNED,
        f"{section}: skribent {_name(section.writer)}, senast klar {deadline}",
        request=request,
        organisation=section.edition.organisation,
        obj=section,
    )


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
            return _back_to_board(request, section.edition, f"avsnitt-{section.pk}")
    raw_deadline = request.POST.get("deadline", "").strip()
    try:
        deadline = datetime.date.fromisoformat(raw_deadline) if raw_deadline else None
    except ValueError:
        messages.error(request, f"Datumet {raw_deadline!r} går inte att läsa. Skriv det som ÅÅÅÅ-MM-DD.")
        return _back_to_board(request, section.edition, f"avsnitt-{section.pk}")
    anchor = f"avsnitt-{section.pk}"
    try:
        section = workflow.assign(section, request.user, writer=writer, deadline=deadline)
    except workflow.WorkflowError as exc:
        messages.error(request, exc.message)
        return _back_to_board(request, section.edition, anchor)
    _audit_assignment(request, section)
    deadline_text = format_date_sv(section.deadline) if section.deadline else "inget datum"
    messages.success(request, f"{section}: {_name(section.writer)}, senast klar {deadline_text}.")
    return _back_to_board(request, section.edition, anchor, saved=section.pk)


class _Refused(Exception):
    """A bulk assignment that changes nothing, with the Swedish reason."""


@login_required
@require_POST
def board_assign(request: HttpRequest, edition_pk: int) -> HttpResponse:
    """Set the writer, the deadline or both for every section ticked on the board, all or nothing.

    ``avsnitt`` lists the section ids; ``skribent`` is empty (keep each section's writer), ``ingen`` (no writer)
    or a user id; ``senast_klar`` is empty (keep each deadline) or an ISO date."""
    edition = get_object_or_404(Edition.objects.select_related("organisation"), pk=edition_pk)
    require(can(request.user, Action.VIEW, edition.organisation))
    require(
        can(request.user, Action.MANAGE, edition.organisation),
        "Bara samordnare och administratörer kan fördela avsnitt.",
    )
    require_open(edition)
    try:
        sections, writer, keep_writer, deadline = _bulk_choice(request, edition)
        changed = workflow.assign_many(
            [
                (section, section.writer if keep_writer else writer, deadline or section.deadline)
                for section in sections
            ],
            request.user,
        )
    except _Refused as exc:
        messages.error(request, str(exc))
        return _back_to_board(request, edition, "fordela-valda")
    except workflow.WorkflowError as exc:
        messages.error(request, f"Inget avsnitt ändrades: {exc.message}")
        return _back_to_board(request, edition, "fordela-valda")
    for section in changed:
        _audit_assignment(request, section)
    parts = [] if keep_writer else [f"skribent {_name(writer)}"]
    if deadline:
        parts.append(f"senast klar {format_date_sv(deadline)}")
    count = len(changed)
    messages.success(request, f"{count} avsnitt fick {' och '.join(parts)}.")
    return _back_to_board(request, edition, "fordela-valda")


def _bulk_choice(
    request: HttpRequest, edition: Edition
) -> tuple[list[Section], Any | None, bool, datetime.date | None]:
    """The ticked sections of ``edition``, the writer (and whether to keep each one's), the deadline or None."""
    ids = request.POST.getlist("avsnitt")
    if not ids:
        raise _Refused("Kryssa i minst ett avsnitt att fördela.")
    if not all(i.isdigit() for i in ids):
        raise _Refused("Ett av de valda avsnitten går inte att läsa. Ladda om tavlan och försök igen.")
    wanted = {int(i) for i in ids}
    sections = list(
        edition.sections.filter(pk__in=wanted).select_related("edition__organisation", "unit", "writer")
    )
    if len(sections) != len(wanted):
        raise _Refused("Något av de valda avsnitten hör inte till den här årgången. Ladda om tavlan.")
    raw_writer = request.POST.get("skribent", "")
    keep_writer, writer = raw_writer == "", None
    if raw_writer not in ("", "ingen"):
        writer = get_user_model().objects.filter(pk=raw_writer).first() if raw_writer.isdigit() else None
        if writer is None:
            raise _Refused("Den valda skribenten finns inte.")
    raw_deadline = request.POST.get("senast_klar", "").strip()
    try:
        deadline = datetime.date.fromisoformat(raw_deadline) if raw_deadline else None
    except ValueError:
        raise _Refused(f"Datumet {raw_deadline!r} går inte att läsa. Skriv det som ÅÅÅÅ-MM-DD.") from None
    if keep_writer and deadline is None:
        raise _Refused("Välj en skribent, ett datum eller båda för de valda avsnitten.")
    sections.sort(key=_sort_key)
    return sections, writer, keep_writer, deadline
