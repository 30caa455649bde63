"""A reader page with a proposed change shown in place, for staff only (?proposal=N)."""

from django.db import models

from .models import Proposal
from .ordering import _reader_order
from .proposals import changed_names, preview, preview_children


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
