"""Email about the sign-off: the reviewers when a change waits for them, the authors when theirs is
sent back or approved. Sent after the transaction commits, so a refused or rolled-back decision
mails no one; a mail server that fails is logged and never undoes the decision."""

import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.text import Truncator

logger = logging.getLogger(__name__)
REVIEWERS_GROUP = "Clinical reviewers"


def _addresses(users, leave_out=()):
    return sorted({user.email for user in users if user.email and user.pk not in leave_out})


def _send(subject, lines, recipients):
    if not recipients:
        return

    def send():
        try:
            send_mail(subject, "\n".join(lines), None, recipients)
        except Exception:  # the decision stands; the editor still sees it on the admin home page
            logger.exception("Could not send the sign-off email %r", subject)

    transaction.on_commit(send)


def _name(proposal):
    return Truncator(str(proposal.item)).chars(60)


def _link(proposal):
    return settings.BACKCARE_SITE_URL.rstrip("/") + proposal.get_absolute_url()


def change_waits(proposal, author):
    """A change (new or sent again) waits: every clinical reviewer but its author hears of it."""
    reviewers = get_user_model().objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
    _send(
        f"Backcare: a change to “{_name(proposal)}” waits for your sign-off",
        [
            f"{author.get_username()} proposed a change to “{proposal.item}”.",
            f"Reason: {proposal.reason or '(none given)'}",
            "",
            f"Read it and decide: {_link(proposal)}",
        ],
        _addresses(reviewers, leave_out={author.pk}),
    )


def change_decided(proposal, reviewer, approved):
    """A reviewer approved or sent back a change: its authors hear of it, with the reviewer's words."""
    what = "approved" if approved else "sent back"
    lines = [f"{proposal.reviewer_signature or reviewer.get_username()} {what} your change to “{proposal.item}”."]
    if approved and proposal.status == proposal.Status.SCHEDULED:
        lines += ["", f"Readers see it from {_moment(proposal.publish_on)}, unless the item changes before then."]
    if proposal.comment:
        lines += ["", "Their comment:", proposal.comment]
    lines += ["", f"See it: {_link(proposal)}"]
    _send(
        f"Backcare: your change to “{_name(proposal)}” was {what}",
        lines,
        _addresses(proposal.authors.all(), leave_out={reviewer.pk}),
    )


def scheduled_change_stale(proposal, problem):
    """An approved change was not published on its date: its authors and the reviewer hear why."""
    _send(
        f"Backcare: your change to “{_name(proposal)}” was not published",
        [
            f"The change to “{proposal.item or '(deleted item)'}” approved for {_moment(proposal.publish_on)} "
            "was not published.",
            f"Why: {problem}",
            "",
            f"See it: {_link(proposal)}",
        ],
        _addresses([*proposal.authors.all(), *([proposal.reviewer] if proposal.reviewer else [])]),
    )


def _moment(moment):
    return f"{timezone.localtime(moment):%-d %B %Y at %H:%M}"


def _who(user):
    return user.get_full_name() or user.get_username()


def fact_check_requested(fact_check, link):
    """An outside expert is asked to check a waiting change: the link is only ever in this email."""
    proposal, until = fact_check.proposal, timezone.localtime(fact_check.expires_at).strftime("%-d %B %Y")
    _send(
        f"Backcare: would you check a proposed change to “{_name(proposal)}”?",
        [
            f"{_who(fact_check.sent_by)}, an editor of Backcare, asks you to check a proposed change to the page "
            f"“{proposal.item}” before it is published.",
            "",
            "The link below shows the page as proposed and the sentences that change. You need no account.",
            "Your comments go to the editors and the clinical reviewer who decides; the link works once,",
            f"until {until}. Please do not pass it on.",
            "",
            link,
            "",
            "If you did not expect this email, you can ignore it.",
        ],
        [fact_check.expert_email],
    )


def fact_check_answered(fact_check):
    """The expert sent their comments: the editor who asked hears of it."""
    _send(
        f"Backcare: the outside expert commented on “{_name(fact_check.proposal)}”",
        [
            f"{fact_check.expert} sent comments on your change to “{fact_check.proposal.item}”:",
            "",
            fact_check.comment,
            "",
            f"See them with the waiting change: {_link(fact_check.proposal)}",
        ],
        _addresses([fact_check.sent_by]),
    )
