from django import template

from signoff import fact_check, ordering, proposals, schedule, services

register = template.Library()


@register.inclusion_tag("signoff/panel.html", takes_context=True)
def signoff_panel(context, item):
    """An item's sign-off on its admin page: its waiting change or new order, with the buttons the
    service offers this user (signoff.services.available_actions)."""
    request = context["request"]
    proposal = proposals.open_proposal(item)
    actions = services.available_actions(request.user, item)
    return {
        "opts": context.get("opts"),
        "signoff": {
            "proposal": proposal,
            "authors": list(proposal.authors.all()) if proposal else [],
            "actions": actions,
            "changes": proposals.changes(item, proposal) if proposal else [],
            "preview_url": proposals.preview_url(item, proposal) if proposal else None,
            "can_decide": "approve" in actions,
            "is_author": "withdraw" in actions,
            "can_confirm": "confirm_review" in actions,
            "comment": request.session.pop("signoff_comment", ""),
            "fact_checks": _fact_checks(proposal),
            "can_fact_check": fact_check.can_be_checked(proposal) and fact_check.may_send(request.user, item),
            "reorders": [_order(request, item, reorder) for reorder in ordering.reorders_touching(item)],
            "scheduled": schedule.changes_waiting(item),
        },
    }


def _fact_checks(proposal):
    """The outside experts asked to check this change, newest first, with each link's state."""
    if proposal is None:
        return []
    checks = proposal.fact_checks.select_related("sent_by", "proposal")
    return [{"check": check, "state": fact_check.state(check)} for check in checks]


def _order(request, item, reorder):
    actions = services.available_actions(request.user, item, reorder)
    return {
        "proposal": reorder,
        "authors": list(reorder.authors.all()),
        "actions": actions,
        "changes": ordering.order_changes(reorder),
        "preview_url": proposals.preview_url(item, reorder),
        "can_decide": "approve_order" in actions,
        "is_author": "withdraw_order" in actions,
        "comment": request.session.pop("order_comment", ""),
    }


@register.inclusion_tag("signoff/waiting.html")
def waiting_for_sign_off():
    """Every proposed change a clinical reviewer has still to decide, oldest first."""
    rows = []
    for proposal in proposals.waiting():
        opts = proposal.content_type.model_class()._meta
        if proposal.kind == proposal.Kind.REORDER:
            rows.append({"proposal": proposal, "kind": f"order of the {opts.verbose_name_plural}",
                         "what": ordering.item_label(proposal.item)})
        else:
            rows.append({"proposal": proposal, "kind": opts.verbose_name, "what": proposal.item})
    return {"rows": rows}


@register.inclusion_tag("signoff/yours.html", takes_context=True)
def your_changes(context, limit=15):
    """The editor's own proposals on the admin home page: waiting, sent back (with the reviewer's
    words) or approved, newest first, so a change sent back does not vanish from their view."""
    from signoff.models import Proposal

    user = context["request"].user
    shown = (*Proposal.OPEN, Proposal.Status.APPROVED, Proposal.Status.SCHEDULED, Proposal.Status.STALE)
    mine = (
        Proposal.objects.filter(authors=user, status__in=shown)
        .select_related("content_type")
        .prefetch_related("item")  # one query per kind of item, not one per row
        .order_by("-updated_at", "-pk")[:limit]
    )
    return {"proposals": mine}
