"""Settings for backcare: one file, driven by environment variables.

Development defaults are safe: with nothing set, DEBUG is off and the site
refuses to start without DJANGO_SECRET_KEY. `make run` sets DJANGO_DEBUG=1.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent

# Months from a clinical reviewer's approval to the next review due.
BACKCARE_REVIEW_INTERVAL_MONTHS = int(os.environ.get("BACKCARE_REVIEW_INTERVAL_MONTHS", "12"))

DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1"

# The site's address as editors reach it, for links in the sign-off emails (signoff/notify.py).
BACKCARE_SITE_URL = os.environ.get("BACKCARE_SITE_URL", "http://127.0.0.1:8000")

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "django-insecure-development-only-key"
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is not 1. "
            "Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(50))'"
        )

ALLOWED_HOSTS = [
    host.strip()
    for host in os.environ.get(
        "DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else ""
    ).split(",")
    if host.strip()
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Throttle admin logins: 5 failures for one user from one IP lock that pair out for an hour.
AXES_COOLOFF_TIME = 1  # hours
AXES_FAILURE_LIMIT = 5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "admin/lockout.html"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "backcare.proxy.client_ip"
# Behind the platform's proxy, the client address is the last X-Forwarded-For entry.
BEHIND_PROXY = os.environ.get("DJANGO_BEHIND_PROXY", "") == "1"

if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            # A cache that stops answering must not hold a reader's request for long (Redis on the
            # same network answers in about a millisecond); after one timeout the site stops asking
            # it for a few seconds (guides.page_cache.SharedCacheWatch).
            "OPTIONS": {"socket_connect_timeout": 0.25, "socket_timeout": 0.25},
        }
    }
elif DEBUG:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # gunicorn's workers are separate processes: a per-process memory cache would keep serving a
    # page an editor just fixed from the other workers. Files are shared by every worker on a
    # machine; more than one machine needs REDIS_URL.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", str(BASE_DIR / ".cache")),
        }
    }

CSRF_COOKIE_SECURE = not DEBUG
CSRF_TRUSTED_ORIGINS = [
    origin.strip()
    for origin in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",")
    if origin.strip()
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue (up to 20 s) instead of failing with "database is locked"; WAL lets readers
    # carry on while one writes. https://docs.djangoproject.com/en/6.1/ref/databases/#sqlite-notes
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Backcare <noreply@localhost>")


# "Was this page helpful?": more "not helpful" answers than this in 30 days put an item on the
# review list; each address may send FEEDBACK_RATE_LIMIT answers per FEEDBACK_RATE_WINDOW seconds.
FEEDBACK_FLAG_THRESHOLD = int(os.environ.get("BACKCARE_FEEDBACK_FLAG_THRESHOLD", "3"))
FEEDBACK_RATE_LIMIT = 20
FEEDBACK_RATE_WINDOW = 10 * 60

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "axes",
    "markdownx",
    "simple_history",
    "guides",
    "signoff",
    "feedback",
]

LANGUAGE_CODE = "en-gb"

# Django's default logging prints errors only with DEBUG on; in production send them to stderr,
# which gunicorn and the platform collect (otherwise a 500's traceback would be lost).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"one_line": {"()": "backcare.log_filters.ExpectedErrorsOnOneLine"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "filters": ["one_line"]}},
    "root": {"handlers": [] if DEBUG else ["stderr"], "level": "WARNING"},
}

# Sign-off emails (signoff/notify.py): printed to the console in development; in production, SMTP
# with the settings from the environment (Django 6.1's MAILERS, not the EMAIL_* settings). A mail
# server that does not answer is logged and never stops a decision.
if DEBUG:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": os.environ.get("EMAIL_USE_TLS", "1") == "1",
                "timeout": 10,
            },
        }
    }

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "backcare.middleware.security_headers",
    "backcare.middleware.hide_static_manifest",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.http.ConditionalGetMiddleware",
    "guides.page_cache.ReaderPageCacheMiddleware",
    "backcare.middleware.ReaderPageCompression",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "backcare.middleware.DevelopmentErrorPages",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "guides.middleware.MovedPageFallbackMiddleware",
]

# Sanitize the admin's live preview with the same pipeline the pages use.
MARKDOWNX_MARKDOWNIFY_FUNCTION = "guides.markdown.render_markdown"
MARKDOWNX_URLS_PATH = "/admin/markdownx/markdownify/"
MARKDOWNX_UPLOAD_URLS_PATH = "/admin/markdownx/upload/"

ROOT_URLCONF = "backcare.urls"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],  # data: for the site's icon, which sits in each page (base.html)
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "worker-src": [CSP.SELF],  # /sw.js, which keeps the guide readable offline
}
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = os.environ.get("DJANGO_HSTS_PRELOAD", "") == "1"
SECURE_HSTS_SECONDS = 0 if DEBUG else 31_536_000
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The platform's health check polls plain HTTP (SecurityMiddleware matches the path without its leading /).
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Tests talk plain HTTP to the test client and live server; they opt in to the redirect.
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "0" if DEBUG else "1") == "1"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG

# Preloading is a promise for every subdomain that browsers keep for months, so the operator opts in;
# until then, the deploy check's reminder about it (security.W021) is a decision, not an oversight.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media")},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
    },
}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

WSGI_APPLICATION = "backcare.wsgi.application"

X_FRAME_OPTIONS = "DENY"
