"""How the feedback form is kept from abuse without a cookie or a session.

Readers have no CSRF cookie (the site sets none), so the views refuse posts that browsers mark as
coming from another site, and a per-address counter in the cache stops floods. The address is
only ever used as a keyed hash, in the cache, for the length of one window.
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from backcare.proxy import client_ip
from guides.page_cache import ask_shared_cache


def is_cross_site(request):
    """True when the browser says the form was sent from a page on another site.

    Browsers send Sec-Fetch-Site and Origin with every form post; clients that send neither
    (old browsers, scripts) get through to the honeypot and the rate limit."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site != "same-origin":
        return True
    origin = request.headers.get("Origin")
    if origin is None:
        return False
    return origin not in {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def over_rate_limit(request):
    """Count this post against its address; True once the address has sent more than
    FEEDBACK_RATE_LIMIT posts in the current window of FEEDBACK_RATE_WINDOW seconds.

    The count lives in the shared cache. While that is down (one log line per outage, and no post
    waits on it again until it is worth asking), this process counts instead: each address is
    still limited, by each worker."""
    window = settings.FEEDBACK_RATE_WINDOW
    address = salted_hmac("feedback.rate-limit", client_ip(request), algorithm="sha256").hexdigest()[:32]
    key = f"feedback:rate:{address}:{int(time.time() // window)}"
    count = ask_shared_cache(_count_in_cache, key, window)
    if count is None:
        count = local_counts.count(key)
    return count > settings.FEEDBACK_RATE_LIMIT


def _count_in_cache(key, window):
    cache.add(key, 0, window)
    try:
        return cache.incr(key)
    except ValueError:  # the key expired between add and incr: this is the window's first post
        return 1


class LocalCounts:
    """Posts per address and window in this process, for while the shared cache is down. Keys
    name their window, so the store is emptied when it grows: old windows go with it."""

    limit = 10_000

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}

    def count(self, key):
        with self.lock:
            if len(self.counts) >= self.limit and key not in self.counts:
                self.counts.clear()
            self.counts[key] = self.counts.get(key, 0) + 1
            return self.counts[key]


local_counts = LocalCounts()
