"""The sign-off decisions posted from an item's admin page: a reviewer approves or sends back,
an author withdraws. The content admin hands such a POST here; signoff.services decides."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect

from . import ordering, proposals, schedule, services

COPY_DONE = {
    "approve": "Approved: readers see the change now, with your name and today's review date.",
    "approve_wording": "Approved as a wording change: readers see it now; the review dates stay as they were.",
    "send_back": "Sent back to the author with your comment. Readers still see the current copy.",
    "confirm_review": "Review confirmed: the review dates are renewed and the copy is unchanged.",
    "withdraw": "Your proposed change is withdrawn. Its text stays in the history.",
    "cancel_scheduled": "The scheduled change is withdrawn: it will not be published. Its text stays in the history.",
}
ORDER_DONE = {
    "approve_order": "Approved: readers see the new order now.",
    "send_back_order": "Sent back to the author with your comment. Readers still see the current order.",
    "withdraw_order": "Your new order is withdrawn. Readers keep the current order; the history keeps your change.",
}


def posted_action(post):
    """The sign-off action a POST asks for: its button is named "_" + the action (as Django's "_save")."""
    names = (*services.COPY_ACTIONS, *services.ORDER_ACTIONS, "cancel_scheduled")
    return next((name for name in names if f"_{name}" in post), None)


def decide(request, item):
    """Runs the posted decision on `item` (the caller has checked the user may change it) and says
    how it went; a refusal keeps the comment typed. Only an action the service offers is taken."""
    action = posted_action(request.POST)
    on_order = action in services.ORDER_ACTIONS
    comment_field = "order_comment" if on_order else "signoff_comment"
    comment = request.POST.get(comment_field, "").strip()
    try:
        done = _decide_order(request, item, action, comment) if on_order else _decide_copy(request, item, action, comment)
    except services.SignOffRefused as refusal:
        request.session[comment_field] = comment  # nothing typed is lost
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return HttpResponseRedirect(request.path)


def _allow(user, item, action, order_change=None):
    if action not in services.available_actions(user, item, order_change):
        raise services.refusal_of(user, item, action, order_change) or PermissionDenied


def _decide_copy(request, item, action, comment):
    user, revision = request.user, request.POST.get("signoff_revision", "")
    if action == "cancel_scheduled":  # an approved change waiting for its date (signoff.schedule)
        schedule.cancel(request.POST["_cancel_scheduled"], item, user)
        return COPY_DONE[action]
    _allow(user, item, action)
    if action in ("approve", "approve_wording"):
        services.approve(item, user, revision, wording_only=action == "approve_wording", comment=comment)
    elif action == "send_back":
        services.send_back(item, user, revision, comment)
    elif action == "confirm_review":
        services.confirm_review(item, user, comment)
    else:
        services.withdraw(proposals.open_proposal(item), user)
    return COPY_DONE[action]


def _decide_order(request, item, action, comment):
    """A decision on a new order shown on the page of an item it moves (signoff.ordering)."""
    pk, revision = request.POST.get("order_proposal", ""), request.POST.get("order_revision", "")
    pk = int(pk) if pk.isascii() and pk.isdigit() and len(pk) < 16 else None  # "²" or 10**30 find nothing
    order_change = ordering.open_reorder(pk)
    _allow(request.user, item, action, order_change)
    if action == "approve_order":
        services.approve_order(pk, request.user, revision, comment)
    elif action == "send_back_order":
        services.send_back_order(pk, request.user, revision, comment)
    else:
        services.withdraw(order_change, request.user)
    return ORDER_DONE[action]
