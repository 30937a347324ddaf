"""Settings for mathpath.

One module for every environment. Everything that differs between a laptop and
production comes from environment variables, read through the small helpers
below so that a typo (DEBUG=ture) fails loudly instead of silently.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use true or false).")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number.") from None


# Off unless told otherwise: `make run` says DEBUG=true, and so does tests/settings.py.
DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off. "
            "For local development run with DEBUG=true (the Makefile does)."
        )
    # Development only: a fixed key keeps sessions alive across restarts.
    SECRET_KEY = "dev-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    # SimpleAppConfig: we wire the partials loader and builtins ourselves (below),
    # the same shape Django 6's built-in partials use.
    "template_partials.apps.SimpleAppConfig",
    "simple_history",
    "allauth",
    "allauth.account",
    "accounts",
    "roadmap",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PrivateCacheMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Inside HtmxMiddleware (it reads request.htmx): any 4xx page answered to htmx becomes a fragment.
    "roadmap.web.htmx_errors.HtmxErrorMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

_loaders = [
    "django.template.loaders.filesystem.Loader",
    "django.template.loaders.app_directories.Loader",
]
if not DEBUG:
    _loaders = [("django.template.loaders.cached.Loader", _loaders)]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
            "loaders": [("template_partials.loader.Loader", _loaders)],
            "builtins": ["template_partials.templatetags.partials"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a shell write at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    # Progress's covering index (roadmap/models/progress.py) is for PostgreSQL.
    # SQLite builds it without the included columns: a plain index on the learner,
    # redundant beside the unique (learner, topic) one, and harmless.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that stops answering fails requests (and /healthz, with a 503)
    # within seconds instead of hanging workers until gunicorn kills them.
    # ?connect_timeout= in DATABASE_URL takes precedence.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DB_CONNECT_TIMEOUT", 5)
    )

# Sessions, cache and rate-limit counters live in the database by default so
# app servers stay stateless; CACHE_URL can point at Redis instead.
# Rendered pages get a cache of their own: when it fills up, it evicts pages,
# never the rate-limit counters or map layouts kept in the default cache.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mathpath_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("CACHE_MAX_ENTRIES", 20_000)},
    },
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "mathpath_page_cache",
        "OPTIONS": {"MAX_ENTRIES": env_int("PAGE_CACHE_MAX_ENTRIES", 5_000)},
    },
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"


def _redis_url(name: str, default: str = "") -> str:
    url = os.environ.get(name) or default
    if url and not url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"{name}={url!r} is not a Redis URL (redis://host:6379/0). "
            "Leave it unset to keep the cache in the database."
        )
    return url


_cache_url = _redis_url("CACHE_URL")
if _cache_url:
    # Both caches on Redis, told apart by key prefix (CACHE_KEY_PREFIX lets two sites
    # share one Redis). Redis evicts across the whole server, prefixes or database
    # numbers alike, so pages cannot be fenced off from the counters inside one
    # Redis: README "Redis" says why allkeys-lru keeps the counters that matter,
    # and PAGE_CACHE_URL can give pages a Redis of their own.
    # FailSoftRedisCache logs and carries on as an empty cache while Redis is
    # unreachable; the short timeouts keep a Redis that stopped answering from
    # holding requests (one LAN round trip is well under a millisecond).
    _prefix = os.environ.get("CACHE_KEY_PREFIX", "mathpath")
    _redis = {
        "BACKEND": "config.redis_cache.FailSoftRedisCache",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    CACHES = {
        "default": {**_redis, "LOCATION": _cache_url, "KEY_PREFIX": f"{_prefix}:cache"},
        "pages": {
            **_redis,
            "LOCATION": _redis_url("PAGE_CACHE_URL", _cache_url),
            "KEY_PREFIX": f"{_prefix}:pages",
        },
    }
    # Sessions are read from Redis and written to both: the database row stays the
    # truth, so a Redis outage, flush or eviction never signs a learner out (a miss
    # reads the row again). Signing out deletes the row and the cached copy; a copy
    # Redis could not delete then is deleted when it answers again (redis_cache.py).
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    SESSION_CACHE_ALIAS = "default"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# allauth's backend alone, loading the user's profile with the user. Nothing signs in by
# username and password: the admin's login is the site's (accounts.views.admin_login),
# so every password check goes through allauth's rate limits.
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "home"

# Accounts: email + password, with a username for the public progress page;
# either signs in (accounts/forms.py LoginForm says "Email or username").
ACCOUNT_LOGIN_METHODS = {"email", "username"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_USERNAME_VALIDATORS = "accounts.usernames.validators"  # plain ASCII: no look-alikes
ACCOUNT_EMAIL_VERIFICATION = os.environ.get("ACCOUNT_EMAIL_VERIFICATION", "optional")
# One account per address, verified or not: an address another account holds cannot be
# added, an unverified one is never made primary, and an address logs in or resets a
# password only where it is verified or primary (accounts/email_addresses.py, and the
# forms below). Password reset still never says whether an address is registered.
ACCOUNT_UNIQUE_EMAIL = True
# A new learner starts at "Find my level", whose intro also offers the dashboard instead.
ACCOUNT_SIGNUP_REDIRECT_URL = "placement"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {
    "login": "accounts.forms.LoginForm",
    "signup": "accounts.forms.SignupForm",
    "add_email": "accounts.forms.AddEmailForm",
    "reset_password": "accounts.forms.ResetPasswordForm",
}
# Off: a code mailed to an address would sign in whoever holds it. (ACCOUNT_CHANGE_EMAIL
# stays off too: with optional verification it takes a learner's unverified sign-up
# address for a pending change and drops it when they add another.)
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
}
# Behind N reverse proxies, the client is the Nth address from the right of
# X-Forwarded-For; without this every visitor shares the proxy's address, and
# with it the per-IP limits above. 0 (direct) ignores the header, which clients can forge.
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "mathpath <noreply@localhost>")

# Security. Production (DEBUG off) must pass `check --deploy --fail-level WARNING`.
# A strict Content Security Policy: no inline script, no eval, no inline styles.
# htmx is configured (meta htmx-config in base.html) to inject no styles and
# never eval; charts and bars are SVG attributes, not style="".
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}
PERMISSIONS_POLICY = {
    "camera": [],
    "microphone": [],
    "geolocation": [],
    "payment": [],
    "usb": [],
    "clipboard-write": ["self"],
}
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# A form refused for its CSRF token gets a page of the site that says nothing was saved.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # /healthz is probed over plain HTTP by load balancers.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# The roadmap served at / and /dashboard/ when several exist.
MATHPATH_DEFAULT_ROADMAP = os.environ.get("MATHPATH_DEFAULT_ROADMAP", "math-for-ml")
# A topic left at "learning" this long with no practice is flagged as
# "watched but not practised" (the seed's false sense of proficiency).
MATHPATH_STALE_LEARNING_DAYS = env_int("MATHPATH_STALE_LEARNING_DAYS", 7)
# Rendered learner pages (dashboard, map, shared page, badge) are cached until
# anything they show changes (roadmap/page_cache.py). Changes driven by the
# clock alone, such as a review falling due mid-day, show within this time.
MATHPATH_PAGE_CACHE_SECONDS = env_int("MATHPATH_PAGE_CACHE_SECONDS", 300)
# Each app process keeps recently served pages in memory, up to this size, in
# front of the shared cache. 0 turns the in-process layer off.
MATHPATH_PAGE_CACHE_MEMORY_BYTES = env_int("MATHPATH_PAGE_CACHE_MEMORY_BYTES", 32 * 1024 * 1024)
