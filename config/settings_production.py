"""The production profile (`make serve`): the settings, read from the environment, with production's
defaults. DEBUG is always off; PostgreSQL is required (SQLite only with ALLOW_SQLITE=true); tasks are
queued in the database for the worker; behind TLS (the default) HTTPS is enforced: redirects, HSTS and
cookies sent over HTTPS only. `manage.py check --deploy` is clean with these settings (tested).
"""

import os

from environ import ImproperlyConfigured

# Before the shared settings read them: production's defaults, each still overridable by the environment.
os.environ["DEBUG"] = "false"
BEHIND_TLS = os.environ.get("BEHIND_TLS", "true").lower() in ("1", "true", "yes", "on")
if BEHIND_TLS:
    os.environ.setdefault("SECURE_COOKIES", "true")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "true")
    os.environ.setdefault("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365))
    os.environ.setdefault("SECURE_HSTS_INCLUDE_SUBDOMAINS", "true")
    # Only a request to the browsers' preload list acts on it; the header alone commits to nothing.
    os.environ.setdefault("SECURE_HSTS_PRELOAD", "true")
    # The TLS-terminating proxy in front (nginx, a load balancer) says so in this header.
    os.environ.setdefault("SECURE_PROXY_SSL_HEADER", "HTTP_X_FORWARDED_PROTO")
else:
    os.environ.setdefault("SECURE_COOKIES", "false")

from config.settings import *  # noqa: E402,F403
from config.settings import DATABASES  # noqa: E402

if DATABASES["default"]["ENGINE"].endswith("sqlite3") and os.environ.get("ALLOW_SQLITE", "").lower() != "true":
    raise ImproperlyConfigured(
        "The production profile needs PostgreSQL: set DATABASE_URL=postgres://user@host:5432/chorus "
        "(or ALLOW_SQLITE=true to run on SQLite anyway, with one web worker)."
    )

# Static files with content hashes in their names, compressed, cached for a year (whitenoise).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
