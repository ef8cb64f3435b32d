"""Django app configuration for accounts; connects the login audit signals."""

from __future__ import annotations

from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "barnbokslut.web.accounts"
    label = "accounts"
    verbose_name = "Konton"

    def ready(self) -> None:
        from barnbokslut.web.accounts import signals  # noqa: F401
