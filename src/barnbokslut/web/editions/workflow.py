"""Writing and reviewing sections: saves with optimistic locking, status changes, versions and drafts.

Views and the benchmark call these functions; each one checks permissions itself, so a crafted POST cannot get
past a view that forgot to. Every change goes through one conditional UPDATE::

    Section.objects.filter(pk=pk, version=base_version).update(version=F("version") + 1, ...)

so two saves started from the same version can never both win: on SQLite the write transactions are serialised
(``transaction_mode=IMMEDIATE``), on PostgreSQL the second UPDATE waits for the first row lock and then matches no
row. Every change, text or status, bumps ``version`` and adds a ``SectionVersion``; status changes are audited.

Status flow (``TRANSITIONS``)::

    Utkast ──submit──▶ Klar för granskning ──approve──▶ Godkänd
      ▲                    │      ▲                      │
      └── Återremitterad ◀─┘      └──────submit──────────┘ (send_back, with a required comment)

Choice: a Godkänd text is locked for everyone who writes (also coordinators). To change it, someone with the review
right sends it back (Godkänd → Återremitterad, comment required), which reopens it for writing. A text saved while
Klar för granskning stays Klar; approve and send back carry the version the reviewer read, so a reviewer never
approves a text they have not seen (the approval is refused as a conflict instead).

A submission, a return and a new writer are announced with the signals of ``signals.py``, sent inside the
change's transaction (``send_robust``: a listener's error never undoes the change); the notifications app
listens and e-mails the people concerned once the transaction commits.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from barnbokslut.report.markdown import to_text
from barnbokslut.web.accounts.audit import record
from barnbokslut.web.accounts.models import AuditAction, Membership, Role
from barnbokslut.web.accounts.permissions import (
    Action,
    can,
    can_review_section,
    can_write_section,
    require,
    require_open,
)
from barnbokslut.web.editions import signals
from barnbokslut.web.editions.models import Edition, Section, SectionDraft, SectionStatus, SectionVersion

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_BODY_CHARS = 100_000
MAX_COMMENT_CHARS = 5_000

#: name → (statuses it starts from, status it ends in, the permission it needs)
TRANSITIONS: dict[str, tuple[frozenset[str], str, Action]] = {
    "submit": (frozenset({SectionStatus.DRAFT, SectionStatus.RETURNED}), SectionStatus.READY, Action.WRITE),
    "approve": (frozenset({SectionStatus.READY}), SectionStatus.APPROVED, Action.REVIEW),
    "send_back": (
        frozenset({SectionStatus.READY, SectionStatus.APPROVED}),
        SectionStatus.RETURNED,
        Action.REVIEW,
    ),
}
#: Sections that count as late once their deadline has passed.
LATE_STATUSES = frozenset({SectionStatus.DRAFT, SectionStatus.RETURNED})
WRITING_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.WRITER)


class WorkflowError(Exception):
    """A request that cannot be carried out as asked; ``message`` is Swedish and shown to the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Conflict(WorkflowError):
    """The section moved on since the user loaded it; ``current`` is the section as it is now."""

    def __init__(self, current: Section) -> None:
        super().__init__(
            f"Avsnittet har ändrats sedan du öppnade det (nu version {current.version}). Inget har skrivits över."
        )
        self.current = current


@dataclass(frozen=True)
class Saved:
    section: Section
    changed: bool
    back_to_draft: bool = False


def rendered(markdown: str) -> SafeString:
    """Render a section's Markdown to sanitised HTML (the report's renderer, so every format agrees)."""
    return mark_safe(to_text(markdown).html)  # sanitised by report.markdown (nh3)


def normalise(body: str) -> str:
    return body.replace("\r\n", "\n").replace("\r", "\n")


def is_late(section: Section, today: datetime.date | None = None) -> bool:
    """True when the deadline has passed and the section is neither Klar för granskning nor Godkänd."""
    today = today or timezone.localdate()
    return section.deadline is not None and section.deadline < today and section.status in LATE_STATUSES


def edition_is_open(edition: Edition) -> bool:
    return edition.state == Edition.State.OPEN


def can_view(user: Any, section: Section) -> bool:
    return can(user, Action.VIEW, section.edition.organisation)


def can_edit_text(user: Any, section: Section) -> bool:
    """May ``user`` change the text now: a writer of the section, edition open, section not approved."""
    return (
        edition_is_open(section.edition)
        and section.status != SectionStatus.APPROVED
        and can_write_section(user, section)
    )


def can_transition(user: Any, section: Section, name: str) -> bool:
    """May ``user`` apply transition ``name`` to ``section`` in its current status?"""
    sources, _target, action = TRANSITIONS[name]
    if section.status not in sources or not edition_is_open(section.edition):
        return False
    if action == Action.WRITE:
        return can_write_section(user, section)
    return can_review_section(user, section)


