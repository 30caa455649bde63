"""Whole-page cache for anonymous readers, emptied whenever any content changes.

The middleware sits near the top of MIDDLEWARE, so a cached page skips
sessions, auth, CSRF and the view: it costs about what a static file costs.
Pages are stored under a key that includes the current "content generation";
any save or delete of content sets a new generation, so every page is rebuilt
on its next request and an editor's fix shows at once on every server sharing
the cache. Anyone with a session cookie (staff) always gets a fresh page.

Outages: while the shared cache is down, readers get fresh pages and saves go
through; the outage is logged when it starts and when it ends, and the process
that saw it starts a new generation when the cache answers again (a save made
meanwhile could not). While the database is down, readers get this process's
last good copy of the page, or a 503 page that still gives the emergency numbers.
"""

import hashlib
import logging
import os
import threading
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, set_response_etag

logger = logging.getLogger(__name__)

GENERATION_KEY = "guides:content-generation"
# Pages cached by an earlier release, with its templates and hashed static URLs, are never served
# by this one. Set BACKCARE_RELEASE (e.g. to the git commit) so that every server of a release
# shares its pages; otherwise each start of the app (gunicorn preloads it for all its workers)
# counts as a release of its own.
RELEASE = os.environ.get("BACKCARE_RELEASE") or uuid.uuid4().hex[:12]
PAGE_TIMEOUT = 24 * 60 * 60
BROWSER_MAX_AGE = 60  # shared caches and browsers may reuse a page for a minute
RETRY_SECONDS = 5  # while the shared cache is down, ask it again this often, not on every request


class SharedCacheWatch:
    """Whether the shared cache answers, as this process last saw it."""

    def __init__(self):
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        self.down_since = None
        self.retry_at = 0.0

    def worth_asking(self):
        return self.down_since is None or time.monotonic() >= self.retry_at

    def failed(self, error):
        with self.lock:
            now = time.monotonic()
            self.retry_at = now + RETRY_SECONDS
            if self.down_since is not None:
                return
            self.down_since = now
        logger.error("Shared cache unreachable (%s: %s): pages are served uncached until it answers again",
                     type(error).__name__, error)

    def answered(self):
        """Returns True the first time the cache answers after an outage."""
        if self.down_since is None:
            return False
        with self.lock:
            if self.down_since is None:
                return False
            seconds, self.down_since = time.monotonic() - self.down_since, None
        logger.warning("Shared cache answers again after %.0f s: starting a new content generation", seconds)
        return True


shared_cache = SharedCacheWatch()


def ask_shared_cache(operation, *args):
    """Run one cache call; None when the cache is down (an outage is logged once, not per call)."""
    if not shared_cache.worth_asking():
        return None
    try:
        result = operation(*args)
    except Exception as error:  # redis-py, file system or any other backend's failure
        shared_cache.failed(error)
        return None
    if shared_cache.answered():  # saves made during the outage could not renew the pages
        new_generation()
        return None  # this answer may belong to the generation just replaced
    return result


def new_generation():
    """A new random generation, so even an evicted key cannot revive old pages. Never raises:
    if the cache is down, the generation is renewed when it answers again."""
    ask_shared_cache(cache.set, GENERATION_KEY, uuid.uuid4().hex, None)


def current_generation():
    """The content generation pages are cached under (started now if there is none); None while
    the shared cache is down."""
    return ask_shared_cache(cache.get_or_set, GENERATION_KEY, lambda: uuid.uuid4().hex, None)


RENDER_KEY = "guides:render-generation"
_last_render_generation = ""


def rendered_again():
    """Copy re-rendered in bulk (no history rows): the offline worker's version must change too."""
    ask_shared_cache(cache.set, RENDER_KEY, uuid.uuid4().hex, None)


def render_generation():
    """Changes only when copy is re-rendered in bulk; unlike the page generation, not when the shared
    cache comes back after an outage. While it is down: the last one this process saw, so phones
    are not made to download the guide again because Redis went away (or came back)."""
    global _last_render_generation
    found = ask_shared_cache(cache.get_or_set, RENDER_KEY, lambda: uuid.uuid4().hex, None)
    if found is not None:
        _last_render_generation = found
    return _last_render_generation


def content_changed(**kwargs):
    """Signal receiver. Admin saves run in a transaction: a page rendered between the save and
    the commit would hold the old text under the new generation, so start another on commit."""
    new_generation()
    transaction.on_commit(new_generation)


def mark_cacheable(response, browser_max_age=BROWSER_MAX_AGE):
    """Views call this on pages that any anonymous reader may be given. Browsers and shared caches
    may reuse the page for browser_max_age seconds; this cache keeps it until the content changes."""
    response.cacheable_for_readers = True
    response.browser_max_age = browser_max_age
    return response


