"""The work lists on the home page: what a person has to write, to review, and (for coordinators) what is late.

One function per list, each over the organisation's open editions and with the same permission rules as the
board and the workflow (``can_write_section``, ``can_review_section``), so a list never shows a section its
reader could not open:

- **Att skriva**: sections the person writes (assigned to them, or of their units with nobody assigned) that
  are Utkast or Återremitterad; returned ones first, then by deadline.
- **Att granska**: sections Klar för granskning that the person may approve or send back, oldest first.
- **Försenat**: for those who manage the organisation, every section past its deadline and not yet submitted.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from barnbokslut.web.accounts.permissions import Action, can, can_review_section, can_write_section
from barnbokslut.web.editions.models import Edition, Section, SectionStatus
from barnbokslut.web.editions.workflow import LATE_STATUSES, is_late
from barnbokslut.web.organisations.models import Organisation

#: How many rows each list shows before pointing to the board for the rest.
LIST_LIMIT = 10


@dataclass(frozen=True)
class WorkItem:
    section: Section
    late: bool


@dataclass(frozen=True)
class WorkList:
    """One list: its items (at most ``LIST_LIMIT``) and how many there are in all."""

    items: list[WorkItem]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class WorkLists:
    to_write: WorkList | None
    to_review: WorkList | None
    late: WorkList | None
    board: Edition | None

    @property
    def any(self) -> bool:
        return any(lst is not None for lst in (self.to_write, self.to_review, self.late))


def _open_sections(organisation: Organisation, statuses: frozenset[str] | set[str]) -> list[Section]:
    return list(
        Section.objects.filter(
            edition__organisation=organisation, edition__state=Edition.State.OPEN, status__in=statuses
        ).select_related("edition__organisation", "unit", "writer")
    )


def _listed(sections: list[Section], today: datetime.date) -> WorkList:
    items = [WorkItem(section, is_late(section, today)) for section in sections]
    return WorkList(items=items[:LIST_LIMIT], total=len(items))


def _far(date: datetime.date | None) -> datetime.date:
    return date or datetime.date.max


def to_write(user: Any, organisation: Organisation, today: datetime.date) -> WorkList | None:
    """Sections waiting for ``user``'s text, or None when the user does not write in ``organisation``."""
    if not can(user, Action.WRITE, organisation):
        return None
    sections = [
        s
        for s in _open_sections(organisation, LATE_STATUSES)
        if (s.writer_id == user.pk or s.writer_id is None) and can_write_section(user, s)
    ]
    manages = can(user, Action.MANAGE, organisation)
    if manages:
        # A coordinator may write everything; their own list is what is assigned to them by name.
        sections = [s for s in sections if s.writer_id == user.pk]
    sections.sort(
        key=lambda s: (s.status != SectionStatus.RETURNED, _far(s.deadline), s.edition.year, str(s))
    )
    return _listed(sections, today)


def to_review(user: Any, organisation: Organisation, today: datetime.date) -> WorkList | None:
    """Sections Klar för granskning that ``user`` may review, or None when the user does not review."""
    if not can(user, Action.REVIEW, organisation):
        return None
    sections = [s for s in _open_sections(organisation, {SectionStatus.READY}) if can_review_section(user, s)]
    sections.sort(key=lambda s: (s.updated_at, str(s)))
    return _listed(sections, today)


def late(user: Any, organisation: Organisation, today: datetime.date) -> WorkList | None:
    """Every late section of the organisation, for those who manage it; None for everyone else."""
    if not can(user, Action.MANAGE, organisation):
        return None
    sections = [s for s in _open_sections(organisation, LATE_STATUSES) if is_late(s, today)]
    sections.sort(key=lambda s: (_far(s.deadline), str(s)))
    return _listed(sections, today)


def work_lists(user: Any, organisation: Organisation, today: datetime.date) -> WorkLists:
    """All three lists for one organisation on the home page, and the open edition whose board has the rest."""
    board = organisation.editions.filter(state=Edition.State.OPEN).order_by("-year").first()
    return WorkLists(
        to_write=to_write(user, organisation, today),
        to_review=to_review(user, organisation, today),
        late=late(user, organisation, today),
        board=board,
    )
