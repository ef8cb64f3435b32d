"""Signals of the writing workflow, sent by ``workflow.py`` after a change is written (inside its transaction).

Other apps listen without the editions app knowing them (``barnbokslut.web.notifications`` e-mails the people
concerned): the editions app imports none of its listeners, so no import circle arises.

- ``sections_assigned(sender=Section, sections=[...], by=user)``: these sections got a new writer (each section's
  ``writer`` is the new one); one signal for a whole bulk assignment on the board.
- ``section_submitted(sender=Section, section=..., by=user)``: the section is Klar för granskning.
- ``section_returned(sender=Section, section=..., by=user, comment=...)``: the reviewer sent it back.
- ``section_approved(sender=Section, section=..., by=user)``: the reviewer approved it (Godkänd).
"""

from __future__ import annotations

from django.dispatch import Signal

sections_assigned = Signal()
section_submitted = Signal()
section_returned = Signal()
section_approved = Signal()
