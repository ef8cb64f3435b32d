from __future__ import annotations

from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "barnbokslut.web.notifications"
    label = "notifications"
    verbose_name = "Aviseringar"

    def ready(self) -> None:
        from barnbokslut.web.notifications import receivers

        receivers.connect()
