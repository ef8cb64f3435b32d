"""Django app configuration for editions; connects the receiver that gives a saved unit its sections."""

from __future__ import annotations

from django.apps import AppConfig


class EditionsConfig(AppConfig):
    name = "barnbokslut.web.editions"
    label = "editions"
    verbose_name = "Barnbokslut"

    def ready(self) -> None:
        from barnbokslut.web.editions import receivers  # noqa: F401
