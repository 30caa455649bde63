import sys

from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from guides.page_cache import service_unavailable


@require_safe
@never_cache
def healthz(request):
    """Tell the platform's health check whether this instance can reach its database and cache.

    Only a database outage answers 503 (the instance cannot serve pages); a cache outage
    answers 200 with "degraded", as every instance shares the cache and pages still render.
    It answers on plain HTTP (SECURE_REDIRECT_EXEMPT), is never cached and sets no cookie,
    so a load balancer can poll it cheaply.
    """
    parts = {"database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        parts["database"] = "unavailable"
    try:
        cache.get("healthz")
    except Exception:  # whatever the cache backend raises when it cannot be reached
        parts["cache"] = "unavailable"
    if parts["database"] != "ok":
        return JsonResponse({"status": "unavailable", **parts}, status=503)
    return JsonResponse({"status": "ok" if parts["cache"] == "ok" else "degraded", **parts})


def server_error(request, exception=None):
    """The 500 handler. A database outage is a 503: styled, with the emergency numbers, and
    replaced by the page cache with the last good copy of the page where it has one. Other
    database errors (a value too long, a broken constraint) are bugs: a 500, not "we are down".
    (In development, DevelopmentErrorPages passes the exception, which is no longer being handled.)"""
    if isinstance(exception or sys.exc_info()[1], (OperationalError, InterfaceError)):
        return service_unavailable()
    return defaults.server_error(request)