def service_unavailable():
    """The styled 503 for a database outage, rendered without the database or the request."""
    response = HttpResponse(render_to_string("503.html"), status=503, headers={"Retry-After": "30"})
    response.database_unavailable = True
    return response


def canonical_host(request):
    """The host a page is stored and rendered under: lowercase, and without a port the client made
    up (only the port this server listens on, if not the scheme's default, is kept). None for a host
    that ALLOWED_HOSTS allows only through a wildcard ('*', or a subdomain of '.example.com', which
    names example.com itself): every reader could send
    another one, each a new copy of every page. So the cache holds a fixed set of keys: hosts named
    in ALLOWED_HOSTS, times pages, times two encodings."""
    domain, port = split_domain_port(request.get_host())
    if domain not in {allowed.lower().lstrip(".") for allowed in settings.ALLOWED_HOSTS}:
        return None
    default = "443" if request.is_secure() else "80"
    if port and port != default and port == str(request.META.get("SERVER_PORT", "")):
        return f"{domain}:{port}"
    return domain


def accepts(header, coding):
    """Whether an Accept-Encoding header accepts a coding: `gzip;q=0` and `nogzip` do not; `*` does."""
    qualities = {}
    for item in header.lower().split(","):
        name, _, params = item.partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[name.strip()] = quality
    aliases = {"gzip": ("gzip", "x-gzip")}.get(coding, (coding,))
    quality = next((qualities[alias] for alias in aliases if alias in qualities), qualities.get("*", 0.0))
    return quality > 0


def accepts_gzip(header):
    return accepts(header, "gzip")


def reader_encoding(header):
    """The encoding a reader page is stored and sent in: Brotli where the browser takes it (every
    current browser over HTTPS), else gzip, else none."""
    return "br" if accepts(header, "br") else "gzip" if accepts(header, "gzip") else "identity"


class ReaderPageCacheMiddleware:
    """Keeps each page twice: in the shared cache (so one render serves every worker and server)
    and in this process's memory (so a hit costs one small shared read, for the generation).
    The last good copy of each page is kept apart, for readers while the database is down."""

    local_limit = 256

    def __init__(self, get_response):
        if settings.DEBUG:
            raise MiddlewareNotUsed("Pages are not cached in development, so template changes show at once.")
        self.get_response = get_response
        self.local = {}
        self.last_good = {}

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        host = canonical_host(request)  # a bad Host is a 400 here
        if host is None:  # allowed only by a wildcard: served, never stored, so no client grows the cache
            return self.get_response(request)
        request.META["HTTP_HOST"] = host  # the page is rendered for the host it is stored under
        address = f"{request.scheme}://{host}{request.path}"
        header = request.META.get("HTTP_ACCEPT_ENCODING", "")
        encoding = reader_encoding(header)
        # GZipMiddleware (inside this one) compresses whenever the header says "gzip" anywhere, even
        # "gzip;q=0" or "nogzip": tell it the decision, so each copy is stored under its real encoding.
        # A Brotli reader keeps gzip for the pages that are not reader pages (ReaderPageCompression).
        request.META["HTTP_ACCEPT_ENCODING"] = (
            "br, gzip" if encoding == "br" and accepts(header, "gzip") else encoding
        )
        generation = current_generation()
        key = self.page_key(generation, encoding, address) if generation else None
        page = (encoding, address)
        stored = key and (self.local.get(key) or self.remember(key, ask_shared_cache(cache.get, key)))
        if stored:
            self.keep(self.last_good, page, stored)
            return HttpResponse(stored[0], headers=stored[1])
        response = self.get_response(request)
        if getattr(response, "database_unavailable", False) and page in self.last_good:
            content, headers = self.last_good[page]  # stale-if-error: the text readers last had
            stale = HttpResponse(content, headers=headers)
            patch_cache_control(stale, max_age=0)
            return stale
        if getattr(response, "cacheable_for_readers", False) and response.status_code == 200 and not response.cookies:
            patch_cache_control(response, public=True, max_age=response.browser_max_age)
            set_response_etag(response)
            del response.cacheable_for_readers, response.browser_max_age
            stored = (response.content, dict(response.headers))
            self.keep(self.last_good, page, stored)
            if key:
                ask_shared_cache(cache.set, key, stored, PAGE_TIMEOUT)
                self.remember(key, stored)
        return response

    def remember(self, key, stored):
        """Keep a page in this process too; returns it (None stays unremembered)."""
        if stored is not None:
            self.keep(self.local, key, stored)
        return stored

    def keep(self, store, key, stored):
        if len(store) >= self.local_limit and key not in store:  # keys of old generations pile up: start afresh
            store.clear()
        store[key] = stored

    @staticmethod
    def page_key(generation, encoding, address):
        digest = hashlib.sha256(f"{encoding} {address}".encode()).hexdigest()
        return f"guides:page:{RELEASE}:{generation}:{digest}"
