"""GET /healthz: what a load balancer polls to decide whether this instance gets traffic."""

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_health_check_answers_ok_when_the_database_answers(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}


@pytest.mark.parametrize("broken", ["ensure_connection", "cursor"], ids=["unreachable", "query-fails"])
def test_health_check_answers_503_when_the_database_cannot_be_reached_or_queried(client, monkeypatch, broken):
    def fail(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(connection, broken, fail)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


def test_health_check_says_the_cache_is_down_but_keeps_the_instance_in_service(client, monkeypatch):
    from django.core.cache import cache

    def unreachable(*args, **kwargs):
        raise ConnectionError("Error 111 connecting to cache.internal:6379. Connection refused.")

    monkeypatch.setattr(cache, "get", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_health_check_is_never_cached_and_sets_no_cookie(client):
    response = client.get("/healthz")
    assert "no-store" in response.headers["Cache-Control"]
    assert "max-age=0" in response.headers["Cache-Control"]
    assert not response.cookies


def test_health_check_works_on_plain_http_while_the_site_redirects_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/").status_code == 301
    assert client.get("/healthz").status_code == 200


def test_health_check_answers_head_and_refuses_to_change_anything(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
