"""django-markdownx's endpoints, behind staff login (its own views check nobody)."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView

from .markdown import MAX_LENGTH


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
    length = len(request.POST["content"].replace("\r\n", "\n"))
    if length > MAX_LENGTH:
        # markdownx's script shows any answer in the preview pane, so the editor reads this there.
        message = format_html(
            "<p>No preview: this text has {} characters and the limit is {}. Make it shorter, or split it "
            "into two items. It cannot be saved until it is shorter.</p>",
            f"{length:,}",
            f"{MAX_LENGTH:,}",
        )
        return HttpResponse(message, status=413)
    return MarkdownifyView.as_view()(request)


@staff_only
@require_POST
def upload(request):
    """Image upload is turned off: pages show no images from Markdown (see README)."""
    return JsonResponse({"image": ["Image upload is turned off on this site."]}, status=403)
