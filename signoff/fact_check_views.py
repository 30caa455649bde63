"""The outside expert's pages, reached only through a fact-check link (signoff.fact_check): the
change to read and a form for comments, and the proposed page itself, shown in a frame.

Every answer, refusals included, is private: never indexed, never stored by the site's page cache,
a shared cache or the service worker, and sent with no Referer so the token does not leak to
any site the page links to, nor to the site's own logs. Each link and each address gets a number of requests per window."""

import functools
import time

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import render
from django.urls import resolve, reverse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.crypto import salted_hmac
from django.utils.csp import CSP
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csp import csp_override
from django.views.decorators.http import require_http_methods

from backcare.proxy import client_ip
from guides.page_cache import ask_shared_cache

from . import fact_check as service
from . import proposals
from .forms import FactCheckCommentForm
from .preview import Preview

REFERRER_POLICY = "strict-origin"
HEADINGS = {
    "revoked": "This link has been cancelled",
    "used": "Thank you: your comments were sent",
    "expired": "This link has expired",
    "moved-on": "This change has moved on",
}


def rate_limit():
    """(requests, seconds): how many requests one address, and one link, may make per window."""
    return (getattr(settings, "BACKCARE_FACT_CHECK_RATE_LIMIT", 20), getattr(settings, "BACKCARE_FACT_CHECK_RATE_WINDOW", 600))


def over_rate_limit(request, token):
    """Counts this request against its address and its link (each only as a keyed hash, for one
    window). While the shared cache is down nothing is counted: the link still works once."""
    limit, window = rate_limit()
    slot = int(time.time() // window)
    counts = []
    for kind, value in (("address", client_ip(request)), ("link", token)):
        digest = salted_hmac(f"{service.SALT}.{kind}", value, algorithm="sha256").hexdigest()[:32]
        counts.append(ask_shared_cache(_counted, f"signoff:fact-check:{kind}:{digest}:{slot}", window))
    return any(count is not None and count > limit for count in counts)


def _counted(key, window):
    if cache.add(key, 1, window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, window)
        return 1


def private_link(view):
    """Rate limit first; then, whatever the view answers, headers that keep the page private."""

    @functools.wraps(view)
    def wrapped(request, token):
        if over_rate_limit(request, token):
            response = closed(request, 429, "Too many requests", "Please wait a few minutes, then open the link again.")
            response.headers["Retry-After"] = str(rate_limit()[1])
        else:
            response = view(request, token)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True, no_store=True)
        response.headers["X-Robots-Tag"] = "noindex, nofollow"
        # Only the site's origin is ever sent as Referer, never the path with the token. Not
        # "no-referrer": under it browsers send "Origin: null" with the comment form, and Django's
        # CSRF check refuses it (seen in Chromium).
        response.headers["Referrer-Policy"] = REFERRER_POLICY
        return response

    return require_http_methods(["GET", "HEAD", "POST"])(wrapped)


def closed(request, status, heading, message):
    return render(request, "signoff/fact_check/closed.html", {"heading": heading, "message": message}, status=status)


NOT_FOUND = (
    "This link does not work",
    "Check that you copied the whole address from the email. If it still does not work, ask the editor who "
    "sent it for a new link.",
)


def open_request(request, token):
    """The link's request, or the styled page that says why it shows nothing (404 or 410)."""
    fact_check = service.find(token)
    if fact_check is None:
        return None, closed(request, 404, *NOT_FOUND)
    try:
        service.check_open(fact_check)
    except service.LinkClosed as link_closed:
        return None, closed(request, 410, HEADINGS[link_closed.reason], str(link_closed))
    return fact_check, None


@private_link
def fact_check_page(request, token):
    """The change to check, the page as proposed (in a frame) and, once, the expert's comments."""
    fact_check, refusal = open_request(request, token)
    if refusal:
        return refusal
    form = FactCheckCommentForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            service.leave_comment(fact_check, form.cleaned_data["comment"])
        except service.LinkClosed as link_closed:
            return closed(request, 410, HEADINGS[link_closed.reason], str(link_closed))
        return render(request, "signoff/fact_check/thanks.html", {"fact_check": fact_check})
    proposal = fact_check.proposal
    item = proposal.item
    context = {
        "fact_check": fact_check,
        "item": item,
        "changes": proposals.changes(item, proposal),
        "page_url": reverse("signoff:fact_check_page", args=[token]),
        "form": form,
    }
    return render(request, "signoff/fact_check/page.html", context, status=400 if form.errors else 200)


@private_link
@xframe_options_sameorigin
@csp_override({**settings.SECURE_CSP, "frame-ancestors": [CSP.SELF]})
def proposed_page(request, token):
    """The reader page with the proposed copy in place (signoff.preview), as readers would get it:
    built by the page's own view for a visitor with no account, so no draft shows."""
    if request.method not in ("GET", "HEAD"):  # the page only shows; comments go to the form's own address
        return HttpResponseNotAllowed(["GET", "HEAD"])
    fact_check, refusal = open_request(request, token)
    if refusal:
        return refusal
    path = proposals.page_of(fact_check.proposal.item).partition("#")[0]
    own = request.path, request.path_info, request.user
    request.user = AnonymousUser()
    request.path = request.path_info = path  # the page's own address, for its canonical link
    try:
        match = resolve(path)
        view = match.func.view_class(**match.func.view_initkwargs)
        view.setup(request, *match.args, **match.kwargs)
        view.preview = Preview(fact_check.proposal)  # what staff get from ?proposal=N
        page = view.dispatch(request, *match.args, **match.kwargs)
        page.render()
    except Http404:  # a draft proposed for publishing: readers cannot see its page yet
        return closed(request, 404, "This page is not published yet",
                      "Readers cannot see this page yet, so it cannot be shown here. The changes on the "
                      "fact-check page give all of its words.")
    finally:
        request.path, request.path_info, request.user = own
    return HttpResponse(page.content, status=page.status_code, content_type=page["Content-Type"])
