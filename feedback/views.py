import functools

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt

from .forms import CommentForm, FeedbackForm, is_local_path
from .protection import is_cross_site, over_rate_limit


def feedback_view(view):
    """Readers have no CSRF cookie (the site sets none): cross-site posts and floods are refused here
    instead, before the form is read. Replies are never cached."""

    @functools.wraps(view)
    @csrf_exempt
    @never_cache
    def guarded(request):
        if request.method != "POST":
            response = reply(request, "unreadable", status=405)
            response["Allow"] = "POST"
            return response
        if is_cross_site(request):
            return reply(request, "refused", status=403)
        if over_rate_limit(request):
            response = reply(request, "too_many", status=429, wait_minutes=settings.FEEDBACK_RATE_WINDOW // 60)
            response["Retry-After"] = str(settings.FEEDBACK_RATE_WINDOW)
            return response
        return view(request)

    return guarded


HEADINGS = {
    "thanks": "Thank you for your feedback",
    "comment_thanks": "Thank you for your feedback",
    "unreadable": "Your answer was not sent",
    "refused": "Your answer was not sent",
    "too_many": "Too many answers",
}


def reply(request, outcome, status=200, **context):
    """Every answer is a full page (for readers without JavaScript) holding the part that the
    script puts in place of the form (for readers with it)."""
    back = request.POST.get("page", "")
    context.update(outcome=outcome, heading=HEADINGS[outcome], back=back if is_local_path(back) else "/")
    return render(request, "feedback/reply.html", context, status=status)


@feedback_view
def send(request):
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return reply(request, "unreadable", status=400)
    if form.is_from_a_bot():
        return reply(request, "thanks")
    feedback = form.save()
    if feedback.helpful or feedback.comment:
        return reply(request, "thanks")
    return reply(request, "thanks", comment_token=CommentForm.token_for(feedback))


@feedback_view
def comment(request):
    form = CommentForm(request.POST)
    if not form.is_valid():
        return reply(request, "unreadable", status=400, errors=form.errors)
    if not form.is_from_a_bot():
        form.save()
    return reply(request, "comment_thanks")
