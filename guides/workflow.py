"""Clinical sign-off: no change reaches readers until a second, qualified person approves that exact text.

The admin calls these functions; they publish through each model's own save(), so the page
cache, the history and the rendering of Markdown work as for any save. Proposals are generic:
every editable field of a content model (and, for a step, its exercises) is proposed, so a new
field needs nothing here.
"""

import calendar
import dataclasses
import datetime
import difflib
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone
from signoff.models import Proposal, ReviewerProfile

from . import content_checks
from .markdown import render_markdown, stored_text
from .models import CareCard, history_reason

REVIEWERS_GROUP = "Clinical reviewers"
REVIEW_FIELDS = ("last_reviewed", "reviewed_by", "next_review_due")
NOT_PROPOSED = {*REVIEW_FIELDS, "id", "version", "updated_at"}


class SignOffRefused(Exception):
    """An approval or send-back that must not happen; the message says why, in plain words."""


# What a proposal holds -------------------------------------------------------------------


def editable_fields(model, parent=None):
    """The fields an editor changes: every editable field but the review record and bookkeeping."""
    fields = [*model._meta.concrete_fields, *model._meta.many_to_many]
    return [
        field
        for field in fields
        if field.editable and field.name not in NOT_PROPOSED and not (parent and field.name == parent)
    ]


def _plain(value):
    """Values as JSON keeps them (dates as ISO text), so proposed and live copies compare equal."""
    return DjangoJSONEncoder().default(value) if isinstance(value, (datetime.date, datetime.time)) else value


def values_of(item):
    """The live values of an item's editable fields, with its exercises for a step."""
    values = {}
    for field in editable_fields(type(item)):
        if field.many_to_many:
            values[field.name] = sorted(getattr(item, field.name).values_list("pk", flat=True)) if item.pk else []
        else:
            values[field.attname] = _plain(getattr(item, field.attname))
    for relation in getattr(type(item), "signed_off_with", ()):
        parent = type(item)._meta.get_field(relation).field.name
        values[relation] = [child_values(child, parent) for child in getattr(item, relation).all()] if item.pk else []
    return values


def values_from(obj, many):
    """The values of an unsaved copy of an item (one read from a content file), in the terms of
    values_of; `many` gives each many-to-many field as a list of keys. Its exercises are left out."""
    values = {}
    for field in editable_fields(type(obj)):
        if field.many_to_many:
            values[field.name] = sorted(many.get(field.name, []))
        else:
            values[field.attname] = _plain(getattr(obj, field.attname))
    return values


def same_values(proposed, values):
    """Whether a proposal already holds these values (its rendered HTML aside)."""
    def plain(held):
        return {name: _strip_children(value) for name, value in _without_html(held).items()}

    return plain(proposed) == plain(values)


def child_values(child, parent):
    values = {"id": child.pk}
    for field in editable_fields(type(child), parent=parent):
        values[field.attname] = _plain(getattr(child, field.attname))
    return values


def render(values, model):
    """The proposal's copy as HTML, rendered once when the proposal is saved (never per request)."""
    for name in getattr(model, "markdown_fields", ()):
        if name in values:
            values[name] = stored_text(values[name])
            values[f"{name}_html"] = render_markdown(values[name])
    for relation in getattr(model, "signed_off_with", ()):
        child_model = model._meta.get_field(relation).related_model
        for child in values.get(relation, []):
            render(child, child_model)
    return values


def _without_html(values):
    return {name: value for name, value in values.items() if not name.endswith("_html")}


def changed_names(proposal):
    """The fields (and 'items') the authors changed from the live copy they started from."""
    proposed, base = proposal.proposed, proposal.base
    return [
        name
        for name, value in proposed.items()
        if not name.endswith("_html") and _strip_children(value) != _strip_children(base.get(name))
    ]


def _strip_children(value):
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return [_without_html(child) for child in value]
    return value


def publishes_draft(item, proposal):
    """Whether approving would show readers a draft for the first time: every word of it is new to them."""
    return not item.is_published and bool(proposal.proposed.get("is_published"))


