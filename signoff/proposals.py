"""What a proposal holds and how a reviewer reads it: an item's editable values (a step's with
its exercises), the proposal's copy rendered once, the changed sentences side by side.

Proposals are generic: every editable field of a content model (and, for a step, its exercises)
is proposed, so a new field needs nothing here. Nothing in this module writes to a content item:
signoff.services does that.
"""

import copy
import datetime
import difflib
import re

from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse
from django.utils import timezone

from guides.markdown import render_markdown, stored_text

from .models import FactCheckRequest, Proposal
from .ordering import LIST_PAGES

REVIEW_FIELDS = ("last_reviewed", "reviewed_by", "next_review_due")
OWNER_FIELDS = ("owner", "deputy")  # who is reminded of the review: people, never copy to sign off
NOT_PROPOSED = {*REVIEW_FIELDS, *OWNER_FIELDS, "id", "version", "updated_at"}


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


def open_proposal(item, lock=False):
    if item is None or item.pk is None:
        return None
    proposals = Proposal.objects.open().edits().of(item)
    if lock:
        proposals = proposals.select_for_update()
    return proposals.first()


def as_proposed(item, proposal):
    """A copy of the live item holding the proposal's values, never saved (as Wagtail's
    with_content_json): its HTML is the proposal's, rendered once when it was proposed, and a
    step's exercises (and its links: care cards, sources) are the proposed ones, so the page's own
    templates show it as readers would get it. The live item is left as it is."""
    proposed = copy.copy(item)
    proposed._state = copy.copy(item._state)
    proposed._prefetched_objects_cache = dict(getattr(item, "_prefetched_objects_cache", {}))
    model, names = type(item), proposed_names(item, proposal)
    relations = getattr(model, "signed_off_with", ())
    for name in names:
        if name in relations:
            children = model._meta.get_field(name).related_model.objects.all()
            children._result_cache, children._prefetch_done = preview_children(proposed, proposal, name), True
            proposed._prefetched_objects_cache[name] = children  # what step.items.all() gives
        elif name in {field.name for field in model._meta.many_to_many}:
            # What topic.sources.all() gives (and a query built from topic.care_cards): the proposed links.
            related = model._meta.get_field(name).related_model
            proposed._prefetched_objects_cache[name] = related.objects.filter(pk__in=proposal.proposed[name])
        else:
            setattr(proposed, name, proposal.proposed[name])
            if f"{name}_html" in proposal.proposed:
                setattr(proposed, f"{name}_html", proposal.proposed[f"{name}_html"])
    return proposed


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
        if field.many_to_many:
            pairs = changed_pairs(_names(field, old), _names(field, new))
        else:
            pairs = sentence_pairs(_text(old), _text(new))
        rows.append({"field": field.verbose_name, "pairs": pairs})
    return rows


def _names(field, keys):
    """Linked items by name: a reviewer reads 'NHS website: Sciatica', not a key."""
    linked = field.related_model.objects.filter(pk__in=keys or [])
    named = {obj.pk: getattr(obj, "review_label", str(obj)) for obj in linked}
    return [named.get(key, f"(deleted, #{key})") for key in keys or []]


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
    return changed_pairs(sentences(old), sentences(new))


def changed_pairs(a, b):
    """(old, new) rows for what differs between two lists (of sentences, or of linked items)."""
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
    """Every proposal, approval, send-back and review of an item, and every outside fact check of
    its changes (signoff.fact_check): who, when and why, newest first."""
    from .fact_check import history_entries  # not at the top: fact_check imports rules, which imports this module

    proposals = list(Proposal.objects.of(item).values_list("pk", flat=True))
    records = list(Proposal.history.filter(id__in=proposals).select_related("history_user"))
    records += history_entries(FactCheckRequest.objects.filter(proposal__in=proposals))
    return sorted(records, key=lambda record: record.history_date, reverse=True)