def _require_writer(user: Any, section: Section, base_version: int | None = None) -> None:
    require(can_view(user, section))
    require_open(section.edition)
    require(can_write_section(user, section), "Du får inte skriva i det här avsnittet.")
    if base_version is not None and section.version != base_version:
        # Checked before the lock: a writer whose section was approved meanwhile gets the conflict view, text kept.
        raise Conflict(_fresh(section.pk))
    require(
        section.status != SectionStatus.APPROVED,
        "Avsnittet är godkänt och låst. Be en granskare återremittera det om texten behöver ändras.",
    )


def _clean_body(body: str) -> str:
    body = normalise(body)
    if len(body) > MAX_BODY_CHARS:
        raise WorkflowError(
            f"Texten är för lång ({len(body)} tecken). Den får vara högst {MAX_BODY_CHARS} tecken."
        )
    return body


def _apply(
    section: Section,
    user: Any,
    *,
    base_version: int,
    note: str,
    body: str | None = None,
    status: str | None = None,
    comment: str | None = None,
    request: HttpRequest | None = None,
) -> Section:
    """Change ``section`` if it is still at ``base_version``; add a version, clear the user's draft, audit."""
    with transaction.atomic():
        current = Section.objects.select_related("edition__organisation", "unit").get(pk=section.pk)
        if current.version != base_version:
            raise Conflict(_fresh(section.pk))
        changes: dict[str, Any] = {}
        if body is not None:
            changes["body"] = body
            if body != current.body:
                changes["carried_over"] = False
        if status is not None:
            changes["status"] = status
        if comment is not None:
            changes["reviewer_comment"] = comment
        updated = Section.objects.filter(pk=section.pk, version=base_version).update(
            version=F("version") + 1, updated_at=timezone.now(), updated_by=user, **changes
        )
        if updated != 1:
            raise Conflict(_fresh(section.pk))
        if base_version == 0 and current.body and not current.versions.filter(number=0).exists():
            # Text carried over from last year (or seeded) has no version yet: keep it, so the first diff is real.
            SectionVersion.objects.create(
                section=current,
                number=0,
                body=current.body,
                status=current.status,
                note="Text före första sparningen",
            )
        new_status = status or current.status
        SectionVersion.objects.create(
            section=current,
            number=base_version + 1,
            body=body if body is not None else current.body,
            status=new_status,
            author=user,
            note=note[:200],
        )
        SectionDraft.objects.filter(section=current, user=user).delete()
        if body is not None and body != current.body:
            record(
                AuditAction.SECTION_SAVED,
                f"{current}: sparade texten (version {base_version + 1}, {len(body)} tecken)",
                request=request,
                user=user,
                organisation=current.edition.organisation,
                obj=current,
            )
        if new_status != current.status:
            record(
                AuditAction.STATUS_CHANGED,
                f"{current}: {SectionStatus(current.status).label} → {SectionStatus(new_status).label}",
                request=request,
                user=user,
                organisation=current.edition.organisation,
                obj=current,
            )
    return _fresh(section.pk)


def _fresh(pk: int) -> Section:
    return Section.objects.select_related("edition__organisation", "unit", "writer", "updated_by").get(pk=pk)


def save(
    section: Section, user: Any, *, body: str, base_version: int, request: HttpRequest | None = None
) -> Saved:
    """Save new text started from ``base_version``; raise ``Conflict`` if someone saved in between.

    An unchanged text adds no version (but still clears the user's draft). A changed text of a section that is
    Klar för granskning goes back to Utkast (issue 13, item 7): the reviewer would otherwise approve a text other
    than the one submitted. ``base_version`` pins the status: a status change bumps the version, so a section
    submitted in between is a ``Conflict``.
    """
    _require_writer(user, section, base_version)
    body = _clean_body(body)
    if section.version == base_version and body == section.body:
        SectionDraft.objects.filter(section=section, user=user).delete()
        return Saved(section, changed=False)
    back_to_draft = section.status == SectionStatus.READY
    saved = _apply(
        section, user, base_version=base_version, body=body,
        status=SectionStatus.DRAFT if back_to_draft else None,
        note="Sparad, tillbaka till Utkast" if back_to_draft else "Sparad", request=request,
    )  # fmt: skip
    return Saved(saved, True, back_to_draft=back_to_draft)


def submit(
    section: Section, user: Any, *, body: str, base_version: int, request: HttpRequest | None = None
) -> Section:
    """Save the text and send it for review (Utkast/Återremitterad → Klar för granskning) in one version."""
    _require_writer(user, section, base_version)
    if not can_transition(user, section, "submit"):
        raise WorkflowError(
            f"Ett avsnitt med status {section.get_status_display()} kan inte skickas till granskning."
        )
    body = _clean_body(body)
    with transaction.atomic():
        submitted = _apply(
            section, user, base_version=base_version, body=body, status=SectionStatus.READY,
            note="Skickad till granskning", request=request,
        )  # fmt: skip
        signals.section_submitted.send_robust(sender=Section, section=submitted, by=user)
    return submitted


