"""Hearline settings, read from the environment.

DATABASE_URL       sqlite:///path or postgres://user:pass@host/db (default: SQLite under var/)
SECRET_KEY         (default: a random key generated once into var/secret_key)
HEARLINE_DEBUG     "1" for development error pages
HEARLINE_TIME_ZONE display time zone (default Asia/Shanghai); storage is always UTC
HEARLINE_ALLOWED_HOSTS comma-separated host names
HEARLINE_TRUSTED_PROXIES reverse proxies whose X-Forwarded-For gives the client address
HEARLINE_SESSION_IDLE_MINUTES a staff session ends after this many minutes without a request
                   (default 30)
HEARLINE_SESSION_HOURS a staff session ends this many hours after sign-in (default 12)
HEARLINE_SECURE_PROXY_SSL_HEADER "X-Forwarded-Proto: https": the TLS proxy's header that marks
                   a request as HTTPS (set only if the proxy overwrites it; default: none)
HEARLINE_SECURE_SSL_REDIRECT "1" redirects plain HTTP to HTTPS (default off, for the embedded
                   http://127.0.0.1 setup)
HEARLINE_HSTS_SECONDS Strict-Transport-Security max-age on HTTPS responses (default 0: none);
                   HEARLINE_HSTS_INCLUDE_SUBDOMAINS, HEARLINE_HSTS_PRELOAD "1" add those flags
HEARLINE_SESSION_COOKIE_SECURE, HEARLINE_CSRF_COOKIE_SECURE "1" sends the cookie over HTTPS
                   only (default: on when HEARLINE_SECURE_SSL_REDIRECT is on)
HUEY_REDIS_URL     use Redis for the task queue instead of the SQLite queue under var/
"""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(os.environ.get("HEARLINE_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = os.environ.get("HEARLINE_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    # One random key per installation, kept beside the data it protects.
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        import secrets

        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("HEARLINE_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "hearline.core",
    "hearline.accounts",
    "hearline.cases",
    "hearline.notify",
    "hearline.sla",
    "hearline.api",
    "hearline.open311",
    "hearline.channels",
    "hearline.triage",
    "hearline.incidents",
    "hearline.improvement",
    "hearline.analytics",
    "hearline.knowledge",
    "hearline.demo",
    "hearline.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "hearline.web.content_security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hearline.web.middleware.ChosenLanguageMiddleware",
    "hearline.web.middleware.RefuseOversizedRequests",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hearline.accounts.session_limits.StaffSessionLimits",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "hearline.api.middleware.RejectNulCharacters",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hearline.sla.context_processors.calendar_warning",
                "hearline.web.context_processors.staff_navigation",
            ],
        },
    },
]


def database_from_url(url: str) -> dj_database_url.DBConfig:
    """Django DATABASES entry for a URL: SQLite gets WAL, full sync and immediate write locks;
    PostgreSQL server-side binding with prepared statements."""
    # Health checks: a connection broken by a database restart is replaced, not reused.
    db = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # Connections kept between requests, replaced when the file at the path changes.
        db["ENGINE"] = "hearline.core.db_sqlite3"
        # Tests run in memory (what Django does for its own SQLite engine by default; said
        # explicitly so that test runners recognise it under this engine's name).
        db["TEST"] = {"NAME": ":memory:"}
        db["OPTIONS"] = {
            # FULL: a committed complaint survives power loss before we acknowledge it.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
            # Writers queue on BEGIN instead of failing half-way through a transaction.
            "transaction_mode": "IMMEDIATE",
            "timeout": 30,
        }
    else:
        db["OPTIONS"] = {
            # Parameters bound by the server and statements a connection runs often prepared
            # once (psycopg's own threshold): the server plans each INSERT of a registration
            # once per connection instead of once per complaint.
            "server_side_binding": True,
            "prepare_threshold": 5,
            **db.get("OPTIONS", {}),  # what the URL's query string says wins
        }
    return db


