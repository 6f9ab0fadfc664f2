"""Chorus settings, read from the environment (see .env.example).

Secure by default: DEBUG is off and SECRET_KEY must be set unless DEBUG is on.
SQLite is used when DATABASE_URL is unset; PostgreSQL when it names one.
"""

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import environ
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="insecure-development-key-only" if DEBUG else "")
if not SECRET_KEY:
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=true for local development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "access.apps.ChorusAdminConfig",  # the Django admin, for administrators only
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "formtools",
    "axes",
    "rest_framework",
    "rest_framework.authtoken",  # tokens for scripts: manage.py drf_create_token USERNAME
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the API docs page's scripts, served from the project
    # Bottom layer, below surveys: teams, roles and the access policy; the audit log.
    "access",
    "audit",
    "surveys",
    "representativeness",
    "engagement",
    "exports",
    "plans",
    "common",
    "django_tasks_db",  # the database-backed worker for Django's tasks: manage.py db_worker
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Django's own Content-Security-Policy header (SECURE_CSP below; docs/decisions/0023).
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "access.middleware.StaffInactivityMiddleware",
    # The report pages read from the read replica, when there is one (config/db_router.py).
    "config.db_router.ReplicaForReportsMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "config.context_processors.council",
            ],
        },
    },
]

DATABASES = {"default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # Django's SQLite backend, converting each statement's placeholders once (common/db/sqlite3).
    DATABASES["default"]["ENGINE"] = "common.db.sqlite3"
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # Take the write lock when a transaction starts, so two submissions queue instead of failing
            # with "database is locked" when the second tries to upgrade its read lock.
            "transaction_mode": "IMMEDIATE",
            # Wait this long for another writer's lock (SQLite's busy timeout) before giving up.
            "timeout": env.int("SQLITE_BUSY_TIMEOUT_SECONDS", default=30),
            # Write-ahead logging: readers never wait for the writer, and a commit appends to the log
            # instead of rewriting the database, so writes (session saves, above all) hold the lock briefly.
            # synchronous=NORMAL is safe with WAL (a power cut can lose the last commits, never corrupt).
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    )
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Send values apart from statements (server-side binding), so that PostgreSQL logs a failed
    # statement with $1, $2 placeholders, never the answers in it (docs/decisions/0010).
    DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True

# PostgreSQL connections stay open between requests (each gunicorn worker keeps one), checked before reuse.
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A read replica for reports (config/db_router.py): the report pages read consultation data from it;
# everything else (sign-in, access, the audit log, every write) uses the primary. Same options as it.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **env.db_url("DATABASE_REPLICA_URL"),
        **{
            k: DATABASES["default"][k]
            for k in ("ATOMIC_REQUESTS", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS")
            if k in DATABASES["default"]
        },
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Tests have no second server: the replica mirrors the test database.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["config.db_router.ReportsReadReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # Length over complexity (NCSC password guidance).
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in that a council's IT security team would accept: django-axes refuses further attempts for a
# while after AXES_FAILURE_LIMIT failures, counted per account and, separately, per address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("SIGN_IN_LOCKOUT_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The connecting address only: a header a client can set would let an attacker pick a new address per try.
# Behind a reverse proxy, list the header it sets (e.g. HTTP_X_FORWARDED_FOR) in CLIENT_IP_HEADERS.
AXES_IPWARE_META_PRECEDENCE_ORDER = env.list("CLIENT_IP_HEADERS", default=["REMOTE_ADDR"])
# Staff are signed out after this long without a request (access.middleware); residents' journeys keep theirs.
STAFF_SESSION_IDLE_MINUTES = env.int("STAFF_SESSION_IDLE_MINUTES", default=30)

# Email: the console in development (the message is printed), SMTP from EMAIL_URL otherwise.
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
_smtp = {
    "host": _email.get("EMAIL_HOST"),
    "port": _email.get("EMAIL_PORT"),
    "username": _email.get("EMAIL_HOST_USER"),
    "password": _email.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _email.get("EMAIL_USE_TLS"),
    "use_ssl": _email.get("EMAIL_USE_SSL"),
}
_is_smtp = _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
_options = {k: v for k, v in _smtp.items() if v and _is_smtp}
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="consultation@example.gov.uk")
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/officers/"
LOGOUT_REDIRECT_URL = "/"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("govuk", BASE_DIR / "node_modules" / "govuk-frontend" / "dist" / "govuk")]
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Security: strict by default; a deployment behind TLS turns on the HTTPS settings
# (config/settings_production.py turns them on unless told there is no TLS).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=False)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)
# Behind a TLS-terminating proxy: the header it sets to say the request came over HTTPS, e.g.
# HTTP_X_FORWARDED_PROTO (the proxy must overwrite it on every request).
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
SECURE_PROXY_SSL_HEADER = (_proxy_ssl_header, "https") if _proxy_ssl_header else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
# Sessions stay in the database (they hold residents' answers in progress, equality answers among them,
# which must be nowhere else), saved in one statement instead of three (common/sessions.py).
SESSION_ENGINE = "common.sessions"