def proposed_names(item, proposal):
    """The fields an approval writes: what the authors changed, or, to publish a draft, all of it."""
    if publishes_draft(item, proposal):
        return [name for name in proposal.proposed if not name.endswith("_html")]
    return changed_names(proposal)


def unproposed_changes(item, proposal):
    """The fields whose live value is neither the one the proposal started from nor the one it
    proposes: the item changed some other way since, so the reviewer did not read what would go live."""
    current = values_of(item)
    return [
        name for name, value in proposal.proposed.items()
        if not name.endswith("_html")
        and _strip_children(current.get(name)) not in (
            _strip_children(proposal.base.get(name)), _strip_children(value))
    ]


# Who may do what --------------------------------------------------------------------------


def is_reviewer(user):
    return user.is_active and user.has_perm("signoff.approve_proposal") and _profile(user) is not None


def _profile(user):
    return ReviewerProfile.objects.filter(user=user).first()


def signature(user):
    profile = _profile(user)
    return str(profile) if profile else ""


# Proposing ----------------------------------------------------------------------------------


def open_proposal(item, lock=False):
    if item is None or item.pk is None:
        return None
    proposals = Proposal.objects.open().edits().of(item)
    if lock:
        proposals = proposals.select_for_update()
    return proposals.first()


def needs_sign_off(live, proposed_values):
    """Any change to a published item, and publishing a draft, wait for a reviewer."""
    return bool(live is not None and live.is_published) or bool(proposed_values.get("is_published"))


def propose(item, values, user, reason="", note=""):
    """Store (or update) the item's open proposal; the live row is not touched."""
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
    proposal._history_user = user
    proposal._change_reason = history_reason(event, reason)
    proposal.save()
    proposal.authors.add(user)
    return proposal


def keep_as_draft(item, user):
    """A draft saved with Published unticked: a waiting proposal to publish it would no longer show
    the reviewer what readers get, so it is withdrawn (its text stays in the history). Returns it."""
    proposal = open_proposal(item, lock=True)
    if proposal is not None:
        proposal.status = Proposal.Status.WITHDRAWN
        proposal._history_user, proposal._change_reason = user, history_reason("Withdrawn", "the draft was kept unpublished")
        proposal.save()
    return proposal


def withdraw(proposal, user):
    proposal.status = Proposal.Status.WITHDRAWN
    proposal._history_user = user
    proposal._change_reason = history_reason("Withdrawn")
    proposal.save()


# Deciding -----------------------------------------------------------------------------------


def _check_reviewer(proposal, user, revision):
    if not is_reviewer(user):
        raise PermissionDenied("Only a clinical reviewer with a public name can approve or send back a change.")
    if proposal is None or proposal.status != Proposal.Status.WAITING:
        raise SignOffRefused("There is no change waiting for sign-off here any more.")
    if proposal.authors.filter(pk=user.pk).exists():
        raise SignOffRefused("You worked on this change, so another clinical reviewer must approve it.")
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
        raise PermissionDenied("Only a clinical reviewer can confirm a review.")
    with transaction.atomic():
        live = type(item).objects.select_for_update().get(pk=item.pk)
        if open_proposal(live, lock=True) is not None:
            raise SignOffRefused(
                "A change to this item is waiting: approve or send back that change instead of confirming "
                "the review of the copy it would replace."
            )
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
    proposal._history_user, proposal._change_reason = user, history_reason(event)
    proposal.save()


