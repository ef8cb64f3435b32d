"""Django settings, read from the environment so one file serves development, tests and production.

Production is the default: DEBUG is off and ``BARNBOKSLUT_SECRET_KEY`` and ``BARNBOKSLUT_ALLOWED_HOSTS`` must
be set, or start-up fails loudly. ``BARNBOKSLUT_DEV=1`` (set by ``make run`` and the tests) turns on a local
development mode with a throwaway key. SQLite is the zero-setup database; ``DATABASE_URL`` selects
PostgreSQL (``postgres://user:pass@host/db``). See docs/deployment.md.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from barnbokslut.web.accounts.oidc_config import oidc_settings


def envbool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() in {"1", "true", "yes", "ja", "on"}:
        return True
    if raw.lower() in {"0", "false", "no", "nej", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} ska vara 1/0 eller true/false, inte {raw!r}")


def envint(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} ska vara ett heltal, inte {raw!r}") from None


def envsecret(name: str) -> str | None:
    """Read a secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/systemd credentials)."""
    if value := os.environ.get(name):
        return value
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"Kunde inte läsa {name}_FILE ({path}): {exc}") from exc
    return None


DEV = envbool("BARNBOKSLUT_DEV")
DEBUG = envbool("BARNBOKSLUT_DEBUG", default=False)

DATA_DIR = Path(os.environ.get("BARNBOKSLUT_DATA_DIR") or Path.cwd() / "var").resolve()

SECRET_KEY = envsecret("BARNBOKSLUT_SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEV:
        raise ImproperlyConfigured(
            "BARNBOKSLUT_SECRET_KEY saknas. Sätt en lång slumpmässig nyckel i miljön (se docs/deployment.md), "
            "eller BARNBOKSLUT_DEV=1 för lokal utveckling."
        )
    SECRET_KEY = "dev-only-insecure-key-" + "x" * 40

ALLOWED_HOSTS = [h.strip() for h in os.environ.get("BARNBOKSLUT_ALLOWED_HOSTS", "").split(",") if h.strip()]
if DEV and not ALLOWED_HOSTS:
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("BARNBOKSLUT_ALLOWED_HOSTS saknas, t.ex. barnbokslut.kommun.se")
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("BARNBOKSLUT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "barnbokslut.web.core",
    "barnbokslut.web.organisations",
    "barnbokslut.web.accounts",
    "barnbokslut.web.editions",
    "barnbokslut.web.localdata",
    "barnbokslut.web.bka",
    "barnbokslut.web.publishing",
    "barnbokslut.web.notifications",
    "barnbokslut.web.voices",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "barnbokslut.web.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "barnbokslut.web.accounts.middleware.IdleTimeoutMiddleware",
    "barnbokslut.web.accounts.middleware.RefusalAuditMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: turns a locked-out login into its answer (accounts.backends.locked_out).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "barnbokslut.web.urls"
WSGI_APPLICATION = "barnbokslut.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [Path(__file__).parent / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "barnbokslut.web.core.context.site",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'barnbokslut.sqlite3'}",
        conn_max_age=envint("BARNBOKSLUT_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web server and the job worker write without "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "barnbokslut.web.accounts.passwords.SwedishCommonPasswordValidator"},
]

# Sign-in protection (django-axes): after LOGIN_FAILURE_LIMIT failed logins in a row, the account (from any
# address) and the address (for any account) are locked out for LOGIN_LOCKOUT_MINUTES; a successful login
# resets the count. The answer is the login page with a Swedish message (status 429) and an audit event.
AUTHENTICATION_BACKENDS = [
    "barnbokslut.web.accounts.backends.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = envint("BARNBOKSLUT_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("BARNBOKSLUT_LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "barnbokslut.web.accounts.backends.locked_out"
AXES_CLIENT_IP_CALLABLE = "barnbokslut.web.accounts.audit.client_ip"
AXES_DISABLE_ACCESS_LOG = True  # successful logins are in our own audit log
AXES_VERBOSE = False

# The client's address behind the reverse proxy (docs/deployment.md): the header the proxy sets, and how many
# proxies append to it. Empty: REMOTE_ADDR (the app is reached directly).
CLIENT_IP_HEADER = os.environ.get("BARNBOKSLUT_CLIENT_IP_HEADER", "").strip()
TRUSTED_PROXY_COUNT = envint("BARNBOKSLUT_TRUSTED_PROXY_COUNT", 1)

# Sessions end after SESSION_IDLE_TIMEOUT without a request (accounts.middleware), and in any case after
# SESSION_COOKIE_AGE.
SESSION_IDLE_TIMEOUT = envint("BARNBOKSLUT_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = envint("BARNBOKSLUT_SESSION_MAX_HOURS", 12) * 3600
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", "Svenska")]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [Path(__file__).parent / "static"]
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEV or DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEV or DEBUG

#: Kolada: the API root and the response cache the web app and its job worker share.
KOLADA_URL = os.environ.get("BARNBOKSLUT_KOLADA_URL", "https://api.kolada.se/v3")
KOLADA_CACHE = DATA_DIR / "kolada-cache.sqlite3"

# E-mail notifications (barnbokslut.web.notifications): sent over SMTP when BARNBOKSLUT_EMAIL_HOST is set;
# without it, printed to the console in development and not sent at all in production. BASE_URL is the site's
# address as users reach it, for the links in the messages.
EMAIL_HOST = os.environ.get("BARNBOKSLUT_EMAIL_HOST", "").strip()
EMAIL_PORT = envint("BARNBOKSLUT_EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("BARNBOKSLUT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = envsecret("BARNBOKSLUT_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = envbool("BARNBOKSLUT_EMAIL_USE_TLS", default=True)
EMAIL_USE_SSL = envbool("BARNBOKSLUT_EMAIL_USE_SSL", default=False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Sätt BARNBOKSLUT_EMAIL_USE_TLS eller BARNBOKSLUT_EMAIL_USE_SSL, inte båda.")
EMAIL_TIMEOUT = envint("BARNBOKSLUT_EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = os.environ.get("BARNBOKSLUT_EMAIL_FROM", "").strip() or "barnbokslut@localhost"
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
elif DEV:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
BASE_URL = os.environ.get("BARNBOKSLUT_BASE_URL", "").strip().rstrip("/")
if not BASE_URL:
    if EMAIL_HOST and not DEV:
        raise ImproperlyConfigured(
            "BARNBOKSLUT_BASE_URL saknas: e-posten behöver webbplatsens adress för sina länkar, "
            "t.ex. https://barnbokslut.kommun.se"
        )
    BASE_URL = "http://127.0.0.1:8000"
#: Days before a section's deadline that its writer is reminded (0: on the last day only).
REMINDER_DAYS_BEFORE = envint("BARNBOKSLUT_REMINDER_DAYS", 3)

# Uploads: local data files (CSV/XLSX) are small; refuse anything big before it reaches memory.
MAX_UPLOAD_BYTES = envint("BARNBOKSLUT_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = MAX_UPLOAD_BYTES + 1024 * 1024

# Content-Security-Policy on every page (django-csp): scripts, styles, fonts and frames from the app itself only,
# no inline script or style (htmx runs with includeIndicatorStyles off and no eval features), no plugins, no
# framing by other sites. The report document and the charts send their own stricter policy.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "frame-src": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        "base-uri": [NONE],
        "object-src": [NONE],
    }
}

# Sign-in with the municipality's account (OpenID Connect, mozilla-django-oidc), off unless
# BARNBOKSLUT_OIDC_CLIENT_ID is set (accounts/oidc_config.py, docs/deployment.md): adds the backend, the
# provider's settings and its address as a form target in the CSP (signing out goes there).
globals().update(oidc_settings(os.environ, backends=AUTHENTICATION_BACKENDS, csp=CONTENT_SECURITY_POLICY))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEV:
    # Production runs behind HTTPS (see docs/deployment.md); cookies never travel in clear text.
    SESSION_COOKIE_SECURE = envbool("BARNBOKSLUT_SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("BARNBOKSLUT_SSL_REDIRECT", default=False)
    SECURE_REDIRECT_EXEMPT = [r"^halsa/$"]  # the health check is asked over plain HTTP on loopback
    SECURE_HSTS_SECONDS = envint("BARNBOKSLUT_HSTS_SECONDS", 0)
    # With HSTS on: for the subdomains too, and marked for the browsers' preload list (a host name such as
    # barnbokslut.kommun.se is only preloaded if its domain is submitted there; the mark alone changes nothing).
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("BARNBOKSLUT_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = envbool("BARNBOKSLUT_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("BARNBOKSLUT_LOG_LEVEL", "INFO")},
}
