"""Django app configuration for local data; copies last year's tables into a new edition."""

from __future__ import annotations

from django.apps import AppConfig


class LocaldataConfig(AppConfig):
    name = "barnbokslut.web.localdata"
    label = "localdata"
    verbose_name = "Lokala uppgifter"

    def ready(self) -> None:
        from barnbokslut.web.localdata import signals  # noqa: F401
