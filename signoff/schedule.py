"""Changes that wait for a date: an approved change with "publish on", an item with "withdraw on".

The reviewer's approval stays the gate. services.approve() holds a change whose publish_on is
still ahead (status "scheduled") after the same checks as one published at once; publish_due()
publishes it when its time comes, through the same services._publish(), so the history (the
approving reviewer, "Published on schedule"), the page cache and the offline version follow. A
held change whose item changed in the meantime is stale: it is never published, and its authors
hear why. withdraw_due() takes items off the site on their withdraw_on date: readers then get a
page saying so (or the editor's chosen address), and they leave the sitemap and every list.

`manage.py publish_scheduled` runs both; it is safe to run as often as the scheduler likes.
"""

import copy
import dataclasses

from django.db import transaction
from django.utils import timezone

from guides.models import MovedPage, record_as
from guides.publishing import publishing

from . import notify, services
from .models import Proposal
from .proposals import proposed_names, unproposed_changes
from .rules import SignOffRefused, is_reviewer

CANNOT_WITHDRAW = (
    "{kind} cannot be withdrawn on a date: {why} Change its copy instead, and have the change signed off."
)
WHY_NOT = {
    "step": "the guide's steps are numbered in order, and readers go from one to the next, so taking one "
    "away would leave a gap in the numbers and in the Previous and Next links (and may hide the "
    "check-first list).",
    "guide": "the guide holds every page of the site.",
}


@dataclasses.dataclass
class Outcome:
    """What one run did (or, with dry_run, would do) to one change or item, for the command's output."""

    what: str
    done: str
    published: bool = False


def hold(live, proposal, user, kind, comment):
    """Approve a change whose publish_on is ahead: every check publishing makes is made now, on an
    unsaved copy, so the reviewer hears of a problem today; nothing readers see changes yet."""
    services.check_change(copy.copy(live), proposal.proposed, proposed_names(live, proposal))
    proposal.status, proposal.kind = Proposal.Status.SCHEDULED, kind
    when = timezone.localtime(proposal.publish_on)
    event = f"Approved ({kind.label.lower()}), to publish on {when:%-d %b %Y %H:%M}"
    services._decided(proposal, user, comment, event)
    return proposal


def changes_waiting(item):
    """An item's approved changes that wait for their date, soonest first (its admin page shows them)."""
    if item is None or item.pk is None:  # an add page
        return []
    waiting = Proposal.objects.of(item).edits().filter(status=Proposal.Status.SCHEDULED)
    return list(waiting.order_by("publish_on", "pk"))


def cancel(pk, item, user):
    """Withdraw an approved change before its date (a wrong date, or it is no longer wanted): its
    authors and clinical reviewers may. Its text stays in the history; propose it again to change the date."""
    proposal = next((waiting for waiting in changes_waiting(item) if str(waiting.pk) == str(pk)), None)
    if proposal is None:
        raise SignOffRefused("That change is no longer waiting for its date.")
    if not (proposal.authors.filter(pk=user.pk).exists() or is_reviewer(user)):
        raise SignOffRefused("Only an author of this change or a clinical reviewer can withdraw it.")
    proposal.status = Proposal.Status.WITHDRAWN
    record_as(proposal, user, "Withdrawn before its publish date")
    proposal.save()
    return proposal


def changes_due(now):
    due = Proposal.objects.filter(status=Proposal.Status.SCHEDULED, publish_on__lte=now)
    return due.order_by("publish_on", "pk")


def publish_due(now=None, dry_run=False):
    """Publish every held change whose date has come, each in its own transaction (one that is
    refused never stops the others). Returns an Outcome for each."""
    now = now or timezone.now()
    outcomes = []
    for proposal in changes_due(now):
        if dry_run:
            outcomes.append(Outcome(_label(proposal), f"would publish (due {_when(proposal.publish_on)})"))
            continue
        outcomes.append(_publish_one(proposal.pk))
    return outcomes


