"""guides/source_checks.py against a local web server: never the internet."""

import socket
import threading
import time
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from guides.source_checks import (
    BROKEN,
    CHANGED,
    MOVED,
    OK,
    check_address,
    check_addresses,
    default_user_agent,
    parse_date,
    review_date_in,
)

NHS_PAGE = """<!doctype html><html><body><main><h1>Back pain</h1></main>
<div class="nhsuk-review-date"><p class="nhsuk-body-s">
  Page last reviewed: 12 March 2024<br>Next review due: 12 March 2027</p></div></body></html>"""
META_PAGE = '<html><head><meta content="2023-11-02" name="DC.date.modified"></head><body>Hi</body></html>'
JSON_LD_PAGE = """<html><head><script type="application/ld+json">
{"@context": "https://schema.org", "@type": "MedicalWebPage", "dateModified": "2025-01-09T10:00:00+00:00"}
</script></head><body>Hi</body></html>"""

ROUTES = {
    "/ok": (200, {}, NHS_PAGE),
    "/meta": (200, {}, META_PAGE),
    "/json-ld": (200, {}, JSON_LD_PAGE),
    "/missing": (404, {}, "Not here"),
    "/error": (500, {}, "Oops"),
    "/old": (301, {"Location": "/ok"}, ""),
    "/older": (302, {"Location": "/old"}, ""),
    "/to-file": (301, {"Location": "file:///etc/passwd"}, ""),
    "/loop": (301, {"Location": "/loop"}, ""),
    "/leaflet.pdf": (200, {"Content-Type": "application/pdf"}, "%PDF Page last reviewed: 1 May 2020"),
}


class Handler(BaseHTTPRequestHandler):
    requests = []

    def do_HEAD(self):
        self.answer(send_body=False)

    def do_GET(self):
        self.answer(send_body=True)

    def answer(self, send_body):
        Handler.requests.append((self.command, self.path, self.headers.get("User-Agent")))
        if self.path == "/slow":
            time.sleep(1.5)
        if self.path == "/no-head" and self.command == "HEAD":
            status, headers, body = 405, {}, ""
        elif self.path in ("/no-head", "/slow"):
            status, headers, body = 200, {}, NHS_PAGE
        else:
            status, headers, body = ROUTES.get(self.path, (404, {}, ""))
        headers = dict(headers)
        payload = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", headers.pop("Content-Type", "text/html; charset=utf-8"))
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if send_body:
            self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def requests_seen():
    Handler.requests.clear()
    return Handler.requests


def check(url, **kwargs):
    return check_address(url, timeout=kwargs.pop("timeout", 1), user_agent="backcare-test", **kwargs)


def test_a_page_that_answers_is_ok_and_its_review_date_is_read(server):
    result = check(f"{server}/ok")

    assert result.status == OK
    assert result.http_status == 200
    assert result.reviewed_on == date(2024, 3, 12)
    assert not result.is_problem


def test_a_page_is_asked_for_with_head_then_get_with_a_polite_user_agent(server, requests_seen, settings):
    settings.BACKCARE_SITE_URL = "https://backcare.example"

    check_address(f"{server}/ok", timeout=1)

    assert [(method, path) for method, path, _ in requests_seen] == [("HEAD", "/ok"), ("GET", "/ok")]
    assert all(agent == default_user_agent() for *_, agent in requests_seen)
    assert "backcare" in default_user_agent() and "https://backcare.example" in default_user_agent()


@pytest.mark.parametrize("path, status", [("/missing", 404), ("/error", 500)])
def test_a_page_answering_with_an_error_is_broken_without_a_second_request(server, requests_seen, path, status):
    result = check(f"{server}{path}")

    assert result.status == BROKEN
    assert result.http_status == status
    assert str(status) in result.detail
    assert [method for method, *_ in requests_seen] == ["HEAD"]


def test_a_server_that_refuses_head_is_asked_again_with_get(server, requests_seen):
    result = check(f"{server}/no-head")

    assert result.status == OK
    assert result.reviewed_on == date(2024, 3, 12)
    assert [method for method, *_ in requests_seen] == ["HEAD", "GET"]


@pytest.mark.parametrize("path", ["/old", "/older"])
def test_a_redirect_to_another_address_is_reported_as_moved_with_where_it_went(server, path):
    result = check(f"{server}{path}")

    assert result.status == MOVED
    assert result.final_url == f"{server}/ok"
    assert f"{server}/ok" in result.detail
    assert result.reviewed_on == date(2024, 3, 12)


def test_a_page_that_does_not_answer_in_time_is_broken(server):
    started = time.monotonic()
    result = check(f"{server}/slow", timeout=0.3)

    assert result.status == BROKEN
    assert "0.3 seconds" in result.detail
    assert time.monotonic() - started < 1.2


