"""django-markdownx's endpoints, behind staff login (its own views check nobody)."""

import re
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.views.decorators.http import require_POST
from markdownx.views import MarkdownifyView

from .copy_checks import MIN_WORDS_FOR_READING_AGE
from .content_checks import CHECKED_MODELS, check_preview
from .markdown import MAX_LENGTH, stored_text
from .models import Step, StepItem


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
    length = len(stored_text(request.POST["content"]))
    if length > MAX_LENGTH:
        # markdownx's script shows any answer in the preview pane, so the editor reads this there.
        message = format_html(
            "<p>No preview: this text has {} characters and the limit is {}. Make it shorter, or split it "
            "into two items. It cannot be saved until it is shorter.</p>",
            f"{length:,}",
            f"{MAX_LENGTH:,}",
        )
        return HttpResponse(message, status=413)
    response = MarkdownifyView.as_view()(request)
    return with_content_checks(request, response)


def with_content_checks(request, response):
    """The field's content checks, appended to its preview: they update with it, in the same request."""
    if response.status_code != 200:
        return response
    figures, problems, sentences = check_preview(request.POST["content"], response.content.decode(), **preview_target(request))
    shown = [{**p.as_dict(), "highlighted": highlighted(p, sentences)} for p in problems]
    response.content += render_to_string(
        "admin/guides/content_checks_preview.html", {"figures": figures, "problems": shown, "min_words": MIN_WORDS_FOR_READING_AGE}, request
    ).encode()
    return response


def preview_target(request):
    """The field (and item) a preview is for, from its address: ?field=guides.step.body&object=3
    (a saved item) or &step=3 (a new exercise of a saved step). The admin's forms put it there.
    Anything else, or an item the editor may not view, gives the checks that need no page."""
    label, _, name = request.GET.get("field", "").rpartition(".")
    model = next((m for m in CHECKED_MODELS if m._meta.label_lower == label), None)
    if model is None or name not in model.markdown_fields:
        return {}
    if not request.user.has_perm(f"{model._meta.app_label}.view_{model._meta.model_name}"):
        return {}
    obj, object_id, step_id = None, request.GET.get("object", ""), request.GET.get("step", "")
    if object_id.isdigit():
        obj = model.objects.filter(pk=object_id).first()
    elif model is StepItem and step_id.isdigit():
        step = Step.objects.filter(pk=step_id).first()
        obj = StepItem(step=step) if step else None
    return {"model": model, "name": name, "obj": obj}


def highlighted(problem, sentences):
    """The sentence a hard word is in, with the word marked."""
    if problem.check != "hard-word":
        return None
    pattern = re.compile(rf"\b({re.escape(problem.excerpt)})\b", re.I)
    for sentence in sentences:
        match = pattern.search(sentence)
        if match:
            before, word, after = sentence[: match.start()], match.group(0), sentence[match.end():]
            return format_html("{}<mark>{}</mark>{}", before, word, after)
    return None


@staff_only
@require_POST
def upload(request):
    """Image upload is turned off: pages show no images from Markdown (see README)."""
    return JsonResponse({"image": ["Image upload is turned off on this site."]}, status=403)
