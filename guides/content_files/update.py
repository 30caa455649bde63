"""Bringing a running site's copy up to a new edition of the content files."""

from dataclasses import dataclass, field as dataclass_field

from django.core.exceptions import ValidationError
from django.db import transaction

from signoff import proposals, services

from ..models import Guide, MovedPage, Source, StepItem
from .files import KINDS, _points_at_guide, _target_kind, edition_hash, values_in_database, values_in_files
from .load import (
    EDITION_PUBLISHED, EDITION_UPDATE, FIRST_EDITION, ContentImportError, ContentFileError,
    _messages, _redirect_loops, _save, import_content, read_content,
)

@dataclass
class EditionUpdate:
    """What `update_content` did with each file of the new edition."""

    added: list = dataclass_field(default_factory=list)
    updated: list = dataclass_field(default_factory=list)
    proposed: list = dataclass_field(default_factory=list)  # waiting for a clinical reviewer's sign-off
    waiting: list = dataclass_field(default_factory=list)  # proposed by an earlier update, still waiting
    unchanged: list = dataclass_field(default_factory=list)
    left_alone: list = dataclass_field(default_factory=list)  # (item, why): for an editor to merge by hand
    published: bool = False  # published without sign-off (--publish)


def update_content(directory, user=None, publish=False):
    """Bring the database's copy up to a new edition of the content files, in one transaction.

    Items new in the edition are added. An item the edition changes is updated only if
    no editor has changed it since an edition was loaded (its newest history entry is
    one that loading wrote); otherwise it is left alone and reported, as is an item
    that an editor deleted. Items that are only in the database stay as they are.

    Readers see nothing new until a clinical reviewer approves it: a change to published copy
    (or a new item to publish, added as a draft) is proposed for sign-off in `user`'s name, as
    an editor's change in the admin is. Drafts and moved pages change at once. With `publish`
    (a first install or an emergency) everything is published directly and its history says so.
    """
    items = read_content(directory)
    report = EditionUpdate(published=publish)
    reason = EDITION_PUBLISHED if publish else EDITION_UPDATE
    with transaction.atomic():
        if not Guide.objects.exists():
            import_content(directory, change_reason=FIRST_EDITION)
            report.added = items
            return report
        moved_now = dict(MovedPage.objects.values_list("old_path", "new_path"))
        new_moves = {item.obj.old_path: item for item in items if item.kind == "moved"}
        problems = _redirect_loops(new_moves, {**moved_now, **{old: i.obj.new_path for old, i in new_moves.items()}})
        if problems:
            raise ContentImportError(problems)
        saved = {kind: {} for kind in KINDS}
        proposals = _EditionProposals()
        for item in items:
            model = type(item.obj)
            named = [(name, slug) for name, slug in item.parents.items()]
            named += [(name, slug) for name, slugs in item.links.items() for slug in slugs]
            gone = [slug for name, slug in named if slug not in saved[_target_kind(model, name)]]
            if gone:
                report.left_alone.append((item, f"it belongs to {', '.join(gone)}, which is left alone too"))
                continue
            current, why = _in_database(item, saved)
            if current is None and why is None:
                waits = not publish and _waits_for_sign_off(item, None, saved)
                if waits and model is not StepItem:
                    item.obj.is_published = False  # a draft until a reviewer approves publishing it
                if not (waits and model is StepItem):  # a published step's new exercise comes with the step
                    _save(item, saved, reason, user, approved=publish)
                if waits:
                    proposals.add(item, item.obj, saved, publish=True)
                report.added.append(item)
                continue
            if current is not None:  # the edition's other files name it by the edition's slug
                saved[item.kind][getattr(item.obj, "slug", None)] = current
            if why is None and values_in_files(item, saved) == values_in_database(current, item):
                report.unchanged.append(item)
            elif why is None and _untouched_since_loaded(current, item):
                if not publish and _waits_for_sign_off(item, current, saved):
                    proposals.add(item, current, saved)
                    continue
                if not publish and isinstance(current, Source) and current.seen_by_readers():
                    report.left_alone.append((item, CITED_SOURCE))
                    continue
                item.obj.pk, item.obj._state.adding = current.pk, False
                _save(item, saved, reason, user, approved=publish)
                report.updated.append(item)
            elif why is None and _same_as_when_loaded(item, current, saved):
                report.unchanged.append(item)  # the editor's copy stays; the edition has nothing new for it
            else:
                report.left_alone.append((item, why or _who_changed(current)))
        proposals.propose(user, report)
    return report


CITED_SOURCE = (
    "published pages cite this source, so its words change only on a reviewer's approval: add the new "
    "details as a new source in the admin and propose it on the pages that cite this one"
)


