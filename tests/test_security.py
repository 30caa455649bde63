"""Secure by default: headers, cookies, HTTPS and the deploy check, as a reader and an editor meet them."""

import os
import secrets
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from guides.models import Step

pytestmark = pytest.mark.django_db
PROJECT = Path(__file__).resolve().parent.parent

SAME_EVERYWHERE = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
POLICY_FOR_READERS = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "frame-ancestors": ["'none'"],
    "form-action": ["'self'"],
    "worker-src": ["'self'"],
}


def csp(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers["Content-Security-Policy"]
    return {name: values for name, *values in (part.split() for part in header.split(";") if part.strip())}


class InlineCode(HTMLParser):
    """Collects everything in a page that a strict CSP would block unless it carries the nonce."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # JSON-LD is a data block: browsers never run it, so CSP does not govern it.
        if tag == "script" and "src" not in attrs and attrs.get("type") != "application/ld+json":
            self.found.append(("inline <script>", attrs.get("nonce")))
        if tag == "style":
            self.found.append(("<style>", attrs.get("nonce")))
        for name, value in attrs.items():
            if name == "style":
                self.found.append((f"style= on <{tag}>", None))
            if name.startswith("on"):
                self.found.append((f"{name}= on <{tag}>", None))
            if name in {"href", "src", "action"} and (value or "").strip().lower().startswith("javascript:"):
                self.found.append((f"javascript: {name} on <{tag}>", None))


def inline_code(response):
    parser = InlineCode()
    parser.feed(response.content.decode())
    return parser.found


def test_every_public_page_sends_the_security_headers(client, public_urls):
    for url in public_urls:
        response = client.get(url)
        assert response.status_code == 200, url
        for header, value in SAME_EVERYWHERE.items():
            assert response.headers.get(header) == value, (url, header)


def test_public_pages_send_the_strict_policy_without_a_nonce(client, public_urls):
    # Public pages may be cached, and a cached page cannot carry a per-request nonce.
    for url in public_urls:
        policy = csp(client.get(url))
        assert policy == POLICY_FOR_READERS, url


def test_public_pages_carry_no_inline_script_or_style_at_all(client, public_urls):
    for url in public_urls:
        assert inline_code(client.get(url)) == [], url


def test_no_policy_anywhere_allows_unsafe_inline_or_eval(client, admin_client, public_urls):
    step = Step.objects.first()
    responses = [client.get(url) for url in public_urls]
    responses += [Client().get("/admin/login/"), admin_client.get(f"/admin/guides/step/{step.pk}/change/")]
    for response in responses:
        header = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in header
        assert "unsafe-eval" not in header
        assert "*" not in header


def test_readers_get_no_cookies(public_urls):
    reader = Client(enforce_csrf_checks=True)
    for url in [*public_urls, "/no-such-page/", "/healthz"]:
        response = reader.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert not response.cookies, url
    assert not reader.cookies


def test_error_pages_send_the_security_headers_and_strict_policy(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    for header, value in SAME_EVERYWHERE.items():
        assert response.headers.get(header) == value, header
    assert csp(response) == POLICY_FOR_READERS


def test_admin_login_works_under_the_policy_with_a_nonce_on_its_own_tags():
    response = Client().get("/admin/login/")
    assert response.status_code == 200
    for header, value in SAME_EVERYWHERE.items():
        assert response.headers.get(header) == value, header
    policy = csp(response)
    nonce = next(value for value in policy["script-src"] if value.startswith("'nonce-"))
    assert policy["script-src"] == ["'self'", nonce]
    assert policy["style-src"] == ["'self'", nonce]
    assert {k: v for k, v in policy.items() if k not in {"script-src", "style-src"}} == {
        k: v for k, v in POLICY_FOR_READERS.items() if k not in {"script-src", "style-src"}
    }
    # Anything inline must carry this response's nonce; nothing may rely on 'unsafe-inline'.
    for what, tag_nonce in inline_code(response):
        assert f"'nonce-{tag_nonce}'" == nonce, what
    assert "no-store" in response.headers["Cache-Control"]


def test_markdownx_change_form_loads_its_editor_from_our_own_origin_under_the_policy(admin_client):
    step = Step.objects.get(slug="warm-up")
    response = admin_client.get(f"/admin/guides/step/{step.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="markdownx"' in html
    assert "markdownx/js/markdownx" in html
    policy = csp(response)
    nonce = next(value for value in policy["script-src"] if value.startswith("'nonce-"))
    for what, tag_nonce in inline_code(response):
        assert f"'nonce-{tag_nonce}'" == nonce, what
    # Every script and stylesheet comes from this site: 'self' covers them (no CDN, no inline code).
    sources = SourceCollector()
    sources.feed(html)
    assert sources.urls
    for url in sources.urls:
        assert url.startswith("/") and not url.startswith("//"), url


class SourceCollector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and attrs.get("src"):
            self.urls.append(attrs["src"])
        if tag == "link" and attrs.get("rel") == "stylesheet":
            self.urls.append(attrs["href"])


def test_admin_login_sets_secure_httponly_lax_cookies():
    get_user_model().objects.create_superuser("editor", "editor@example.org", "a long pass phrase 42")
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/admin/login/")
    csrf = page.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    response = browser.post(
        "/admin/login/?next=/admin/",
        {"username": "editor", "password": "a long pass phrase 42", "csrfmiddlewaretoken": csrf.value},
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_http_is_redirected_to_https_when_the_redirect_is_on(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/faq/")
    assert response.status_code == 301
    assert response.headers["Location"] == "https://testserver/faq/"


def test_the_proxy_header_marks_a_request_secure_and_https_responses_carry_hsts(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get("/faq/", headers={"X-Forwarded-Proto": "https"})
    assert response.status_code == 200
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"


def test_hsts_preload_is_added_only_when_the_operator_opts_in(client, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    settings.SECURE_HSTS_PRELOAD = True
    response = client.get("/", secure=True)
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"


def test_plain_http_responses_carry_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers


def production_environment(**extra):
    """The environment the README documents for production, and nothing else of ours."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST", "DATABASE_URL", "REDIS_URL"))}
    return {
        **env,
        "DJANGO_SETTINGS_MODULE": "backcare.settings",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "backcare.example.org",
        "DJANGO_CSRF_TRUSTED_ORIGINS": "https://backcare.example.org",
        **extra,
    }


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, cwd=PROJECT, timeout=120
    )


def test_the_deploy_check_finds_no_issue_with_the_documented_production_environment():
    result = manage("check", "--deploy", "--fail-level", "DEBUG", env=production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def test_the_deploy_check_still_finds_no_issue_when_hsts_preload_is_on():
    result = manage(
        "check", "--deploy", "--fail-level", "DEBUG", env=production_environment(DJANGO_HSTS_PRELOAD="1")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


def test_production_settings_are_secure_without_any_optional_variable():
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_TRUSTED_ORIGINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=production_environment(),
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False True 31536000 True True True True Lax "
        "['https://backcare.example.org'] ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_database_url_and_redis_url_switch_to_postgresql_and_a_shared_redis_cache():
    script = (
        "from django.conf import settings; from django.core.cache import caches; "
        "caches['default']._cache; "  # builds the Redis client, so a missing redis package fails here
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'], "
        "type(caches['default']).__name__)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {script}"],
        env=production_environment(
            DATABASE_URL="postgres://backcare:secret@db.internal:5432/backcare",
            REDIS_URL="redis://cache.internal:6379/0",
        ),
        capture_output=True,
        text=True,
        cwd=PROJECT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.postgresql", "backcare", "RedisCache"]
