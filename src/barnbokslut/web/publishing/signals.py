"""Signals of publishing: ``publication_published(sender=Publication, publication=...)`` once a version's files
are built and it is published (``services.build_publication_files``, in the background worker).

``barnbokslut.web.notifications`` listens; publishing imports none of its listeners.
"""

from __future__ import annotations

from django.dispatch import Signal

publication_published = Signal()
