"""Django app configuration for children's voices (quotes and proposals per edition)."""

from __future__ import annotations

from django.apps import AppConfig


class VoicesConfig(AppConfig):
    name = "barnbokslut.web.voices"
    label = "voices"
    verbose_name = "Barnens röster"