# Upload limits: a request body (files aside) over DATA_UPLOAD_MAX_MEMORY_SIZE, or with more fields than
# DATA_UPLOAD_MAX_NUMBER_FIELDS, is refused with the 400 page; files over FILE_UPLOAD_MAX_MEMORY_SIZE
# go to a temporary file instead of memory. Each upload form also limits its file's size and checks
# its content (the census importer: CENSUS_IMPORT_MAX_BYTES, CSV or Excel only).
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env.int("DATA_UPLOAD_MAX_NUMBER_FIELDS", default=2000)
DATA_UPLOAD_MAX_NUMBER_FILES = env.int("DATA_UPLOAD_MAX_NUMBER_FILES", default=10)
FILE_UPLOAD_MAX_MEMORY_SIZE = env.int("FILE_UPLOAD_MAX_MEMORY_SIZE", default=2621440)

# Content Security Policy, Django's own (django.middleware.csp): scripts, styles, fonts and images from
# this site only; no inline script or style anywhere, no plugins, no framing, forms post only here.
# The council's logo may come from another address (COUNCIL_LOGO_URL): its origin is allowed for images.
_logo = urlsplit(env.str("COUNCIL_LOGO_URL", default=""))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"] + ([f"{_logo.scheme}://{_logo.netloc}"] if _logo.netloc else []),
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# The council's identity: shown in the header and footer of every page.
COUNCIL = {
    "name": env.str("COUNCIL_NAME", default="Trafford Council"),
    "logo_url": env.str("COUNCIL_LOGO_URL", default=""),
    "header_colour": env.str("COUNCIL_HEADER_COLOUR", default="#1d4f6e"),
    "contact_email": env.str("COUNCIL_CONTACT_EMAIL", default="consultation@example.gov.uk"),
    "privacy_notice_url": env.str("COUNCIL_PRIVACY_NOTICE_URL", default="/privacy/"),
    "website_url": env.str("COUNCIL_WEBSITE_URL", default="https://www.example.gov.uk/"),
    # ONS code of the council's area: the report compares with it unless an officer picks another.
    "area_code": env.str("COUNCIL_AREA_CODE", default="E08000009"),
}

# The accessibility statement's dates (the government's model statement asks for all three).
ACCESSIBILITY_STATEMENT = {
    "prepared": dt.date.fromisoformat(env.str("ACCESSIBILITY_STATEMENT_PREPARED", default="2026-11-29")),
    "reviewed": dt.date.fromisoformat(env.str("ACCESSIBILITY_STATEMENT_REVIEWED", default="2026-11-29")),
    "tested": dt.date.fromisoformat(env.str("ACCESSIBILITY_STATEMENT_TESTED", default="2026-11-29")),
    # Who tested it, as the statement says: "The test was carried out by ..."
    "tested_by": env.str("ACCESSIBILITY_STATEMENT_TESTED_BY", default="the Chorus development team"),
    # How long a request for another format takes to answer.
    "response_days": env.int("ACCESSIBILITY_RESPONSE_DAYS", default=5),
    "contact_phone": env.str("COUNCIL_CONTACT_PHONE", default=""),
}

# Representativeness: small-number suppression and the flag rule (docs/domain.md defaults).
REPRESENTATIVENESS = {
    "SUPPRESSION_THRESHOLD": env.int("SUPPRESSION_THRESHOLD", default=10),
    "UNDER_RATIO": env.float("FLAG_UNDER_RATIO", default=0.8),
    "OVER_RATIO": env.float("FLAG_OVER_RATIO", default=1.25),
    "Q_THRESHOLD": env.float("FLAG_Q_THRESHOLD", default=0.05),
    # Equality analysis: a difference whose whole 95% interval lies within this many percentage points
    # (as a proportion) either way is "similar"; see representativeness/stats/group_differences.py.
    "DIFFERENCE_MARGIN": env.float("FLAG_DIFFERENCE_MARGIN", default=0.10),
    "SMALL_COUNT_WARNING": env.int("SMALL_COUNT_WARNING", default=30),
    # Protected figures change only once this many responses (never fewer than the threshold) have arrived.
    "SNAPSHOT_REFRESH_AFTER": env.int("SNAPSHOT_REFRESH_AFTER", default=10),
    "OUTREACH_TARGET_RATIO": env.float("OUTREACH_TARGET_RATIO", default=1.0),
    # Weighting: a category with fewer respondents is collapsed (broad group, then combined) before raking.
    "WEIGHTING_MIN_CELL": env.int("WEIGHTING_MIN_CELL", default=20),
}

