"""Settings read from the environment.

Development (the default) runs on an embedded SQLite database under ./var. Production sets
SIFRA_ENV=production, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL (PostgreSQL); nothing secret
has a default outside development.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SIFRA_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENV = os.environ.get("SIFRA_ENV", "development")
PRODUCTION = ENV == "production"
DEBUG = os.environ.get("DEBUG", "0" if PRODUCTION else "1") == "1"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when SIFRA_ENV=production")
    SECRET_KEY = "development-only-not-secret"

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "ninja",
    "sifra.core",
    "sifra.accounts",
    "sifra.audit",
    "sifra.funds",
    "sifra.projects",
    "sifra.applications",
    "sifra.notifications",
    "sifra.documents",
    "sifra.followup",
    "sifra.evaluation",
    "sifra.repayment",
    "sifra.calculations",
    "sifra.opendata",
    "sifra.reports",
    "sifra.accounting",
    "sifra.forecasts",
    "sifra.portfolio",
    "sifra.start",  # each role's start page: reads many apps, imported by none but the API
    "sifra.demo",  # the top floor: imports every app above, imported by none
    "django_tasks",
    "django_tasks_db",
]
AUTH_USER_MODEL = "accounts.User"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "sifra.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
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
                "sifra.accounts.context_processors.nav",
                "sifra.notifications.context_processors.unread",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SIFRA_SQLITE_PATH", str(VAR_DIR / "sifra.sqlite3")),
            # IMMEDIATE takes the write lock when a transaction starts, so two ledger postings
            # are serialised instead of one failing half-way with "database is locked".
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            # A file, not shared-cache memory, so that tests see SQLite's real locking.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication -------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# --- Login protection (accounts: lockout, client address, second factor) ----------------------
# The number of reverse proxies in front of Sifra; each appends to X-Forwarded-For, and the client
# address is read that many entries from the right. 0: REMOTE_ADDR, the header ignored.
SIFRA_TRUSTED_PROXY_COUNT = int(os.environ.get("SIFRA_TRUSTED_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "sifra.accounts.client_address.client_address"
# Failures for one username from one address lock that pair for the cool-off time; failures from
# one address across all usernames lock the address (password spraying).
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
SIFRA_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIFRA_ADDRESS_FAILURE_LIMIT", "20"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_HANDLER = "sifra.accounts.lockout.LockoutHandler"
AXES_LOCKOUT_CALLABLE = "sifra.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
# The second factor (TOTP) for the coordinator, decision maker and economist: required in
# production unless turned off, off in development, the demo and the tests unless turned on.
SIFRA_REQUIRE_2FA = os.environ.get("SIFRA_REQUIRE_2FA", "1" if PRODUCTION else "0") == "1"
OTP_TOTP_ISSUER = "Sifra"
# --- end of login protection ---------------------------------------------------------------------

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
CSRF_FAILURE_VIEW = "sifra.core.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = os.environ.get("SECURE_SSL_REDIRECT", "1") == "1"
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = os.environ.get("SECURE_HSTS_INCLUDE_SUBDOMAINS", "1") == "1"
    SECURE_HSTS_PRELOAD = os.environ.get("SECURE_HSTS_PRELOAD", "0") == "1"
    if not SECURE_HSTS_PRELOAD:
        # Preloading is decided for the whole domain by whoever owns it (the municipality),
        # not by one app on a subdomain; SECURE_HSTS_PRELOAD=1 where it has been decided.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]

# --- Content-Security-Policy and Permissions-Policy (issue 9, headers) ----------------------
# Pages load scripts, styles and images only from this application; no inline script or style
# and no eval (Vega draws with its CSP-safe expression interpreter, htmx's eval is off). The
# API's Swagger UI page is the only exception; see sifra/api/api.py.
from csp.constants import NONE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
# Browser features Sifra never uses, switched off for the page and anything it might embed.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
        "serial",
        "xr-spatial-tracking",
    )
}
# Right after SecurityMiddleware, so that responses made by later middleware (a lockout, a
# redirect) carry the headers too.
_AFTER_SECURITY = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE[_AFTER_SECURITY:_AFTER_SECURITY] = [
    "csp.middleware.CSPMiddleware",
    "sifra.core.middleware.PermissionsPolicyMiddleware",
]

# --- Language and formats -------------------------------------------------------------------
LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Swedish")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "sifra" / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Stockholm"

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production WhiteNoise finds the files in the apps (no collectstatic), so the demo runs
# with DEBUG off and shows the app's own error pages rather than Django's debug pages.
WHITENOISE_USE_FINDERS = not PRODUCTION
# Uploaded files live here, outside the web root: no URL serves this folder; the app hands a
# file only to those allowed to see its project.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "files"))
SIFRA_MAX_UPLOAD_MB = int(os.environ.get("SIFRA_MAX_UPLOAD_MB", "20"))

# Validate every chart's Vega-Lite specification against the schema as it is built. The specs
# come from code, not from users, and the test suite builds each one with this on; off, a
# page is spared Altair's schema walk (about half of a chart's cost).
SIFRA_VALIDATE_CHARTS = os.environ.get("SIFRA_VALIDATE_CHARTS", "0") == "1"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "0") == "1"
# In development, emails are written as files here instead of being sent.
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", VAR_DIR / "mail"))
# Background work (reminders, heavy calculations): Django's Tasks API through the django-tasks
# backport, stored in the database and run by `sifra db_worker`. SIFRA_TASKS_BACKEND=immediate
# runs them inline.
TASKS = {
    "default": {
        "BACKEND": {
            "database": "django_tasks_db.DatabaseBackend",
            "immediate": "django_tasks.backends.immediate.ImmediateBackend",
        }[os.environ.get("SIFRA_TASKS_BACKEND", "database")],
    }
}

# `sifra backup` writes JSON lines with times to the microsecond (sifra/core/serializers.py).
SERIALIZATION_MODULES = {"sifra-jsonl": "sifra.core.serializers"}

DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "sifra@localhost")
# Links in emails: the address people reach Sifra at.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {name: {"level": "WARNING"} for name in ("axes", "weasyprint", "fontTools")},
}

# --- Open data (360Giving) ------------------------------------------------------------------------
# The grant identifiers' prefix 360Giving registers for the publisher (360G-…); until one is
# registered it is built from the municipality's name. The licence of the published data.
SIFRA_360GIVING_PREFIX = os.environ.get("SIFRA_360GIVING_PREFIX", "")
SIFRA_OPEN_DATA_LICENSE = os.environ.get(
    "SIFRA_OPEN_DATA_LICENSE", "https://creativecommons.org/publicdomain/zero/1.0/"
)
