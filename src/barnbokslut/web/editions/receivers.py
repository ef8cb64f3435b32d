"""Keep open editions in step with the unit tree: a unit added while an edition runs gets its sections, a
unit made inactive (avvecklad) loses the sections nobody has touched (issue 13, item 3)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from barnbokslut.web.editions.services import sync_unit_sections
from barnbokslut.web.organisations.models import Unit


@receiver(post_save, sender=Unit, dispatch_uid="editions.unit_sections")
def unit_saved(sender: type[Unit], instance: Unit, raw: bool = False, **kwargs: Any) -> None:
    if not raw:  # loaddata writes whole fixtures; their sections come with them
        sync_unit_sections(instance)
