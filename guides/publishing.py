"""Only the clinical sign-off publishes. Published copy is written inside `publishing()`, which
only signoff.services enters (a test checks); any other save, delete or change of a step's care
cards that readers would see is refused, so no path can go round the sign-off. Drafts are free.

Queryset update() and bulk_update() skip save(), as in Django: they are for bookkeeping (a
re-render of the same Markdown, parking items on spare numbers while they move)."""

import contextlib
import contextvars

_publishing = contextvars.ContextVar("backcare_publishing", default=False)
# Bookkeeping, and who owns an item's review (people, not copy: guides.admin_editorial); the *_html
# fields follow the Markdown.
NOT_COPY = {"id", "version", "updated_at", "owner", "deputy"}


class UnapprovedChange(Exception):
    """Published copy written outside the sign-off service."""


@contextlib.contextmanager
def publishing():
    """Lets the block write published copy. Only signoff.services calls it."""
    token = _publishing.set(True)
    try:
        yield
    finally:
        _publishing.reset(token)


def reader_values(obj, fields=None):
    """What readers get from an object: every stored value but bookkeeping and rendered HTML, or the
    named `fields` of a record only some of whose fields readers see (a source)."""
    return {
        field.attname: field.to_python(getattr(obj, field.attname))
        for field in obj._meta.concrete_fields
        if (field.name in fields if fields is not None else field.name not in NOT_COPY)
        and not field.name.endswith("_html")
    }


def refuse_unapproved_save(obj, previous, seen_by_readers, fields=None):
    """Refuses a save readers would see (`previous`: the row as stored, None for a new one; `fields`:
    the fields readers see, when not all of them) unless the sign-off service is publishing."""
    if _publishing.get() or not seen_by_readers:
        return
    if previous is not None and reader_values(previous, fields) == reader_values(obj, fields):
        return
    raise UnapprovedChange(
        f"{obj._meta.verbose_name} “{obj}” is published: only a clinical reviewer's approval "
        "(signoff.services) changes what readers see. Propose the change instead."
    )


def refuse_unapproved_delete(sender, instance, **kwargs):
    """pre_delete receiver for the copy models (querysets and cascades send it too)."""
    if not _publishing.get() and instance.seen_by_readers():
        raise UnapprovedChange(
            f"{instance._meta.verbose_name} “{instance}” is published: only the sign-off service removes it."
        )


def refuse_unapproved_cards(sender, instance, action, reverse, model, pk_set, **kwargs):
    """m2m_changed receiver for the links copy signs off with it (a step's or a topic's care cards;
    the sources of the guide, a sign or a topic): a published item's links change only on approval."""
    if _publishing.get() or action not in ("pre_add", "pre_remove", "pre_clear"):
        return
    if reverse:  # e.g. a card's steps (or topics): any published one among them
        field = next(field.name for field in model._meta.many_to_many if field.remote_field.through is sender)
        pages = model.objects.filter(**{field: instance}) if pk_set is None else model.objects.filter(pk__in=pk_set)
        seen = pages.filter(is_published=True).exists()
    else:
        seen = instance.seen_by_readers()
    if seen:
        raise UnapprovedChange("A published item's care cards and sources change only on a clinical reviewer's approval.")
