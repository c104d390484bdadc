"""Django settings for Chronicle, read from the environment (see docs/operating.md)."""

from __future__ import annotations

import secrets
import sys
import warnings
from pathlib import Path

from csp.constants import NONCE, NONE, SELF

from chronicle.accounts.network import parse_networks
from chronicle.env import (
    SettingError,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_secret,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("CHRONICLE_VAR_DIR", str(BASE_DIR / "var")))

TESTING = "pytest" in sys.modules
DEBUG = env_bool("CHRONICLE_DEBUG", False)
# The demo (make run) is the only place two-factor sign-in may be off by default
# and the only place a secret key is generated on the fly.
DEMO = env_bool("CHRONICLE_DEMO", False)
REQUIRE_2FA = env_bool("CHRONICLE_REQUIRE_2FA", not DEMO)
# Behind HTTPS (every real deployment): secure cookies, HSTS and redirects to https.
HTTPS = env_bool("CHRONICLE_HTTPS", not DEBUG and not TESTING)


def _secret_key() -> str:
    key = env_secret("CHRONICLE_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise SettingError("CHRONICLE_SECRET_KEY must be at least 50 characters")
        return key
    # Never in the repository: generated once per machine under var/ by the demo (make run).
    path = VAR_DIR / "secret_key"
    if DEMO or DEBUG or TESTING:
        if not path.exists():
            VAR_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(64))
            path.chmod(0o600)
        return path.read_text().strip()
    if path.exists():
        # After `make run`, commands run from the checkout use the demo's key and database.
        return path.read_text().strip()
    raise SettingError(
        f"CHRONICLE_SECRET_KEY (or CHRONICLE_SECRET_KEY_FILE) must be set; or run `make run` once "
        f"to make the demo's key in {VAR_DIR}"
    )


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("CHRONICLE_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CHRONICLE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "chronicle.audit.admin_apps.AuditedAdminConfig",  # django.contrib.admin, audited
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "simple_history",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "chronicle.ui",
    "chronicle.accounts",
    "chronicle.audit",
    "chronicle.incidents",
    "chronicle.chronologies",
    "chronicle.composite",
    "chronicle.reviews",
    "chronicle.learning",
    "chronicle.jobs",
    "chronicle.oversight",
    "chronicle.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "chronicle.web.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chronicle.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Work longer than a page view runs as a task, stored in the database and run by
# `chronicle db_worker` (started beside the server by `make run` and `chronicle serve`).
TASKS = {
    "default": {
        "BACKEND": env_str("CHRONICLE_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Files the worker makes (Panel packs, composite chronologies) are kept this many days, then deleted.
EXPORTS_DIR = VAR_DIR / "exports"
EXPORT_KEEP_DAYS = env_int("CHRONICLE_EXPORT_KEEP_DAYS", 7, minimum=1)
# A running task with no sign of life for this long, on a worker on another machine, is retried.
TASK_STALE_MINUTES = env_int("CHRONICLE_TASK_STALE_MINUTES", 15, minimum=1)

ROOT_URLCONF = "chronicle.urls"
WSGI_APPLICATION = "chronicle.wsgi.application"
AUTH_USER_MODEL = "accounts.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "chronicle" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "chronicle.web.context_processors.chronicle",
            ],
        },
    },
]
FORM_RENDERER = "chronicle.ui.forms.GovukFormRenderer"

DATABASES = {
    "default": database_from_url(
        env_str("CHRONICLE_DATABASE_URL", f"sqlite:///{VAR_DIR / 'chronicle.sqlite3'}"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "sign-in"
LOGIN_REDIRECT_URL = "dashboard"

# Sessions end after 30 minutes without activity; each request renews the clock.
SESSION_IDLE_MINUTES = env_int("CHRONICLE_SESSION_IDLE_MINUTES", 30, minimum=1)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env_bool("CHRONICLE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Ask browsers' HSTS preload lists to include the domain (https://hstspreload.org): only once every
# subdomain serves HTTPS, since leaving the list takes months.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("CHRONICLE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Browser features no page uses, refused by the Permissions-Policy header (chronicle.web.middleware).
PERMISSIONS_POLICY_DENIED = [
    "accelerometer", "autoplay", "browsing-topics", "camera", "display-capture", "geolocation",
    "gyroscope", "hid", "magnetometer", "microphone", "midi", "payment", "publickey-credentials-get",
    "screen-wake-lock", "serial", "usb", "xr-spatial-tracking",
]  # fmt: skip

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# The client's address is read from X-Forwarded-For only when the request comes from one of these
# proxies (addresses or networks); otherwise it is the connection's address (docs/operating.md).
TRUSTED_PROXIES = env_list("CHRONICLE_TRUSTED_PROXIES", [])
try:
    parse_networks(TRUSTED_PROXIES)
except ValueError as error:
    raise SettingError(f"CHRONICLE_TRUSTED_PROXIES: {error}") from None

# django-axes: lock one account from one address after repeated failed sign-ins. Never by address
# alone: everyone behind a proxy shares one, and one person's typing would lock out them all.
AXES_FAILURE_LIMIT = env_int("CHRONICLE_LOCKOUT_FAILURES", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("CHRONICLE_LOCKOUT_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "chronicle.accounts.network.client_ip"
# Many failures from one address (any accounts) slow its attempts down instead (accounts/throttle.py).
SIGN_IN_THROTTLE_FAILURES = env_int("CHRONICLE_SIGN_IN_THROTTLE_FAILURES", 20, minimum=1)
SIGN_IN_THROTTLE_SECONDS = env_int("CHRONICLE_SIGN_IN_THROTTLE_SECONDS", 5, minimum=1)
AXES_USERNAME_FORM_FIELD = "username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

OTP_TOTP_ISSUER = "Chronicle"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = False
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "chronicle" / "static"]
# WhiteNoise serves straight from the source folders: no collectstatic step to forget.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
UPLOAD_MAX_MB = env_int("CHRONICLE_UPLOAD_MAX_MB", 25, minimum=1)
DATA_UPLOAD_MAX_MEMORY_SIZE = (UPLOAD_MAX_MB + 1) * 1024 * 1024

EMAIL_BACKEND = env_str(
    "CHRONICLE_EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEMO or DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("CHRONICLE_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("CHRONICLE_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("CHRONICLE_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_secret("CHRONICLE_EMAIL_PASSWORD") or ""
EMAIL_USE_TLS = env_bool("CHRONICLE_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("CHRONICLE_FROM_EMAIL", "chronicle@localhost")
SITE_URL = env_str("CHRONICLE_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("CHRONICLE_LOG_LEVEL", "WARNING")},
}

# WhiteNoise serves from the finders; a missing STATIC_ROOT (no collectstatic yet) is expected.
warnings.filterwarnings("ignore", message="No directory at")
