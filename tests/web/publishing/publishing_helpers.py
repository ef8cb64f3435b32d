"""The texts of the test edition; ``run_worker`` (from tests/web/taskworker.py) runs the background jobs."""

from __future__ import annotations

from taskworker import run_worker

INTRODUCTION = "Söderhamn vill att alla barn ska få komma till tals i frågor som rör dem."
BOU_TEXT = (
    "Barn och unga ansvarar för förskola och skola.\n\n## Artikel 12\n\nElevråden träffar rektor varje månad."
)
SVF_STRENGTH = "## Artikel 3\n\nBarnets bästa dokumenteras i alla utredningar."

__all__ = ["BOU_TEXT", "INTRODUCTION", "SVF_STRENGTH", "run_worker"]