def _publish(item, values, names, user, reason, kind, note):
    """Apply the named values to the live item and save it (then its exercises), as a normal save;
    a clinical approval or review renews the review record. Readers see the change in 'What changed'."""
    model = type(item)
    many = {field.name for field in model._meta.many_to_many}
    children = getattr(model, "signed_off_with", ())
    for name in names:
        if name not in many and name not in children:
            setattr(item, name, values[name])
    if kind != Proposal.Kind.WORDING:
        item.last_reviewed, item.next_review_due = review_dates()
        item.reviewed_by = signature(user)
    entry = {"date": timezone.localdate().isoformat(), "kind": str(kind), "note": note}
    item.change_log = [entry, *item.change_log]
    item._history_user, item._change_reason = user, history_reason(reason)
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
    item.save()  # step first, then its exercises: a step's version in the history is followed by theirs
    for name in names:
        if name in many:
            getattr(item, name).set(values[name])
        elif name in children:
            _replace_children(item, name, values[name], user, reason)


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
        child._history_user = user
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
        child._history_user, child._change_reason = user, history_reason(reason)
        child.save()


# Reading a proposal --------------------------------------------------------------------------


def preview(item, proposal):
    """The item as it will look once approved (in memory only), with the HTML stored in the proposal."""
    names = proposed_names(item, proposal)
    model = type(item)
    for name in names:
        if name in getattr(model, "signed_off_with", ()) or name in {f.name for f in model._meta.many_to_many}:
            continue
        setattr(item, name, proposal.proposed[name])
        if f"{name}_html" in proposal.proposed:
            setattr(item, f"{name}_html", proposal.proposed[f"{name}_html"])
    return item


def preview_children(item, proposal, relation="items"):
    """A step's exercises as proposed, as unsaved objects the page's templates can show."""
    manager = getattr(item, relation)
    built = []
    for values in proposal.proposed.get(relation, []):
        child = manager.model(**{manager.field.name: item})
        for name, value in values.items():
            setattr(child, "pk" if name == "id" else name, value)
        child._state.adding = child.pk is None
        built.append(child)
    return built


def changes(item, proposal):
    """What a reviewer reads: for each changed field, the live and proposed sentences side by side."""
    model = type(item)
    drafted = publishes_draft(item, proposal)
    live = {} if drafted else values_of(item)  # readers have seen none of a draft: all of it is new
    rows = []
    for name in proposed_names(item, proposal):
        old, new = live.get(name), proposal.proposed.get(name)
        if drafted and new in (None, "", []):
            continue
        if name in getattr(model, "signed_off_with", ()):
            rows += _child_changes(model._meta.get_field(name).related_model, old or [], new or [])
            continue
        field = model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
        rows.append({"field": field.verbose_name, "pairs": sentence_pairs(_text(old), _text(new))})
    return rows


def _child_changes(child_model, old, new):
    label = child_model._meta.verbose_name
    before = {child["id"]: child for child in old}
    rows = []
    for child in new:
        previous = before.pop(child.get("id"), None) if child.get("id") else None
        for name, value in _without_html(child).items():
            if name == "id" or (previous and previous.get(name) == value):
                continue
            title = (previous or child).get("title", "")
            field = child_model._meta.get_field(name.removesuffix("_id") if name.endswith("_id") else name)
            rows.append({
                "field": f"{label} '{title}': {field.verbose_name}" if previous else f"new {label} '{title}': {field.verbose_name}",
                "pairs": sentence_pairs(_text(previous.get(name)) if previous else "", _text(value)),
            })
    for child in before.values():
        rows.append({"field": f"{label} '{child.get('title', '')}' removed", "pairs": [(child.get("title", ""), "")]})
    return rows


def _text(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)


SENTENCE_END = re.compile(r"(?<=[.!?:])\s+|\n+")


def sentences(text):
    return [part.strip() for part in SENTENCE_END.split(text or "") if part and part.strip()]


def sentence_pairs(old, new):
    """Changed sentences side by side: (old, new) rows, '' where a sentence was added or removed.

    Unchanged sentences between changes are left out, so the reviewer reads only what moved."""
    a, b = sentences(old), sentences(new)
    rows = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            continue
        olds, news = a[i1:i2], b[j1:j2]
        for index in range(max(len(olds), len(news))):
            rows.append((olds[index] if index < len(olds) else "", news[index] if index < len(news) else ""))
    return rows


