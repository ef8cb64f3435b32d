"""A real OpenID Connect provider on loopback for the sign-in tests, and the web app configured for it.

``oidc_provider`` starts tests/oidc/provider.mjs (panva's oidc-provider under Node.js; scripts/bootstrap.sh
installs it with ``npm ci``) once per session, on a free port, with a client whose addresses point at the live
server. ``oidc_on`` configures the app for it the way the environment does in production: the settings come from
``oidc_settings`` on a dict of ``BARNBOKSLUT_OIDC_*`` variables.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from barnbokslut.web.accounts import oidc
from barnbokslut.web.accounts.oidc_config import oidc_settings

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PROVIDER_DIR = Path(__file__).resolve().parents[2] / "oidc"
CLIENT_ID = "barnbokslut-test"
CLIENT_SECRET = "test-hemlighet-" + "x" * 32
#: The test accounts of provider.mjs (their password, and the groups the map below knows).
PROVIDER_PASSWORD = "kommun-losen-1"
GROUP_MAP = (
    "barnbokslut-samordnare = soderhamn:samordnare\n"
    "barnbokslut-skribent-bou = soderhamn:skribent:BOU\n"
    "# alla-anstallda gives no role\n"
)


@dataclass(frozen=True)
class Provider:
    issuer: str
    environ: dict[str, str]


@pytest.fixture(scope="session")
def oidc_provider(live_server: Any) -> Iterator[Provider]:
    node = shutil.which("node")
    if node is None or not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        pytest.fail(
            "The test OpenID Connect provider is not installed: run `make install` (npm ci in tests/oidc)."
        )
    env = {
        **os.environ,
        "OIDC_PORT": "0",
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}{reverse('oidc_callback')}",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}{reverse('login')}",
    }
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 30)
        line = process.stdout.readline() if ready else ""
        if not line:
            pytest.fail(f"The test OpenID Connect provider did not start (exit code {process.poll()}).")
        issuer = json.loads(line)["issuer"]
        yield Provider(
            issuer,
            {
                "BARNBOKSLUT_OIDC_ISSUER": issuer,
                "BARNBOKSLUT_OIDC_CLIENT_ID": CLIENT_ID,
                "BARNBOKSLUT_OIDC_CLIENT_SECRET": CLIENT_SECRET,
                "BARNBOKSLUT_OIDC_SCOPES": "openid email profile groups",
                "BARNBOKSLUT_OIDC_GROUP_MAP": GROUP_MAP,
            },
        )
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
def oidc_on(settings: Any, oidc_provider: Provider) -> Provider:
    """The app configured for the loopback provider from its environment variables (issuer discovery)."""
    values = oidc_settings(
        oidc_provider.environ,
        backends=list(settings.AUTHENTICATION_BACKENDS),
        csp=settings.CONTENT_SECURITY_POLICY,
    )
    for name, value in values.items():
        setattr(settings, name, value)
    oidc.discovery.cache_clear()
    return oidc_provider
