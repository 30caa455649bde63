"""Clinical sign-off: no change reaches readers until a second, qualified person approves that exact text.

These functions are the only way published copy changes: the admin, the content loaders and the
management commands call them, and each enforces its own rules (four eyes, the exact revision
read, no content-check error in the exact text that goes live, a step's exercises included).
They publish through each model's own save(), so the page cache, the history and the rendering
of Markdown work as for any save. `available_actions` tells the admin which decisions a user
may take on an item.
"""

import calendar
import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from guides import content_checks
from guides.models import record_as
from guides.publishing import publishing

from . import notify, schedule  # schedule, the dated half, publishes through this module
from .models import Proposal
from .ordering import MoveResult, _in_list, moves_summary, open_reorder, planned_moves
from .proposals import _without_html, open_proposal, proposed_names, render, unproposed_changes, values_of
from .rules import (  # the rules; the admin asks available_actions() and refusal_of() through this module
    COPY_ACTIONS, NOT_A_REVIEWER_TO_CONFIRM, ORDER_ACTIONS, SignOffRefused, _refusal, available_actions,
    is_reviewer, refusal_of, signature,
)

REVIEWERS_GROUP = "Clinical reviewers"


# Proposing ----------------------------------------------------------------------------------


def needs_sign_off(live, proposed_values):
    """Any change to a published item, and publishing a draft, wait for a reviewer."""
    return bool(live is not None and live.is_published) or bool(proposed_values.get("is_published"))


def start_draft(item):
    """A new item is a draft until a reviewer approves it; its review record starts as 'not yet'."""
    item.is_published = False
    item.last_reviewed = item.next_review_due = timezone.localdate()
    item.reviewed_by = "Not yet reviewed"


def propose(item, values, user, reason="", note="", publish_on=None):
    """Store (or update) the item's open proposal (with publish_on, once approved it waits till then)."""
    model = type(item)
    proposal = open_proposal(item, lock=True)
    live = values_of(item)
    if proposal is None:
        proposal = Proposal(item=item)
        event = "Proposed"
    else:
        proposal.revision += 1
        event = "Sent for sign-off again" if proposal.status == Proposal.Status.SENT_BACK else "Proposal edited"
    proposal.proposed = render(dict(values), model)
    proposal.base = live
    proposal.status = Proposal.Status.WAITING
    if not reason and proposal.pk and not proposal.authors.filter(pk=user.pk).exists():
        # Someone else's edit of, say, an imported edition: the approved history must not read as
        # the import's alone, or the next import would take the item for unedited and overwrite it.
        reason = f"{proposal.reason}, edited by {user.get_username()}"[:200]
    proposal.reason = reason or proposal.reason
    proposal.note = note or proposal.note
    proposal.publish_on = publish_on
    record_as(proposal, user, event, reason)
    proposal.save()
    proposal.authors.add(user)
    if event != "Proposal edited":  # new, or sent again after it came back: the reviewers hear of it
        notify.change_waits(proposal, user)
    return proposal


def keep_as_draft(item, user):
    """A draft saved with Published unticked: a waiting proposal to publish it would no longer show
    the reviewer what readers get, so it is withdrawn (its text stays in the history). Returns it."""
    proposal = open_proposal(item, lock=True)
    if proposal is not None:
        proposal.status = Proposal.Status.WITHDRAWN
        record_as(proposal, user, "Withdrawn", "the draft was kept unpublished")
        proposal.save()
    return proposal


def withdraw(proposal, user):
    """An author takes their change (or new order) back; its text stays in the history."""
    refusal = _refusal(user, proposal, "withdraw")
    if refusal is not None:
        raise refusal
    proposal.status = Proposal.Status.WITHDRAWN
    record_as(proposal, user, "Withdrawn")
    proposal.save()


# Deciding -----------------------------------------------------------------------------------


def _check_reviewer(proposal, user, revision):
    refusal = _refusal(user, proposal, "approve")
    if refusal is not None:
        raise refusal
    if str(revision) != str(proposal.revision):
        who = proposal.history.order_by("-history_date").first()
        name = who.history_user.get_username() if who and who.history_user else "An editor"
        raise SignOffRefused(
            f"{name} changed this proposal after you opened it, so it was not approved. "
            "Read the new version below and decide again."
        )


