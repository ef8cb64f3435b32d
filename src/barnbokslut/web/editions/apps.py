"""Django app configuration for editions."""

from __future__ import annotations

from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "barnbokslut.web.editions"
    label = "editions"
    verbose_name = "Barnbokslut"