def waiting():
    """Everything waiting for sign-off, oldest first."""
    return Proposal.objects.filter(status=Proposal.Status.WAITING).order_by("created_at").prefetch_related(
        "authors", "content_type"
    )


# The admin's forms ---------------------------------------------------------------------------


def form_initial(model, proposal, form_fields):
    """The proposal's values as a form's initial data (the author goes on from their own text)."""
    initial = {}
    for field in editable_fields(model):
        key = field.name if field.many_to_many else field.attname
        if field.name in form_fields and key in proposal.proposed:
            initial[field.name] = proposal.proposed[key]
    return initial


def form_values(obj, form):
    """The values an admin form proposes: what it holds, and the live value of anything it does not show."""
    values = {}
    for field in editable_fields(type(obj)):
        if field.many_to_many:
            chosen = form.cleaned_data.get(field.name) if field.name in form.cleaned_data else getattr(obj, field.name).all()
            values[field.name] = sorted(item.pk for item in chosen)
        else:
            values[field.attname] = _plain(getattr(obj, field.attname))
    return values


def formset_values(item, formsets, proposal=None):
    """A step's exercises as its inline forms hold them. Exercises that no form covered stay as
    they were (in the open proposal, or live); removed ones are left out."""
    values = {}
    for relation in getattr(type(item), "signed_off_with", ()):
        field = type(item)._meta.get_field(relation)
        shown = (proposal.proposed if proposal and relation in proposal.proposed else values_of(item))[relation]
        children = {child["id"]: _without_html(child) for child in shown if child.get("id")}
        added = []
        for formset in formsets:
            if formset.model is not field.related_model:
                continue
            for form in formset.forms:
                pk = form.instance.pk
                if form in formset.deleted_forms:
                    children.pop(pk, None)
                elif form.cleaned_data:
                    child = child_values(form.instance, field.field.name)
                    if pk in children:
                        children[pk] = child
                    else:
                        added.append(child)
        values[relation] = sorted([*children.values(), *added], key=lambda child: child.get("order") or 0)
    return values


def start_draft(item):
    """A new item is a draft until a reviewer approves it; its review record starts as 'not yet'."""
    item.is_published = False
    item.last_reviewed = item.next_review_due = timezone.localdate()
    item.reviewed_by = "Not yet reviewed"


def children_as_of(item, version_id):
    """For a revert: a step's exercises as they were when that version of the step was current."""
    values = {}
    relations = getattr(type(item), "signed_off_with", ())
    if not relations:
        return values
    version = item.history.get(history_id=version_id)
    later = item.history.filter(history_date__gt=version.history_date).order_by("history_date").first()
    moment = later.history_date - datetime.timedelta(microseconds=1) if later else timezone.now()
    for relation in relations:
        field = type(item)._meta.get_field(relation)
        old = field.related_model.history.as_of(moment).filter(**{field.field.attname: item.pk})
        values[relation] = [child_values(child, field.field.name) for child in sorted(old, key=lambda c: c.order)]
    return values


def page_of(item):
    """Where readers see an item (a care card: on the first step that shows it, or the home page)."""
    if hasattr(item, "get_absolute_url"):
        return item.get_absolute_url()
    step = item.steps.order_by("order").first()
    return (step or item.guide).get_absolute_url()


def preview_url(item, proposal):
    if proposal.kind == Proposal.Kind.REORDER:
        return f"{reverse(LIST_PAGES[type(item)._meta.model_name])}?proposal={proposal.pk}"
    path, _, anchor = page_of(item).partition("#")
    return f"{path}?proposal={proposal.pk}" + (f"#{anchor}" if anchor else "")


def sign_off_history(item):
    """Every proposal, approval, send-back and review of an item: who, when and why, newest first."""
    proposals = Proposal.objects.of(item).values_list("pk", flat=True)
    return (
        Proposal.history.filter(id__in=list(proposals))
        .select_related("history_user")
        .order_by("-history_date")
    )