def review_dates(today=None):
    """Today, and the date the next review is due (BACKCARE_REVIEW_INTERVAL_MONTHS, 12 by default)."""
    today = today or timezone.localdate()
    months = getattr(settings, "BACKCARE_REVIEW_INTERVAL_MONTHS", 12)
    year, month = divmod(today.month - 1 + months, 12)
    year, month = today.year + year, month + 1
    day = min(today.day, calendar.monthrange(year, month)[1])
    return today, datetime.date(year, month, day)


def approve(item, user, revision, wording_only=False, comment=""):
    """Publish the proposal's changes through the model's save() and write the review record."""
    with transaction.atomic():
        live = type(item).objects.select_for_update().get(pk=item.pk)
        proposal = open_proposal(live, lock=True)
        _check_reviewer(proposal, user, revision)
        changed = proposed_names(live, proposal)
        # Every field, not only the changed ones: a draft edited after it was proposed for publishing
        # would otherwise go live with words the reviewer never read.
        clashes = unproposed_changes(live, proposal)
        if clashes:
            copy = "draft" if not live.is_published else "live copy"
            raise SignOffRefused(
                f"The {copy} changed after this was proposed (" + ", ".join(clashes) + "). Ask the author "
                "to open it and save it again, so that you approve exactly what readers will get."
            )
        kind = Proposal.Kind.WORDING if wording_only else Proposal.Kind.CLINICAL
        if proposal.publish_on and proposal.publish_on > timezone.now():  # it waits for its date
            return schedule.hold(live, proposal, user, kind, comment)
        reason = proposal.reason or kind.label  # who approved it is the record's user; the Sign-off table says more
        _publish(live, proposal.proposed, changed, user, reason, kind, proposal.note)
        proposal.status, proposal.kind = Proposal.Status.APPROVED, kind
        _decided(proposal, user, comment, f"Approved ({kind.label.lower()})")
    return proposal


def send_back(item, user, revision, comment):
    with transaction.atomic():
        proposal = open_proposal(type(item).objects.select_for_update().get(pk=item.pk), lock=True)
        _send_back(proposal, user, revision, comment)
    return proposal


def _send_back(proposal, user, revision, comment):
    _check_reviewer(proposal, user, revision)
    if not comment.strip():
        raise SignOffRefused("Say what needs to change: the author sees your comment.")
    proposal.status = Proposal.Status.SENT_BACK
    _decided(proposal, user, comment, f"Sent back: {comment}")


def confirm_review(item, user, comment=""):
    """A reviewer checked the live copy and it needs no change: renew the review dates."""
    if not is_reviewer(user):
        raise PermissionDenied(NOT_A_REVIEWER_TO_CONFIRM)
    with transaction.atomic():
        live = type(item).objects.select_for_update().get(pk=item.pk)
        refusal = _refusal(user, open_proposal(live, lock=True), "confirm_review")
        if refusal is not None:
            raise refusal
        reason = f"Review confirmed with no change by {signature(user)}"
        _publish(live, {}, [], user, reason, Proposal.Kind.REVIEW, "")
        record = Proposal(item=live, status=Proposal.Status.APPROVED, kind=Proposal.Kind.REVIEW)
        record.proposed = record.base = values_of(live)
        record.save()
        record.authors.add(user)
        _decided(record, user, comment, "Review confirmed with no change")
    return record


def _decided(proposal, user, comment, event):
    proposal.reviewer, proposal.reviewer_signature = user, signature(user)
    proposal.comment, proposal.decided_at = comment, timezone.now()
    record_as(proposal, user, event)
    proposal.save()
    if proposal.status in (Proposal.Status.APPROVED, Proposal.Status.SCHEDULED, Proposal.Status.SENT_BACK):
        notify.change_decided(proposal, user, approved=proposal.status != Proposal.Status.SENT_BACK)


