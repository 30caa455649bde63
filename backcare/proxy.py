"""Client address for login throttling, aware of the platform's HTTPS proxy."""

from django.conf import settings


def client_ip(request):
    """Return the address of the machine that connected to our proxy.

    With DJANGO_BEHIND_PROXY=1 the proxy appends the peer it saw to
    X-Forwarded-For, so the last entry is the only one a client cannot forge.
    """
    if settings.BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "")
