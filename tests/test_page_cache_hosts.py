"""Issue 21, point 4: the Host header's port or letter case cannot split (and so empty) the page cache."""

import pytest
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db


def stored_pages():
    return [key for key in cache._cache if "guides:page:" in key]  # LocMemCache, as the tests run


def test_the_host_headers_port_and_letter_case_do_not_split_the_page_cache(django_assert_num_queries):
    reader = Client()
    first = reader.get("/faq/", HTTP_HOST="testserver")
    assert first.status_code == 200
    assert len(stored_pages()) == 1
    for host in ("TESTSERVER", "TestServer:8080", "testserver:1", "testserver:80", "testserver:65535"):
        with django_assert_num_queries(0):  # served from the cache: no render, no SQL
            response = reader.get("/faq/", HTTP_HOST=host)
        assert response.status_code == 200
        assert response.content == first.content, host
    assert len(stored_pages()) == 1


def test_a_page_never_carries_a_port_or_letter_case_a_client_made_up():
    html = Client().get("/faq/", HTTP_HOST="TestServer:8080").content.decode()
    assert '<link rel="canonical" href="http://testserver/faq/">' in html
    assert "8080" not in html and "TestServer" not in html


def test_a_host_only_a_wildcard_allows_is_served_but_never_stored(settings):
    settings.ALLOWED_HOSTS = ["testserver", ".example.com"]
    reader = Client()
    for n in range(5):
        assert reader.get("/faq/", HTTP_HOST=f"reader{n}.example.com").status_code == 200
    assert stored_pages() == []
    reader.get("/faq/", HTTP_HOST="testserver")
    assert len(stored_pages()) == 1



def test_the_offline_workers_version_stays_the_same_through_a_cache_outage(settings):
    """A phone downloads the whole guide when the version changes: an outage of the shared cache
    (Redis) is not a change of the copy, neither when it starts nor when it ends."""
    import json
    import re
    import socket

    from guides import page_cache

    def version():
        from django.test import Client

        script = Client(raise_request_exception=False).get("/sw.js").content.decode()
        return json.loads(re.search(r"^const MANIFEST = (\{.*?\n\});$", script, re.M | re.S).group(1))["version"]

    before = version()
    local = settings.CACHES
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": f"redis://127.0.0.1:{port}/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2}}}
    during = version()
    settings.CACHES = local
    page_cache.shared_cache.retry_at = 0
    after = [version(), version()]
    assert during == before
    assert after == [before, before]