def _waits_for_sign_off(item, current, saved):
    """Whether readers would see the change: published copy changes, or copy is to be published."""
    if isinstance(item.obj, StepItem):
        return saved["step"][item.parents["step"]].is_published
    if not hasattr(item.obj, "is_published"):
        return False  # moved pages are not copy
    return bool(current is not None and current.is_published) or item.obj.is_published


class _EditionProposals:
    """The edition's changes to published copy, gathered per item (a step with its exercises),
    then proposed for sign-off as an editor's change in the admin is."""

    def __init__(self):
        self.changes = {}  # (model, pk): [live item, proposed values, files]

    def _entry(self, target):
        key = (type(target), target.pk)
        if key not in self.changes:
            self.changes[key] = [target, proposals.values_of(target), []]
        return self.changes[key]

    def add(self, item, current, saved, publish=False):
        obj = item.obj
        if isinstance(obj, StepItem):
            step = saved["step"][item.parents["step"]]
            entry = self._entry(step)
            obj.step, obj.pk = step, current.pk if current is not None else None
            child = proposals.child_values(obj, "step")
            kept = [other for other in entry[1]["items"] if child["id"] is None or other["id"] != child["id"]]
            entry[1]["items"] = sorted([*kept, child], key=lambda other: other.get("order") or 0)
        else:
            entry = self._entry(current)
            obj.pk, obj._state.adding = current.pk, False
            for field in obj._meta.fields:
                if _points_at_guide(field):
                    setattr(obj, field.attname, getattr(current, field.attname))
            for name, slug in item.parents.items():
                setattr(obj, name, saved[_target_kind(type(obj), name)][slug])
            many = {name: [saved[_target_kind(type(obj), name)][slug].pk for slug in slugs]
                    for name, slugs in item.links.items()}
            try:
                obj.full_clean(exclude=list(many))  # e.g. two questions on one number: refused now, not at approval
            except ValidationError as error:
                raise ContentImportError([ContentFileError(item.path, _messages(error))]) from None
            entry[1].update(proposals.values_from(obj, many))
            if publish:
                entry[1]["is_published"] = True
        entry[2].append(item)

    def propose(self, user, report):
        for target, values, files in self.changes.values():
            proposal = proposals.open_proposal(target)
            if proposal is not None:
                if proposal.reason == EDITION_UPDATE and proposals.same_values(proposal.proposed, values):
                    report.waiting += files
                else:
                    who = ", ".join(author.get_username() for author in proposal.authors.all())
                    why = f"a change by {who} is waiting for sign-off; merge by hand once a reviewer has decided it"
                    report.left_alone += [(item, why) for item in files]
            elif proposals.same_values(values, proposals.values_of(target)):
                report.unchanged += files
            else:
                services.propose(target, values, user, reason=EDITION_UPDATE)
                report.proposed += files


def _in_database(item, saved):
    """(the database's copy of an edition item, None), or (None, why it is not to be added), or (None, None)."""
    model = type(item.obj)
    if item.kind == "guide":
        return Guide.objects.get(), None  # editors may have renamed it; it is still the one guide
    key = "slug" if hasattr(item.obj, "slug") else "old_path"
    parents = {name: saved[_target_kind(model, name)][slug] for name, slug in item.parents.items()}
    current = model.objects.filter(**{key: getattr(item.obj, key)}, **parents).first()
    if current is None and item.kind == "source":  # one record an address, whatever its name here
        current = model.objects.filter(url=item.obj.url).first()
    if current is not None or not hasattr(model, "history"):
        return current, None
    # Not there by its name: an editor may have renamed or deleted it since it was loaded.
    lookup = {key: getattr(item.obj, key), **{f"{name}_id": parent.pk for name, parent in parents.items()}}
    earlier = model.history.filter(**lookup).values_list("id", flat=True).first()
    if earlier is None:
        return None, None
    current = model.objects.filter(pk=earlier).first()
    if current is None:
        return None, "an editor deleted it; add it again by hand if it is wanted"
    return current, f"an editor renamed it to {current.slug!r}"


def _same_as_when_loaded(item, current, saved):
    """Whether the edition says what the edition loaded last said about this item."""
    loaded = getattr(current, "edition_hash", "")
    return bool(loaded) and loaded == edition_hash(values_in_files(item, saved))


def _untouched_since_loaded(obj, item):
    """Whether the item still says what the edition loaded last said (no editor has changed it since)."""
    return bool(getattr(obj, "edition_hash", "")) and obj.edition_hash == edition_hash(values_in_database(obj, item))


def _who_changed(obj):
    newest = obj.history.first() if hasattr(obj, "history") else None
    if newest is None:
        return "it was made or changed in the database"
    who = newest.history_user.get_username() if newest.history_user else "someone"
    return f"{who} changed it on {newest.history_date:%Y-%m-%d}"
