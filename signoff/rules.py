"""Who may take which sign-off action on an item: the rules the actions in signoff.services
enforce, and that the admin asks (through services.available_actions) for its buttons."""

from django.core.exceptions import PermissionDenied

from .models import Proposal, ReviewerProfile
from .proposals import open_proposal


class SignOffRefused(Exception):
    """An approval or send-back that must not happen; the message says why, in plain words."""



# Each action is a button named "_" + its name on the item's admin page (as Django's "_save").
COPY_ACTIONS = ("approve", "approve_wording", "send_back", "confirm_review", "withdraw")
ORDER_ACTIONS = ("approve_order", "send_back_order", "withdraw_order")
NOT_A_REVIEWER_TO_CONFIRM = "Only a clinical reviewer can confirm a review."


def available_actions(user, item, order_change=None):
    """The sign-off actions `user` may take on `item` now (as Wagtail's get_actions()): on its own
    copy, or, given `order_change` (an open new order), on that order. The admin shows these
    buttons and accepts only these; each action checks the same rules again when it runs."""
    if order_change is not None:
        return {name for name in ORDER_ACTIONS if refusal_of(user, item, name, order_change) is None}
    proposal = open_proposal(item)
    return {name for name in COPY_ACTIONS if _refusal(user, proposal, name) is None}


def refusal_of(user, item, action, order_change=None):
    """Why `user` may not take `action` on `item` now, as the exception to raise, or None."""
    if action in ORDER_ACTIONS:
        if order_change is not None and (
            order_change.content_type.model_class() is not type(item)  # a question's order is not a step's
            or item.pk not in {move["id"] for move in order_change.proposed["moves"]}
        ):
            return PermissionDenied("Decide a new order on the page of an item it moves.")
        return _refusal(user, order_change, action.removesuffix("_order"))
    if action not in COPY_ACTIONS:
        return SignOffRefused("That is not a sign-off action.")
    return _refusal(user, open_proposal(item), action)


def _refusal(user, proposal, action):
    """The rules: four eyes, reviewers only, an open change to decide or none to confirm."""
    authored = proposal is not None and proposal.authors.filter(pk=user.pk).exists()
    if action == "withdraw":
        return None if authored else SignOffRefused("Only an author of this change can withdraw it.")
    if action == "confirm_review":
        if not is_reviewer(user):
            return PermissionDenied(NOT_A_REVIEWER_TO_CONFIRM)
        if proposal is not None:
            return SignOffRefused(
                "A change to this item is waiting: approve or send back that change instead of confirming "
                "the review of the copy it would replace."
            )
        return None
    if not is_reviewer(user):
        return PermissionDenied("Only a clinical reviewer with a public name can approve or send back a change.")
    if proposal is None or proposal.status != Proposal.Status.WAITING:
        return SignOffRefused("There is no change waiting for sign-off here any more.")
    if authored:
        return SignOffRefused("You worked on this change, so another clinical reviewer must approve it.")
    return None


def is_reviewer(user):
    return user.is_active and user.has_perm("signoff.approve_proposal") and _profile(user) is not None


def _profile(user):
    return ReviewerProfile.objects.filter(user=user).first()


def signature(user):
    profile = _profile(user)
    return str(profile) if profile else ""
