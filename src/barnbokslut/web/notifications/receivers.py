"""The listeners: each turns a signal of the editions or publishing app into Swedish messages for later.

Every listener only composes and queues (``tasks.deliver_later``, after the commit); an error is logged and
swallowed, so a notification can never undo or break what the user did.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from itertools import groupby
from typing import Any

from django.urls import reverse

from barnbokslut.numbers import format_date_sv
from barnbokslut.web.accounts.models import Membership, Role
from barnbokslut.web.accounts.permissions import reviewers_for
from barnbokslut.web.editions import signals as edition_signals
from barnbokslut.web.editions.models import Section, SectionStatus
from barnbokslut.web.notifications.mail import compose, link, name, section_link
from barnbokslut.web.notifications.tasks import deliver_later
from barnbokslut.web.publishing import signals as publishing_signals
from barnbokslut.web.publishing.models import Publication

logger = logging.getLogger(__name__)


def _logged(receiver: Callable[..., None]) -> Callable[..., None]:
    @functools.wraps(receiver)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("Aviseringen %s misslyckades", receiver.__name__)

    return wrapper


def _deadline(section: Section) -> str:
    return f", senast klart {format_date_sv(section.deadline)}" if section.deadline else ""


@_logged
def on_assigned(sender: Any, *, sections: list[Section], by: Any, **kwargs: Any) -> None:
    """One message per new writer, listing every section they got."""
    by_writer = groupby(sorted(sections, key=lambda s: (s.writer_id or 0, s.pk)), key=lambda s: s.writer)
    for writer, theirs in by_writer:
        got = list(theirs)
        edition = got[0].edition
        if len(got) == 1:
            subject = f"Du har fått avsnittet {got[0]} att skriva"
        else:
            subject = f"Du har fått {len(got)} avsnitt att skriva i {edition}"
        lines = "\n".join(f"- {section}{_deadline(section)}:\n  {section_link(section)}" for section in got)
        body = f"{name(by)} har gett dig avsnitt att skriva i {edition}:\n\n{lines}"
        deliver_later(compose([writer], subject, body, by=by))


def _writer_of(section: Section) -> list[Any]:
    """The section's writer, or else whoever last sent it for review."""
    if section.writer is not None:
        return [section.writer]
    last = section.versions.filter(status=SectionStatus.READY).select_related("author").order_by("-number")
    found = last.first()
    return [found.author] if found is not None and found.author is not None else []


@_logged
def on_returned(sender: Any, *, section: Section, by: Any, comment: str, **kwargs: Any) -> None:
    subject = f"Avsnittet {section} har återremitterats"
    body = (
        f"{name(by)} har skickat tillbaka avsnittet {section} i {section.edition} med den här kommentaren:\n\n"
        f"{comment}\n\nÄndra texten och skicka den till granskning igen här:\n{section_link(section)}"
    )
    deliver_later(compose(_writer_of(section), subject, body, by=by))


@_logged
def on_approved(sender: Any, *, section: Section, by: Any, **kwargs: Any) -> None:
    """The writer (or whoever sent it for review) hears that the text is approved; nothing more to do."""
    subject = f"Avsnittet {section} är godkänt"
    body = (
        f"{name(by)} har godkänt avsnittet {section} i {section.edition}. Du behöver inte göra något mer "
        f"med texten.\n\nAvsnittet:\n{section_link(section)}"
    )
    deliver_later(compose(_writer_of(section), subject, body, by=by))


@_logged
def on_submitted(sender: Any, *, section: Section, by: Any, **kwargs: Any) -> None:
    subject = f"Avsnittet {section} väntar på granskning"
    body = (
        f"{name(by)} har skickat avsnittet {section} i {section.edition} till granskning.\n\n"
        f"Läs och granska det här:\n{section_link(section)}"
    )
    deliver_later(compose(reviewers_for(section), subject, body, by=by))


@_logged
def on_published(sender: Any, *, publication: Publication, **kwargs: Any) -> None:
    edition = publication.edition
    coordinators = Membership.objects.filter(organisation=edition.organisation, role=Role.COORDINATOR)
    recipients = [m.user for m in coordinators.select_related("user").order_by("user__username")]
    about = link(reverse("publishing:public_about", kwargs={"public_id": publication.public_id}))
    subject = f"Version {publication.version} av {edition} är publicerad"
    body = (
        f"Version {publication.version} av {edition} är publicerad"
        f"{' av ' + name(publication.created_by) if publication.created_by else ''}.\n\n"
        f"Versionens sida med webbsidan, PDF, Word-filen och kontrollsummorna:\n{about}"
    )
    # The coordinator who pressed Publicera is told too: the build ran in the background.
    deliver_later(compose(recipients, subject, body))


def connect() -> None:
    """Connect the listeners (``NotificationsConfig.ready``); ``dispatch_uid`` keeps it to once each."""
    edition_signals.sections_assigned.connect(on_assigned, dispatch_uid="notifications.assigned")
    edition_signals.section_returned.connect(on_returned, dispatch_uid="notifications.returned")
    edition_signals.section_approved.connect(on_approved, dispatch_uid="notifications.approved")
    edition_signals.section_submitted.connect(on_submitted, dispatch_uid="notifications.submitted")
    publishing_signals.publication_published.connect(on_published, dispatch_uid="notifications.published")