DATABASES = {
    "default": database_from_url(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'hearline.sqlite3'}")
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
# A staff session ends after this many minutes without a request, and at the latest this
# many hours after sign-in (hearline.accounts.session_limits).
HEARLINE_SESSION_IDLE_MINUTES = int(os.environ.get("HEARLINE_SESSION_IDLE_MINUTES", "30"))
HEARLINE_SESSION_HOURS = int(os.environ.get("HEARLINE_SESSION_HOURS", "12"))
SESSION_COOKIE_AGE = HEARLINE_SESSION_HOURS * 3600
LOGIN_REDIRECT_URL = "/staff/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "hearline" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = os.environ.get("HEARLINE_TIME_ZONE", "Asia/Shanghai")

STATIC_URL = "/static/"
# Front-end assets from the npm registry (`npm ci`, run by the Makefile), served locally.
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("vendor/pico", NODE_MODULES / "@picocss" / "pico" / "css"),
    ("vendor/htmx", NODE_MODULES / "htmx.org" / "dist"),
    ("vendor/echarts", NODE_MODULES / "echarts" / "dist"),
    ("vendor/swagger-ui", NODE_MODULES / "swagger-ui-dist"),
]
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(os.environ.get("HEARLINE_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Attachments: evidence, photos, recordings. A file is received up to this size and no
# further (hearline.cases.uploads), then refused as too large.
HEARLINE_ATTACHMENT_MAX_BYTES = int(
    os.environ.get("HEARLINE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024)
)
FILE_UPLOAD_HANDLERS = [
    "hearline.cases.uploads.StopAtLimit",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# A request whose body is larger is refused (413) before any of it is read: by default the
# portal's five photos at the attachment limit and the complaint's text.
HEARLINE_REQUEST_MAX_BYTES = int(
    os.environ.get("HEARLINE_REQUEST_MAX_BYTES", 5 * HEARLINE_ATTACHMENT_MAX_BYTES + 1024 * 1024)
)

if os.environ.get("HUEY_REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "hearline",
        "url": os.environ["HUEY_REDIS_URL"],
        "immediate": False,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "hearline",
        "filename": str(VAR_DIR / "huey.sqlite3"),
        "immediate": False,
    }

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact_pii": {"()": "hearline.core.logging.RedactPIIFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["redact_pii"],
            "formatter": "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("HEARLINE_LOG_LEVEL", "INFO")},
}


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """ "X-Forwarded-Proto: https" as Django's SECURE_PROXY_SSL_HEADER (the value defaults to
    https); None for an empty setting."""
    name, _, expected = value.partition(":")
    if not name.strip():
        return None
    return ("HTTP_" + name.strip().upper().replace("-", "_"), expected.strip() or "https")


# HTTPS. The defaults suit the embedded setup on http://127.0.0.1; behind a TLS proxy set
# HEARLINE_SECURE_PROXY_SSL_HEADER (only if the proxy overwrites that header on every
# request), HEARLINE_SECURE_SSL_REDIRECT=1 and HEARLINE_HSTS_SECONDS.
SECURE_SSL_REDIRECT = os.environ.get("HEARLINE_SECURE_SSL_REDIRECT", "0") == "1"
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("HEARLINE_SECURE_PROXY_SSL_HEADER", ""))
SECURE_HSTS_SECONDS = int(os.environ.get("HEARLINE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("HEARLINE_HSTS_INCLUDE_SUBDOMAINS", "0") == "1"
SECURE_HSTS_PRELOAD = os.environ.get("HEARLINE_HSTS_PRELOAD", "0") == "1"
_HTTPS = "1" if SECURE_SSL_REDIRECT else "0"
SESSION_COOKIE_SECURE = os.environ.get("HEARLINE_SESSION_COOKIE_SECURE", _HTTPS) == "1"
CSRF_COOKIE_SECURE = os.environ.get("HEARLINE_CSRF_COOKIE_SECURE", _HTTPS) == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content-Security-Policy of every response (hearline.web.content_security): scripts, styles,
# fonts and requests only from this server, no inline script or style, no eval, no plugins,
# no framing, forms posted only here. Images also as data: URIs (icons in Pico's and Swagger
# UI's style sheets).
SECURE_CSP = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
HEARLINE_SLA_WARN_FRACTION = float(os.environ.get("HEARLINE_SLA_WARN_FRACTION", "0.75"))
HEARLINE_PORTAL_USERNAME = os.environ.get("HEARLINE_PORTAL_USERNAME", "web")
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed
# for the client address that sign-in and look-up throttling count against.
HEARLINE_TRUSTED_PROXIES = tuple(
    ipaddress.ip_network(entry.strip(), strict=False)
    for entry in os.environ.get("HEARLINE_TRUSTED_PROXIES", "").split(",")
    if entry.strip()
)

# Open311 GeoReport v2 (/open311/v2/): what discovery announces, and which channels' cases
# the public request lists show (hotline callers never agreed to publication).
HEARLINE_OPEN311_CONTACT = os.environ.get(
    "HEARLINE_OPEN311_CONTACT", "12345 热线 open311@example.org"
)
HEARLINE_OPEN311_KEY_SERVICE = os.environ.get(
    "HEARLINE_OPEN311_KEY_SERVICE", "向系统管理员申请：hearline apikey create"
)
HEARLINE_OPEN311_LISTED_CHANNELS = tuple(
    os.environ.get("HEARLINE_OPEN311_LISTED_CHANNELS", "open311").split(",")
)

# Outbound messages (hearline.notify.backends): one backend per channel. Without a gateway,
# SMS, social and upstream messages are written to var/outbox/*.jsonl and e-mail goes to
# var/outbox/mail/; set EMAIL_BACKEND/EMAIL_HOST… for SMTP and point "upstream" at the
# platform with hearline.notify.backends.WebhookBackend (URL, SECRET).
HEARLINE_PUBLIC_URL = os.environ.get("HEARLINE_PUBLIC_URL", "http://127.0.0.1:8000")
HEARLINE_ORGANISATION_NAME = os.environ.get("HEARLINE_ORGANISATION_NAME", "12345 热线")
# How often a staff page asks for the number of unread notices (the badge), in seconds.
HEARLINE_NOTICE_POLL_SECONDS = int(os.environ.get("HEARLINE_NOTICE_POLL_SECONDS", "30"))
HEARLINE_MAIL_DOMAIN = os.environ.get("HEARLINE_MAIL_DOMAIN", "hearline.localhost")
# The authserv-id our own MTA writes in Authentication-Results; empty: no e-mail sender is
# taken as verified (see hearline.channels.mail_auth).
HEARLINE_MAIL_AUTHSERV_ID = os.environ.get("HEARLINE_MAIL_AUTHSERV_ID", "")
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", f"12345 <complaints@{HEARLINE_MAIL_DOMAIN}>"
)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "outbox" / "mail"
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
EMAIL_TIMEOUT = 20
_UPSTREAM_URL = os.environ.get("HEARLINE_UPSTREAM_URL", "")
HEARLINE_MESSAGE_BACKENDS = {
    "sms": {"BACKEND": "hearline.notify.backends.FileBackend"},
    "social": {"BACKEND": "hearline.notify.backends.FileBackend"},
    "email": {"BACKEND": "hearline.notify.backends.DjangoEmailBackend"},
    "upstream": (
        {
            "BACKEND": "hearline.notify.backends.WebhookBackend",
            "URL": _UPSTREAM_URL,
            "SECRET": os.environ.get("HEARLINE_UPSTREAM_SECRET", ""),
        }
        if _UPSTREAM_URL
        else {"BACKEND": "hearline.notify.backends.FileBackend"}
    ),
}
HEARLINE_MESSAGE_RETRY_HORIZON = 1800  # seconds after which a retry is taken as lost
# Seconds after which a message claimed by a worker that died mid-send (or never picked up)
# goes back on the queue.
HEARLINE_MESSAGE_STALE_CLAIM = int(os.environ.get("HEARLINE_MESSAGE_STALE_CLAIM", "600"))
# Received complaints (Prefer: respond-async) still waiting this many seconds are registered
# by the minutely catch-up, whether or not their own task is still queued.
HEARLINE_RECEIPT_STALE = int(os.environ.get("HEARLINE_RECEIPT_STALE", "120"))

# Inbound channels: the account each registers its cases as, and the IMAP mailbox to poll.
HEARLINE_CHANNEL_DESKS = {
    "email": os.environ.get("HEARLINE_EMAIL_USERNAME", "email"),
    "sms": os.environ.get("HEARLINE_SMS_USERNAME", "sms"),
    "social": os.environ.get("HEARLINE_SOCIAL_USERNAME", "social"),
    "upstream": os.environ.get("HEARLINE_UPSTREAM_USERNAME", "upstream"),
}
HEARLINE_IMAP = {
    "HOST": os.environ.get("HEARLINE_IMAP_HOST", ""),
    "PORT": int(os.environ.get("HEARLINE_IMAP_PORT", "993")),
    "SSL": os.environ.get("HEARLINE_IMAP_SSL", "1") == "1",
    "USER": os.environ.get("HEARLINE_IMAP_USER", ""),
    "PASSWORD": os.environ.get("HEARLINE_IMAP_PASSWORD", ""),
    "FOLDER": os.environ.get("HEARLINE_IMAP_FOLDER", "INBOX"),
}
# Signed webhooks in (/webhooks/<source>/): a shared secret per source; a source without one
# is refused. Requests older or newer than the window (seconds) are refused as replays.
HEARLINE_WEBHOOK_SECRETS = {
    "sms": os.environ.get("HEARLINE_SMS_WEBHOOK_SECRET", ""),
    "social": os.environ.get("HEARLINE_SOCIAL_WEBHOOK_SECRET", ""),
    "upstream": os.environ.get("HEARLINE_UPSTREAM_WEBHOOK_SECRET", ""),
}
HEARLINE_WEBHOOK_WINDOW = 300

# Triage: below this confidence a suggestion is only a proposal of three for a person.
HEARLINE_TRIAGE_THRESHOLD = float(os.environ.get("HEARLINE_TRIAGE_THRESHOLD", "0.6"))

# Incidents: link new complaints to running incidents and propose incidents for bursts
# (off only to measure what it costs, see bench/incident_intake.py).
HEARLINE_INCIDENT_MATCHING = os.environ.get("HEARLINE_INCIDENT_MATCHING", "1") == "1"
HEARLINE_INCIDENT_FIRST_BULLETIN_MINUTES = 60  # a new incident's first bulletin is due within

# The department scorecard (12345 style): weights of the rates, and penalties in points per
# percentage point of overdue cases and of reopened cases.
HEARLINE_SCORECARD_WEIGHTS = {
    "response_rate": 0.3,
    "resolution_rate": 0.3,
    "satisfaction_rate": 0.4,
    "overdue_penalty": 0.2,
    "reopen_penalty": 0.2,
}
# A corrective action's effect: this many days before it started against as many after it
# was completed (or started, while under way).
HEARLINE_ACTION_WINDOW_DAYS = int(os.environ.get("HEARLINE_ACTION_WINDOW_DAYS", "90"))