# The resident journey: answers in progress are deleted after this long without activity (a warning
# comes first), and a journey begun before a survey closes may still be sent for this long after.
RESIDENT_SESSION_IDLE_MINUTES = env.int("RESIDENT_SESSION_IDLE_MINUTES", default=60)
JOURNEY_CLOSING_GRACE_MINUTES = env.int("JOURNEY_CLOSING_GRACE_MINUTES", default=30)

# Equality answers are deleted this many days after a survey closes (manage.py purge_equality_answers).
EQUALITY_RETENTION_DAYS = env.int("EQUALITY_RETENTION_DAYS", default=365)
# Email addresses left to hear a consultation's outcome are deleted when it is emailed; any still held
# this many days after the consultation closed (no outcome published, or its email failed) are deleted
# by the daily retention run (manage.py purge_outcome_emails).
OUTCOME_EMAIL_RETENTION_DAYS = env.int("OUTCOME_EMAIL_RETENTION_DAYS", default=365)

# Save and come back later: a resume link lasts this many days (or until the survey closes, if sooner),
# and each address may save this many times an hour (counted in the cache; see CACHES).
SAVED_JOURNEY_DAYS = env.int("SAVED_JOURNEY_DAYS", default=30)
SAVES_PER_ADDRESS_PER_HOUR = env.int("SAVES_PER_ADDRESS_PER_HOUR", default=30)
RESUME_ATTEMPTS_PER_ADDRESS_PER_HOUR = env.int("RESUME_ATTEMPTS_PER_ADDRESS_PER_HOUR", default=20)
# Behind a reverse proxy, the META key of the header it sets with the client's address (for example
# HTTP_X_FORWARDED_FOR); empty to count by the connection's address (REMOTE_ADDR).
RATE_LIMIT_CLIENT_IP_HEADER = env.str("RATE_LIMIT_CLIENT_IP_HEADER", default="")

# Rate limits count in the cache. Production runs several processes: give them one shared cache with
# atomic increments, Redis (CACHE_URL=redis://127.0.0.1:6379/1) or Memcached. The default local-memory
# cache counts per process, which is right for one process only (development, tests).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

# Consultation documents officers upload: stored under MEDIA_ROOT and served only through the hub's
# document view (never straight from the directory), refused above this size.
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=20 * 1024 * 1024)
# The hub lists this many consultations a page.
HUB_PAGE_SIZE = env.int("HUB_PAGE_SIZE", default=10)
# Requests for other formats and outcome emails each address may send an hour (counted in the cache).
HUB_REQUESTS_PER_ADDRESS_PER_HOUR = env.int("HUB_REQUESTS_PER_ADDRESS_PER_HOUR", default=20)
# Background work (response exports) runs as Django tasks, queued in the database and run by
# `manage.py db_worker` (make run starts one). Export files are kept out of the web root, for a day.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
EXPORTS_DIR = env.str("EXPORTS_DIR", default=str(BASE_DIR / "var" / "exports"))
EXPORT_KEEP_HOURS = env.int("EXPORT_KEEP_HOURS", default=24)

# Census files larger than this are refused by the importer.
CENSUS_IMPORT_MAX_BYTES = env.int("CENSUS_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)

# The API under /api/v1/ (docs/decisions: the REST API). Every endpoint asks access/policy.py through
# PolicyPermission; errors are JSON naming the field (config/api.py).
API_SUBMISSIONS_PER_HOUR = env.int("API_SUBMISSIONS_PER_HOUR", default=120)
REST_FRAMEWORK = {
    # Token first: a request without credentials is then told 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["common.api.permissions.PolicyPermission"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "common.api.pagination.NewestFirst",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"anonymous_submissions": f"{API_SUBMISSIONS_PER_HOUR}/hour"},
    # Throttling counts by the connection's address unless proxies are declared: X-Forwarded-For alone is
    # whatever the client wrote, and would let anyone dodge the limit.
    "NUM_PROXIES": env.int("API_NUM_PROXIES", default=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Chorus API",
    "DESCRIPTION": (
        "Consultations, responses, census baselines, representativeness reports and the audit log. "
        "Authenticate with `Authorization: Token <token>` (manage.py drf_create_token USERNAME) or a "
        "signed-in session. Every error is JSON: {message, errors: [{field, message}]}."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "common.api.schema.add_error_responses",
    ],
}

# Every handler carries the redacting filter: no equality answer, resume token or password reaches a
# log (common/redaction.py). Django's own defaults are replaced, not added to: their handlers have no
# filter, and their error emails would carry request data. Add the filter to any handler you add.
LOG_LEVEL = env.str("LOG_LEVEL", default="WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "common.redaction.RedactingFilter"}},
    "formatters": {
        "django.server": {"()": "django.utils.log.ServerFormatter", "format": "[{server_time}] {message}", "style": "{"}
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["redact"]},
        # runserver's access log.
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server", "filters": ["redact"]},
    },
    "loggers": {
        "django": {"handlers": [], "level": "INFO" if DEBUG else LOG_LEVEL, "propagate": True},
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}