def test_a_host_that_refuses_connections_is_broken():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]

    result = check(f"http://127.0.0.1:{port}/page")

    assert result.status == BROKEN
    assert result.detail.startswith("Could not connect")


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a", "javascript:alert(1)", "not a url"])
def test_addresses_that_are_not_web_addresses_are_refused_without_being_opened(url):
    result = check(url)

    assert result.status == BROKEN
    assert "only http and https" in result.detail


def test_a_redirect_to_a_file_address_is_never_followed(server, requests_seen):
    result = check(f"{server}/to-file")

    assert result.status == BROKEN
    assert "file:///etc/passwd" in result.detail
    assert [path for _, path, _ in requests_seen] == ["/to-file"]


def test_endless_redirects_are_broken_after_a_few_hops(server, requests_seen):
    result = check(f"{server}/loop")

    assert result.status == BROKEN
    assert "redirects" in result.detail
    assert len(requests_seen) == 6


def test_a_new_review_date_is_reported_as_changed_with_both_dates(server):
    result = check(f"{server}/ok", last_reviewed=date(2021, 6, 1))

    assert result.status == CHANGED
    assert result.reviewed_on == date(2024, 3, 12)
    assert "12 March 2024" in result.detail and "1 June 2021" in result.detail


def test_the_same_review_date_as_last_time_is_ok(server):
    assert check(f"{server}/ok", last_reviewed=date(2024, 3, 12), checked_on=date(2024, 3, 12)).status == OK


def test_a_page_reviewed_after_an_editor_last_checked_it_stays_changed_until_they_check_again(server):
    result = check(f"{server}/ok", last_reviewed=date(2024, 3, 12), checked_on=date(2024, 1, 31))

    assert result.status == CHANGED
    assert "after we last checked it on 31 January 2024" in result.detail
    assert check(f"{server}/ok", last_reviewed=date(2024, 3, 12), checked_on=date(2024, 4, 1)).status == OK


@pytest.mark.parametrize("path, reviewed_on", [("/meta", date(2023, 11, 2)), ("/json-ld", date(2025, 1, 9))])
def test_the_review_date_is_also_read_from_meta_tags_and_json_ld(server, path, reviewed_on):
    assert check(f"{server}/{path.lstrip('/')}").reviewed_on == reviewed_on


def test_a_page_that_is_not_html_is_ok_without_a_review_date(server):
    result = check(f"{server}/leaflet.pdf", last_reviewed=date(2019, 1, 1))

    assert result.status == OK
    assert result.reviewed_on is None


def test_each_address_is_asked_for_once_and_a_host_is_not_hurried(server, requests_seen):
    started = time.monotonic()
    results = check_addresses(
        [(f"{server}/ok", None, None), (f"{server}/missing", None, None), (f"{server}/ok", None, None)],
        timeout=1,
        user_agent="backcare-test",
        pause=0.4,
    )

    assert {url: result.status for url, result in results.items()} == {
        f"{server}/ok": OK,
        f"{server}/missing": BROKEN,
    }
    assert [path for _, path, _ in requests_seen] == ["/ok", "/ok", "/missing"]
    assert time.monotonic() - started >= 0.4


@pytest.mark.parametrize(
    "page, reviewed_on",
    [
        ("<p>Page last reviewed: 12 March 2024</p>", date(2024, 3, 12)),
        ("<p>Page last reviewed: <span>3 Sept 2023</span></p>", date(2023, 9, 3)),
        ("<footer>Last reviewed: 1st February 2022</footer>", date(2022, 2, 1)),
        ("<footer>Last reviewed on June 5, 2024</footer>", date(2024, 6, 5)),
        ("<small>Last reviewed 05/06/2024</small>", date(2024, 6, 5)),
        ("<small>Last reviewed: March 2024</small>", date(2024, 3, 1)),
        ("<small>Last Reviewed - 2024-07-30</small>", date(2024, 7, 30)),
        ("<meta name='dc.date.modified' content='2021-04-03T09:00:00Z'>", date(2021, 4, 3)),
        ('<script type="application/ld+json">{"lastReviewed": "2020-02-02"}</script>', date(2020, 2, 2)),
        ("<p>Last reviewed: soon</p><meta name=DC.date.modified content=2019-01-01>", date(2019, 1, 1)),
        ("<p>Nothing about dates here.</p>", None),
        ("<p>Last reviewed: 31 February 2024</p>", None),
        ("", None),
    ],
)
def test_review_dates_are_read_forgivingly(page, reviewed_on):
    assert review_date_in(page) == reviewed_on


def test_the_visible_review_line_is_trusted_over_a_modified_date():
    page = '<meta name="DC.date.modified" content="2025-05-05"><p>Page last reviewed: 12 March 2024</p>'

    assert review_date_in(page) == date(2024, 3, 12)


def test_dates_without_a_known_month_are_not_guessed():
    assert parse_date("12 Smarch 2024") is None


def test_an_address_with_a_space_in_its_host_is_broken_not_an_exception():
    assert check("http://exa mple.org/page").status == BROKEN
