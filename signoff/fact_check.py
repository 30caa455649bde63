"""Fact check by an outside expert: from a waiting change, an editor sends a secret link to an
expert's email address; the expert reads the proposed page and the changed sentences without an
account and comments once. The comment lands in the item's sign-off history and on the waiting
change; it never approves or sends back anything (that stays with a clinical reviewer).

The link carries a token signed with django.core.signing under a salt of its own, over the
request's id and a random secret of which only a hash is stored. A link stops working when it is
revoked, used (the expert sent their comment), past its date, or when the change it shows has
moved on (edited, approved, sent back or withdrawn)."""

import dataclasses
import datetime
import hashlib
import secrets

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from . import notify
from .models import FactCheckRequest, Proposal
from .rules import SignOffRefused

SALT = "signoff.fact-check.link"
LONGEST_DAYS = 14


class LinkClosed(Exception):
    """A fact-check link that shows nothing more and takes no comment; the message says why."""

    def __init__(self, reason, message):
        super().__init__(message)
        self.reason = reason


def may_send(user, item):
    """Editors who may propose a change to the item may ask an outside expert to check it."""
    if item is None:
        return False
    opts = type(item)._meta
    return user.is_active and user.is_staff and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


def can_be_checked(proposal):
    return proposal is not None and proposal.status == Proposal.Status.WAITING and proposal.kind != Proposal.Kind.REORDER


def send(proposal, user, email, days=LONGEST_DAYS):
    """Make a link to this revision of a waiting change and email it to the expert (after the
    commit). Returns the request and the link, which is never stored and cannot be shown again."""
    if not may_send(user, proposal.item):
        raise SignOffRefused("Only an editor who may change this item can ask an outside expert to check it.")
    if not can_be_checked(proposal):
        raise SignOffRefused("Only a change that waits for sign-off can be sent for a fact check.")
    if not 1 <= days <= LONGEST_DAYS:
        raise SignOffRefused(f"A fact-check link works for 1 to {LONGEST_DAYS} days.")
    secret = secrets.token_urlsafe(32)
    fact_check = FactCheckRequest.objects.create(
        proposal=proposal, revision=proposal.revision, expert_email=email, sent_by=user,
        secret_hash=_hashed(secret), expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    link = settings.BACKCARE_SITE_URL.rstrip("/") + reverse("signoff:fact_check", args=[token_for(fact_check, secret)])
    notify.fact_check_requested(fact_check, link)
    return fact_check, link


def token_for(fact_check, secret):
    return signing.Signer(salt=SALT).sign_object([fact_check.pk, secret])


def _hashed(secret):
    return hashlib.sha256(secret.encode()).hexdigest()


def find(token):
    """The request a token names, or None for a token that is tampered with, made for another
    purpose or names no request. Tokens that fail the signature never reach the database."""
    try:
        pk, secret = signing.Signer(salt=SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not (isinstance(pk, int) and isinstance(secret, str)):
        return None
    fact_check = FactCheckRequest.objects.select_related("proposal", "sent_by").filter(pk=pk).first()
    if fact_check is None or not constant_time_compare(_hashed(secret), fact_check.secret_hash):
        return None
    return fact_check


def check_open(fact_check):
    """Raises LinkClosed unless the link may still show the change and take a comment."""
    if fact_check.revoked_at:
        raise LinkClosed("revoked", "The editor who sent this link has cancelled it.")
    if fact_check.used_at:
        raise LinkClosed("used", "Your comments were sent on {}. Thank you: this link has done its job.".format(
            timezone.localtime(fact_check.used_at).strftime("%-d %B %Y at %H:%M")))
    if fact_check.expires_at <= timezone.now():
        raise LinkClosed("expired", "This link was open until {}. Ask the editor for a new one if you still "
                         "want to comment.".format(timezone.localtime(fact_check.expires_at).strftime("%-d %B %Y")))
    proposal = fact_check.proposal
    if proposal.item is None:
        raise LinkClosed("moved-on", "The page this change was for has been deleted, so there is nothing left to "
                         "check. Thank you for your time.")
    if proposal.status == Proposal.Status.WAITING and proposal.revision == fact_check.revision:
        return
    moved_on = {
        Proposal.Status.APPROVED: "A clinical reviewer has already approved this change.",
        Proposal.Status.SENT_BACK: "This change has been sent back to its author for more work.",
        Proposal.Status.WITHDRAWN: "The author has withdrawn this change.",
    }.get(proposal.status, "The change was edited after this link was sent, so it no longer shows what you were asked to check.")
    raise LinkClosed("moved-on", f"{moved_on} Ask the editor for a new link if they still need your view.")


def leave_comment(fact_check, text):
    """The expert's comment, taken once. The update is conditional, so two posts at the same moment
    cannot both be taken."""
    check_open(fact_check)
    now = timezone.now()
    taken = FactCheckRequest.objects.filter(
        pk=fact_check.pk, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now,
        proposal__status=Proposal.Status.WAITING, proposal__revision=fact_check.revision,
    ).update(used_at=now, comment=text)
    fact_check.refresh_from_db()
    if not taken:
        check_open(fact_check)
        raise LinkClosed("used", "This link has already been used.")
    notify.fact_check_answered(fact_check)
    return fact_check


def revoke(fact_check, user):
    """Cancel a link at once (the next request with it is refused). The editors who may ask for a
    check may cancel one too."""
    if not may_send(user, fact_check.proposal.item):
        raise SignOffRefused("Only an editor who may change this item can cancel its fact-check links.")
    if fact_check.revoked_at is None and fact_check.used_at is None:
        FactCheckRequest.objects.filter(pk=fact_check.pk).update(revoked_at=timezone.now(), revoked_by=user)
        fact_check.refresh_from_db()
    return fact_check


def state(fact_check):
    """One word for the admin: open, used, revoked, expired or moved-on."""
    try:
        check_open(fact_check)
    except LinkClosed as closed:
        return closed.reason
    return "open"


@dataclasses.dataclass
class HistoryEntry:
    """A fact-check event in the shape of the sign-off history's rows (the admin's history page)."""

    history_date: datetime.datetime
    history_user: str
    history_change_reason: str
    comment: str = ""
    reviewer_id: None = None
    history_user_id: int = 0  # never None: the reviewer's comment column stays empty

    def get_status_display(self):
        return ""


def history_entries(fact_checks):
    """Each link sent, cancelled and answered, as rows of the item's sign-off history."""
    entries = []
    for check in fact_checks.select_related("sent_by", "revoked_by"):
        entries.append(HistoryEntry(check.created_at, check.sent_by.get_username(),
                                    f"Sent a fact-check link for revision {check.revision} to {check.expert}"))
        if check.revoked_at:
            entries.append(HistoryEntry(check.revoked_at, str(check.revoked_by or "—"),
                                        f"Cancelled the fact-check link sent to {check.expert}"))
        if check.used_at:
            entries.append(HistoryEntry(check.used_at, check.expert,
                                        f"Fact-check comments on revision {check.revision}: {check.comment}"))
    return entries