def _publish(item, values, names, user, reason, kind, note, reviewed_on=None):
    """Apply the named values to the live item and save it (then its exercises), as a normal save;
    a clinical approval or review renews the review record. Readers see the change in 'What changed'."""
    many, children = check_change(item, values, names)
    if kind != Proposal.Kind.WORDING:
        item.last_reviewed, item.next_review_due = review_dates(reviewed_on)
        item.reviewed_by = signature(user)
    entry = {"date": timezone.localdate().isoformat(), "kind": str(kind), "note": note}
    item.change_log = [entry, *item.change_log]
    record_as(item, user, reason)
    with publishing():
        item.save()  # step first, then its exercises: a step's version in the history is followed by theirs
        for name in names:
            if name in many:
                getattr(item, name).set(values[name])
            elif name in children:
                _replace_children(item, name, values[name], user, reason)


def check_change(item, values, names):
    """Apply the named values to `item` (unsaved) and refuse them if they must not go live. Returns the
    names of its many-to-many fields and of the children signed off with it, which a save sets apart."""
    model = type(item)
    many = {field.name for field in model._meta.many_to_many}
    children = getattr(model, "signed_off_with", ())
    for name in names:
        if name not in many and name not in children:
            setattr(item, name, values[name])
    if item.is_published:
        refuse_content_errors(
            item,
            children=next((values[name] for name in names if name in children), None),
            cards=values["care_cards"] if "care_cards" in names and "care_cards" in many else None,
        )
    try:  # e.g. a number another item took since this was proposed: refused, not a crash
        item.validate_unique()
        item.validate_constraints()
    except ValidationError as error:
        raise SignOffRefused(
            "This change now clashes with another item (" + " ".join(error.messages) + "), so it was not "
            "approved. Send it back so the author can change it."
        ) from None
    return many, children


def publish_from_files(obj, links=None):
    """Save one item of an edition of the content files that was signed off as a whole: the first
    load of a fresh database (load_guide, import_content), or import_content --update --publish,
    whose history says it had no sign-off. `links`: {many-to-many field: objects}."""
    with publishing():
        obj.save()
        for name, targets in (links or {}).items():
            getattr(obj, name).set(targets)


def remove_for_edition(models_in_order):
    """import_content --replace: the current content goes, in the loader's transaction, before the
    new edition is published."""
    with publishing():
        for model in models_in_order:
            model.objects.all().delete()


def refuse_content_errors(item, children=None, cards=None):
    """The one gate every publishing path goes through (approve, confirm_review, approve_order):
    refuse when the content checks find an error in the exact values about to be saved, a step's
    exercises included (`children`: their values as they will be; None: as they are)."""
    problems = content_checks.errors_before_publishing(item, children, cards)
    if problems:
        raise SignOffRefused(" ".join(
            f"Not approved: {problem.message}"
            + (f" (“{problem.excerpt}”)" if problem.excerpt and problem.excerpt not in problem.message else "")
            for problem in problems
        ))


def _replace_children(item, relation, wanted, user, reason):
    manager = getattr(item, relation)
    keep = {child["id"] for child in wanted if child.get("id")}
    for child in manager.exclude(pk__in=keep):
        record_as(child, user, "")  # the history keeps who removed it
        child.delete()
    # Park the kept ones on free numbers and names first: order and slug are unique within the step.
    existing = {child.pk: child for child in manager.all()}
    for child in existing.values():
        type(child).objects.filter(pk=child.pk).update(order=child.order + 10_000, slug=f"moving-{child.pk}")
    for values in wanted:
        child = existing.get(values.get("id")) or manager.model(**{manager.field.name: item})
        for name, value in _without_html(values).items():
            if name != "id":
                setattr(child, name, value)
        record_as(child, user, reason)
        child.save()


# Reordering a list (signoff.ordering plans the moves) ----------------------------------------


def reorder(model, selected, direction, user):
    """Move the selected items one place up or down in their lists. Drafts move at once; when a
    published item would change place, the new order is proposed for sign-off instead."""
    results = []
    with transaction.atomic():
        for guide_id, moves in planned_moves(model, list(selected), direction).items():
            if not moves:
                continue
            result = MoveResult(model, moves)
            results.append(result)
            if not any(move["published"] for move in moves):
                _apply_order(model, moves, user, f"Moved {direction} in the list (a draft)")
                continue
            current = Proposal.objects.open().reorders_of(model, guide_id).select_for_update().first()
            if current is not None and current.status == Proposal.Status.WAITING:
                result.blocked_by = current
                continue
            if current is not None:
                current.status = Proposal.Status.WITHDRAWN
                record_as(current, user, "Replaced by a newer order change")
                current.save()
                result.replaced = current
            result.proposal = _propose_order(model, guide_id, moves, user)
    return results


