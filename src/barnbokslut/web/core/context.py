"""Template context shared by every page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from barnbokslut import __version__

SITE_NAME = "Barnbokslut"


def site(request: HttpRequest) -> dict[str, Any]:
    return {"site_name": SITE_NAME, "version": __version__}
