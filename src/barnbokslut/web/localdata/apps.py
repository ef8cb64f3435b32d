"""Django app configuration for local data."""

from __future__ import annotations

from django.apps import AppConfig


class LocaldataConfig(AppConfig):
    name = "barnbokslut.web.localdata"
    label = "localdata"
    verbose_name = "Lokala uppgifter"