def _propose_order(model, guide_id, moves, user):
    summary = moves_summary(model, moves)
    mover = next((move for move in moves if move["selected"]), moves[0])
    proposal = Proposal(
        content_type=ContentType.objects.get_for_model(model), object_id=mover["id"], kind=Proposal.Kind.REORDER,
        proposed={"guide": guide_id, "moves": moves}, reason=summary[:200],
        base={"guide": guide_id, "order": [[item.pk, item.order] for item in _in_list(model, guide_id)]},
    )
    record_as(proposal, user, "Proposed", summary)
    proposal.save()
    proposal.authors.add(user)
    return proposal


def _apply_order(model, moves, user, reason, log_kind=None):
    """Give each moving item its new number through save(), so history and the page cache follow.
    A clinical approval adds "Moved to a new place" to each published item's 'What changed'."""
    ids = [move["id"] for move in moves]
    # Park the moving items on free numbers first: the order is unique within a guide.
    spare = (model.objects.aggregate(models.Max("order"))["order__max"] or 0) + 1
    for offset, pk in enumerate(ids):
        model.objects.filter(pk=pk).update(order=spare + offset)
    for move in moves:
        item = model.objects.get(pk=move["id"])
        item.order = move["to"]
        if log_kind and item.is_published:
            entry = {"date": timezone.localdate().isoformat(), "kind": str(log_kind), "note": ""}
            item.change_log = [entry, *item.change_log]
        record_as(item, user, reason)
        if log_kind and item.is_published:
            refuse_content_errors(item)
        item.save()
        # An open change to the item's copy (or one approved to publish later) started from its old
        # number: it keeps the new one, so a signed-off move does not make a scheduled change stale.
        waiting = Proposal.objects.filter(status__in=(*Proposal.OPEN, Proposal.Status.SCHEDULED))
        for proposal in waiting.edits().of(item).select_for_update():
            if proposal.proposed.get("order") == proposal.base.get("order") == move["from"]:
                proposal.proposed["order"] = proposal.base["order"] = move["to"]
                record_as(proposal, user, "Its item moved to a new place")
                proposal.save()


def approve_order(pk, user, revision, comment=""):
    """Apply an approved order change, if the list still has the order it was proposed against."""
    with transaction.atomic():
        # The list first, then the proposal: the order reorder locks them in, so neither waits
        # on the other (PostgreSQL would end one with a deadlock).
        unlocked = open_reorder(pk)
        listed = _in_list(unlocked.content_type.model_class(), unlocked.proposed["guide"], lock=True) if unlocked else []
        proposal = open_reorder(pk, lock=True)
        _check_reviewer(proposal, user, revision)
        model = proposal.content_type.model_class()
        moves = proposal.proposed["moves"]
        if proposal.proposed["guide"] != unlocked.proposed["guide"]:
            listed = _in_list(model, proposal.proposed["guide"], lock=True)
        now = {item.pk: item.order for item in listed}
        moving, wanted = {move["id"] for move in moves}, {move["to"] for move in moves}
        if any(now.get(move["id"]) != move["from"] for move in moves) or any(
            order in wanted for pk, order in now.items() if pk not in moving
        ):
            raise SignOffRefused(
                f"The order of the {model._meta.verbose_name_plural} changed after this was proposed, so it "
                "was not approved. Send it back: its author can withdraw it and move the items again from "
                "today's order."
            )
        with publishing():
            _apply_order(model, moves, user, f"Order approved: {proposal.reason}", log_kind=Proposal.Kind.REORDER)
        proposal.status = Proposal.Status.APPROVED
        _decided(proposal, user, comment, "Approved (order change)")
    return proposal


def send_back_order(pk, user, revision, comment):
    with transaction.atomic():
        proposal = open_reorder(pk, lock=True)
        _send_back(proposal, user, revision, comment)
    return proposal
