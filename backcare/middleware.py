"""Security headers Django has no setting for, and files that must not be served."""

import logging

import brotli
from django.conf import settings
from django.http import Http404
from django.views import defaults
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import patch_vary_headers

from guides.page_cache import accepts

logger = logging.getLogger("django.request")

# Features a page about back exercises never needs; () turns each off for every origin.
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=()"


def security_headers(get_response):
    """Add Cross-Origin-Resource-Policy and Permissions-Policy to every response.

    It sits next to SecurityMiddleware, above whitenoise, so static files carry
    the headers too. `same-origin` means other sites cannot embed our pictures
    and scripts; a CDN in front of the site must therefore serve it on the same
    host name (see README, "Static files").
    """

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    return middleware


def hide_static_manifest(get_response):
    """404 for the static files manifest (staticfiles.json and its compressed copies), which lists
    every file collectstatic gathered; whitenoise would serve it like any other static file."""
    manifest = f"/{settings.STATIC_URL.strip('/')}/staticfiles.json"

    def middleware(request):
        if request.path.startswith(manifest):
            raise Http404("Not a public file.")
        return get_response(request)

    return middleware


class ReaderPageCompression(GZipMiddleware):
    """Brotli for reader pages where the browser takes it, gzip (as Django does) for the rest.

    Brotli makes a page about a sixth smaller than gzip, which keeps the longest pages inside the
    first 14 KB a new connection may send. Reader pages carry no secret (no CSRF token, no session:
    they are the same for everyone and cached), so compressing them gives BREACH nothing to find;
    the admin keeps Django's gzip with its random padding. Quality 11 costs about 30 ms a page,
    paid once per page per content change: the page cache keeps the result.
    """

    def process_response(self, request, response):
        if not (
            getattr(response, "cacheable_for_readers", False)
            and not response.streaming
            and not response.has_header("Content-Encoding")
            and accepts(request.META.get("HTTP_ACCEPT_ENCODING", ""), "br")
        ):
            return super().process_response(request, response)
        patch_vary_headers(response, ("Accept-Encoding",))
        if len(response.content) < 200:
            return response
        compressed = brotli.compress(response.content, mode=brotli.MODE_TEXT, quality=11)
        if len(compressed) >= len(response.content):
            return response
        response.content = compressed
        response.headers["Content-Length"] = str(len(compressed))
        etag = response.get("ETag")
        if etag and etag.startswith('"'):
            response.headers["ETag"] = "W/" + etag
        response.headers["Content-Encoding"] = "br"
        return response


class DevelopmentErrorPages:
    """With DEBUG on (`make run`), the site's own 404 and 500 pages instead of Django's technical ones.

    Django picks its technical pages whenever DEBUG is on, whatever handler404 and handler500 say;
    this turns them back into the pages readers get. The detail goes to the console only: Django's
    request logger prints each 500's traceback there, and a 404's reason is logged here. It sits
    inside the CSP and compression middleware (the page it makes gets their headers) and outside
    CommonMiddleware and MovedPageFallbackMiddleware (a slash or a moved page still redirects).
    With DEBUG off it passes every response through untouched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not settings.DEBUG or "text/html" not in response.get("Content-Type", ""):
            return response
        if response.status_code == 404:
            return defaults.page_not_found(request, Http404())
        if response.status_code == 500:
            from backcare.views import server_error  # backcare.views imports guides, which loads late

            return server_error(request, getattr(request, "development_exception", None))
        return response

    def process_exception(self, request, exception):
        """Note what went wrong, for the console and for server_error's 503 (a database outage)."""
        request.development_exception = exception
        if settings.DEBUG and isinstance(exception, Http404):
            logger.warning("Not Found: %s (%s)", request.path, exception or "no reason given")
