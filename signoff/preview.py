"""Staff preview a proposal on the real reader page (?proposal=N): the page is built as usual,
with the proposed item (signoff.proposals.as_proposed) or the proposed order in place of the
live one. Guides' views ask for it through the app registry (SignoffConfig.preview), never
importing signoff."""

from django.db import models

from .models import Proposal
from .ordering import _reader_order
from .proposals import as_proposed


class Preview:
    """One proposal's preview: `item()` for the object a page is about, `context()` for the rest."""

    def __init__(self, proposal):
        self.proposal = proposal
        self.model = proposal.content_type.model_class()
        self.built = {}

    @classmethod
    def of(cls, pk):
        proposal = Proposal.objects.open().filter(pk=pk).first()
        return cls(proposal) if proposal is not None else None

    def item(self, obj):
        """The object as proposed, if it is the proposal's item (the same copy each time), else obj."""
        if self.proposal.kind == Proposal.Kind.REORDER or not isinstance(obj, self.model):
            return obj
        if obj.pk != self.proposal.object_id:
            return obj
        return self.built.setdefault(obj.pk, as_proposed(obj, self.proposal))

    def context(self, context):
        """A page's context with the proposed item wherever it shows it, or its list in the proposed order."""
        if self.proposal.kind == Proposal.Kind.REORDER:
            return self._reordered(context)
        for key, value in list(context.items()):
            if isinstance(value, models.Model):
                context[key] = self.item(value)
            elif isinstance(value, (list, tuple, models.QuerySet)) and any(
                isinstance(obj, self.model) and obj.pk == self.proposal.object_id for obj in value
            ):
                context[key] = [self.item(obj) for obj in value]
        return context

    def _reordered(self, context):
        wanted = {move["id"]: move["to"] for move in self.proposal.proposed["moves"]}
        for key, value in list(context.items()):
            if not isinstance(value, (list, tuple, models.QuerySet)):
                continue
            items = list(value)
            if not items or not all(isinstance(item, self.model) for item in items):
                continue
            for item in items:
                item.order = wanted.get(item.pk, item.order)
            context[key] = sorted(items, key=_reader_order(self.model))
        steps, step = context.get("steps"), context.get("step")
        if isinstance(steps, list) and step in steps:
            position = steps.index(step)
            context.update(
                number=position + 1,
                previous_step=steps[position - 1] if position > 0 else None,
                next_step=steps[position + 1] if position + 1 < len(steps) else None,
            )
        return context
