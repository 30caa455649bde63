"""With DEBUG on (`make run`), readers' own 404 and 500 pages, not Django's technical ones; the detail
goes to the console log."""

import logging

import pytest
from django.db import OperationalError
from django.test import Client

from guides import views as guide_views


@pytest.fixture
def development(settings):
    settings.DEBUG = True
    return Client(raise_request_exception=False)


def test_in_development_an_unknown_address_gets_the_sites_own_404_and_the_reason_goes_to_the_log(
    development, guide, caplog
):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = development.get("/guide/no-such-step/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in html and 'class="urgent-link"' in html
    assert "DEBUG = True" not in html and "URLconf" not in html and "No step found" not in html
    assert "Content-Security-Policy" in response.headers
    assert "No step found with that address." in caplog.text  # the Http404's reason, for the developer


def test_in_development_an_address_no_url_matches_gets_the_sites_own_404(development, guide):
    response = development.get("/no/such/page/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
    assert "Using the URLconf" not in response.content.decode()


def test_in_development_a_missing_slash_and_a_moved_page_still_redirect(development, guide):
    assert development.get("/faq").status_code == 301


def test_in_development_an_error_gets_the_sites_own_500_and_the_traceback_goes_to_the_log(
    development, guide, monkeypatch, caplog
):
    def broken(self, **kwargs):
        raise RuntimeError("a bug in the help page")

    monkeypatch.setattr(guide_views.HelpView, "get_context_data", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = development.get("/help/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert "a bug in the help page" not in html and "Traceback" not in html
    assert "a bug in the help page" in caplog.text
    assert any(record.exc_info for record in caplog.records)


def test_in_development_a_database_outage_still_answers_503(development, guide, monkeypatch):
    def down(self, **kwargs):
        raise OperationalError("database is down")

    monkeypatch.setattr(guide_views.HelpView, "get_context_data", down)
    response = development.get("/help/")
    assert response.status_code == 503
    assert "database is down" not in response.content.decode()


def test_in_production_error_responses_pass_through_untouched(client, guide):
    response = client.get("/guide/no-such-step/")
    assert response.status_code == 404
    assert "<h1>Page not found</h1>" in response.content.decode()
