"""The core installs and runs without the web stack (issue 9): the CLI analyses and builds the example report
in all three formats with Django, gunicorn, psycopg, whitenoise and django-tasks made unimportable, and imports
none of them; the web commands then say how to install the ``[web]`` extra.

Each check runs in a fresh interpreter, so nothing the other tests imported counts.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_FOLDER = ROOT / "examples" / "barnbokslut-exempel"

#: The web app's packages (the ``[web]`` extra), by import name.
WEB_STACK = (
    "django",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "dj_database_url",
    "whitenoise",
    "gunicorn",
    "psycopg",
    "psycopg_binary",
)

# Installed before barnbokslut is imported: any import of the web stack fails as if it were not installed.
PRELUDE = f"""
import importlib.abc
import sys

WEB_STACK = {WEB_STACK!r}


class NotInstalled(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in WEB_STACK:
            raise ModuleNotFoundError(f"No module named {{name!r}} (the web stack is blocked)", name=name)
        return None


sys.meta_path.insert(0, NotInstalled())


def web_modules():
    return sorted(m for m in sys.modules if m.split(".")[0] in WEB_STACK)
"""


def _run(code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    script = PRELUDE + textwrap.dedent(code)
    return subprocess.run(
        [sys.executable, "-c", script], cwd=cwd, capture_output=True, text=True, timeout=300, check=False
    )


def test_the_blocker_blocks(tmp_path: Path) -> None:
    result = _run(
        """
        try:
            import django
        except ModuleNotFoundError:
            print("blocked")
        """,
        tmp_path,
    )
    assert result.stdout.strip() == "blocked", result.stderr


def test_cli_analyses_and_builds_the_report_without_the_web_stack(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = _run(
        f"""
        from barnbokslut.cli import app

        assert not web_modules(), web_modules()
        for args in (
            ["indikatorer", "--exempeldata", "--kommun", "Söderhamn", "--år", "2025", "--format", "json",
             "--cache", {str(tmp_path / "cache.sqlite")!r}, "--ut", {str(out)!r}],
            ["bygg", {str(EXAMPLE_FOLDER)!r}, "--exempeldata", "--format", "html,pdf,docx", "--out", {str(out)!r}],
        ):
            code = app(args, standalone_mode=False)  # click returns the exit code instead of exiting
            assert not code, (args, code)
        assert not web_modules(), web_modules()
        print("ok")
        """,
        tmp_path,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("ok")
    written = sorted(p.suffix for p in out.iterdir())
    assert {".html", ".pdf", ".docx", ".json"} <= set(written), written


@pytest.mark.parametrize("command", [["webb", "migrate"], ["serve"]])
def test_web_commands_without_the_web_stack_say_how_to_install_it(tmp_path: Path, command: list[str]) -> None:
    result = _run(
        f"""
        from barnbokslut.cli import app

        print("exit", app({command!r}, standalone_mode=False))
        """,
        tmp_path,
    )
    assert "exit 2" in result.stdout, (result.stdout, result.stderr[-3000:])
    assert "pip install 'barnbokslut[web]'" in result.stderr
