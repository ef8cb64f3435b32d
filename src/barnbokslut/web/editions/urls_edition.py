"""URL patterns (urls_edition), included by editions/urls.py under the "editions" namespace."""

from __future__ import annotations

urlpatterns: list = []
