"""Old addresses of moved pages, answered after everything else has said 404.

Like django.contrib.redirects' RedirectFallbackMiddleware: the views never know
about moves, and a redirect only ever replaces a 404.
"""

import logging

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.utils.cache import patch_cache_control

from .models import MovedPage

logger = logging.getLogger(__name__)

# Browsers keep a 301 with no Cache-Control for ever; a day lets a page that moves back be found again.
MOVED_MAX_AGE = 24 * 60 * 60


class MovedPageFallbackMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.longest = MovedPage._meta.get_field("old_path").max_length

    def __call__(self, request):
        response = self.get_response(request)
        path = request.path
        if response.status_code != 404 or len(path) > self.longest or "\x00" in path:
            return response
        try:
            new_path = MovedPage.objects.filter(old_path=path).values_list("new_path", flat=True).first()
        except DatabaseError:  # the 404 is still the right answer
            logger.warning("Moved pages unavailable; %s answered 404", path)
            return response
        if new_path is None:
            return response
        redirect = HttpResponsePermanentRedirect(new_path)
        patch_cache_control(redirect, public=True, max_age=MOVED_MAX_AGE)
        return redirect
