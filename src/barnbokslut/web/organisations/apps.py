"""Django app configuration for organisations."""

from __future__ import annotations

from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "barnbokslut.web.organisations"
    label = "organisations"
    verbose_name = "Organisation"
