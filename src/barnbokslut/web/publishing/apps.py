"""Django app configuration for publishing."""

from __future__ import annotations

from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "barnbokslut.web.publishing"
    label = "publishing"
    verbose_name = "Publicering"
