"""docs/architecture.md stays true (issue 9): it names every package and web app, and every file it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "barnbokslut"
DOC = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")


def test_every_package_and_top_level_module_is_named() -> None:
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem not in {"__init__", "__main__"}}
    names |= {p.name for p in PACKAGE.iterdir() if p.is_dir() and any(p.glob("*.py"))}
    assert sorted(n for n in names if f"`barnbokslut.{n}`" not in DOC) == []


def test_every_web_app_is_named() -> None:
    apps = {p.parent.name for p in (PACKAGE / "web").glob("*/apps.py")}
    assert apps
    assert sorted(app for app in apps if f"| `{app}` |" not in DOC) == []


def test_every_file_named_exists() -> None:
    """``report/folder.py``, ``cli.py``, ``tests/...``: some file of the repository ends with each name."""
    files = [p.relative_to(ROOT).as_posix() for top in ("src", "tests") for p in (ROOT / top).rglob("*.py")]
    named = set(re.findall(r"[\w/.-]+\.py\b", DOC))
    assert len(named) > 10
    assert sorted(n for n in named if not any(f == n or f.endswith("/" + n) for f in files)) == []
