"""Issue 12, row 8: the production headers, and `check --deploy` with the documented production settings.

Before: no Content-Security-Policy on the app's pages, no Permissions-Policy, no `Cache-Control: private,
no-store` on signed-in pages, HSTS without includeSubDomains (check --deploy: W005, W021).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted((ROOT / "src" / "barnbokslut" / "web").rglob("templates/**/*.html"))


def _pages(cast, edition) -> list[str]:  # type: ignore[no-untyped-def]
    section = edition.sections.filter(unit=cast.bou).first()
    return [
        reverse("core:home"),
        reverse("editions:detail", args=[edition.pk]),
        reverse("editions:section_edit", args=[section.pk]),
        reverse("editions:follow_up", args=[edition.pk]),
        reverse("accounts:audit_log", args=[cast.organisation.pk]),
        reverse("accounts:account"),
        reverse("localdata:list", args=[edition.pk]),
    ]


def test_every_signed_in_page_has_the_headers(client: Client, cast, edition) -> None:
    client.force_login(cast.sam)
    for url in _pages(cast, edition):
        response = client.get(url)
        assert response.status_code == 200, url
        csp = response["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert "camera=()" in response["Permissions-Policy"], url
        assert response["Cache-Control"] == "private, no-store", url


def test_the_login_page_has_the_policy_too(client: Client) -> None:
    response = client.get(reverse("login"))  # Django's login view itself forbids caching
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "microphone=()" in response["Permissions-Policy"]


def test_the_report_document_keeps_its_own_stricter_policy(client: Client, cast, edition) -> None:
    client.force_login(cast.sam)
    response = client.get(reverse("publishing:preview_document", args=[edition.pk]))
    assert response["Content-Security-Policy"].startswith("default-src 'none'")


@pytest.mark.parametrize("template", TEMPLATES, ids=[str(t.relative_to(ROOT)) for t in TEMPLATES])
def test_no_template_has_inline_script_or_style(template: Path) -> None:
    """The policy allows no inline script, event handler or style attribute: they would silently not work."""
    text = template.read_text(encoding="utf-8")
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert not re.search(r"<style\b", text), "<style> element"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert not re.search(r"\son[a-z]+=", text), "event handler attribute"
    assert not re.search(r"\shx-on[:-]|js:", text), "htmx code (needs eval)"


def _documented_environment(tmp_path: Path) -> dict[str, str]:
    """The /etc/barnbokslut/env of docs/deployment.md, with a real secret file and data folder."""
    docs = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = re.search(r"```ini\n(BARNBOKSLUT_SECRET_KEY_FILE=.*?)```", docs, re.S)
    assert block, "the environment file is no longer in docs/deployment.md"
    secret = tmp_path / "secret_key"
    secret.write_text("s" * 20 + "-hemlig-nyckel-för-testet-" + "x" * 30)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "MPLCONFIGDIR": str(tmp_path)}
    for line in block.group(1).splitlines():
        name, _, value = line.partition("=")
        env[name] = value
    for name in [
        n for n in env if n.endswith("_FILE")
    ]:  # other secrets read from files, e.g. the SMTP password
        stand_in = tmp_path / name.lower()
        stand_in.write_text("hemligt-för-testet")
        env[name] = str(stand_in)
    env["BARNBOKSLUT_SECRET_KEY_FILE"] = str(secret)
    env["BARNBOKSLUT_DATA_DIR"] = str(tmp_path / "data")
    return env


def test_check_deploy_with_the_documented_production_settings_reports_nothing(tmp_path: Path) -> None:
    barnbokslut = Path(sys.executable).with_name("barnbokslut")
    result = subprocess.run(
        [str(barnbokslut), "webb", "check", "--deploy", "--fail-level", "DEBUG"],
        env=_documented_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