def previewed(context, proposal):
    """A reader page's context with the proposal's item shown as proposed (in memory, never saved)."""
    if proposal.kind == Proposal.Kind.REORDER:
        return _previewed_order(context, proposal)
    model = proposal.content_type.model_class()
    for value in list(context.values()):
        if isinstance(value, models.Model):
            candidates = [value]
        elif isinstance(value, (list, tuple, models.QuerySet)):
            candidates = list(value)
        else:
            continue
        for candidate in candidates:
            if isinstance(candidate, model) and candidate.pk == proposal.object_id:
                preview(candidate, proposal)
                if "items" in changed_names(proposal) and context.get("step") is candidate:
                    context["items"] = preview_children(candidate, proposal)
    return context


# Reordering a list ---------------------------------------------------------------------------
#
# The order of a guide's steps, questions, tips or care cards is copy too: moving "Listen to your
# body" after the exercises changes what readers read. A move that changes the place of a published
# item waits for sign-off as a proposal of kind "reorder", attached to the item the editor moved;
# drafts move at once. One list has at most one open order change, so two never contradict.

LIST_PAGES = {"step": "guides:home", "question": "guides:faq", "tip": "guides:tips", "carecard": "guides:help"}


def item_label(item):
    """An item's name in a sentence: its title, question or heading."""
    for name in ("title", "question", "heading"):
        if hasattr(item, name):
            return getattr(item, name)
    return str(item)


def _reader_order(model, order_of=lambda item: item.order):
    """Sort key for a list as readers see it: care cards go by urgency first, then by number."""
    levels = list(getattr(getattr(model, "Level", None), "values", []))
    return lambda item: (levels.index(item.level) if levels else 0, order_of(item), item.pk)


def _group_of(item):
    """Items only swap places with a neighbour of the same group: a care card's level."""
    return getattr(item, "level", None)


def _in_list(model, guide_id, lock=False):
    items = model.objects.filter(guide_id=guide_id).order_by("order", "pk")
    return sorted(items.select_for_update() if lock else items, key=_reader_order(model))


def planned_moves(model, selected, direction):
    """Where items go if each selected one swaps places with its neighbour, as the live action did:
    {guide id: [{"id", "title", "from", "to", "selected", "published"}, ...]} for the items that move."""
    lists, orders = {}, {}
    for item in sorted(selected, key=lambda item: item.order, reverse=direction == "down"):
        if item.guide_id not in lists:
            lists[item.guide_id] = {obj.pk: obj for obj in _in_list(model, item.guide_id, lock=True)}
            orders[item.guide_id] = {pk: obj.order for pk, obj in lists[item.guide_id].items()}
        places, listed = orders[item.guide_id], lists[item.guide_id]
        if item.pk not in places:  # deleted since it was selected
            continue
        mine, group = places[item.pk], _group_of(listed[item.pk])
        others = [(order, pk) for pk, order in places.items() if _group_of(listed[pk]) == group]
        if direction == "up":
            neighbour = max((other for other in others if other[0] < mine), default=None)
        else:
            neighbour = min((other for other in others if other[0] > mine), default=None)
        if neighbour is not None:
            places[item.pk], places[neighbour[1]] = neighbour[0], mine
    chosen = {item.pk for item in selected}
    plans = {}
    for guide_id, items in lists.items():
        places = orders[guide_id]
        plans[guide_id] = [
            {"id": pk, "title": item_label(items[pk]), "from": items[pk].order, "to": places[pk],
             "selected": pk in chosen, "published": items[pk].is_published}
            for pk in sorted(places, key=places.get)
            if places[pk] != items[pk].order
        ]
    return plans


def moves_summary(model, moves):
    """The moves in words, e.g. "Move step 'Listen to your body' from 3 to 4"."""
    label = model._meta.verbose_name
    named = [move for move in moves if move["selected"]] or moves
    parts = [f"move {label} '{move['title']}' from {move['from']} to {move['to']}" for move in named]
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


