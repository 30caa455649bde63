"""Whole-page cache for anonymous readers, emptied whenever any content changes.

The middleware sits near the top of MIDDLEWARE, so a cached page skips
sessions, auth, CSRF and the view: it costs about what a static file costs.
Pages are stored under a key that includes the current "content generation";
any save or delete of content sets a new generation, so every page is rebuilt
on its next request and an editor's fix shows at once on every server sharing
the cache. Anyone with a session cookie (staff) always gets a fresh page.
"""

import hashlib
import logging
import os
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
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


def new_generation():
    """A new random generation, so even an evicted key cannot revive old pages."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def content_changed(**kwargs):
    """Signal receiver. Admin saves run in a transaction: a page rendered between the save and
    the commit would hold the old text under the new generation, so start another on commit."""
    new_generation()
    transaction.on_commit(new_generation)


def mark_cacheable(response):
    """Views call this on pages that any anonymous reader may be given."""
    response.cacheable_for_readers = True
    return response


class ReaderPageCacheMiddleware:
    """Keeps each page twice: in the shared cache (so one render serves every worker and server)
    and in this process's memory (so a hit costs one small shared read, for the generation)."""

    local_limit = 256

    def __init__(self, get_response):
        if settings.DEBUG:
            raise MiddlewareNotUsed("Pages are not cached in development, so template changes show at once.")
        self.get_response = get_response
        self.local = {}

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        address = f"{request.scheme}://{request.get_host()}{request.path}"  # a bad Host is a 400 here
        try:
            key = self.page_key(request, address)
            stored = self.local.get(key) or self.remember(key, cache.get(key))
        except Exception:  # the shared cache is down: readers get fresh pages, not errors
            logger.exception("Page cache unavailable; serving %s uncached", request.path)
            return self.get_response(request)
        if stored is not None:
            content, headers = stored
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if getattr(response, "cacheable_for_readers", False) and response.status_code == 200 and not response.cookies:
            patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
            set_response_etag(response)
            del response.cacheable_for_readers
            stored = (response.content, dict(response.headers))
            try:
                cache.set(key, stored, PAGE_TIMEOUT)
            except Exception:
                logger.exception("Page cache unavailable; %s not stored", request.path)
            self.remember(key, stored)
        return response

    def remember(self, key, stored):
        """Keep a page in this process too; returns it (None stays unremembered)."""
        if stored is not None:
            if len(self.local) >= self.local_limit:  # keys of old generations pile up: start afresh
                self.local.clear()
            self.local[key] = stored
        return stored

    @staticmethod
    def page_key(request, address):
        generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
        # Compressed and plain copies are stored apart (GZipMiddleware runs inside this one).
        encoding = "gzip" if "gzip" in request.headers.get("Accept-Encoding", "") else "identity"
        digest = hashlib.sha256(f"{encoding} {address}".encode()).hexdigest()
        return f"guides:page:{RELEASE}:{generation}:{digest}"
