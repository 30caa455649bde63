"""Security headers Django has no setting for, and files that must not be served."""

from django.conf import settings
from django.http import Http404

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
