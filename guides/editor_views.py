"""django-markdownx's endpoints, behind staff login (its own views check nobody)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView


def staff_only(view):
    """Anonymous visitors go to the admin login; signed-in non-staff get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), reverse("admin:login"))
        if not request.user.is_staff:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@staff_only
@require_POST
def markdownify(request):
    """The live preview: MARKDOWNX_MARKDOWNIFY_FUNCTION is our sanitizing pipeline."""
    if "content" not in request.POST:
        return HttpResponseBadRequest("Send the Markdown as the 'content' field.")
    return MarkdownifyView.as_view()(request)


@staff_only
@require_POST
def upload(request):
    """Image upload is turned off: pages show no images from Markdown (see README)."""
    return JsonResponse({"image": ["Image upload is turned off on this site."]}, status=403)