@dataclasses.dataclass
class MoveResult:
    """What one move of one list did, for the editor's message."""

    model: type
    moves: list
    proposal: Proposal = None  # the order change now waiting for sign-off
    replaced: Proposal = None  # a sent-back order change this one replaces
    blocked_by: Proposal = None  # an order change already waiting: nothing moved

    @property
    def summary(self):
        return moves_summary(self.model, self.moves)


def move_items(model, selected, direction, user):
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
                current._history_user, current._change_reason = user, history_reason("Replaced by a newer order change")
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
    proposal._history_user, proposal._change_reason = user, history_reason("Proposed", summary)
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
        item._history_user, item._change_reason = user, history_reason(reason)
        if log_kind and item.is_published:
            refuse_content_errors(item)
        item.save()
        # An open change to the item's copy started from its old number: it keeps the new one.
        for proposal in Proposal.objects.open().edits().of(item).select_for_update():
            if proposal.proposed.get("order") == proposal.base.get("order") == move["from"]:
                proposal.proposed["order"] = proposal.base["order"] = move["to"]
                proposal._history_user, proposal._change_reason = user, history_reason("Its item moved to a new place")
                proposal.save()


def open_reorder(pk, lock=False):
    proposals = Proposal.objects.open().filter(kind=Proposal.Kind.REORDER, pk=pk)
    return (proposals.select_for_update() if lock else proposals).first()


def reorders_touching(item):
    """The open order changes that would move this item."""
    if item is None or item.pk is None or not hasattr(item, "guide_id") or not hasattr(item, "order"):
        return []
    proposals = Proposal.objects.open().reorders_of(type(item), item.guide_id).prefetch_related("authors")
    return [proposal for proposal in proposals if item.pk in {move["id"] for move in proposal.proposed["moves"]}]


def approve_order(pk, user, revision, comment=""):
    """Apply an approved order change, if the list still has the order it was proposed against."""
    with transaction.atomic():
        # The list first, then the proposal: the order move_items locks them in, so neither waits
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
        _apply_order(model, moves, user, f"Order approved: {proposal.reason}", log_kind=Proposal.Kind.REORDER)
        proposal.status = Proposal.Status.APPROVED
        _decided(proposal, user, comment, "Approved (order change)")
    return proposal


def send_back_order(pk, user, revision, comment):
    with transaction.atomic():
        proposal = open_reorder(pk, lock=True)
        _send_back(proposal, user, revision, comment)
    return proposal


def order_changes(proposal):
    """What a reviewer reads: the whole list, place by place, as it is now and as proposed."""
    model = proposal.content_type.model_class()
    items = _in_list(model, proposal.proposed["guide"])
    wanted = {move["id"]: move["to"] for move in proposal.proposed["moves"]}
    proposed = sorted(items, key=_reader_order(model, lambda item: wanted.get(item.pk, item.order)))

    def name(item):
        return f"{item_label(item)} (draft)" if not item.is_published else item_label(item)

    return [
        {"place": place, "old": name(old), "new": name(new), "changed": old.pk != new.pk}
        for place, (old, new) in enumerate(zip(items, proposed), start=1)
    ]


def _previewed_order(context, proposal):
    """A reader page with the list in its proposed order (in memory only)."""
    model = proposal.content_type.model_class()
    wanted = {move["id"]: move["to"] for move in proposal.proposed["moves"]}
    for key, value in list(context.items()):
        if not isinstance(value, (list, tuple, models.QuerySet)):
            continue
        items = list(value)
        if not items or not all(isinstance(item, model) for item in items):
            continue
        for item in items:
            item.order = wanted.get(item.pk, item.order)
        context[key] = sorted(items, key=_reader_order(model))
    steps, step = context.get("steps"), context.get("step")
    if isinstance(steps, list) and step in steps:
        position = steps.index(step)
        context.update(
            number=position + 1,
            previous_step=steps[position - 1] if position > 0 else None,
            next_step=steps[position + 1] if position + 1 < len(steps) else None,
        )
    return context
