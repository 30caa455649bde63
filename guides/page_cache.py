"""Whole-page cache for anonymous readers, emptied whenever any content changes.

Pages are stored under a key that includes the current "content generation".
Any save or delete of content sets a new generation, so every page is rebuilt
on its next request: an editor's fix shows at once, on every server sharing
the cache. Staff (anyone with a session cookie) always get a fresh page.
"""

import hashlib
import uuid

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import patch_cache_control

GENERATION_KEY = "guides:content-generation"
PAGE_TIMEOUT = 24 * 60 * 60
BROWSER_MAX_AGE = 60  # shared caches and browsers may reuse a page for a minute


def content_changed(**kwargs):
    """Signal receiver: a new random generation, so even an evicted key cannot revive old pages."""
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def is_anonymous_reader(request):
    return request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES


def page_key(request):
    generation = cache.get_or_set(GENERATION_KEY, lambda: uuid.uuid4().hex, None)
    address = f"{request.scheme}://{request.get_host()}{request.path}"
    return f"guides:page:{generation}:{hashlib.sha256(address.encode()).hexdigest()}"


def serve_cached(request, render):
    """Return the cached page for this address, or render it, cache it and return it."""
    key = page_key(request)
    response = cache.get(key)
    if response is None:
        response = render()
        if hasattr(response, "render"):
            response.render()
        patch_cache_control(response, public=True, max_age=BROWSER_MAX_AGE)
        if response.status_code == 200 and not response.cookies:
            cache.set(key, response, PAGE_TIMEOUT)
    return response
