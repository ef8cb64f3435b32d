"""URLs of the localdata app."""

from __future__ import annotations

app_name = "localdata"
urlpatterns: list = []
