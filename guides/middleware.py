"""Old addresses of moved pages, and pages withdrawn on a date, answered after everything else
has said 404.

Like django.contrib.redirects' RedirectFallbackMiddleware: the views never know about moves
or withdrawals, and a redirect (or the 410 page saying a page was withdrawn) only ever replaces
a 404. A withdrawn page the editor sent elsewhere left a MovedPage, so it is a moved page here.
"""

import logging

from django.db import DatabaseError
from django.http import HttpResponsePermanentRedirect
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.cache import patch_cache_control

from .models import WITHDRAWABLE_MODELS, MovedPage

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
            withdrawn = withdrawn_item(path) if new_path is None else None
        except DatabaseError:  # the 404 is still the right answer
            logger.warning("Moved pages unavailable; %s answered 404", path)
            return response
        if withdrawn is not None:
            context = {"title": title_when_withdrawn(withdrawn), "withdrawn_on": withdrawn.withdrawn_on}
            return render(request, "guides/withdrawn.html", context, status=410)
        if new_path is None:
            return response
        redirect = HttpResponsePermanentRedirect(new_path)
        patch_cache_control(redirect, public=True, max_age=MOVED_MAX_AGE)
        return redirect


def withdrawn_item(path):
    """The withdrawn item whose page was at `path`, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    for model in WITHDRAWABLE_MODELS:
        if model.page_url_name and model.page_url_name == match.view_name and "slug" in match.kwargs:
            withdrawn = model.objects.filter(is_published=False, withdrawn_on__isnull=False)
            return withdrawn.filter(slug=match.kwargs["slug"]).first()
    return None


def title_when_withdrawn(item):
    """The page's title as readers last saw it: the history row the withdrawal wrote (the first with
    its date). A withdrawn item is a draft, and editors change drafts freely, so its title now may
    be words no reviewer has read."""
    row = item.history.filter(withdrawn_on=item.withdrawn_on, is_published=False).order_by("history_date").first()
    return str(row.instance) if row is not None else ""
