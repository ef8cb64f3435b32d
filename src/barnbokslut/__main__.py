"""Run the command line with ``python -m barnbokslut``."""

from __future__ import annotations

from barnbokslut.cli import app

app()
