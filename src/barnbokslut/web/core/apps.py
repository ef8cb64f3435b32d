"""Django app configuration for core."""

from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "barnbokslut.web.core"
    label = "core"
    verbose_name = "Grund"
