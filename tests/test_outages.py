"""Outages readers and editors barely notice: the shared cache (Redis) or the database going away.

The cache outage is a real Redis client pointed at a closed port on 127.0.0.1 (no Redis server is
needed); the database outage is a connection that refuses to open."""

import logging
import socket

import pytest
from django.db import OperationalError, connection
from django.test import Client

from guides import page_cache
from guides.models import Step

pytestmark = pytest.mark.django_db
LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class CacheOutage:
    """The cache becomes a Redis that does not answer; `end()` brings the original cache back
    with its data, as a Redis that was only unreachable would come back."""

    def __init__(self, settings):
        self.settings = settings

    def begin(self):
        self.settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }

    def end(self):
        self.settings.CACHES = LOCAL_CACHE
        page_cache.shared_cache.retry_at = 0  # the next request asks again, without waiting


@pytest.fixture
def cache_outage(settings):
    return CacheOutage(settings)


@pytest.fixture
def reader():
    return Client(raise_request_exception=False)


@pytest.fixture
def database_outage(monkeypatch):
    """Call it to make every new database query fail as when PostgreSQL is unreachable."""

    def unreachable():
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused")

    return lambda: monkeypatch.setattr(connection, "ensure_connection", unreachable)


def test_readers_get_every_page_during_a_cache_outage_and_it_is_logged_once_each_way(
    reader, cache_outage, public_urls, caplog, monkeypatch
):
    monkeypatch.setattr(page_cache, "RETRY_SECONDS", 0)  # every request asks the cache again
    cache_outage.begin()
    caplog.set_level(logging.WARNING, logger="guides.page_cache")
    for url in public_urls * 2:
        assert reader.get(url).status_code == 200, url
    down = [record for record in caplog.records if "Shared cache unreachable" in record.getMessage()]
    assert len(down) == 1
    assert "Connection refused" in down[0].getMessage()
    assert not down[0].exc_info  # one line, not a traceback

    cache_outage.end()
    for url in public_urls:
        assert reader.get(url).status_code == 200, url
    assert sum("Shared cache answers again" in record.getMessage() for record in caplog.records) == 1
    assert len(caplog.records) == 2


def test_a_save_while_the_cache_is_down_keeps_the_edit_and_pages_are_renewed_when_it_returns(
    editor_client, change_form_data, approve, reader, cache_outage
):
    step = Step.objects.get(slug="warm-up")
    assert "ten minutes" not in reader.get(step.get_absolute_url()).content.decode()  # now cached
    url, data = change_form_data(editor_client, step)

    cache_outage.begin()
    response = editor_client.post(url, dict(data, body="Walk for **ten minutes** first."))
    assert response.status_code == 302
    approve(step)  # the clinical reviewer signs it off, the cache still down: it is published
    step.refresh_from_db()
    assert step.body == "Walk for **ten minutes** first."
    assert "Walk for <strong>ten minutes</strong>" in reader.get(step.get_absolute_url()).content.decode()

    cache_outage.end()  # the cache is back, still holding the page from before the edit
    assert "Walk for <strong>ten minutes</strong>" in reader.get(step.get_absolute_url()).content.decode()


def test_with_the_database_down_a_page_read_before_answers_200_and_one_never_read_the_styled_503(
    reader, database_outage
):
    before = reader.get("/faq/")
    assert before.status_code == 200
    page_cache.content_changed()  # the shared copy is out of date now: only the last good copy is left

    database_outage()
    again = reader.get("/faq/")
    assert again.status_code == 200
    assert again.content == before.content
    never_read = reader.get("/tips/")
    assert never_read.status_code == 503
    html = never_read.content.decode()
    assert "<h1>Sorry, this page is not available right now</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert "call 999" in html and "112" in html and "911" in html
    assert never_read["Retry-After"] == "30"


def test_staff_get_the_styled_503_too_when_the_database_is_down(editor_client, database_outage):
    editor_client.raise_request_exception = False
    database_outage()
    response = editor_client.get("/admin/")
    assert response.status_code == 503
    assert "call 999" in response.content.decode()


@pytest.mark.parametrize(
    "header, encoding",
    [
        ("gzip", "gzip"),
        ("gzip, deflate, br", "br"),
        ("GZIP;q=0.5", "gzip"),
        ("*", "br"),
        ("", None),
        ("identity", None),
        ("br", "br"),
        ("nogzip", None),
        ("gzip;q=0", None),
        ("gzip;q=0.0, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("*, gzip;q=0", "br"),
        ("*, br;q=0", "gzip"),
        ("gzip;q=nonsense", None),
    ],
)
def test_each_reader_gets_the_encoding_they_asked_for_and_the_cache_keeps_them_apart(header, encoding):
    first, br_reader, gzip_reader, plain_reader = Client(), Client(), Client(), Client()
    response = first.get("/faq/", headers={"accept-encoding": header})
    assert response.get("Content-Encoding") == encoding
    # A second reader of each kind, served from the cache the first one filled.
    assert br_reader.get("/faq/", headers={"accept-encoding": "br"})["Content-Encoding"] == "br"
    assert gzip_reader.get("/faq/", headers={"accept-encoding": "gzip"})["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in plain_reader.get("/faq/", headers={"accept-encoding": "identity"})


def test_expected_403s_and_404s_are_logged_on_one_line_each(reader, monkeypatch, error_log):
    from django.core.exceptions import PermissionDenied

    def refuse(*args, **kwargs):
        raise PermissionDenied("Not for readers.")

    assert reader.get("/no-such-page/").status_code == 404
    monkeypatch.setattr("guides.views.HomeView.get", refuse)
    assert reader.get("/").status_code == 403
    lines = error_log.getvalue().splitlines()
    assert lines == ["Not Found: /no-such-page/", "Forbidden (Permission denied): / (PermissionDenied: Not for readers.)"]


def test_a_real_crash_still_logs_its_traceback(reader, monkeypatch, error_log):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("guides.views.HomeView.get", crash)
    assert reader.get("/").status_code == 500
    assert "Traceback" in error_log.getvalue() and "RuntimeError: boom" in error_log.getvalue()