def _require_reviewer(user: Any, section: Section, name: str, base_version: int) -> None:
    require(can_view(user, section))
    require_open(section.edition)
    require(can_review_section(user, section), "Du får inte granska det här avsnittet.")
    if section.version != base_version:
        # The text changed since the reviewer read it (and may have gone back to Utkast): say that first.
        raise Conflict(_fresh(section.pk))
    if not can_transition(user, section, name):
        raise WorkflowError(
            f"Ett avsnitt med status {section.get_status_display()} kan inte granskas just nu."
        )


def approve(section: Section, user: Any, *, base_version: int, request: HttpRequest | None = None) -> Section:
    """Approve the text the reviewer read (Klar för granskning → Godkänd)."""
    _require_reviewer(user, section, "approve", base_version)
    with transaction.atomic():
        approved = _apply(
            section, user, base_version=base_version, status=SectionStatus.APPROVED, comment="",
            note="Godkänd", request=request,
        )  # fmt: skip
        signals.section_approved.send_robust(sender=Section, section=approved, by=user)
    return approved


def send_back(
    section: Section, user: Any, *, base_version: int, comment: str, request: HttpRequest | None = None
) -> Section:
    """Return the section to its writer with a comment (Klar för granskning or Godkänd → Återremitterad)."""
    _require_reviewer(user, section, "send_back", base_version)
    comment = normalise(comment).strip()
    if not comment:
        raise WorkflowError("Skriv en kommentar till skribenten om vad som behöver ändras.")
    if len(comment) > MAX_COMMENT_CHARS:
        raise WorkflowError(f"Kommentaren får vara högst {MAX_COMMENT_CHARS} tecken.")
    with transaction.atomic():
        returned = _apply(
            section, user, base_version=base_version, status=SectionStatus.RETURNED, comment=comment,
            note=f"Återremitterad: {comment}", request=request,
        )  # fmt: skip
        signals.section_returned.send_robust(sender=Section, section=returned, by=user, comment=comment)
    return returned


def draft_for(section: Section, user: Any) -> SectionDraft | None:
    """The user's unsaved server draft of ``section``, if it differs from the saved text."""
    if not getattr(user, "is_authenticated", False):
        return None
    draft = SectionDraft.objects.filter(section=section, user=user).first()
    if draft is None or (draft.body == section.body and draft.base_version == section.version):
        return None
    return draft


def save_draft(section: Section, user: Any, *, body: str, base_version: int) -> SectionDraft:
    """Keep what the user typed but has not saved (autosave); one draft per user and section."""
    _require_writer(user, section)
    body = _clean_body(body)
    draft, _created = SectionDraft.objects.update_or_create(
        section=section, user=user, defaults={"body": body, "base_version": base_version}
    )
    return draft


def discard_draft(section: Section, user: Any) -> None:
    require(can_view(user, section))
    require_open(section.edition)
    SectionDraft.objects.filter(section=section, user=user).delete()


def writer_choices(edition: Edition) -> list[Any]:
    """Users who may be assigned as writer: the organisation's writers, coordinators and administrators."""
    writing = Membership.objects.filter(organisation=edition.organisation, role__in=WRITING_ROLES)
    users = get_user_model().objects.filter(pk__in=writing.values("user_id"))
    return list(users.order_by("first_name", "last_name", "username"))


def _assign(
    section: Section, user: Any, *, writer: Any | None, deadline: datetime.date | None
) -> tuple[Section, bool]:
    """Set writer and deadline; return the section as it is now and whether it got a new writer."""
    organisation = section.edition.organisation
    require(
        can(user, Action.MANAGE, organisation), "Bara samordnare och administratörer kan fördela avsnitt."
    )
    require_open(section.edition)
    if writer is not None and writer.pk not in {u.pk for u in writer_choices(section.edition)}:
        raise WorkflowError("Den valda skribenten är inte med i organisationen som skribent.")
    before = Section.objects.filter(pk=section.pk).values_list("writer_id", flat=True).first()
    Section.objects.filter(pk=section.pk).update(writer=writer, deadline=deadline)
    return _fresh(section.pk), writer is not None and writer.pk != before


def assign(section: Section, user: Any, *, writer: Any | None, deadline: datetime.date | None) -> Section:
    """Set the section's writer and deadline (coordinators and administrators).

    A new writer is announced with ``signals.sections_assigned`` (the notifications app e-mails them)."""
    with transaction.atomic():
        assigned, new_writer = _assign(section, user, writer=writer, deadline=deadline)
        if new_writer:
            signals.sections_assigned.send_robust(sender=Section, sections=[assigned], by=user)
    return assigned


def assign_many(choices: list[tuple[Section, Any | None, datetime.date | None]], user: Any) -> list[Section]:
    """Set (section, writer, deadline) for every section, all or nothing (the board's bulk assignment).

    The sections that got a new writer are announced in one ``signals.sections_assigned``, so a writer assigned
    ten sections at once gets one message."""
    with transaction.atomic():
        done = [
            _assign(section, user, writer=writer, deadline=deadline) for section, writer, deadline in choices
        ]
        newly = [section for section, new_writer in done if new_writer]
        if newly:
            signals.sections_assigned.send_robust(sender=Section, sections=newly, by=user)
    return [section for section, _new in done]
