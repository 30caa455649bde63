"""Hostile and broken requests get a 4xx answer and the site's own error page, never a 500.

Requests are built as raw WSGI environs, as gunicorn hands them to Django: the
path is percent-decoded into latin-1 text, the query string is left as sent.
The client enforces CSRF checks, as production does.
"""

from urllib.parse import unquote_to_bytes

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.client import BOUNDARY, FakePayload, encode_multipart

CSRF_SECRET = "k" * 32  # a well-formed token, sent as both cookie and header


def wsgi(path="/", method="GET", query="", body=b"", content_type="", csrf=False, **environ):
    """A raw WSGI environ for a request written as it travels on the wire."""
    request = {
        "REQUEST_METHOD": method,
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": FakePayload(body),
        **environ,
    }
    if csrf:
        request["HTTP_COOKIE"] = f"csrftoken={CSRF_SECRET}"
        request["HTTP_X_CSRFTOKEN"] = CSRF_SECRET
    return request


def form(fields):
    return "&".join(f"{name}={value}" for name, value in fields).encode()


BAD_HOSTS = [
    ("host-not-allowed", "evil.example.com"),
    ("host-is-an-unlisted-ip", "127.0.0.2"),
    ("host-with-non-numeric-port", "testserver:abc"),
    ("host-with-two-ports", "testserver:80:80"),
    ("host-empty", ""),
    ("host-with-userinfo", "user@testserver"),
    ("host-with-header-injection", "testserver\r\nX-Injected: 1"),
    ("host-with-path", "testserver/../evil"),
    ("host-with-nul", "testserver\x00.evil"),
    ("host-300-characters", "a" * 300),
    ("host-broken-ipv6", "[::1"),
    ("host-non-ascii", "évil.example.com"),
    ("host-with-space", "test server"),
]

NOT_FOUND_PATHS = [
    ("dot-dot-traversal", "/../../etc/passwd"),
    ("traversal-into-static", "/static/../../backcare/settings.py"),
    ("encoded-traversal", "/%2e%2e/%2e%2e/etc/passwd"),
    ("encoded-slash-traversal", "/guide/..%2f..%2fsettings/"),
    ("static-encoded-traversal", "/static/%2e%2e/%2e%2e/manage.py"),
    ("backslash-traversal", "/guide/..\\..\\settings/"),
    ("semicolon-path-parameter", "/guide/warm-up/..;/"),
    ("nul-as-slug", "/guide/%00/"),
    ("nul-after-slug", "/guide/warm-up%00/"),
    ("overlong-utf8-dots", "/%C0%AE%C0%AE/"),
    ("truncated-percent-escape", "/faq/%E0%A4%A/"),
    ("non-hex-percent-escape", "/faq/%ZZ/"),
    ("lone-percent", "/faq/%/"),
    ("invalid-utf8", "/guide/%FF%FE/"),
    ("right-to-left-override", "/guide/%E2%80%AE/"),
    ("fullwidth-slash", "/guide/%EF%BC%8F/"),
    ("path-10000-characters", "/" + "a" * 10_000),
    ("slug-5000-characters", "/guide/" + "x" * 5_000 + "/"),
    ("script-in-path", "/guide/<script>alert(1)</script>/"),
    ("sql-in-path", "/faq/' OR '1'='1/"),
    ("encoded-sql-in-path", "/faq/%27%20OR%201=1--/"),
    ("crlf-header-injection", "/tips/%0d%0aSet-Cookie:%20x=1"),
    ("protocol-relative-path", "//evil.example.com"),
    ("dotenv", "/.env"),
    ("git-config", "/.git/config"),
    ("wordpress-login", "/wp-login.php"),
    ("phpmyadmin", "/phpmyadmin/"),
    ("unknown-step", "/guide/no-such-step/"),
    ("unknown-question", "/faq/no-such-question/"),
    ("healthz-with-slash", "/healthz/"),
]


def admin_login_post(body, content_type="application/x-www-form-urlencoded", **environ):
    return wsgi("/admin/login/", "POST", body=body, content_type=content_type, csrf=True, **environ)


BAD_BODIES_AND_QUERIES = [
    ("body-over-data-upload-max-memory-size", admin_login_post(b"a=" + b"x" * 3_000_000)),
    ("body-with-1500-fields", admin_login_post(form((f"f{i}", "1") for i in range(1500)))),
    ("content-length-a-terabyte", {**admin_login_post(b"a=1"), "CONTENT_LENGTH": str(10**12)}),
    ("multipart-without-boundary", admin_login_post(b"garbage", "multipart/form-data")),
    (
        "multipart-with-150-files",
        admin_login_post(
            encode_multipart(BOUNDARY, {"f": [SimpleUploadedFile(f"{i}.txt", b"x") for i in range(150)]}),
            f"multipart/form-data; boundary={BOUNDARY}",
        ),
    ),
    ("query-with-1200-fields", wsgi("/admin/login/", query=form((f"q{i}", "1") for i in range(1200)).decode())),
]

CASES = (
    [pytest.param(wsgi("/", HTTP_HOST=host), 400, id=name) for name, host in BAD_HOSTS]
    + [
        pytest.param(wsgi("/healthz", HTTP_HOST="evil.example.com"), 400, id="healthz-with-bad-host"),
        pytest.param(wsgi("/admin/login/", HTTP_HOST="evil.example.com"), 400, id="admin-with-bad-host"),
    ]
    + [pytest.param(wsgi(path), 404, id=name) for name, path in NOT_FOUND_PATHS]
    + [pytest.param(environ, 400, id=name) for name, environ in BAD_BODIES_AND_QUERIES]
)