def _publish_one(pk):
    with transaction.atomic():
        unlocked = Proposal.objects.get(pk=pk)
        model = unlocked.content_type.model_class()
        # The item first, then the proposal, as approve() locks them.
        live = model.objects.select_for_update().filter(pk=unlocked.object_id).first()
        proposal = Proposal.objects.select_for_update().get(pk=pk)
        if proposal.status != Proposal.Status.SCHEDULED:  # another run took it meanwhile
            return Outcome(_label(proposal), "already done")
        problem = _why_stale(live, proposal)
        if problem is None:
            try:
                with transaction.atomic():
                    _go_live(live, proposal)
                return Outcome(_label(proposal), f"published (due {_when(proposal.publish_on)})", published=True)
            except SignOffRefused as refusal:
                problem = str(refusal)
        proposal.status = Proposal.Status.STALE
        record_as(proposal, None, "Not published", problem)
        proposal.save()
        notify.scheduled_change_stale(proposal, problem)
        return Outcome(_label(proposal), f"NOT published: {problem}")


def _why_stale(live, proposal):
    if live is None:
        return "the item was deleted after the change was approved."
    clashes = unproposed_changes(live, proposal)
    if clashes:
        return (
            "the item changed after this change was approved (" + ", ".join(clashes) + "), so the reviewer "
            "did not read what would go live. Propose it again from the current copy."
        )
    return None


def _go_live(live, proposal):
    reviewer = proposal.reviewer
    reviewed_on = timezone.localdate(proposal.decided_at) if proposal.decided_at else None
    reason = f"Published on schedule: {proposal.reason or Proposal.Kind(proposal.kind).label}"
    services._publish(
        live, proposal.proposed, proposed_names(live, proposal), reviewer, reason, proposal.kind, proposal.note,
        reviewed_on=reviewed_on,
    )
    proposal.status = Proposal.Status.APPROVED
    record_as(proposal, reviewer, "Published on schedule")
    proposal.save()


# Withdrawing --------------------------------------------------------------------------------


def refuse_withdrawal(model):
    """Why items of `model` cannot be withdrawn on a date, as the exception to raise, or None."""
    if getattr(model, "can_be_withdrawn", False):
        return None
    name = model._meta.model_name
    why = WHY_NOT.get(name, "only questions, topics and tips can be withdrawn.")
    return SignOffRefused(CANNOT_WITHDRAW.format(kind=model._meta.verbose_name_plural.capitalize(), why=why))


def withdrawals_due(now, models):
    due = []
    for model in models:
        due += model.objects.filter(is_published=True, withdraw_on__lte=now).order_by("withdraw_on", "pk")
    return due


def withdraw_due(models, now=None, dry_run=False):
    """Withdraw every published item of `models` whose withdraw_on has come. Returns an Outcome each."""
    now = now or timezone.now()
    outcomes = []
    for item in withdrawals_due(now, models):
        what = f"{item._meta.verbose_name.capitalize()}: {item}"
        to = f", sending readers to {item.withdraw_to}" if item.withdraw_to else ""
        if dry_run:
            outcomes.append(Outcome(what, f"would withdraw (due {_when(item.withdraw_on)}){to}"))
            continue
        done = withdraw(item, now)
        outcomes.append(Outcome(what, f"withdrawn{to}" if done else "already done", published=done))
    return outcomes


def withdraw(item, now=None):
    """Take a published item off the site for good, as its approved withdraw_on asks: unpublished,
    dated (readers' page says when), and its address sent on to withdraw_to if the editor chose one.
    Recorded in the history under the reviewer who approved the date. Returns whether it did."""
    refusal = refuse_withdrawal(type(item))
    if refusal is not None:
        raise refusal
    now = now or timezone.now()
    with transaction.atomic():
        live = type(item).objects.select_for_update().get(pk=item.pk)
        if not (live.is_published and live.withdraw_on and live.withdraw_on <= now):
            return False
        approvals = Proposal.objects.of(live).edits().filter(status=Proposal.Status.APPROVED)
        approvals = approvals.order_by("-decided_at", "-pk")
        approval = next((done for done in approvals if done.proposed.get("withdraw_on")), None)
        reviewer = approval.reviewer if approval else None
        address = live.get_absolute_url()
        live.is_published, live.withdrawn_on, live.withdraw_on = False, now, None
        signed = f"approved by {approval.reviewer_signature}" if approval and approval.reviewer_signature else ""
        record_as(live, reviewer, "Withdrawn on schedule", signed)
        with publishing():
            live.save()
            if live.withdraw_to and live.page_url_name:
                MovedPage.record_move(address, live.withdraw_to)
    return True


def _label(proposal):
    return f"{proposal.content_type.name.capitalize()}: {proposal.item or '(deleted item)'}"


def _when(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"
