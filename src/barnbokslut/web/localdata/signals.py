"""A new edition starts with last year's local tables (issue 13, item 5), marked "från förra året" until the
year's own file replaces them; the uploaded file's name and checksum go with them, so each figure still
traces to the file it came from."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from barnbokslut.web.editions.models import Edition
from barnbokslut.web.editions.services import edition_started
from barnbokslut.web.localdata.models import LocalTable

COPIED_FIELDS = (
    "title",
    "description",
    "unit",
    "chart",
    "source_filename",
    "sha256",
    "columns",
    "rows",
    "order",
)


@receiver(edition_started, dispatch_uid="localdata.copy_tables")
def copy_local_tables(
    sender: Any, edition: Edition, previous: Edition | None, user: Any = None, **kwargs: Any
) -> None:
    if previous is None:
        return
    for table in previous.local_tables.order_by("order", "id"):
        copy = LocalTable.objects.create(
            edition=edition,
            uploaded_by=table.uploaded_by,
            carried_over=True,
            **{name: getattr(table, name) for name in COPIED_FIELDS},
        )
        # the import date stays the file's own (auto_now_add set today's on create)
        LocalTable.objects.filter(pk=copy.pk).update(uploaded_at=table.uploaded_at)
