"""Security headers Django has no setting for."""

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
