"""The WSGI entry point that ``barnbokslut serve`` (gunicorn) and any other WSGI server load."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "barnbokslut.web.settings")
application = get_wsgi_application()
