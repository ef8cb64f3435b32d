"""Django app configuration for the register of barnkonsekvensanalyser."""

from __future__ import annotations

from django.apps import AppConfig


class BkaConfig(AppConfig):
    name = "barnbokslut.web.bka"
    label = "bka"
    verbose_name = "Barnkonsekvensanalyser"
