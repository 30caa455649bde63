"""The test run's settings: the production settings, with the few things only tests change.

pytest uses this module (pyproject.toml); `manage.py`, gunicorn and `make run` never do. It is the
one place tests differ from production, so `settings.py` has no "am I under pytest?" branch.
"""

import os

# Production refuses to start without a secret key; tests need no real one.
os.environ.setdefault("DJANGO_SECRET_KEY", "django-insecure-test-only-key")

from backcare.settings import *  # noqa: E402, F403  (the one star import: everything else is production's)

ALLOWED_HOSTS = ALLOWED_HOSTS or ["localhost", "127.0.0.1", "[::1]"]  # noqa: F405

# Tests create over a hundred users: the default hasher's 1.5 M iterations would cost minutes.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The test client and the live server speak plain HTTP.
SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "0") == "1"

# Each test process has its own memory cache unless a test run is pointed at Redis.
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
