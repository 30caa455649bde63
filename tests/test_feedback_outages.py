"""Issue 21, point 5: with the shared cache (Redis) down or hanging, feedback posts stay quick,
the outage is one log line, and each address is still limited (by this process)."""

import socket
import time

import pytest
from django.test import Client

from guides.models import Step
from feedback import protection
from feedback_fields import answer_fields

pytestmark = pytest.mark.django_db
SEND = "/feedback/"


@pytest.fixture
def hanging_redis(settings):
    """A Redis that accepts connections and never answers (the kernel completes the handshake)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    settings.CACHES = {"default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"redis://127.0.0.1:{server.getsockname()[1]}/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }}
    yield
    server.close()
    protection.local_counts.counts.clear()  # this process's counts would outlive the test


def test_with_redis_hanging_posts_are_quick_logged_once_and_still_limited_per_address(
    guide, settings, hanging_redis, error_log
):
    settings.FEEDBACK_RATE_LIMIT = 3
    step = Step.objects.get(slug="engage-your-core")
    fields = answer_fields(step)
    reader = Client(raise_request_exception=False)
    reader.post(SEND, fields)  # the first post finds the outage (one socket timeout)
    started = time.monotonic()
    statuses = [reader.post(SEND, fields).status_code for _ in range(4)]
    assert time.monotonic() - started < 0.5  # four posts: none waits on the cache again
    assert statuses == [200, 200, 429, 429]  # the limit holds, kept by this process meanwhile
    log = error_log.getvalue()
    assert "Traceback" not in log
    assert len([line for line in log.splitlines() if "cache" in line.lower()]) == 1
