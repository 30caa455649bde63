"""Reordering a list: where items go when an editor moves them, and the whole list as a reviewer reads it.

The order of a guide's steps, questions, tips or care cards is copy too: moving "Listen to your
body" after the exercises changes what readers read. A move that changes the place of a published
item waits for sign-off as a proposal of kind "reorder", attached to the item the editor moved;
drafts move at once (signoff.services.reorder). One list has at most one open order change, so
two never contradict.
"""

import dataclasses

from .models import Proposal


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


def open_reorder(pk, lock=False):
    proposals = Proposal.objects.open().filter(kind=Proposal.Kind.REORDER, pk=pk)
    return (proposals.select_for_update() if lock else proposals).first()


def reorders_touching(item):
    """The open order changes that would move this item."""
    if item is None or item.pk is None or not hasattr(item, "guide_id") or not hasattr(item, "order"):
        return []
    proposals = Proposal.objects.open().reorders_of(type(item), item.guide_id).prefetch_related("authors")
    return [proposal for proposal in proposals if item.pk in {move["id"] for move in proposal.proposed["moves"]}]


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
