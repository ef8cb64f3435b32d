"""Where the import tests find the example folders (a module of its own: a conftest can't be imported by name
when every test folder has one)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = {
    "namnd": ROOT / "examples" / "barnbokslut-namnd",
    "exempel": ROOT / "examples" / "barnbokslut-exempel",
}
NOWHERE = "http://127.0.0.1:9"  # nothing listens: the committee example never asks Kolada
