"""Settings for the test suite: development mode on, a temporary data directory, fast password hashing."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("BARNBOKSLUT_DEV", "1")
os.environ.setdefault("BARNBOKSLUT_DATA_DIR", tempfile.mkdtemp(prefix="barnbokslut-test-"))

from barnbokslut.web.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

# WhiteNoise warns (an error under filterwarnings=error) when STATIC_ROOT does not exist.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