@pytest.fixture
def browser(db):
    # Each test renders its own pages: nothing served from a page another test cached.
    cache.clear()
    return Client(enforce_csrf_checks=True, raise_request_exception=False)


def test_the_list_is_long_enough():
    assert len(CASES) >= 40


@pytest.mark.parametrize("environ, status", CASES)
def test_hostile_request_gets_the_sites_error_page_not_a_crash(browser, environ, status):
    response = browser.request(**environ)
    assert response.status_code == status
    html = response.content.decode()
    heading = {400: "<h1>Bad request</h1>", 404: "<h1>Page not found</h1>"}[status]
    assert heading in html
    assert '<a class="site-name"' in html
    assert "<script>alert" not in html
    assert "Set-Cookie" not in response.headers
    assert "X-Injected" not in response.headers


HOSTILE_QUERIES = [
    "q=<script>alert(1)</script>",
    "next=//evil.example.com/",
    "next=javascript:alert(1)",
    "%ZZ=%ZZ&%=%",
    "a=\xff\xfe&b=%ff%fe",
    "%00=%00",
    "a[]=1&a[]=2&__proto__[x]=1",
    "page=-1&format=json&callback=alert",
    "x=" + "y" * 100_000,
    form((f"q{i}", "1") for i in range(1200)).decode(),
    "utm_source=newsletter&utm_medium=email",
    "';DROP TABLE guides_step;--",
]


@pytest.mark.parametrize("query", HOSTILE_QUERIES, ids=range(len(HOSTILE_QUERIES)))
@pytest.mark.parametrize("path", ["/", "/faq/", "/guide/warm-up/"])
def test_public_pages_ignore_query_strings_and_never_echo_them(browser, path, query):
    plain = browser.request(**wsgi(path))
    cache.clear()
    response = browser.request(**wsgi(path, query=query))
    assert response.status_code == 200
    assert response.content == plain.content


@pytest.mark.parametrize(
    "method, status",
    [
        # Unsafe methods without a CSRF token are refused by CsrfViewMiddleware before any view runs.
        ("PUT", 403),
        ("DELETE", 403),
        ("PATCH", 403),
        ("PROPFIND", 403),
        ("CONNECT", 403),
        ("FOO", 403),
        # Safe methods reach the view, which only serves GET and HEAD.
        ("TRACE", 405),
        ("OPTIONS", 200),
        ("HEAD", 200),
    ],
)
def test_odd_methods_on_a_public_page_are_refused(browser, method, status):
    response = browser.request(**wsgi("/faq/", method))
    assert response.status_code == status
    if status == 200:
        assert response.headers.get("Allow", "GET, HEAD, OPTIONS") == "GET, HEAD, OPTIONS"


def test_a_post_with_a_valid_csrf_token_to_a_read_only_page_is_method_not_allowed(browser):
    post = wsgi("/faq/", "POST", body=b"a=1", content_type="application/x-www-form-urlencoded", csrf=True)
    response = browser.request(**post)
    assert response.status_code == 405
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_a_forged_x_forwarded_host_is_ignored(browser):
    response = browser.request(**wsgi("/faq/", HTTP_X_FORWARDED_HOST="evil.example.com"))
    assert response.status_code == 200
    assert b"evil.example.com" not in response.content


# The error pages themselves.

ERROR_PAGES = {
    "400.html": "Bad request",
    "403.html": "You cannot open this page",
    "404.html": "Page not found",
    "500.html": "Sorry, there is a problem with the service",
    "503.html": "Sorry, this page is not available right now",
}


@pytest.mark.parametrize("template, heading", ERROR_PAGES.items())
def test_error_pages_render_without_a_request_or_the_database(template, heading, settings):
    # No `db` fixture: pytest-django fails this test if the template touches the database.
    html = render_to_string(template)
    assert f"<h1>{heading}</h1>" in html
    assert '<link rel="stylesheet" href="/static/css/site.css">' in html
    assert '<a class="site-name" href="/">Backcare</a>' in html
    assert "call 999" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_crash_shows_the_sites_500_page(browser, monkeypatch):
    def crash(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("guides.views.HomeView.get", crash)
    response = browser.get("/")
    assert response.status_code == 500
    assert "<h1>Sorry, there is a problem with the service</h1>" in response.content.decode()
    assert "boom" not in response.content.decode()


def test_a_database_outage_shows_the_styled_503_page_not_a_500(browser, monkeypatch):
    def unreachable():
        raise OperationalError("could not connect to server")

    with monkeypatch.context() as patch:
        patch.setattr(connection, "ensure_connection", unreachable)
        response = browser.get("/faq/")
    assert response.status_code == 503
    html = response.content.decode()
    assert "<h1>Sorry, this page is not available right now</h1>" in html
    assert "call 999" in html


def test_permission_denied_shows_the_sites_403_page(browser, monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionDenied

    monkeypatch.setattr("guides.views.HomeView.get", refuse)
    response = browser.get("/")
    assert response.status_code == 403
    assert "<h1>You cannot open this page</h1>" in response.content.decode()
